"""The quick read path: which requests run on the event loop, and base URLs per origin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from avista_dx.emulator.api import GraphQLRequest
from avista_dx.emulator.api.executor import GraphQLExecutor
from avista_dx.emulator.api.resolvers import METADATA_READS, ROOT_RESOLVERS
from avista_dx.emulator.api.schema import root_fields

from .conftest import Harness, make_harness

GET_STORE = "query($id: ID!) { storage_getDataStore(dataStoreId: $id) { dataStoreId name } }"


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    yield from make_harness()


def _executor(harness: Harness) -> GraphQLExecutor:
    executor: GraphQLExecutor = harness.emulator.app.routes[0].endpoint.__self__._executor  # type: ignore[attr-defined]
    return executor


def test_metadata_reads_are_implemented_query_fields() -> None:
    assert set(METADATA_READS) <= set(root_fields()["Query"]) & set(ROOT_RESOLVERS)


@pytest.mark.parametrize(
    ("query", "operation_name"),
    [
        (GET_STORE, None),
        ("{ storage_listDataStores { dataStoreId } user_getUserSession { user { userId } } }",
         None),
        ("query A { timeSeriesDb_listDatabases { timeSeriesDbId } } mutation B { "
         'storage_createDataStore(name: "x") { dataStoreId } }', "A"),
    ],
)  # fmt: skip
def test_known_queries_of_metadata_reads_only_run_on_the_event_loop(
    harness: Harness, query: str, operation_name: str | None
) -> None:
    executor = _executor(harness)
    request = GraphQLRequest(query, {"id": harness.ids["dataStore"]}, operation_name)
    assert not executor.reads_metadata_only(request)  # not parsed and validated yet
    executor.prepare(query)
    assert executor.reads_metadata_only(request)


@pytest.mark.parametrize(
    ("query", "operation_name"),
    [
        ('mutation { storage_createDataStore(name: "x") { dataStoreId } }', None),
        ("{ storage_getDataStore(dataStoreId: \"x\") { name } timeSeriesDb_queryDatabase("
         'timeSeriesDbId: "x", assets: [], queryType: LAST_X_ROWS) { queryId } }', None),
        ("query A { timeSeriesDb_listDatabases { timeSeriesDbId } } mutation B { "
         'storage_createDataStore(name: "x") { dataStoreId } }', "B"),
        ("{ ...F } fragment F on Query { storage_listDataStores { dataStoreId } }", None),
        ("{ __typename storage_listDataStores { dataStoreId } }", None),
        ("{ storage_getDataStoreZipDownloadUrl(dataStoreObjectIds: "
         '[{objectType: FILE, dataStoreFileId: "x"}]) { url } }', None),
    ],
)  # fmt: skip
def test_other_requests_run_in_request_threads(
    harness: Harness, query: str, operation_name: str | None
) -> None:
    executor = _executor(harness)
    prepared = executor.prepare(query)
    assert not isinstance(prepared, list), prepared
    assert not executor.reads_metadata_only(GraphQLRequest(query, None, operation_name))


def test_answers_on_the_event_loop_keep_the_error_contract(harness: Harness) -> None:
    store = harness.data("owner", GET_STORE, id=harness.ids["dataStore"])
    assert store == harness.data("owner", GET_STORE, id=harness.ids["dataStore"])
    assert harness.error_type("owner", GET_STORE, id="dataStoreId.unknown") == "Unauthorized"
    refused = harness.post("not-a-token", GET_STORE, id=harness.ids["dataStore"])
    assert refused.status_code == 401
    malformed = harness.client.post("/graphql", content=b"{", headers={"Authorization": "x"})
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["errorType"] == "MalformedHttpRequestException"


def test_presigned_urls_follow_each_requests_host(harness: Harness) -> None:
    query = (
        "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
        'dataStoreDirectoryId: $d, name: "host", fileExtension: "txt") { url } }'
    )
    variables = {"s": harness.ids["dataStore"], "d": harness.ids["homeDirectory"]}
    urls = []
    for host in ("first.example:8000", "second.example:9000", "first.example:8000"):
        response = harness.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": harness.seed.tokens["owner"], "Host": host},
        )
        urls.append(response.json()["data"]["storage_createDataStoreFile"]["url"])
    assert [url.split("/_presigned/")[0] for url in urls] == [
        "http://first.example:8000",
        "http://second.example:9000",
        "http://first.example:8000",
    ]
