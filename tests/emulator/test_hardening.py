"""Issue 9, items 7-10: request limits, the document cache's memory bound, 4xx (never 500) for
hostile numbers and nesting, and unstorable strings rejected wherever they come in."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from graphql import parse

from avista_dx.emulator import EmulatorConfig, RequestLimits
from avista_dx.emulator.api.document_cache import footprint
from avista_dx.emulator.api.limits import document_violation
from avista_dx.emulator.persistence.models import DataStoreRecord

from .conftest import Harness, make_harness

GET_STORE = "query($d: ID!) { storage_getDataStore(dataStoreId: $d) { name } }"
CREATE_STORE = "mutation($n: String!) { storage_createDataStore(name: $n) { name } }"
DOWNLOAD = "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }"


def _aliases(count: int, field: str = "storage_listDataStores { name }") -> str:
    return "query {" + " ".join(f"a{i}: {field}" for i in range(count)) + "}"


def _store_names(harness: Harness) -> list[str]:
    with harness.emulator.metadata.view() as view:
        return [record.name for record in view.find(DataStoreRecord)]


def _rejected_as_limit(body: dict[str, object]) -> str:
    assert body["data"] is None, body
    (error,) = body["errors"]  # type: ignore[misc]
    assert error["errorType"] == "ValidationError", error
    message: str = error["message"]
    assert message.startswith("Validation error of type QueryLimitExceeded: Query limit exceeded")
    return message


# --- 7. amplification: aliases, depth, resolver fields, fragments, time ------------------------


def test_many_aliased_resolvers_are_rejected_before_anything_runs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = harness.emulator.services.data_stores
    calls: list[object] = []
    original = service.list_data_stores
    monkeypatch.setattr(service, "list_data_stores", lambda *a: calls.append(a) or original(*a))
    message = _rejected_as_limit(harness.gql("owner", _aliases(945)))
    assert "50 fields that call a resolver" in message
    assert calls == []
    aliased = " ".join(f"n{i}: name" for i in range(101))
    message = _rejected_as_limit(
        harness.gql("owner", f"{{ storage_listDataStores {{ {aliased} }} }}")
    )
    assert "100 aliases" in message
    assert calls == []
    # Aliases of a mutation: nothing is written either.
    mutation = "mutation {" + " ".join(
        f'a{i}: storage_createDataStore(name: "n{i}") {{ name }}' for i in range(60)
    )
    before = _store_names(harness)
    assert "50 fields that call a resolver" in _rejected_as_limit(
        harness.gql("owner", mutation + "}")
    )
    assert _store_names(harness) == before


def test_resolver_fields_count_without_aliases_too(harness: Harness) -> None:
    """Fragments are expanded: one spread used many times counts each time."""
    spreads = " ".join("...F" for _ in range(60))
    query = f"query {{ {spreads} }} fragment F on Query {{ storage_listDataStores {{ name }} }}"
    assert "fields that call a resolver" in _rejected_as_limit(harness.gql("owner", query))


def test_a_fragment_bomb_stops_at_the_selection_limit(harness: Harness) -> None:
    levels = 30  # 2**30 fields once expanded
    fragments = " ".join(
        f"fragment F{i} on DataStore {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = (
        f"query {{ storage_listDataStores {{ ...F0 }} }} {fragments} "
        f"fragment F{levels} on DataStore {{ name }}"
    )
    started = time.monotonic()
    message = _rejected_as_limit(harness.gql("owner", query))
    assert "500 fields" in message
    assert time.monotonic() - started < 5


def test_deep_nesting_is_rejected(harness: Harness) -> None:
    depth = 30
    inner = "name"
    for _ in range(depth):
        inner = f"contents {{ ... on DataStoreDirectory {{ {inner} }} }}"
    query = f'query {{ storage_getDataStoreDirectory(dataStoreDirectoryId: "x") {{ {inner} }} }}'
    assert "25 levels" in _rejected_as_limit(harness.gql("owner", query))
    # Nesting past the parser's own bound: still one clean validation error.
    deep = "query " + "{ a " * 15_000 + "}" * 15_000
    (error,) = harness.gql("owner", deep)["errors"]
    assert error["errorType"] == "ValidationError"
    assert "nested too deeply" in error["message"]


def test_the_documents_the_sdk_sends_are_within_the_limits() -> None:
    queries = Path(__file__).parents[2] / "queries"
    files = sorted(queries.glob("*.graphql"))
    assert files
    for path in files:
        assert document_violation(parse(path.read_text()), RequestLimits()) is None, path


@pytest.fixture
def limited() -> Iterator[Harness]:
    yield from make_harness(
        EmulatorConfig(request_limits=RequestLimits(time_limit_seconds=0.2, max_resolver_calls=3))
    )


def test_no_resolver_starts_after_the_time_limit(
    limited: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = limited.emulator.services.data_stores
    original = service.list_data_stores

    def slow(*arguments: object) -> object:
        time.sleep(0.15)
        return original(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "list_data_stores", slow)
    body = limited.gql("owner", _aliases(3))
    assert body["data"]["a0"] is not None
    assert body["data"]["a1"] is not None  # started at 0.15 s, within the limit
    assert body["data"]["a2"] is None  # would have started at 0.3 s
    (error,) = body["errors"]
    assert error["errorType"] == "ExecutionTimeout"
    assert error["path"] == ["a2"]
    assert "0.2 s" in error["message"]


def test_resolver_calls_are_counted_while_executing(limited: Harness) -> None:
    body = limited.gql("owner", _aliases(5, "storage_listDataStores { name }"))
    assert [body["data"][f"a{i}"] is None for i in range(5)] == [False] * 3 + [True] * 2
    assert {e["errorType"] for e in body["errors"]} == {"LimitExceededException"}


# --- 8. the parsed-document cache is bounded by memory ----------------------------------------


def test_the_document_cache_holds_at_most_its_byte_budget() -> None:
    """Each distinct ~60 kB document holds megabytes parsed; the cache keeps to its budget."""
    budget = 1024 * 1024
    config = EmulatorConfig(request_limits=RequestLimits(document_cache_bytes=budget))
    for harness in make_harness(config):
        endpoint = harness.emulator.app.routes[0].endpoint
        documents = endpoint.__self__._executor.documents  # type: ignore[attr-defined]
        fields = " ".join(f"f{i}: name" for i in range(90))
        padding = " ".join(["name"] * 400)
        for index in range(12):
            query = f"query q{index} {{ storage_listDataStores {{ {fields} {padding} }} }}"
            assert "errors" not in harness.gql("owner", query)
        assert 0 < documents.bytes_held <= budget
        assert 1 <= len(documents) < 12
        held = len(documents)  # the last document again comes from the cache
        assert "errors" not in harness.gql("owner", query)
        assert len(documents) == held


def test_footprint_measures_what_a_parsed_document_holds() -> None:
    import tracemalloc

    query = "query {" + " ".join(f"a{i}: f(x: {i}) {{ y z }}" for i in range(2000)) + "}"
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        document = parse(query)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 0.7 * held <= footprint(document) <= 1.5 * held


# --- 9. no 500 from hostile numbers or nesting -----------------------------------------------


@pytest.mark.parametrize(
    "header", [b"bytes=\xb2-", b"bytes=-\xb9", b"bytes=0-\xb2", b"bytes=" + b"9" * 5000 + b"-"]
)
def test_an_unparseable_range_is_ignored_like_s3(harness: Harness, header: bytes) -> None:
    file_id = harness.ids["file:archive.tar.gz"]
    url = harness.data("reader", DOWNLOAD, f=file_id)["url"]
    parts = urlsplit(url)
    response = harness.client.get(f"{parts.path}?{parts.query}", headers={"Range": header})
    assert response.status_code == 200
    assert response.content == bytes(range(256)) * 16


@pytest.mark.parametrize("declared", [b"\xb2", b"9" * 5000, b"-1", b" 12"])
def test_an_unparseable_content_length_is_not_a_500(harness: Harness, declared: bytes) -> None:
    response = harness.client.post(
        "/graphql",
        content=json.dumps({"query": "{ user_getUserSession { user { userId } } }"}),
        headers={"Authorization": harness.seed.tokens["owner"], "Content-Length": declared},
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "body",
    [
        '{"query": "query($v: AWSJSON) { user_getUserSession { user { userId } } }",'
        ' "variables": {"v": ' + "[" * 100_000 + "]" * 100_000 + "}}",
        '{"query": "{ x }", "variables": {"v": ' + "[" * 65 + "]" * 65 + "}}",
        '{"query": "{ x }", "variables": {"v": ' + "9" * 5000 + "}}",
        '{"query": "{ x }", "variables": {"v": NaN}}',
        '{"query": "{ x }", "variables": {"v": -Infinity}}',
    ],
    ids=["100000-levels", "65-levels", "5000-digits", "nan", "infinity"],
)
def test_hostile_json_gets_the_documented_400(harness: Harness, body: str) -> None:
    response = harness.client.post(
        "/graphql", content=body, headers={"Authorization": harness.seed.tokens["owner"]}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["errorType"] == "MalformedHttpRequestException"
    assert "Traceback" not in error["message"]


def test_json_nesting_within_the_limit_is_fine(harness: Harness) -> None:
    nested: object = "leaf"
    for _ in range(60):
        nested = [nested]
    response = harness.post("owner", GET_STORE, d=harness.ids["dataStore"], unused=nested)
    assert response.status_code == 200


# --- 10. unstorable strings are rejected in every input ---------------------------------------


@pytest.mark.parametrize(
    "name", ["\ud800", "a\udfffb", "\ufffe", "\uffff", "\ufdd0", "x\U0010ffff", "\U0001fffe"]
)
def test_unstorable_strings_in_variables_are_rejected(harness: Harness, name: str) -> None:
    before = _store_names(harness)
    body = json.dumps({"query": CREATE_STORE, "variables": {"n": name}})  # \ud800 escapes
    response = harness.client.post(
        "/graphql", content=body, headers={"Authorization": harness.seed.tokens["owner"]}
    )
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["errorType"] == "MalformedHttpRequestException"
    assert f"U+{ord(name.strip('axb')):04X}" in error["message"]
    assert _store_names(harness) == before


@pytest.mark.parametrize(
    ("literal", "status", "error_type", "shown"),
    [
        ("\ud800", 400, "MalformedHttpRequestException", "U+D800"),  # raw, via a JSON escape
        ("\\uFFFE", 200, "ValidationError", "U+FFFE"),  # a GraphQL escape
        ("\\u{10FFFF}", 200, "ValidationError", "U+10FFFF"),
    ],
)
def test_unstorable_strings_in_the_query_text_are_rejected(
    harness: Harness, literal: str, status: int, error_type: str, shown: str
) -> None:
    before = _store_names(harness)
    query = f'mutation {{ storage_createDataStore(name: "{literal}") {{ name }} }}'
    response = harness.client.post(
        "/graphql",
        content=json.dumps({"query": query}),
        headers={"Authorization": harness.seed.tokens["owner"]},
    )
    assert response.status_code == status, response.text
    (error,) = response.json()["errors"]
    assert error["errorType"] == error_type
    assert shown in error["message"]
    assert _store_names(harness) == before


def test_unstorable_strings_in_published_records_are_rejected(harness: Harness) -> None:
    record = {
        "Time": "1700000000000",
        "MeasureName": "kwh",
        "MeasureValueType": "DOUBLE",
        "MeasureValue": "1",
        "Dimensions": [{"Name": "meter", "Value": "\udc80", "DimensionValueType": "VARCHAR"}],
    }
    body = json.dumps(
        {
            "query": "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) {"
            " timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d)"
            " { __typename } }",
            "variables": {
                "t": harness.ids["timeSeriesDb"],
                "a": "meter-9",
                "d": {"records": [record]},
            },
        }
    )
    response = harness.client.post(
        "/graphql", content=body, headers={"Authorization": harness.seed.tokens["owner"]}
    )
    assert response.status_code == 400
    assert "U+DC80" in response.json()["errors"][0]["message"]


def test_the_token_route_rejects_unstorable_names(harness: Harness) -> None:
    response = harness.client.post(
        "/_emulator/tokens",
        content=json.dumps({"userId": harness.ids["owner"], "name": "\ud800"}),
        headers={"Authorization": harness.seed.tokens["admin"]},
    )
    assert response.status_code == 400
    assert "U+D800" in response.json()["errors"][0]["message"]


# --- the class of bug behind 9: nothing unexpected becomes a plain-text 500 ------------------


def test_an_unexpected_exception_is_a_json_internal_failure(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    endpoint = harness.emulator.app.routes[0].endpoint
    executor = endpoint.__self__._executor  # type: ignore[attr-defined]

    def explode(*_arguments: object) -> None:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(executor, "run", explode)
    client = TestClient(harness.emulator.app, raise_server_exceptions=False)
    response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "errors": [{"errorType": "InternalFailure", "message": "An internal failure occurred."}]
    }
