"""The namespaces' management methods (dx.dataStores, dx.timeSeries, dx.collaboratives,
dx.users, dx.admin) end to end against the emulator, sync and async. Each test creates its
own objects. Operations the emulator does not implement yet (`NotImplemented`) are skipped
with that reason, so these tests start running when the emulator gains them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from sdk.driver import Driver

from avista_dx import (
    AuthenticationError,
    BadRequestError,
    Collaborative,
    NotImplementedByServerError,
    PermissionDeniedError,
    TimeSeriesDb,
)
from avista_dx.errors import APIError

from .conftest import Admin, ClientFactory, unique

T = TypeVar("T")


def or_skip(call: Callable[[], T]) -> T:
    """The call's result; the test is skipped when the emulator lacks the operation."""
    try:
        return call()
    except NotImplementedByServerError as error:
        pytest.skip(f"the emulator does not implement it yet: {error}")


# -- dx.dataStores ------------------------------------------------------------------------------


def test_a_data_store_is_created_changed_and_deleted(dx: Driver, tmp_path: Path) -> None:
    stores = dx.dataStores
    store = stores.createDataStore(unique("e2e managed"), description="first")
    assert store.homeDirectoryId is not None
    assert store.dataStoreId in {s.dataStoreId for s in dx.listDataStores()}
    renamed = stores.updateDataStore(store.dataStoreId, name=store.name + " (renamed)")
    assert renamed.name == store.name + " (renamed)"
    assert renamed.description == "first"  # an unset argument leaves the value alone

    raw = stores.createDataStoreDirectory(store.dataStoreId, store.homeDirectoryId, "raw")
    done = stores.createDataStoreDirectory(store.dataStoreId, store.homeDirectoryId, "done")
    assert raw.parentDirectoryId == store.homeDirectoryId
    local = tmp_path / "reading.csv"
    local.write_text("t,v\n1,2\n")
    uploaded = dx.uploadFileToDataStore(store.dataStoreId, raw.dataStoreDirectoryId, local)

    changed = stores.updateDataStoreFile(
        uploaded.dataStoreFileId, name="first-reading", description="meter 1"
    )
    assert (changed.name, changed.description) == ("first-reading", "meter 1")
    moved = stores.moveDataStoreFile(uploaded.dataStoreFileId, done.dataStoreDirectoryId)
    assert moved.dataStoreDirectoryId == done.dataStoreDirectoryId
    assert [f.name for f in dx.getDataStoreDirectory(done.dataStoreDirectoryId).files] == [
        "first-reading"
    ]
    assert dx.getDataStoreDirectory(raw.dataStoreDirectoryId).files == []

    nested = stores.updateDataStoreDirectory(
        raw.dataStoreDirectoryId, name="raw-2024", parentDirectoryId=done.dataStoreDirectoryId
    )
    assert (nested.name, nested.parentDirectoryId) == ("raw-2024", done.dataStoreDirectoryId)
    assert [d.name for d in dx.getDataStoreDirectory(done.dataStoreDirectoryId).directories] == [
        "raw-2024"
    ]

    with pytest.raises(BadRequestError):  # only an empty directory can be deleted
        stores.deleteDataStoreDirectory(done.dataStoreDirectoryId)
    assert stores.deleteDataStoreDirectory(raw.dataStoreDirectoryId).name == "raw-2024"
    assert [d.name for d in dx.getDataStoreDirectory(done.dataStoreDirectoryId).directories] == []
    # Deleting the store takes its whole tree with it.
    assert stores.deleteDataStore(store.dataStoreId).dataStoreId == store.dataStoreId
    assert store.dataStoreId not in {s.dataStoreId for s in dx.listDataStores()}
    with pytest.raises(PermissionDeniedError):  # gone: the exchange never says which
        dx.getDataStore(store.dataStoreId)


def test_a_reader_cannot_change_the_demo_store(make_dx: ClientFactory, admin: Admin) -> None:
    reader = make_dx("reader")
    with pytest.raises(APIError):
        reader.dataStores.updateDataStore(admin.ids["dataStore"], name="mine now")
    with pytest.raises(APIError):
        reader.dataStores.createDataStoreDirectory(
            admin.ids["dataStore"], admin.ids["homeDirectory"], "intruder"
        )
    assert make_dx("owner").getDataStore(admin.ids["dataStore"]).name == "Demo data store"


def test_a_zip_of_files_and_directories_downloads(dx: Driver, admin: Admin) -> None:
    url = or_skip(
        lambda: dx.dataStores.getDataStoreZipDownloadUrl(
            dataStoreFileIds=[admin.ids["file:README.md"]],
            dataStoreDirectoryIds=[admin.ids["homeDirectory"]],
        )
    )
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200
    assert response.content[:2] == b"PK"  # a zip archive


def test_a_data_view_is_created_and_deleted(dx: Driver, admin: Admin) -> None:
    file_id = admin.ids["file:readings/2024/january.csv"]
    created = or_skip(lambda: dx.dataStores.createDataStoreFileDataView(file_id))
    new_views = set(created.dataViewIds or [])
    assert new_views
    (view_id, *_) = sorted(new_views)
    after = dx.dataStores.deleteDataStoreFileDataView(file_id, view_id)
    assert view_id not in (after.dataViewIds or [])


# -- dx.timeSeries ------------------------------------------------------------------------------


def test_a_database_is_created_changed_and_deleted(dx: Driver) -> None:
    series = dx.timeSeries
    database = series.createDatabase(unique("e2e managed db"), description="kWh")
    assert isinstance(database, TimeSeriesDb)
    assert database.databaseName
    assert database.tableName
    assert series.getDatabase(database.timeSeriesDbId) == database
    assert database.timeSeriesDbId in {d.timeSeriesDbId for d in series.listDatabases()}
    renamed = series.updateDatabase(database.timeSeriesDbId, name=database.name + "!")
    assert (renamed.name, renamed.description) == (database.name + "!", "kWh")
    assert dx.getTimeSeriesDatabase(database.timeSeriesDbId).name == database.name + "!"
    assert series.deleteDatabase(database.timeSeriesDbId).timeSeriesDbId == database.timeSeriesDbId
    with pytest.raises(PermissionDeniedError):
        series.getDatabase(database.timeSeriesDbId)


def _published(dx: Driver) -> TimeSeriesDb:
    database = dx.timeSeries.createDatabase(unique("e2e last values"))
    records = [
        dx.createTimeSeriesInputRecord(str(1_700_000_000 + i), "SECONDS", "kwh", "DOUBLE", str(i))
        for i in range(3)
    ]
    dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "meter-1", records)
    return database


def test_last_values_of_every_asset(dx: Driver) -> None:
    database = _published(dx)
    values = or_skip(lambda: dx.timeSeries.listAllAssetLastValues(database.timeSeriesDbId))
    (asset,) = [a for a in values.data if a.assetId == "meter-1"]
    (kwh,) = [a for a in asset.attributes if a.name == "kwh"]
    assert float(kwh.lastValue or "nan") == 2.0


def test_a_structured_query_and_its_export(dx: Driver) -> None:
    database = _published(dx)
    result = or_skip(
        lambda: dx.timeSeries.queryDatabase(
            database.timeSeriesDbId, "LAST_X_ROWS", ["meter-1"], maxRows=10
        )
    )
    assert result.queryId
    export = or_skip(
        lambda: dx.timeSeries.generateQueryResultExportFile(
            database.timeSeriesDbId, result.queryId, fileFormat="CSV"
        )
    )
    assert (export.queryId, export.timeSeriesDbId) == (result.queryId, database.timeSeriesDbId)


def test_cancelling_a_structured_query(dx: Driver) -> None:
    database = _published(dx)
    result = or_skip(
        lambda: dx.timeSeries.queryDatabase(
            database.timeSeriesDbId, "LAST_X_ROWS", ["meter-1"], maxRows=10
        )
    )
    cancelled = or_skip(
        lambda: dx.timeSeries.cancelDatabaseQuery(database.timeSeriesDbId, result.queryId)
    )
    assert (cancelled.httpStatusCode, cancelled.errorMessage) == (200, None)
    # The outcome is in band: an id the database does not have is a 404 answer, not an error.
    unknown = dx.timeSeries.cancelDatabaseQuery(database.timeSeriesDbId, "query-unknown")
    assert unknown.httpStatusCode == 404
    assert unknown.errorMessage


# -- dx.collaboratives --------------------------------------------------------------------------


def member_states(collaboratives: list[Collaborative]) -> dict[str, object]:
    return {
        member.organization.organizationId: member.memberState
        for collaborative in collaboratives
        for member in collaborative.memberOrganizations
        if member.organization is not None
    }


def test_the_host_approves_and_denies_an_organization(make_dx: ClientFactory, admin: Admin) -> None:
    platform = make_dx("admin")
    collaborative = platform.admin.createCollaborative(unique("e2e collab"))
    other = admin.ids["organization2"]
    host = platform.collaboratives
    approved = host.updateCollaborativeMemberOrganization(
        collaborative.collaborativeId, other, "APPROVED"
    )
    assert (approved.memberState, approved.collaborativeId) == (
        "APPROVED",
        collaborative.collaborativeId,
    )
    # By default only pending requests are listed: the approved organization is not.
    pending = host.listCollaborativeMemberOrganizationRequests(
        collaborativeId=collaborative.collaborativeId
    )
    assert other not in member_states(pending)
    (listed,) = host.listCollaborativeMemberOrganizationRequests(
        collaborativeId=collaborative.collaborativeId, includeApprovedRequests=True
    )
    assert member_states([listed])[other] == "APPROVED"
    host.updateCollaborativeMemberOrganization(
        collaborative.collaborativeId, other, "DENIED_ACCESS"
    )
    (listed,) = host.listCollaborativeMemberOrganizationRequests(
        collaborativeId=collaborative.collaborativeId, includeDeniedRequests=True
    )
    assert member_states([listed])[other] == "DENIED_ACCESS"
    with pytest.raises(PermissionDeniedError):  # not the host's: the outsider may not manage
        make_dx("outsider").collaboratives.updateCollaborativeMemberOrganization(
            collaborative.collaborativeId, other, "APPROVED"
        )


# -- dx.users -----------------------------------------------------------------------------------


def test_a_token_is_created_used_and_revoked(make_dx: ClientFactory, admin: Admin) -> None:
    owner = make_dx("owner")
    session = owner.users.getUserSession()
    assert session.user is not None
    assert session.user.userId == admin.ids["owner"]
    token = owner.users.createAuthenticationToken(unique("e2e token"), 1)
    assert token.tokenValue
    assert token.tokenValue not in repr(token)
    listed = {t.tokenId: t for t in owner.users.listAuthenticationTokens()}
    assert listed[token.tokenId].tokenValue is None  # shown once, at creation
    assert make_dx(token=token.tokenValue).getUserInfo().userId == admin.ids["owner"]

    assert owner.users.deleteAuthenticationToken(token.tokenId).tokenId == token.tokenId
    assert token.tokenId not in {t.tokenId for t in owner.users.listAuthenticationTokens()}
    with pytest.raises(AuthenticationError):
        make_dx(token=token.tokenValue).getUserInfo()


# -- dx.admin -----------------------------------------------------------------------------------


def _email(name: str) -> str:
    return unique(name).replace(" ", "") + "@example.com"


def test_platform_administration_end_to_end(make_dx: ClientFactory, admin: Admin) -> None:
    platform = make_dx("admin").admin
    org = platform.createOrganization(unique("e2e org"))
    assert platform.getOrganization(org.organizationId) == org
    assert org.organizationId in {o.organizationId for o in platform.listOrganizations()}
    org = platform.updateOrganization(org.organizationId, name=org.name + " Ltd")
    assert org.name.endswith(" Ltd")

    email = _email("e2e-user")
    user = platform.createUser(
        org.organizationId, email, "Eve", "Example", userRoles=["DATA_CONSUMER"]
    )
    assert (user.email, user.userRoles) == (email, ["DATA_CONSUMER"])
    assert platform.getUser(user.userId).email == email
    assert [u.userId for u in platform.listUsers(organizationId=org.organizationId)] == [
        user.userId
    ]
    assert platform.resendUserInvitation(user.userId).userId == user.userId
    updated = platform.updateUser(user.userId, lastName="Sample", userRoles=["DATA_PROVIDER"])
    assert (updated.firstName, updated.lastName, updated.userRoles) == (
        "Eve",
        "Sample",
        ["DATA_PROVIDER"],
    )

    collaborative = platform.createCollaborative(unique("e2e admin collab"), description="d")
    assert platform.getCollaborative(collaborative.collaborativeId).name == collaborative.name
    platform.addCollaborativeMember(
        collaborative.collaborativeId, user.userId, permission="READ_ONLY"
    )
    changed = platform.updateCollaborativeMember(
        collaborative.collaborativeId, user.userId, "READ_WRITE"
    )
    permissions = {
        m.user.userId: m.permission
        for o in changed.memberOrganizations
        for m in o.usersInCollaborative
        if m.user
    }
    assert permissions[user.userId] == "READ_WRITE"
    removed = platform.removeCollaborativeMember(collaborative.collaborativeId, user.userId)
    assert user.userId not in {
        m.user.userId for o in removed.memberOrganizations for m in o.usersInCollaborative if m.user
    }
    renamed = platform.updateCollaborative(collaborative.collaborativeId, name="Renamed")
    assert renamed.name == "Renamed"
    assert collaborative.collaborativeId in {
        c.collaborativeId for c in platform.listCollaboratives(includeMemberOrganizations=True)
    }
    deleted = platform.deleteCollaborative(collaborative.collaborativeId, comment="e2e")
    assert deleted.collaborativeId == collaborative.collaborativeId

    assert platform.deleteUsersCollaboratives(user.userId) == []
    assert platform.deleteUsersServices(user.userId) == []
    assert platform.deleteUser(user.userId).userId == user.userId
    assert platform.deleteOrganization(org.organizationId).organizationId == org.organizationId


def test_ownership_moves_to_another_user(make_dx: ClientFactory, admin: Admin) -> None:
    platform = make_dx("admin").admin
    org = platform.createOrganization(unique("e2e migrate org"))
    leaving, staying = (
        platform.createUser(
            org.organizationId, _email(name), name, "X", userRoles=["DATA_PROVIDER"]
        )
        for name in ("leaving", "staying")
    )
    assert platform.migrateUsersServicesOwnership(leaving.userId, staying.userId) == []
    assert platform.migrateUsersCollaborativesOwnership(leaving.userId, staying.userId) == []


def test_only_platform_admins_administer(make_dx: ClientFactory) -> None:
    owner = make_dx("owner")
    with pytest.raises(PermissionDeniedError):
        owner.admin.listOrganizations()
    with pytest.raises(PermissionDeniedError):
        owner.admin.createOrganization(unique("not allowed"))
