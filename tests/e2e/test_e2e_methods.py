"""Every documented method through the SDK against the emulator over HTTP (sync and async)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sdk.driver import Driver

from avista_dx import (
    Collaborative,
    DataStore,
    DataStoreDirectory,
    DataStoreFile,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    Service,
    TimeSeriesDb,
    TimeSeriesDimension,
    TimeSeriesInputRecord,
    TimeSeriesMeasureValue,
    User,
)
from avista_dx.emulator.runner import EmulatorHandle
from avista_dx.emulator.seed import DEMO_FILES

from .conftest import Admin, ClientFactory


def test_get_user_info(dx: Driver, admin: Admin) -> None:
    user = dx.getUserInfo()
    assert isinstance(user, User)
    assert (user.userId, user.firstName, user.lastName) == (admin.ids["owner"], "Olivia", "Owner")
    assert user.organization is not None
    assert user.organization.organizationId == admin.ids["organization1"]
    assert user.organization.name == "Avista Utilities"


def test_list_and_get_data_store(dx: Driver, admin: Admin) -> None:
    stores = dx.listDataStores()
    assert all(isinstance(s, DataStore) for s in stores)
    demo = next(s for s in stores if s.dataStoreId == admin.ids["dataStore"])
    assert demo.ownerUserId == admin.ids["owner"]
    fetched = dx.getDataStore(demo.dataStoreId)
    assert fetched == demo
    assert fetched.homeDirectoryId == admin.ids["homeDirectory"]
    assert fetched.description == "Meter readings and reports"


def test_list_data_stores_lists_only_owned_stores(make_dx: ClientFactory, admin: Admin) -> None:
    # The reader sees the demo store through the collaborative but does not own it.
    reader = make_dx("reader")
    assert admin.ids["dataStore"] not in {s.dataStoreId for s in reader.listDataStores()}
    assert reader.getDataStore(admin.ids["dataStore"]).dataStoreId == admin.ids["dataStore"]


def test_get_data_store_directory_one_level(dx: Driver, admin: Admin) -> None:
    home = dx.getDataStoreDirectory(admin.ids["homeDirectory"])
    assert isinstance(home, DataStoreDirectory)
    assert home.homeDirectory is True
    assert home.dataStoreId == admin.ids["dataStore"]
    top_files = {p for p in DEMO_FILES if "/" not in p}
    assert top_files <= {f.fileName for f in home.files}
    assert {"readings", "reports"} <= {d.name for d in home.directories}
    readings = next(d for d in home.directories if d.name == "readings")
    assert readings.parentDirectoryId == home.dataStoreDirectoryId
    nested = dx.getDataStoreDirectory(readings.dataStoreDirectoryId)
    assert nested.homeDirectory is False
    assert [d.name for d in nested.directories] == ["2024"]
    year = dx.getDataStoreDirectory(nested.directories[0].dataStoreDirectoryId)
    assert sorted(f.fileName for f in year.files) == ["february.csv", "january.csv"]


def test_get_data_store_file_meta(dx: Driver, admin: Admin) -> None:
    file_id = admin.ids["file:archive.tar.gz"]
    meta = dx.getDataStoreFileMeta(file_id)
    assert isinstance(meta, DataStoreFile)
    # The name/extension split at the first dot (docs/protocol.md §5.1).
    assert (meta.name, meta.fileExtension, meta.fileName) == ("archive", "tar.gz", "archive.tar.gz")
    assert meta.storageSizeBytes == len(DEMO_FILES["archive.tar.gz"])
    assert meta.s3ConfirmedUpload is True
    assert meta.dataStoreId == admin.ids["dataStore"]
    assert meta.lastModified


def test_download_demo_file(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    meta = dx.downloadDataStoreFile(admin.ids["file:readings/2024/january.csv"], tmp_path)
    assert meta.fileName == "january.csv"
    assert (tmp_path / "january.csv").read_bytes() == DEMO_FILES["readings/2024/january.csv"]


def test_upload_then_delete(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    directory = admin.scratch_directory()
    local = tmp_path / "notes.txt"
    local.write_bytes(b"hello exchange\n")
    uploaded = dx.uploadFileToDataStore(admin.ids["dataStore"], directory, local)
    assert uploaded.fileName == "notes.txt"
    assert uploaded.dataStoreDirectoryId == directory
    listing = dx.getDataStoreDirectory(directory)
    assert [f.dataStoreFileId for f in listing.files] == [uploaded.dataStoreFileId]

    deleted = dx.deleteDataStoreFile(uploaded.dataStoreFileId)
    assert deleted.dataStoreFileId == uploaded.dataStoreFileId
    assert dx.getDataStoreDirectory(directory).files == []
    with pytest.raises(PermissionDeniedError):  # gone: the exchange answers Unauthorized
        dx.getDataStoreFileMeta(uploaded.dataStoreFileId)


def test_list_and_get_time_series_database(dx: Driver, admin: Admin) -> None:
    databases = dx.listTimeSeriesDatabases()
    assert all(isinstance(d, TimeSeriesDb) for d in databases)
    demo = next(d for d in databases if d.timeSeriesDbId == admin.ids["timeSeriesDb"])
    assert demo.name == "Demo meters"
    fetched = dx.getTimeSeriesDatabase(demo.timeSeriesDbId)
    assert fetched == demo
    assert fetched.databaseName
    assert fetched.tableName


def test_demo_records_are_queryable(dx: Driver, admin: Admin) -> None:
    db = dx.getTimeSeriesDatabase(admin.ids["timeSeriesDb"])
    result = dx.queryTimeSeriesDatabase(
        db.timeSeriesDbId,
        f'SELECT count(*) AS n FROM "{db.databaseName}"."{db.tableName}"'
        " WHERE measure_name = 'kwh'",
    )
    assert list(result.rows()) == [{"n": 24}]
    assert result.clientToken
    assert result.QueryId
    assert result.NextToken is None
    assert result.timestreamResults["Rows"] == result.Rows


def test_create_time_series_helpers_build_documented_types(dx: Driver) -> None:
    measure = dx.createTimeSeriesMeasureValue("BIGINT", "Measure 2", "321")
    dimension = dx.createTimeSeriesDimension("VARCHAR", "name", "Asset 1")
    record = dx.createTimeSeriesInputRecord(
        "1662155084", "SECONDS", "entry", "MULTI", None, [measure], [dimension], 1
    )
    assert isinstance(measure, TimeSeriesMeasureValue)
    assert isinstance(dimension, TimeSeriesDimension)
    assert isinstance(record, TimeSeriesInputRecord)
    assert record.MeasureValues == [measure]
    assert record.Dimensions == [dimension]
    with pytest.raises(InvalidInputError, match="MULTI"):
        dx.createTimeSeriesInputRecord("1662155084", "SECONDS", "entry", "MULTI", "1")
    with pytest.raises(InvalidInputError, match="Time"):
        dx.createTimeSeriesInputRecord("soon", "SECONDS", "entry", "DOUBLE", "1")


def test_collaborative_reads(make_dx: ClientFactory, admin: Admin) -> None:
    reader = make_dx("reader")
    collaboratives = reader.listCollaboratives()
    assert all(isinstance(c, Collaborative) for c in collaboratives)
    assert admin.ids["collaborative"] in {c.collaborativeId for c in collaboratives}
    collaborative = reader.getCollaborative(admin.ids["collaborative"])
    assert collaborative.name == "Demo collaborative"
    assert collaborative.hostOrganizationId == admin.ids["organization1"]
    members = {m.organization.name: m for m in collaborative.memberOrganizations if m.organization}
    assert set(members) == {"Avista Utilities", "Northwind Energy"}
    permissions = {
        u.user.userId: u.permission
        for u in members["Northwind Energy"].usersInCollaborative
        if u.user
    }
    assert permissions == {admin.ids["writer"]: "READ_WRITE", admin.ids["reader"]: "READ_ONLY"}

    services = reader.listCollaborativeServices(admin.ids["collaborative"])
    assert all(isinstance(s, Service) for s in services)
    # Other tests share their own services too: look the demo ones up by id.
    by_id = {s.serviceId: s for s in services}
    store, database = by_id[admin.ids["dataStore"]], by_id[admin.ids["timeSeriesDb"]]
    assert store.serviceType == "DATA_STORE"
    assert store.dataStore is not None
    assert store.dataStore.name == "Demo data store"
    assert database.serviceType == "TIME_SERIES_DB"
    assert database.timeSeriesDb is not None
    assert database.timeSeriesDb.tableName


def test_outsider_sees_the_collaborative_but_not_its_services(
    make_dx: ClientFactory, admin: Admin
) -> None:
    # Visibility of a collaborative follows the organization (docs/emulator.md); access to the
    # shared services needs the user's own membership.
    outsider = make_dx("outsider")
    assert admin.ids["collaborative"] in {c.collaborativeId for c in outsider.listCollaboratives()}
    with pytest.raises(PermissionDeniedError):
        outsider.getDataStore(admin.ids["dataStore"])
    with pytest.raises(PermissionDeniedError):
        outsider.getTimeSeriesDatabase(admin.ids["timeSeriesDb"])


@pytest.mark.parametrize("kind", ["DATA_STORE", "TIME_SERIES_DB"])
def test_share_list_and_unshare(
    dx: Driver, make_dx: ClientFactory, admin: Admin, kind: str
) -> None:
    if kind == "DATA_STORE":
        service_id = admin.create_data_store()["dataStoreId"]
    else:
        service_id = admin.create_database()["timeSeriesDbId"]
    collaborative_id = admin.ids["collaborative"]
    reader = make_dx("reader")
    assert dx.listCollaborativesServiceSharedWith(service_id) == []

    added = dx.addServiceToCollaborative(service_id, collaborative_id)
    assert (added.serviceType, added.serviceId) == (kind, service_id)
    shared_with = dx.listCollaborativesServiceSharedWith(service_id)
    assert [c.collaborativeId for c in shared_with] == [collaborative_id]
    assert service_id in {s.serviceId for s in reader.listCollaborativeServices(collaborative_id)}
    # Only the owner shares: a member of the collaborative may not list or change its sharing.
    with pytest.raises(PermissionDeniedError):
        reader.listCollaborativesServiceSharedWith(service_id)
    with pytest.raises(PermissionDeniedError):
        reader.removeServiceFromCollaborative(service_id, collaborative_id)

    removed = dx.removeServiceFromCollaborative(service_id, collaborative_id)
    assert removed.serviceId == service_id
    assert dx.listCollaborativesServiceSharedWith(service_id) == []
    assert service_id not in {
        s.serviceId for s in reader.listCollaborativeServices(collaborative_id)
    }


def test_unknown_service_id_prefix_is_rejected_before_any_request(dx: Driver) -> None:
    with pytest.raises(InvalidInputError, match="service type"):
        dx.addServiceToCollaborative("collaborativeId.x", "collaborativeId.y")


def test_unknown_ids_are_denials_that_reveal_nothing(dx: Driver) -> None:
    for call, argument in (
        (dx.getDataStore, "dataStoreId.does-not-exist"),
        (dx.getDataStoreDirectory, "dataStoreDirectoryId.does-not-exist"),
        (dx.getDataStoreFileMeta, "dataStoreFileId.does-not-exist"),
        (dx.getTimeSeriesDatabase, "timeSeriesDbId.does-not-exist"),
        (dx.getCollaborative, "collaborativeId.does-not-exist"),
    ):
        with pytest.raises(PermissionDeniedError) as caught:
            call(argument)
        assert caught.value.message == "Unauthorized"
        assert caught.value.operation


def test_not_found_error_is_distinct_from_denial() -> None:
    # The emulator never answers a null root without errors (it denies); the class exists for
    # the real service and is covered by the unit suite. Here: the hierarchy users rely on.
    assert not issubclass(NotFoundError, PermissionDeniedError)


def test_handle_repr_keeps_tokens_out(dx_emulator: EmulatorHandle, dx: Driver) -> None:
    token = dx_emulator.tokens["owner"]
    assert token not in repr(dx_emulator)
    assert token not in repr(dx.client)


def test_quotes_backslashes_and_newlines_round_trip(dx: Driver, admin: Admin) -> None:
    # Names refuse '/', '\\' and control characters (docs/emulator.md); descriptions do not.
    name = 'Store "quoted" it\'s'
    description = 'line 1 "q"\nline 2 \\ end\n'
    store = admin.data(
        "owner",
        "mutation($n: String!, $d: String) { storage_createDataStore(name: $n, description: $d)"
        " { dataStoreId homeDirectoryId } }",
        n=name,
        d=description,
    )
    fetched = dx.getDataStore(store["dataStoreId"])
    assert (fetched.name, fetched.description) == (name, description)
    listed = {s.dataStoreId: s for s in dx.listDataStores()}[store["dataStoreId"]]
    assert (listed.name, listed.description) == (name, description)
    directory_name = 'dir "x" y'
    directory_id = admin.create_directory(
        store["dataStoreId"], store["homeDirectoryId"], directory_name
    )
    assert dx.getDataStoreDirectory(directory_id).name == directory_name
    home = dx.getDataStoreDirectory(store["homeDirectoryId"])
    assert [d.name for d in home.directories] == [directory_name]
