# ruff: noqa: E501  (the matrix reads best as one case per line)
"""Who may do what: every implemented operation × owner, READ_WRITE member, READ_ONLY member,
outsider (same organization as the members, not in the collaborative) and platform admin.

Allowed roles must get no ``Unauthorized`` error; denied roles must get exactly ``Unauthorized``
with a null root field, and the state must not change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import Harness, stored_state

ROLES = ("owner", "writer", "reader", "outsider", "admin")
READERS = {"owner", "writer", "reader"}
WRITERS = {"owner", "writer"}
OWNER = {"owner"}
ADMIN = {"admin"}
EVERYONE = set(ROLES)
HOST_MANAGERS = {"owner", "admin"}  # users of the host organization (and platform admins)

Variables = Callable[[Harness], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    field: str
    document: str
    allowed: set[str]
    variables: Variables = field(default=lambda h: {})


def _ids(*names: str, **renamed: str) -> Variables:
    def build(h: Harness) -> dict[str, Any]:
        values = {name: h.ids[name] for name in names}
        values.update({arg: h.ids[key] for arg, key in renamed.items()})
        return values

    return build


def _new_empty_directory(h: Harness) -> dict[str, Any]:
    created = h.data(
        "owner",
        "mutation($s: ID!, $p: ID!) { storage_createDataStoreDirectory("
        'dataStoreId: $s, parentDirectoryId: $p, name: "empty") { dataStoreDirectoryId } }',
        s=h.ids["dataStore"],
        p=h.ids["homeDirectory"],
    )
    return {"d": created["dataStoreDirectoryId"]}


def _new_upload(h: Harness) -> dict[str, Any]:
    created = h.data(
        "owner",
        "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
        'dataStoreDirectoryId: $d, name: "upload", fileExtension: "txt") { uploadId } }',
        s=h.ids["dataStore"],
        d=h.ids["homeDirectory"],
    )
    return {"u": created["uploadId"]}


def _reports_directory(h: Harness) -> dict[str, Any]:
    home = h.data(
        "owner",
        "query($d: ID!) { storage_getDataStoreDirectory(dataStoreDirectoryId: $d) "
        "{ contents { dataStoreDirectory { dataStoreDirectoryId name } } } }",
        d=h.ids["homeDirectory"],
    )
    (reports,) = [
        c["dataStoreDirectory"]["dataStoreDirectoryId"]
        for c in home["contents"]
        if c["dataStoreDirectory"] and c["dataStoreDirectory"]["name"] == "reports"
    ]
    return {"d": reports}


def _new_data_view(h: Harness) -> dict[str, Any]:
    created = h.data(
        "owner",
        "mutation($f: ID!) { storage_createDataStoreFileDataView(dataStoreFileId: $f) { dataViewIds } }",
        f=h.ids[FILE],
    )
    return {"f": h.ids[FILE], "v": created["dataViewIds"][-1]}


QUERY_DATABASE = (
    "query($t: ID!) { timeSeriesDb_queryDatabase(timeSeriesDbId: $t, "
    'assets: [{assetId: "meter-1"}], queryType: LAST_X_ROWS, maxRows: 5) { queryId } }'
)


def _new_query(h: Harness) -> dict[str, Any]:
    query = h.data("owner", QUERY_DATABASE, t=h.ids["timeSeriesDb"])
    return {"t": h.ids["timeSeriesDb"], "q": query["queryId"]}


def _finished_export(h: Harness) -> dict[str, Any]:
    variables = _new_query(h)
    h.data(
        "owner",
        "mutation($t: ID!, $q: String!) { timeSeriesDb_generateQueryResultExportFile("
        "timeSeriesDbId: $t, queryId: $q) { queryId } }",
        **variables,
    )
    h.emulator.services.time_series_exports.wait_idle()
    return {"q": variables["q"]}


def _count_query(h: Harness) -> str:
    database = h.emulator.services.time_series.get_database(
        h.emulator.services.users.authenticate(h.seed.tokens["owner"]), h.ids["timeSeriesDb"]
    )
    return f'SELECT count(*) FROM "{database["databaseName"]}"."{database["tableName"]}"'


def _new_user(h: Harness) -> dict[str, Any]:
    user = h.emulator.services.users.create_user(
        None, h.ids["organization2"], "new@northwind.example", "New", "User"
    )
    return {"u": user["userId"]}


def _new_org(h: Harness) -> dict[str, Any]:
    return {
        "o": h.emulator.services.organizations.create_organization(None, "Empty Org")[
            "organizationId"
        ]
    }


FILE = "file:README.md"
STORE_FIELDS = "{ dataStoreId name }"

CASES = [
    # --- data stores
    Case(
        "storage_getDataStore",
        "query($dataStoreId: ID!) { storage_getDataStore(dataStoreId: $dataStoreId) { name } }",
        READERS,
        _ids(dataStoreId="dataStore"),
    ),
    Case(
        "storage_updateDataStore",
        'mutation($s: ID!) { storage_updateDataStore(dataStoreId: $s, description: "d") { name } }',
        OWNER,
        _ids(s="dataStore"),
    ),
    Case(
        "storage_deleteDataStore",
        "mutation($s: ID!) { storage_deleteDataStore(dataStoreId: $s) { name } }",
        OWNER,
        _ids(s="dataStore"),
    ),
    Case(
        "storage_getDataStoreDirectory",
        "query($d: ID!) { storage_getDataStoreDirectory(dataStoreDirectoryId: $d) { name contents { objectType } } }",
        READERS,
        _ids(d="homeDirectory"),
    ),
    Case(
        "storage_createDataStoreDirectory",
        'mutation($s: ID!, $d: ID!) { storage_createDataStoreDirectory(dataStoreId: $s, parentDirectoryId: $d, name: "new") { name } }',
        WRITERS,
        _ids(s="dataStore", d="homeDirectory"),
    ),
    Case(
        "storage_updateDataStoreDirectory",
        'mutation($d: ID!) { storage_updateDataStoreDirectory(dataStoreDirectoryId: $d, name: "renamed") { name } }',
        WRITERS,
        _reports_directory,
    ),
    Case(
        "storage_deleteDataStoreDirectory",
        "mutation($d: ID!) { storage_deleteDataStoreDirectory(dataStoreDirectoryId: $d) { name } }",
        WRITERS,
        _new_empty_directory,
    ),
    Case(
        "storage_getDataStoreFile",
        "query($f: ID!) { storage_getDataStoreFile(dataStoreFileId: $f) { name } }",
        READERS,
        _ids(f=FILE),
    ),
    Case(
        "storage_createDataStoreFile",
        'mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, dataStoreDirectoryId: $d, name: "n", fileExtension: "txt") { url itemId } }',
        WRITERS,
        _ids(s="dataStore", d="homeDirectory"),
    ),
    Case(
        "storage_updateDataStoreFile",
        'mutation($f: ID!) { storage_updateDataStoreFile(dataStoreFileId: $f, description: "x") { name } }',
        WRITERS,
        _ids(f=FILE),
    ),
    Case(
        "storage_deleteDataStoreFile",
        "mutation($f: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $f) { name } }",
        WRITERS,
        _ids(f=FILE),
    ),
    Case(
        "storage_getDataStoreFileDownloadUrl",
        "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }",
        READERS,
        _ids(f=FILE),
    ),
    Case(
        "storage_getDataStoreZipDownloadUrl",
        "query($d: ID!, $f: ID!) { storage_getDataStoreZipDownloadUrl(dataStoreObjectIds: [{objectType: DIRECTORY, dataStoreDirectoryId: $d}, {objectType: FILE, dataStoreFileId: $f}]) { url itemId } }",
        READERS,
        _ids(d="homeDirectory", f=FILE),
    ),
    Case(
        "storage_createDataStoreFileDataView",
        "mutation($f: ID!) { storage_createDataStoreFileDataView(dataStoreFileId: $f) { dataViewIds } }",
        WRITERS,
        _ids(f=FILE),
    ),
    Case(
        "storage_deleteDataStoreFileDataView",
        "mutation($f: ID!, $v: ID!) { storage_deleteDataStoreFileDataView(dataStoreFileId: $f, dataViewId: $v) { dataViewIds } }",
        WRITERS,
        _new_data_view,
    ),
    Case(
        "notifications_notifyUploadComplete",
        "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u) { httpStatusCode } }",
        WRITERS,
        _new_upload,
    ),
    # --- time-series databases
    Case(
        "timeSeriesDb_getDatabase",
        "query($t: ID!) { timeSeriesDb_getDatabase(timeSeriesDbId: $t) { name } }",
        READERS,
        _ids(t="timeSeriesDb"),
    ),
    Case(
        "timeSeriesDb_updateDatabase",
        'mutation($t: ID!) { timeSeriesDb_updateDatabase(timeSeriesDbId: $t, name: "n") { name } }',
        OWNER,
        _ids(t="timeSeriesDb"),
    ),
    Case(
        "timeSeriesDb_deleteDatabase",
        "mutation($t: ID!) { timeSeriesDb_deleteDatabase(timeSeriesDbId: $t) { name } }",
        OWNER,
        _ids(t="timeSeriesDb"),
    ),
    Case(
        "timeSeriesDb_publishToDatabase",
        'mutation($t: ID!, $time: String) { timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: "a1", data: {records: '
        '[{Time: $time, TimeUnit: MILLISECONDS, MeasureName: "kwh", MeasureValueType: DOUBLE, MeasureValue: "1.5", Version: 1}]}) { assetId } }',
        WRITERS,
        lambda h: {"t": h.ids["timeSeriesDb"], "time": str(int(time.time() * 1000))},
    ),
    Case(
        "timeSeriesDb_queryDatabaseWithTimestreamQuery",
        "query($t: ID!, $q: String!) { timeSeriesDb_queryDatabaseWithTimestreamQuery(timeSeriesDbId: $t, queryString: $q) { resultJSONString } }",
        READERS,
        lambda h: {"t": h.ids["timeSeriesDb"], "q": _count_query(h)},
    ),
    Case(
        "timeSeriesDb_listAllAssetLastValues",
        "query($t: ID!) { timeSeriesDb_listAllAssetLastValues(timeSeriesDbId: $t) { queryId data { assetId } } }",
        READERS,
        _ids(t="timeSeriesDb"),
    ),
    Case("timeSeriesDb_queryDatabase", QUERY_DATABASE, READERS, _ids(t="timeSeriesDb")),
    Case(
        "timeSeriesDb_generateQueryResultExportFile",
        "mutation($t: ID!, $q: String!) { timeSeriesDb_generateQueryResultExportFile(timeSeriesDbId: $t, queryId: $q) { queryId } }",
        READERS,
        _new_query,
    ),
    Case(
        "timeSeriesDb_notifyTimeSeriesQueryExportComplete",
        "mutation($q: String!) { timeSeriesDb_notifyTimeSeriesQueryExportComplete(queryId: $q) { url } }",
        READERS,
        _finished_export,
    ),
    Case(
        "timeSeriesDb_cancelDatabaseQuery",
        "mutation($t: ID!, $q: String!) { timeSeriesDb_cancelDatabaseQuery(timeSeriesDbId: $t, queryId: $q) { httpStatusCode } }",
        READERS,
        _new_query,
    ),
    # --- collaboratives
    Case(
        "collaborative_getCollaborative",
        "query($c: ID!) { collaborative_getCollaborative(collaborativeId: $c) { name } }",
        EVERYONE,
        _ids(c="collaborative"),
    ),
    Case(
        "collaborative_listCollaborativeServices",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c) { serviceId } }",
        EVERYONE,
        _ids(c="collaborative"),
    ),
    Case(
        "collaborative_listCollaborativesServiceSharedWith",
        "query($s: ID!) { collaborative_listCollaborativesServiceSharedWith(serviceType: DATA_STORE, serviceId: $s) { name } }",
        OWNER,
        _ids(s="dataStore"),
    ),
    Case(
        "collaborative_removeServiceFromCollaborative",
        "mutation($c: ID!, $s: ID!) { collaborative_removeServiceFromCollaborative(collaborativeId: $c, serviceType: DATA_STORE, serviceId: $s) { serviceId } }",
        OWNER,
        _ids(c="collaborative", s="dataStore"),
    ),
    Case(
        "collaborative_listCollaborativeMemberOrganizationRequests",
        "query($c: ID!) { collaborative_listCollaborativeMemberOrganizationRequests(collaborativeId: $c, includeApprovedRequests: true) { name } }",
        HOST_MANAGERS,
        _ids(c="collaborative"),
    ),
    Case(
        "collaborative_updateCollaborativeMemberOrganization",
        "mutation($c: ID!, $o: ID!) { collaborative_updateCollaborativeMemberOrganization(collaborativeId: $c, organizationId: $o, memberState: APPROVED) { memberState } }",
        HOST_MANAGERS,
        _ids(c="collaborative", o="organization2"),
    ),
    # --- platform administration
    Case(
        "platformAdmin_listOrganizations",
        "query { platformAdmin_listOrganizations { name } }",
        ADMIN,
    ),
    Case(
        "platformAdmin_getOrganization",
        "query($o: ID!) { platformAdmin_getOrganization(organizationId: $o) { name } }",
        ADMIN,
        _ids(o="organization2"),
    ),
    Case(
        "platformAdmin_createOrganization",
        'mutation { platformAdmin_createOrganization(name: "Org") { name } }',
        ADMIN,
    ),
    Case(
        "platformAdmin_updateOrganization",
        'mutation($o: ID!) { platformAdmin_updateOrganization(organizationId: $o, name: "N") { name } }',
        ADMIN,
        _ids(o="organization2"),
    ),
    Case(
        "platformAdmin_deleteOrganization",
        "mutation($o: ID!) { platformAdmin_deleteOrganization(organizationId: $o) { name } }",
        ADMIN,
        _new_org,
    ),
    Case("platformAdmin_listUsers", "query { platformAdmin_listUsers { userId } }", ADMIN),
    Case(
        "platformAdmin_getUser",
        "query($u: ID!) { platformAdmin_getUser(userId: $u) { userId } }",
        ADMIN,
        _ids(u="reader"),
    ),
    Case(
        "platformAdmin_createUser",
        'mutation($o: ID!) { platformAdmin_createUser(organizationId: $o, email: "x@y.example", firstName: "X", lastName: "Y") { userId } }',
        ADMIN,
        _ids(o="organization2"),
    ),
    Case(
        "platformAdmin_updateUser",
        'mutation($u: ID!) { platformAdmin_updateUser(userId: $u, firstName: "R") { firstName } }',
        ADMIN,
        _ids(u="reader"),
    ),
    Case(
        "platformAdmin_deleteUser",
        "mutation($u: ID!) { platformAdmin_deleteUser(userId: $u) { userId } }",
        ADMIN,
        _new_user,
    ),
    Case(
        "platformAdmin_resendUserInvitation",
        "mutation($u: ID!) { platformAdmin_resendUserInvitation(userId: $u) { userId } }",
        ADMIN,
        _new_user,
    ),
    Case(
        "platformAdmin_listCollaboratives",
        "query { platformAdmin_listCollaboratives { name } }",
        ADMIN,
    ),
    Case(
        "platformAdmin_getCollaborative",
        "query($c: ID!) { platformAdmin_getCollaborative(collaborativeId: $c, includeMemberOrganizations: true) { name } }",
        ADMIN,
        _ids(c="collaborative"),
    ),
    Case(
        "platformAdmin_createCollaborative",
        'mutation { platformAdmin_createCollaborative(name: "C") { name } }',
        ADMIN,
    ),
    Case(
        "platformAdmin_updateCollaborative",
        'mutation($c: ID!) { platformAdmin_updateCollaborative(collaborativeId: $c, description: "d") { name } }',
        ADMIN,
        _ids(c="collaborative"),
    ),
    Case(
        "platformAdmin_deleteCollaborative",
        "mutation($c: ID!) { platformAdmin_deleteCollaborative(collaborativeId: $c) { name } }",
        ADMIN,
        _ids(c="collaborative"),
    ),
    Case(
        "platformAdmin_addCollaborativeMember",
        "mutation($c: ID!, $u: ID!) { platformAdmin_addCollaborativeMember(collaborativeId: $c, userId: $u, permission: READ_ONLY) { name } }",
        ADMIN,
        _ids(c="collaborative", u="outsider"),
    ),
    Case(
        "platformAdmin_updateCollaborativeMember",
        "mutation($c: ID!, $u: ID!) { platformAdmin_updateCollaborativeMember(collaborativeId: $c, userId: $u, permission: READ_WRITE) { name } }",
        ADMIN,
        _ids(c="collaborative", u="reader"),
    ),
    Case(
        "platformAdmin_removeCollaborativeMember",
        "mutation($c: ID!, $u: ID!) { platformAdmin_removeCollaborativeMember(collaborativeId: $c, userId: $u) { name } }",
        ADMIN,
        _ids(c="collaborative", u="reader"),
    ),
    Case(
        "platformAdmin_deleteUsersCollaboratives",
        "mutation($u: ID!) { platformAdmin_deleteUsersCollaboratives(userId: $u) { name } }",
        ADMIN,
        _ids(u="reader"),
    ),
    Case(
        "platformAdmin_deleteUsersServices",
        "mutation($u: ID!) { platformAdmin_deleteUsersServices(userId: $u) { serviceId } }",
        ADMIN,
        _ids(u="owner"),
    ),
    Case(
        "platformAdmin_migrateUsersCollaborativesOwnership",
        "mutation($a: ID!, $b: ID!) { platformAdmin_migrateUsersCollaborativesOwnership(currentOwnerUserId: $a, transferToUserId: $b) { name } }",
        ADMIN,
        _ids(a="reader", b="outsider"),
    ),
    Case(
        "platformAdmin_migrateUsersServicesOwnership",
        "mutation($a: ID!, $b: ID!) { platformAdmin_migrateUsersServicesOwnership(currentOwnerUserId: $a, transferToUserId: $b) { serviceId } }",
        ADMIN,
        _ids(a="owner", b="writer"),
    ),
]


def _state(h: Harness) -> Any:
    """Everything the metadata store holds, to prove a denial changed nothing."""
    return stored_state(h.emulator)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.field)
def test_access(harness: Harness, case: Case, role: str) -> None:
    check_access(harness, case, role)


def check_access(harness: Harness, case: Case, role: str, token: str | None = None) -> None:
    """``role`` calls ``case`` (with ``token`` when given, else the role's demo token)."""
    variables = case.variables(harness)
    before = _state(harness)
    body = harness.gql(token or role, case.document, **variables)
    errors = body.get("errors") or []
    if role in case.allowed:
        assert not errors, body
        assert body["data"][case.field] is not None
    else:
        assert [e["errorType"] for e in errors] == ["Unauthorized"], body
        assert errors[0]["message"] == "Unauthorized"
        assert errors[0]["path"] == [case.field]
        assert body["data"] == {case.field: None}
        assert _state(harness) == before


def test_every_implemented_field_is_in_the_matrix_or_caller_scoped() -> None:
    from avista_dx.emulator.api import implemented_root_fields

    from .test_data_capture_access import CAPTURE_CALLER_SCOPED, CAPTURE_CASES
    from .test_iot_access import IOT_CALLER_SCOPED, IOT_CASES

    caller_scoped = {
        # These act on the caller only: covered in test_users_and_listings.py.
        "user_getUserSession",
        "user_listAuthenticationTokens",
        "user_createAuthenticationToken",
        "user_deleteAuthenticationToken",
        "storage_listDataStores",
        "storage_createDataStore",
        "timeSeriesDb_listDatabases",
        "timeSeriesDb_createDatabase",
        "collaborative_listCollaboratives",
        "collaborative_addServiceToCollaborative",
    }
    covered = (
        {c.field for c in (*CASES, *CAPTURE_CASES, *IOT_CASES)}
        | caller_scoped
        | CAPTURE_CALLER_SCOPED
        | IOT_CALLER_SCOPED
    )
    assert implemented_root_fields() == covered


def test_denial_does_not_reveal_existence(harness: Harness) -> None:
    query = "query($s: ID!) { storage_getDataStore(dataStoreId: $s) { name } }"
    existing = harness.gql("outsider", query, s=harness.ids["dataStore"])
    missing = harness.gql("outsider", query, s="dataStoreId.doesnotexist")
    assert existing == missing
