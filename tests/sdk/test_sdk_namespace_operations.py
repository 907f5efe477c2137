"""The namespaces' operations beyond 0.0.19 and 1.2.1 (dx.dataStores management,
dx.timeSeries, dx.collaboratives, dx.users, dx.admin) on the fake exchange, sync and async.

One table row per method (tests/sdk/operation_table.Case): the arguments given, the variables
that must go out (an optional argument left unset is absent, never null), a canned answer of the
exchange and what the documented result must hold. test_sdk_operation_tables runs the rows; the
tests here check that every operation has one, and what the rows cannot say.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from avista_dx.types import Collaborative, DataStore, DataStoreDirectory, DataStoreFile
from avista_dx.types_users import AuthenticationToken

from .conftest import ClientFactory
from .driver import Driver
from .fake_exchange import FakeExchange
from .operation_table import BadCall, Case, answering

ORG = {"organizationId": "org.2", "name": "Utility", "hostOrganization": False}
USER = {"userId": "user.2", "firstName": "Bo", "email": "bo@example.com", "organization": ORG}
STORE = {"dataStoreId": "dataStore.2", "name": "New", "ownerUserId": "u", "homeDirectoryId": "h"}
DIRECTORY = {"dataStoreDirectoryId": "dir.2", "dataStoreId": "dataStore.2", "name": "raw"}
FILE = {
    "dataStoreFileId": "file.2",
    "dataStoreId": "dataStore.2",
    "dataStoreDirectoryId": "dir.2",
    "name": "a",
    "fileExtension": "csv",
    "dataViewIds": ["view.1"],
}
DB = {"timeSeriesDbId": "timeSeriesDb.2", "name": "Meters", "ownerUserId": "u"}
MEMBER = {
    "collaborativeId": "collab.1",
    "memberState": "APPROVED",
    "organization": ORG,
    "submittedByUser": USER,
    "submittedTimestamp": "2026-01-01T00:00:00.000Z",
    "accessApprovedByUserId": "userId.1",
}
COLLAB = {
    "collaborativeId": "collab.2",
    "name": "Grid",
    "hostOrganizationId": "org.1",
    "memberOrganizations": [MEMBER],
}
SERVICE = {"serviceId": "dataStore.2", "serviceType": "DATA_STORE", "dataStore": STORE}
TOKEN_ROW = {
    "tokenId": "token.1",
    "name": "ci",
    "userId": "userId.1",
    "dateCreated": "2026-01-01T00:00:00Z",
    "dateExpires": "2026-02-01T00:00:00Z",
    "tokenType": "USER_FULL_ACCESS",
}
PRESIGNED = {"url": "https://s3.test/zip", "uploadId": None, "itemId": None}


CASES = [
    # -- dx.dataStores ------------------------------------------------------------------------
    Case("dataStores.createDataStore", ("New",), {}, "storage_createDataStore",
         {"name": "New"}, STORE, ("dataStoreId", "dataStore.2")),
    Case("dataStores.createDataStore", ("New",), {"description": ""}, "storage_createDataStore",
         {"name": "New", "description": ""}, STORE, ("homeDirectoryId", "h")),
    Case("dataStores.updateDataStore", ("dataStore.2",), {"name": "Renamed"},
         "storage_updateDataStore", {"dataStoreId": "dataStore.2", "name": "Renamed"}, STORE),
    Case("dataStores.deleteDataStore", ("dataStore.2",), {}, "storage_deleteDataStore",
         {"dataStoreId": "dataStore.2"}, STORE, ("name", "New")),
    Case("dataStores.createDataStoreDirectory", ("dataStore.2", "h", "raw"), {},
         "storage_createDataStoreDirectory",
         {"dataStoreId": "dataStore.2", "parentDirectoryId": "h", "name": "raw"}, DIRECTORY,
         ("dataStoreDirectoryId", "dir.2")),
    Case("dataStores.updateDataStoreDirectory", ("dir.2",), {"parentDirectoryId": "dir.9"},
         "storage_updateDataStoreDirectory",
         {"dataStoreDirectoryId": "dir.2", "parentDirectoryId": "dir.9"}, DIRECTORY),
    Case("dataStores.deleteDataStoreDirectory", ("dir.2",), {},
         "storage_deleteDataStoreDirectory", {"dataStoreDirectoryId": "dir.2"}, DIRECTORY),
    Case("dataStores.updateDataStoreFile", ("file.2",), {"description": "d", "name": "b"},
         "storage_updateDataStoreFile",
         {"dataStoreFileId": "file.2", "name": "b", "description": "d"}, FILE),
    Case("dataStores.moveDataStoreFile", ("file.2", "dir.3"), {}, "storage_updateDataStoreFile",
         {"dataStoreFileId": "file.2", "dataStoreDirectoryId": "dir.3"}, FILE,
         ("dataStoreDirectoryId", "dir.2")),
    Case("dataStores.getDataStoreZipDownloadUrl", (),
         {"dataStoreFileIds": ["file.2"], "dataStoreDirectoryIds": ("dir.2",)},
         "storage_getDataStoreZipDownloadUrl",
         {"dataStoreObjectIds": [
             {"objectType": "FILE", "dataStoreFileId": "file.2"},
             {"objectType": "DIRECTORY", "dataStoreDirectoryId": "dir.2"},
         ]}, PRESIGNED, returns="https://s3.test/zip"),
    Case("dataStores.createDataStoreFileDataView", ("file.2",), {},
         "storage_createDataStoreFileDataView", {"dataStoreFileId": "file.2"}, FILE,
         ("dataViewIds", ["view.1"])),
    Case("dataStores.deleteDataStoreFileDataView", ("file.2", "view.1"), {},
         "storage_deleteDataStoreFileDataView",
         {"dataStoreFileId": "file.2", "dataViewId": "view.1"}, FILE),
    # -- dx.timeSeries ------------------------------------------------------------------------
    Case("timeSeries.createDatabase", ("Meters",), {}, "timeSeriesDb_createDatabase",
         {"name": "Meters"}, DB, ("timeSeriesDbId", "timeSeriesDb.2")),
    Case("timeSeries.updateDatabase", ("timeSeriesDb.2",), {"description": "kWh"},
         "timeSeriesDb_updateDatabase",
         {"timeSeriesDbId": "timeSeriesDb.2", "description": "kWh"}, DB),
    Case("timeSeries.deleteDatabase", ("timeSeriesDb.2",), {}, "timeSeriesDb_deleteDatabase",
         {"timeSeriesDbId": "timeSeriesDb.2"}, DB),
    Case("timeSeries.listDatabases", (), {}, "timeSeriesDb_listDatabases", {}, [DB, None]),
    Case("timeSeries.getDatabase", ("timeSeriesDb.2",), {}, "timeSeriesDb_getDatabase",
         {"timeSeriesDbId": "timeSeriesDb.2"}, DB, ("name", "Meters")),
    Case("timeSeries.listAllAssetLastValues", ("timeSeriesDb.2",), {"nextToken": "n1"},
         "timeSeriesDb_listAllAssetLastValues",
         {"timeSeriesDbId": "timeSeriesDb.2", "nextToken": "n1"},
         {"queryId": "q.1", "queryProgressPercentage": 100.0, "clientToken": "c",
          "data": [{"assetId": "meter-1", "attributes": [
              {"name": "kwh", "attributeType": "DOUBLE", "lastValue": "1.5",
               "lastValueTime": "2026-01-01T00:00:00.000Z"}]}, None]},
         ("queryProgressPercentage", 100.0)),
    Case("timeSeries.queryDatabase",
         ("timeSeriesDb.2", "TIME_PERIOD",
          ["meter-1", {"assetId": "meter-2", "attributeNamesFilter": ["kwh"]}]),
         {"startTime": "2026-01-01T00:00:00.000Z", "endTime": "2026-01-02T00:00:00.000Z"},
         "timeSeriesDb_queryDatabase",
         {"timeSeriesDbId": "timeSeriesDb.2", "queryType": "TIME_PERIOD",
          "assets": [{"assetId": "meter-1"},
                     {"assetId": "meter-2", "attributeNamesFilter": ["kwh"]}],
          "startTime": "2026-01-01T00:00:00.000Z", "endTime": "2026-01-02T00:00:00.000Z"},
         {"queryId": "q.2", "queryProgressPercentage": 50.0, "presignedUrl": None},
         ("queryId", "q.2")),
    Case("timeSeries.generateQueryResultExportFile", ("timeSeriesDb.2", "q.2"),
         {"fileFormat": "CSV"}, "timeSeriesDb_generateQueryResultExportFile",
         {"timeSeriesDbId": "timeSeriesDb.2", "queryId": "q.2", "fileFormat": "CSV"},
         {"queryId": "q.2", "timeSeriesDbId": "timeSeriesDb.2", "fileFormat": "CSV"},
         ("fileFormat", "CSV")),
    Case("timeSeries.cancelDatabaseQuery", ("timeSeriesDb.2", "q.2"), {},
         "timeSeriesDb_cancelDatabaseQuery", {"timeSeriesDbId": "timeSeriesDb.2", "queryId": "q.2"},
         {"httpStatusCode": 200, "errorMessage": None}, ("httpStatusCode", 200)),
    # -- dx.collaboratives --------------------------------------------------------------------
    Case("collaboratives.listCollaborativeMemberOrganizationRequests", (),
         {"includeDeniedRequests": False},
         "collaborative_listCollaborativeMemberOrganizationRequests",
         {"includeDeniedRequests": False}, [COLLAB]),
    Case("collaboratives.updateCollaborativeMemberOrganization",
         ("collab.1", "org.2", "APPROVED"), {},
         "collaborative_updateCollaborativeMemberOrganization",
         {"collaborativeId": "collab.1", "organizationId": "org.2", "memberState": "APPROVED"},
         MEMBER, ("accessApprovedByUserId", "userId.1")),
    # -- dx.users -----------------------------------------------------------------------------
    Case("users.listAuthenticationTokens", (), {}, "user_listAuthenticationTokens", {},
         [TOKEN_ROW]),
    Case("users.createAuthenticationToken", ("ci", 30), {}, "user_createAuthenticationToken",
         {"name": "ci", "daysBeforeExpiration": 30}, {**TOKEN_ROW, "tokenValue": "raw-secret"},
         ("tokenValue", "raw-secret")),
    Case("users.deleteAuthenticationToken", ("token.1",), {}, "user_deleteAuthenticationToken",
         {"tokenId": "token.1"}, TOKEN_ROW, ("tokenId", "token.1")),
    # -- dx.admin -----------------------------------------------------------------------------
    Case("admin.listOrganizations", (), {}, "platformAdmin_listOrganizations", {}, [ORG]),
    Case("admin.getOrganization", ("org.2",), {}, "platformAdmin_getOrganization",
         {"organizationId": "org.2"}, ORG, ("hostOrganization", False)),
    Case("admin.createOrganization", ("Utility",), {"hostOrganization": False},
         "platformAdmin_createOrganization", {"name": "Utility", "hostOrganization": False}, ORG),
    Case("admin.updateOrganization", ("org.2",), {"name": "U"}, "platformAdmin_updateOrganization",
         {"organizationId": "org.2", "name": "U"}, ORG),
    Case("admin.deleteOrganization", ("org.2",), {}, "platformAdmin_deleteOrganization",
         {"organizationId": "org.2"}, ORG),
    Case("admin.listUsers", (), {"organizationId": "org.2"}, "platformAdmin_listUsers",
         {"organizationId": "org.2"}, [USER]),
    Case("admin.getUser", ("user.2",), {}, "platformAdmin_getUser", {"userId": "user.2"}, USER,
         ("email", "bo@example.com")),
    Case("admin.createUser", ("org.2", "bo@example.com", "Bo", "Lee"),
         {"userRoles": ["DATA_CONSUMER"]}, "platformAdmin_createUser",
         {"organizationId": "org.2", "email": "bo@example.com", "firstName": "Bo",
          "lastName": "Lee", "userRoles": ["DATA_CONSUMER"]}, USER),
    Case("admin.updateUser", ("user.2",), {"userAccountState": "DISABLED"},
         "platformAdmin_updateUser", {"userId": "user.2", "userAccountState": "DISABLED"}, USER),
    Case("admin.deleteUser", ("user.2",), {}, "platformAdmin_deleteUser", {"userId": "user.2"},
         USER),
    Case("admin.resendUserInvitation", ("user.2",), {}, "platformAdmin_resendUserInvitation",
         {"userId": "user.2"}, USER),
    Case("admin.listCollaboratives", (), {"includeMemberOrganizations": True},
         "platformAdmin_listCollaboratives", {"includeMemberOrganizations": True}, [COLLAB]),
    Case("admin.getCollaborative", ("collab.2",), {}, "platformAdmin_getCollaborative",
         {"collaborativeId": "collab.2"}, COLLAB, ("name", "Grid")),
    Case("admin.createCollaborative", ("Grid",), {"description": "d"},
         "platformAdmin_createCollaborative", {"name": "Grid", "description": "d"}, COLLAB),
    Case("admin.updateCollaborative", ("collab.2",), {"name": "G"},
         "platformAdmin_updateCollaborative", {"collaborativeId": "collab.2", "name": "G"}, COLLAB),
    Case("admin.deleteCollaborative", ("collab.2",), {"comment": "done"},
         "platformAdmin_deleteCollaborative", {"collaborativeId": "collab.2", "comment": "done"},
         COLLAB),
    Case("admin.addCollaborativeMember", ("collab.2", "user.2"), {},
         "platformAdmin_addCollaborativeMember",
         {"collaborativeId": "collab.2", "userId": "user.2"}, COLLAB),
    Case("admin.updateCollaborativeMember", ("collab.2", "user.2", "READ_WRITE"), {},
         "platformAdmin_updateCollaborativeMember",
         {"collaborativeId": "collab.2", "userId": "user.2", "permission": "READ_WRITE"}, COLLAB),
    Case("admin.removeCollaborativeMember", ("collab.2", "user.2"), {},
         "platformAdmin_removeCollaborativeMember",
         {"collaborativeId": "collab.2", "userId": "user.2"}, COLLAB),
    Case("admin.deleteUsersCollaboratives", ("user.2",), {},
         "platformAdmin_deleteUsersCollaboratives", {"userId": "user.2"}, [COLLAB]),
    Case("admin.deleteUsersServices", ("user.2",), {}, "platformAdmin_deleteUsersServices",
         {"userId": "user.2"}, [SERVICE, None]),
    Case("admin.migrateUsersCollaborativesOwnership", ("user.2", "user.3"), {},
         "platformAdmin_migrateUsersCollaborativesOwnership",
         {"currentOwnerUserId": "user.2", "transferToUserId": "user.3"}, [COLLAB]),
    Case("admin.migrateUsersServicesOwnership", ("user.2", "user.3"), {},
         "platformAdmin_migrateUsersServicesOwnership",
         {"currentOwnerUserId": "user.2", "transferToUserId": "user.3"}, [SERVICE]),
]  # fmt: skip


NAMESPACE_QUERY_FILES = (
    "data_stores_admin",
    "time_series_admin",
    "collaborative_members",
    "user_tokens",
    "platform_admin",
)


def test_every_operation_of_these_namespaces_has_a_row() -> None:
    queries = Path(__file__).resolve().parents[2] / "queries"
    text = "\n".join((queries / f"{name}.graphql").read_text() for name in NAMESPACE_QUERY_FILES)
    operations = set(re.findall(r"^(?:query|mutation) ([A-Za-z_]+)", text, re.M))
    assert operations <= {case.root for case in CASES}


# -- the session and the shared root methods ----------------------------------------------------


def test_user_session_and_root_collaborative_methods_are_the_namespaces(dx: Driver) -> None:
    session = dx.users.getUserSession()
    assert session.user is not None
    assert session.user.userId == "userId.1"
    assert [c.collaborativeId for c in dx.collaboratives.listCollaboratives()] == [
        c.collaborativeId for c in dx.listCollaboratives()
    ]
    assert dx.collaboratives.getCollaborative("collab.1") == dx.getCollaborative("collab.1")


def test_the_token_value_stays_out_of_reprs_and_logs(
    make_dx: ClientFactory, fake: FakeExchange, caplog: pytest.LogCaptureFixture
) -> None:
    answering(fake, "user_createAuthenticationToken", {**TOKEN_ROW, "tokenValue": "raw-secret"})
    with caplog.at_level(logging.DEBUG, logger="avista_dx"):
        token = make_dx(debug=True).users.createAuthenticationToken("ci", 30)
    assert isinstance(token, AuthenticationToken)
    assert token.tokenValue == "raw-secret"
    assert "raw-secret" not in repr(token)
    assert "raw-secret" not in str(token)
    assert "raw-secret" not in caplog.text


def test_results_have_the_documented_types(dx: Driver, fake: FakeExchange) -> None:
    answering(fake, "storage_createDataStore", STORE)
    answering(fake, "storage_createDataStoreDirectory", DIRECTORY)
    answering(fake, "storage_updateDataStoreFile", FILE)
    answering(fake, "collaborative_listCollaborativeMemberOrganizationRequests", [COLLAB])
    assert isinstance(dx.dataStores.createDataStore("New"), DataStore)
    assert isinstance(dx.dataStores.createDataStoreDirectory("s", "h", "n"), DataStoreDirectory)
    assert isinstance(dx.dataStores.moveDataStoreFile("file.2", "dir.2"), DataStoreFile)
    (collaborative,) = dx.collaboratives.listCollaborativeMemberOrganizationRequests()
    assert isinstance(collaborative, Collaborative)
    (member,) = collaborative.memberOrganizations
    assert member.submittedByUser is not None
    assert member.submittedByUser.userId == "user.2"


# -- bad input: refused before any request (run by test_sdk_operation_tables) ------------------

BAD_CALLS: list[BadCall] = [
    ("dataStores.createDataStore", ("",), {}),
    ("dataStores.createDataStore", (None,), {}),
    ("dataStores.updateDataStore", ("dataStore.2",), {}),  # nothing to change
    ("dataStores.updateDataStoreDirectory", ("dir.2",), {}),
    ("dataStores.updateDataStoreFile", ("file.2",), {}),
    ("dataStores.moveDataStoreFile", ("file.2", " "), {}),
    ("dataStores.getDataStoreZipDownloadUrl", (), {}),  # nothing to zip
    ("dataStores.getDataStoreZipDownloadUrl", (), {"dataStoreFileIds": "file.2"}),  # not a list
    ("dataStores.createDataStoreDirectory", ("s", "h", "bad\ud800"), {}),  # lone surrogate
    ("timeSeries.updateDatabase", ("timeSeriesDb.2",), {}),
    ("timeSeries.queryDatabase", ("db", "SOMETIMES", ["a"]), {}),
    ("timeSeries.queryDatabase", ("db", "LAST_X_ROWS", []), {}),
    ("timeSeries.queryDatabase", ("db", "TIME_PERIOD", ["a"]), {"startTime": "2026"}),
    ("timeSeries.queryDatabase", ("db", "NEXT_TOKEN", ["a"]), {}),
    ("timeSeries.queryDatabase", ("db", "LAST_X_ROWS", ["a"]), {"maxRows": 0}),
    ("timeSeries.queryDatabase", ("db", "LAST_X_ROWS", [{"asset": "a"}]), {}),
    ("timeSeries.listAllAssetLastValues", ("db",), {"nextToken": ""}),
    ("timeSeries.generateQueryResultExportFile", ("db", "q"), {"fileFormat": "XML"}),
    ("collaboratives.updateCollaborativeMemberOrganization", ("c", "o", "MAYBE"), {}),
    ("collaboratives.listCollaborativeMemberOrganizationRequests", (),
     {"includeDeniedRequests": 1}),
    ("users.createAuthenticationToken", ("ci", 0), {}),
    ("users.createAuthenticationToken", ("ci", "soon"), {}),
    ("admin.createUser", ("org", "e", "f", "l"), {"userRoles": ["KING"]}),
    ("admin.createUser", ("org", "e", "f", "l"), {"userRoles": "DATA_CONSUMER"}),
    ("admin.updateUser", ("user.2",), {}),
    ("admin.updateUser", ("user.2",), {"userAccountState": "GONE"}),
    ("admin.updateCollaborativeMember", ("c", "u", "ALL"), {}),
    ("admin.updateOrganization", ("org.2",), {}),
]  # fmt: skip
