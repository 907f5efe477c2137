"""Each documented method against the fake exchange: documents, variables, results with nulls,
and values with a quote, a backslash and a newline round-tripping unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import parse, validate
from graphql.language import ast

import avista_dx
from avista_dx import (
    Collaborative,
    DataStoreDirectory,
    InvalidInputError,
    NotFoundError,
    QueryResult_TimestreamVariables,
    Service,
)

from .conftest import Driver
from .fake_exchange import ROOT, SCHEMA, TOKEN, WEIRD, FakeExchange


@pytest.fixture(autouse=True)
def every_document_is_valid(fake: FakeExchange):
    yield
    assert fake.invalid_documents == []
    for recorded in fake.requests:
        assert recorded.headers["authorization"] == TOKEN  # raw token, no scheme
        _assert_no_literals(parse(recorded.query))


def _assert_no_literals(document: ast.Node) -> None:
    """Values always travel as variables, never inside the document."""
    literals = (ast.StringValueNode, ast.IntValueNode, ast.FloatValueNode, ast.EnumValueNode)
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        assert not isinstance(node, literals), node
        if isinstance(node, ast.Node):
            stack.extend(getattr(node, key) for key in node.keys)
        elif isinstance(node, tuple | list):
            stack.extend(node)


QUERIES = parse("\n".join(p.read_text() for p in sorted((ROOT / "queries").glob("*.graphql"))))
OPERATIONS = [d for d in QUERIES.definitions if isinstance(d, ast.OperationDefinitionNode)]


def test_every_operation_in_queries_validates_against_the_schema() -> None:
    # Fragments are shared across the files, so the files are validated together.
    assert validate(SCHEMA, QUERIES) == []
    assert len(OPERATIONS) == 18  # 21 methods, 3 of them local constructors


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o.name.value)
def test_each_operation_is_named_after_its_single_root_field(
    operation: ast.OperationDefinitionNode,
) -> None:
    (root,) = operation.selection_set.selections
    assert isinstance(root, ast.FieldNode)
    assert operation.name is not None
    assert operation.name.value == root.name.value
    _assert_no_literals(operation)


def test_user_info_keeps_nulls(dx: Driver) -> None:
    user = dx.getUserInfo()
    assert user.userId == "userId.1"
    assert user.lastName is None
    assert user.userRoles == ["DATA_PROVIDER", None]
    assert user.organization is not None
    assert user.organization.name == "Org"


def test_data_store_listing_and_lookup(dx: Driver, fake: FakeExchange) -> None:
    stores = dx.listDataStores()
    assert [s.dataStoreId for s in stores] == list(fake.stores)
    store = dx.getDataStore("dataStoreId.1")
    assert store.homeDirectoryId == "dir.home"
    assert fake.requests[-1].variables == {"dataStoreId": "dataStoreId.1"}
    assert fake.requests[-1].operation == "storage_getDataStore"


def test_directory_splits_contents_into_files_and_directories(dx: Driver) -> None:
    directory = dx.getDataStoreDirectory("dir.home")
    assert isinstance(directory, DataStoreDirectory)
    assert [d.dataStoreDirectoryId for d in directory.directories] == ["dir.sub"]
    assert [f.fileName for f in directory.files] == ["report.csv"]
    assert directory.directories[0].files == []


def test_file_meta(dx: Driver) -> None:
    meta = dx.getDataStoreFileMeta("file.1")
    assert (meta.name, meta.fileExtension, meta.storageSizeBytes) == ("report", "csv", 8)
    assert meta.contentType is None


def test_a_null_root_without_errors_is_not_found(dx: Driver, fake: FakeExchange) -> None:
    fake.null_roots.add("storage_getDataStore")
    with pytest.raises(NotFoundError) as caught:
        dx.getDataStore("dataStoreId.1")
    assert caught.value.operation == "storage_getDataStore"


def test_null_lists_are_empty(dx: Driver, fake: FakeExchange) -> None:
    fake.null_roots.add("timeSeriesDb_listDatabases")
    assert dx.listTimeSeriesDatabases() == []


def test_time_series_databases(dx: Driver) -> None:
    assert {db.timeSeriesDbId for db in dx.listTimeSeriesDatabases()} >= {"timeSeriesDbId.1"}
    assert dx.getTimeSeriesDatabase("timeSeriesDbId.1").tableName == "tbl"


def test_query_first_page_omits_tokens_and_sends_max_rows_as_int(
    dx: Driver, fake: FakeExchange
) -> None:
    result = dx.queryTimeSeriesDatabase("timeSeriesDbId.1", 'SELECT * FROM "db"."tbl"', "5")
    assert isinstance(result, QueryResult_TimestreamVariables)
    assert fake.requests[-1].variables == {
        "timeSeriesDbId": "timeSeriesDbId.1",
        "queryString": 'SELECT * FROM "db"."tbl"',
        "maxRows": 5,
    }
    assert result.NextToken is None
    assert result.clientToken == "client-token"
    assert result.QueryId == "QUERY1"
    assert result.Rows == []
    assert len(result.ColumnInfo) == 4
    assert result.timestreamResults["QueryStatus"] == result.QueryStatus


@pytest.mark.parametrize("bad", [0, "0", -1, 1001, "ten", 2.5, True])
def test_max_rows_is_checked_before_sending(dx: Driver, fake: FakeExchange, bad: Any) -> None:
    with pytest.raises(InvalidInputError):
        dx.queryTimeSeriesDatabase("timeSeriesDbId.1", "SELECT 1", bad)
    assert fake.requests == []


def test_collaboratives(dx: Driver) -> None:
    collaboratives = dx.listCollaboratives()
    assert all(isinstance(c, Collaborative) for c in collaboratives)
    collaborative = dx.getCollaborative("collab.1")
    member = collaborative.memberOrganizations[0]
    assert member.usersInCollaborative[0].permission == "READ_WRITE"
    assert collaborative.memberOrganizations[1].organization is None
    assert collaborative.memberOrganizations[1].usersInCollaborative == []


def test_services_of_every_type_are_returned(dx: Driver) -> None:
    services = dx.listCollaborativeServices("collab.1")
    assert [(s.serviceType, s.serviceId) for s in services] == [("IOT_GROUP", "iotGroupId.9")]
    assert all(isinstance(s, Service) for s in services)


def test_sharing_derives_the_service_type(dx: Driver, fake: FakeExchange) -> None:
    service = dx.addServiceToCollaborative("dataStoreId.1", "collab.1")
    assert service.serviceType == "DATA_STORE"
    assert service.dataStore is not None
    assert fake.requests[-1].variables == {
        "collaborativeId": "collab.1",
        "serviceType": "DATA_STORE",
        "serviceId": "dataStoreId.1",
    }
    shared = dx.listCollaborativesServiceSharedWith("dataStoreId.1")
    assert [c.collaborativeId for c in shared] == ["collab.1"]
    removed = dx.removeServiceFromCollaborative("dataStoreId.1", "collab.1")
    assert removed.serviceId == "dataStoreId.1"
    assert dx.listCollaborativesServiceSharedWith("dataStoreId.1") == []
    db = dx.addServiceToCollaborative("timeSeriesDbId.1", "collab.1")
    assert db.serviceType == "TIME_SERIES_DB"
    assert db.timeSeriesDb is not None


def test_an_unknown_service_id_fails_before_any_request(dx: Driver, fake: FakeExchange) -> None:
    with pytest.raises(InvalidInputError, match=r"iotGroupId\.9"):
        dx.listCollaborativesServiceSharedWith("iotGroupId.9")
    with pytest.raises(InvalidInputError):
        dx.addServiceToCollaborative("ocs.1", "collab.1", serviceType="unknown")
    assert fake.requests == []
    shared = dx.listCollaborativesServiceSharedWith("iotGroupId.9", serviceType="IOT_GROUP")
    assert [c.collaborativeId for c in shared] == ["collab.1", WEIRD + "collab"]


@pytest.mark.parametrize("bad_id", ["", "   ", None, 5])
def test_ids_are_checked_before_any_request(dx: Driver, fake: FakeExchange, bad_id: Any) -> None:
    with pytest.raises(InvalidInputError):
        dx.getDataStore(bad_id)
    assert fake.requests == []


def test_weird_values_round_trip_through_every_method(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    store_id, dir_id = WEIRD + "dataStore", WEIRD + "dir"
    assert dx.getDataStore(store_id).name == WEIRD
    assert WEIRD in [s.name for s in dx.listDataStores()]
    directory = dx.getDataStoreDirectory(dir_id)
    assert directory.dataStoreDirectoryId == dir_id
    assert [f.dataStoreFileId for f in directory.files] == [WEIRD + "file"]
    assert dx.getDataStoreFileMeta(WEIRD + "file").name == 'we"ird'
    target = tmp_path / "weird.bin"
    assert dx.downloadDataStoreFile(WEIRD + "file", str(target)).dataStoreFileId == WEIRD + "file"
    assert target.read_bytes() == b"weird"

    local = tmp_path / 'q"uo\\te.txt'
    local.write_bytes(b"x")
    uploaded = dx.uploadFileToDataStore(store_id, dir_id, str(local), None, WEIRD)
    assert uploaded.description == WEIRD
    assert uploaded.name == 'q"uo\\te'
    assert dx.deleteDataStoreFile(uploaded.dataStoreFileId).description == WEIRD

    db_id = WEIRD + "timeSeriesDb"
    assert dx.getTimeSeriesDatabase(db_id).timeSeriesDbId == db_id
    dims = [dx.createTimeSeriesDimension("VARCHAR", "name", WEIRD)]
    record = dx.createTimeSeriesInputRecord(
        "1700000000", "SECONDS", WEIRD, "VARCHAR", WEIRD, None, dims
    )
    published = dx.publishToTimeSeriesDatabase(db_id, WEIRD, [record])
    assert published[0].assetId == WEIRD
    assert published[0].name == WEIRD
    assert published[0].attributes[0].name == WEIRD
    assert published[0].attributes[0].lastValue == WEIRD
    query = f'SELECT \'{WEIRD}\' FROM "db"."tbl"'
    page = dx.queryTimeSeriesDatabase(db_id, query)
    assert page.queryString == query
    row = next(page.rows())
    assert row["measure_name"] == WEIRD
    assert row["query"] == query
    assert row["measure_value::varchar"] == WEIRD

    collaborative_id = WEIRD + "collab"
    assert dx.getCollaborative(collaborative_id).collaborativeId == collaborative_id
    assert dx.listCollaborativeServices(collaborative_id)[0].serviceId == "iotGroupId.9"
    assert dx.addServiceToCollaborative(store_id, collaborative_id).serviceId == store_id
    shared = dx.listCollaborativesServiceSharedWith(store_id)
    assert [c.collaborativeId for c in shared] == [collaborative_id]
    assert dx.removeServiceFromCollaborative(store_id, collaborative_id).serviceId == store_id
    assert dx.getUserInfo().userId == "userId.1"
    assert len(dx.listCollaboratives()) == 2
    assert len(dx.listTimeSeriesDatabases()) == 2
    sent = [r.variables for r in fake.requests]
    assert {"dataStoreId": store_id} in sent


def test_documented_types_are_the_public_ones(dx: Driver) -> None:
    assert type(dx.getDataStore("dataStoreId.1")) is avista_dx.DataStore
    assert type(dx.getUserInfo().organization) is avista_dx.Organization
