"""Caller-scoped operations and end-to-end flows: tokens, listings, sharing, time-series."""

from __future__ import annotations

import json

from .conftest import Harness

LIST_STORES = "query { storage_listDataStores { dataStoreId name ownerUserId homeDirectoryId } }"
SHARE = (
    "mutation($c: ID!, $t: ServiceType!, $s: ID!) { collaborative_addServiceToCollaborative("
    "collaborativeId: $c, serviceType: $t, serviceId: $s) { serviceId serviceType "
    "dataStore { name } timeSeriesDb { name } } }"
)
UNSHARE = SHARE.replace("addServiceToCollaborative", "removeServiceFromCollaborative")
GET_STORE = "query($s: ID!) { storage_getDataStore(dataStoreId: $s) { name } }"


def test_session_describes_the_caller(harness: Harness) -> None:
    session = harness.data(
        "admin",
        "query { user_getUserSession { user { userId email userRoles userAccountState "
        "organization { organizationId name hostOrganization } } } }",
    )
    user = session["user"]
    assert user["userId"] == harness.ids["admin"]
    assert user["userRoles"] == ["PLATFORM_ADMIN"]
    assert user["organization"] == {
        "organizationId": harness.ids["organization1"],
        "name": "Avista Utilities",
        "hostOrganization": True,
    }


def test_tokens_lifecycle(harness: Harness) -> None:
    created = harness.data(
        "reader",
        'mutation { user_createAuthenticationToken(name: "laptop", daysBeforeExpiration: 30) '
        "{ tokenId userId name tokenType tokenValue dateCreated dateExpires } }",
    )
    assert created["tokenValue"]
    assert created["tokenType"] == "USER_FULL_ACCESS"
    listed = harness.data(
        "reader", "query { user_listAuthenticationTokens { tokenId name tokenValue } }"
    )
    assert {t["tokenId"] for t in listed} >= {created["tokenId"]}
    assert all(t["tokenValue"] is None for t in listed)  # shown once, at creation
    session = harness.data(
        created["tokenValue"], "query { user_getUserSession { user { userId } } }"
    )
    assert session["user"]["userId"] == harness.ids["reader"]
    deleting_others = harness.error_type(
        "writer",
        "mutation($t: ID!) { user_deleteAuthenticationToken(tokenId: $t) { tokenId } }",
        t=created["tokenId"],
    )
    assert deleting_others == "Unauthorized"


def test_list_data_stores_shows_owned_stores(harness: Harness) -> None:
    assert [s["name"] for s in harness.data("owner", LIST_STORES)] == ["Demo data store"]
    assert harness.data("reader", LIST_STORES) == []
    created = harness.data(
        "reader", 'mutation { storage_createDataStore(name: "Mine") { dataStoreId } }'
    )
    assert [s["dataStoreId"] for s in harness.data("reader", LIST_STORES)] == [
        created["dataStoreId"]
    ]
    by_owner = harness.data(
        "reader",
        "query($u: ID!) { storage_listDataStores(userId: $u) { name } }",
        u=harness.ids["owner"],
    )
    assert by_owner == [{"name": "Demo data store"}]  # shared with the reader
    assert (
        harness.data(
            "outsider",
            "query($u: ID!) { storage_listDataStores(userId: $u) { name } }",
            u=harness.ids["owner"],
        )
        == []
    )


def test_directory_listing_nests(harness: Harness) -> None:
    listing = harness.data(
        "reader",
        "query($d: ID!) { storage_getDataStoreDirectory(dataStoreDirectoryId: $d) { homeDirectory "
        "contents { objectType "
        "dataStoreFile { name fileExtension storageSizeBytes s3ConfirmedUpload } "
        "dataStoreDirectory { name homeDirectory contents { objectType "
        "dataStoreDirectory { name contents { dataStoreFile { name } } } } } } } }",
        d=harness.ids["homeDirectory"],
    )
    assert listing["homeDirectory"] is True
    files = {c["dataStoreFile"]["name"] for c in listing["contents"] if c["objectType"] == "FILE"}
    assert files == {"README", "archive"}
    readings = next(
        c["dataStoreDirectory"]
        for c in listing["contents"]
        if c["objectType"] == "DIRECTORY" and c["dataStoreDirectory"]["name"] == "readings"
    )
    (year,) = readings["contents"]
    names = {c["dataStoreFile"]["name"] for c in year["dataStoreDirectory"]["contents"]}
    assert names == {"january", "february"}


def test_sharing_grants_and_unsharing_revokes(harness: Harness) -> None:
    store = harness.data(
        "owner", 'mutation { storage_createDataStore(name: "Late") { dataStoreId } }'
    )
    store_id = store["dataStoreId"]
    assert harness.error_type("reader", GET_STORE, s=store_id) == "Unauthorized"
    shared = harness.data(
        "owner", SHARE, c=harness.ids["collaborative"], t="DATA_STORE", s=store_id
    )
    assert shared == {
        "serviceId": store_id,
        "serviceType": "DATA_STORE",
        "dataStore": {"name": "Late"},
        "timeSeriesDb": None,
    }
    assert harness.data("reader", GET_STORE, s=store_id) == {"name": "Late"}
    services = harness.data(
        "reader",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c) "
        "{ serviceId serviceType } }",
        c=harness.ids["collaborative"],
    )
    assert {"serviceId": store_id, "serviceType": "DATA_STORE"} in services
    harness.data("owner", UNSHARE, c=harness.ids["collaborative"], t="DATA_STORE", s=store_id)
    assert harness.error_type("reader", GET_STORE, s=store_id) == "Unauthorized"


def test_wrong_service_type_for_an_id_is_unauthorized(harness: Harness) -> None:
    assert (
        harness.error_type(
            "owner",
            SHARE,
            c=harness.ids["collaborative"],
            t="IOT_GROUP",
            s=harness.ids["dataStore"],
        )
        == "Unauthorized"
    )
    assert (
        harness.error_type(
            "owner",
            SHARE,
            c=harness.ids["collaborative"],
            t="TIME_SERIES_DB",
            s=harness.ids["dataStore"],
        )
        == "Unauthorized"
    )


def test_membership_approval_controls_access(harness: Harness) -> None:
    set_state = (
        "mutation($c: ID!, $o: ID!, $m: CollaborativeMemberOrganizationState!) { "
        "collaborative_updateCollaborativeMemberOrganization(collaborativeId: $c, "
        "organizationId: $o, memberState: $m) { memberState accessApprovedByUserId } }"
    )
    variables = {"c": harness.ids["collaborative"], "o": harness.ids["organization2"]}
    denied = harness.data("owner", set_state, m="DENIED_ACCESS", **variables)
    assert denied == {"memberState": "DENIED_ACCESS", "accessApprovedByUserId": None}
    assert harness.error_type("writer", GET_STORE, s=harness.ids["dataStore"]) == "Unauthorized"
    assert harness.data("writer", "query { collaborative_listCollaboratives { name } }") == []
    requests = harness.data(
        "owner",
        "query($c: ID!) { collaborative_listCollaborativeMemberOrganizationRequests("
        "collaborativeId: $c, includeDeniedRequests: true) "
        "{ memberOrganizations { memberState } } }",
        c=harness.ids["collaborative"],
    )
    assert requests == [{"memberOrganizations": [{"memberState": "DENIED_ACCESS"}]}]
    harness.data("owner", set_state, m="APPROVED", **variables)
    assert harness.data("writer", GET_STORE, s=harness.ids["dataStore"]) == {
        "name": "Demo data store"
    }
    host = harness.gql(
        "owner",
        set_state,
        m="APPROVED",
        c=harness.ids["collaborative"],
        o=harness.ids["organization1"],
    )
    assert host["errors"][0]["errorType"] == "BadRequestException"


def test_read_only_member_upgraded_to_read_write_can_write(harness: Harness) -> None:
    create_dir = (
        "mutation($s: ID!, $p: ID!) { storage_createDataStoreDirectory(dataStoreId: $s, "
        'parentDirectoryId: $p, name: "by-reader") { name } }'
    )
    ids = {"s": harness.ids["dataStore"], "p": harness.ids["homeDirectory"]}
    assert harness.error_type("reader", create_dir, **ids) == "Unauthorized"
    harness.data(
        "admin",
        "mutation($c: ID!, $u: ID!) { platformAdmin_updateCollaborativeMember(collaborativeId: $c, "
        "userId: $u, permission: READ_WRITE) { name } }",
        c=harness.ids["collaborative"],
        u=harness.ids["reader"],
    )
    assert harness.data("reader", create_dir, **ids) == {"name": "by-reader"}


def test_delete_data_store_removes_tree_and_bytes(harness: Harness) -> None:
    blobs_before = set(harness.emulator.blobs.keys())
    assert harness.ids["file:README.md"] in blobs_before
    harness.data(
        "owner",
        "mutation($s: ID!) { storage_deleteDataStore(dataStoreId: $s) { name } }",
        s=harness.ids["dataStore"],
    )
    assert harness.emulator.blobs.keys() == []
    assert harness.data(
        "owner",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c) "
        "{ serviceType } }",
        c=harness.ids["collaborative"],
    ) == [
        {"serviceType": "TIME_SERIES_DB"},
        {"serviceType": "DATA_CAPTURE"},
        {"serviceType": "IOT_GROUP"},
    ]


def test_update_mutations_distinguish_null_from_omitted(harness: Harness) -> None:
    update = (
        "mutation($s: ID!, $d: String) { storage_updateDataStore(dataStoreId: $s, "
        "description: $d) { name description } }"
    )
    store = harness.ids["dataStore"]
    assert harness.data("owner", update, s=store, d="new")["description"] == "new"
    omitted = harness.data(
        "owner",
        'mutation($s: ID!) { storage_updateDataStore(dataStoreId: $s, name: "Renamed") '
        "{ name description } }",
        s=store,
    )
    assert omitted == {"name": "Renamed", "description": "new"}
    assert harness.data("owner", update, s=store, d=None)["description"] is None


# --- time series -----------------------------------------------------------------------------

CREATE_DB = (
    'mutation { timeSeriesDb_createDatabase(name: "Meters", description: "m") '
    "{ timeSeriesDbId name ownerUserId databaseName tableName } }"
)


def test_time_series_database_lifecycle(harness: Harness) -> None:
    created = harness.data("writer", CREATE_DB)
    assert created["timeSeriesDbId"].startswith("timeSeriesDbId.")
    for name in (created["databaseName"], created["tableName"]):
        assert 3 <= len(name) <= 256
        assert all(c.isalnum() or c in "_.-" for c in name)
    listed = harness.data("writer", "query { timeSeriesDb_listDatabases { timeSeriesDbId } }")
    assert listed == [{"timeSeriesDbId": created["timeSeriesDbId"]}]
    renamed = harness.data(
        "writer",
        'mutation($t: ID!) { timeSeriesDb_updateDatabase(timeSeriesDbId: $t, name: "M2") '
        "{ name databaseName } }",
        t=created["timeSeriesDbId"],
    )
    assert renamed == {"name": "M2", "databaseName": created["databaseName"]}
    harness.data(
        "writer",
        "mutation($t: ID!) { timeSeriesDb_deleteDatabase(timeSeriesDbId: $t) { name } }",
        t=created["timeSeriesDbId"],
    )
    assert harness.data("writer", "query { timeSeriesDb_listDatabases { name } }") == []


PUBLISH = (
    "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase("
    "timeSeriesDbId: $t, assetId: $a, data: $d) { assetId name attributes { name attributeType "
    "lastValue lastValueTime data { timestamp value } } } }"
)
QUERY = (
    "query($t: ID!, $q: String!, $m: Int, $n: String) { "
    "timeSeriesDb_queryDatabaseWithTimestreamQuery(timeSeriesDbId: $t, queryString: $q, "
    "maxRows: $m, nextToken: $n) { resultJSONString clientToken } }"
)


def _record(ms: int, value: str) -> dict[str, object]:
    return {
        "Time": str(ms),
        "TimeUnit": "MILLISECONDS",
        "MeasureName": "kwh",
        "MeasureValueType": "DOUBLE",
        "MeasureValue": value,
        "Dimensions": [{"Name": "name", "Value": "Meter 9", "DimensionValueType": "VARCHAR"}],
        "Version": 1,
    }


def test_query_arguments_are_validated_before_the_engine(harness: Harness) -> None:
    database = harness.ids["timeSeriesDb"]
    for variables in ({"q": "SELECT 1", "m": 0}, {"q": "SELECT 1", "m": 1001}, {"q": "  "}):
        body = harness.gql("reader", QUERY, t=database, **variables)
        assert body["errors"][0]["errorType"] == "ValidationException", body


def test_publish_then_query_through_the_engine(harness: Harness) -> None:
    import time

    database = harness.data("owner", CREATE_DB)
    now_ms = int(time.time() * 1000)
    published = harness.data(
        "owner",
        PUBLISH,
        t=database["timeSeriesDbId"],
        a="meter-9",
        d={"records": [_record(now_ms - 1000, "1.5"), _record(now_ms, "2.5")]},
    )
    assert published[0]["assetId"] == "meter-9"
    page = harness.data(
        "owner",
        QUERY,
        t=database["timeSeriesDbId"],
        q=f'SELECT count(*) FROM "{database["databaseName"]}"."{database["tableName"]}"',
    )
    result = json.loads(page["resultJSONString"])
    assert result["Rows"][0]["Data"][0]["ScalarValue"] == "2"


def test_query_of_an_unreadable_table_is_unauthorized(harness: Harness) -> None:
    private = harness.data("outsider", CREATE_DB)
    body = harness.gql(
        "reader",
        QUERY,
        t=harness.ids["timeSeriesDb"],
        q=f'SELECT * FROM "{private["databaseName"]}"."{private["tableName"]}"',
    )
    assert body["errors"][0]["errorType"] == "Unauthorized"


def test_rejected_records_carry_details(harness: Harness) -> None:
    body = harness.gql(
        "owner",
        PUBLISH,
        t=harness.ids["timeSeriesDb"],
        a="meter-1",
        d={"records": [_record(1, "not-a-number")]},
    )
    error = body["errors"][0]
    assert error["errorType"] in {"RejectedRecordsException", "ValidationException"}
    if error["errorType"] == "RejectedRecordsException":
        assert error["errorInfo"]["RejectedRecords"][0]["RecordIndex"] == 0
