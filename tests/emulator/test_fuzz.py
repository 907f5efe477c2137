"""Fuzzing the HTTP surface (issue 9): GraphQL bodies, headers, Range values and ids.

Whatever arrives, the answer is never a 5xx and never shows a traceback; a query (as opposed to
a mutation) never writes. The in-process client re-raises any server exception, so an
unhandled error fails the example too. Examples are bounded so ``make test`` stays quick.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avista_dx.emulator.persistence.models import ALL_RECORD_TYPES

from .conftest import Harness, make_harness

FUZZ = settings(
    # DX_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps `make test` quick.
    max_examples=int(os.environ.get("DX_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Header values as HTTP can carry them: latin-1, without CR, LF or NUL.
header_text = st.text(
    alphabet=st.characters(max_codepoint=255, exclude_characters="\r\n\x00"), max_size=40
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
GRAPHQL_TOKENS = [
    *[
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "...",
        ":",
        ",",
        "=",
        "!",
        "query",
        "mutation",
        "subscription",
        "fragment",
        "F",
        "on",
        "Query",
    ],
    *["DataStore", "DataStoreDirectory", "storage_getDataStore", "storage_listDataStores"],
    *[
        "storage_getDataStoreDirectory",
        "storage_createDataStore",
        "contents",
        "name",
        "dataStoreId",
    ],
    *[
        "a:",
        "b:",
        "$v",
        "$v:",
        "ID!",
        "String",
        "Int",
        "1",
        "-1",
        "1e999",
        "true",
        "null",
        "__typename",
        "__schema",
        "types",
    ],
    "@skip(if: true)",
    "@include(if: $v)",
    '"x"',
    '"""y"""',
    '"\\u0000"',
    '"\\uD800"',
    "# comment",
]
graphql_text = st.one_of(
    st.lists(st.sampled_from(GRAPHQL_TOKENS), max_size=40).map(" ".join),
    st.text(max_size=200),
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {"query": graphql_text},
        optional={
            "variables": json_values,
            "operationName": st.none() | st.text(max_size=10) | st.integers(),
        },
    ).map(lambda payload: json.dumps(payload).encode()),
)


@pytest.fixture(scope="module")
def shared() -> Iterator[Harness]:
    yield from make_harness()


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert "Traceback" not in response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        json.loads(response.text)


def _everything(harness: Harness) -> tuple[Any, ...]:
    with harness.emulator.metadata.view() as view:
        records = tuple(tuple(view.find(cls)) for cls in ALL_RECORD_TYPES)
    return records, tuple(harness.emulator.blobs.keys())


@FUZZ
@given(body=bodies, authorized=st.booleans())
def test_graphql_bodies(shared: Harness, body: bytes, authorized: bool) -> None:
    headers = {"Authorization": shared.seed.tokens["reader"]} if authorized else {}
    _check(shared.client.post("/graphql", content=body, headers=headers))


@FUZZ
@given(
    authorization=header_text,
    content_length=header_text,
    content_type=header_text,
)
def test_graphql_headers(
    shared: Harness, authorization: str, content_length: str, content_type: str
) -> None:
    body = b'{"query": "{ user_getUserSession { user { userId } } }"}'
    headers = {
        "Authorization": authorization.encode("latin-1"),
        "Content-Type": content_type.encode("latin-1"),
    }
    if content_length.strip():
        headers["Content-Length"] = content_length.encode("latin-1")
    _check(shared.client.post("/graphql", content=body, headers=headers))


DOWNLOAD = "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }"


@FUZZ
@given(value=st.one_of(header_text, header_text.map(lambda text: "bytes=" + text)))
def test_range_values(shared: Harness, value: str) -> None:
    url = shared.data("reader", DOWNLOAD, f=shared.ids["file:archive.tar.gz"])["url"]
    parts = urlsplit(url)
    response = shared.client.get(
        f"{parts.path}?{parts.query}", headers={"Range": value.encode("latin-1")}
    )
    assert response.status_code in (200, 206, 416), response.status_code
    assert "Traceback" not in response.text


ID_QUERIES = (
    "query($i: ID!) { storage_getDataStore(dataStoreId: $i) { name } }",
    "query($i: ID!) { storage_getDataStoreDirectory(dataStoreDirectoryId: $i) { name } }",
    "query($i: ID!) { storage_getDataStoreFile(dataStoreFileId: $i) { name } }",
    "query($i: ID!) { timeSeriesDb_getDatabase(timeSeriesDbId: $i) { name } }",
    "query($i: ID!) { collaborative_getCollaborative(collaborativeId: $i) { name } }",
    "query($i: ID!) { platformAdmin_getUser(userId: $i) { email } }",
)


@FUZZ
@given(
    query=st.sampled_from(ID_QUERIES),
    identifier=st.one_of(st.text(max_size=60), st.integers(), st.none(), json_values),
    role=st.sampled_from(["owner", "reader", "outsider", "admin"]),
)
def test_ids_never_fail_and_queries_never_write(
    shared: Harness, query: str, identifier: Any, role: str
) -> None:
    before = _everything(shared)
    body = json.dumps({"query": query, "variables": {"i": identifier}})
    response = shared.client.post(
        "/graphql", content=body, headers={"Authorization": shared.seed.tokens[role]}
    )
    _check(response)
    assert _everything(shared) == before
