"""timeSeriesDb_generateQueryResultExportFile and timeSeriesDb_notifyTimeSeriesQueryExportComplete:
files written in the background, served by presigned GETs, kept across restarts."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avista_dx.emulator import EmulatorConfig, build_emulator
from avista_dx.emulator.persistence.models import TimeSeriesExportRecord

from .conftest import Harness, make_harness
from .test_presigned import path_of, with_query

QUERY = (
    "query($t: ID!) { timeSeriesDb_queryDatabase(timeSeriesDbId: $t, "
    'assets: [{assetId: "meter-1"}], queryType: LAST_X_ROWS, maxRows: 24) { queryId } }'
)
GENERATE = (
    "mutation($t: ID!, $q: String!, $f: TimeSeriesQueryOutputFileType) { "
    "timeSeriesDb_generateQueryResultExportFile(timeSeriesDbId: $t, queryId: $q, fileFormat: $f) "
    "{ queryId timeSeriesDbId fileFormat } }"
)
NOTIFY = (
    "mutation($q: String!, $f: TimeSeriesQueryOutputFileType) { "
    "timeSeriesDb_notifyTimeSeriesQueryExportComplete(queryId: $q, fileFormat: $f) "
    "{ queryId fileType fileSizeBytes url } }"
)
CANCEL = (
    "mutation($t: ID!, $q: String!) { timeSeriesDb_cancelDatabaseQuery(timeSeriesDbId: $t, "
    "queryId: $q) { httpStatusCode } }"
)


def new_query(h: Harness, role: str = "reader") -> str:
    query_id: str = h.data(role, QUERY, t=h.ids["timeSeriesDb"])["queryId"]
    return query_id


def export(h: Harness, query_id: str, file_format: str | None = None) -> dict[str, Any]:
    generated = h.data("reader", GENERATE, t=h.ids["timeSeriesDb"], q=query_id, f=file_format)
    assert generated == {
        "queryId": query_id,
        "timeSeriesDbId": h.ids["timeSeriesDb"],
        "fileFormat": file_format or "CSV",
    }
    h.emulator.services.time_series_exports.wait_idle()
    finished: dict[str, Any] = h.data("reader", NOTIFY, q=query_id, f=file_format)
    return finished


def test_csv_export(harness: Harness) -> None:
    query_id = new_query(harness)
    finished = export(harness, query_id)
    assert (finished["queryId"], finished["fileType"]) == (query_id, "CSV")
    response = harness.client.get(path_of(finished["url"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert len(response.content) == finished["fileSizeBytes"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 24
    assert {r["assetId"] for r in rows} == {"meter-1"}
    assert {r["name"] for r in rows} == {"Meter 1"}
    assert [r["time"] for r in rows] == sorted((r["time"] for r in rows), reverse=True)


def test_json_export(harness: Harness) -> None:
    finished = export(harness, new_query(harness), "JSON")
    assert finished["fileType"] == "JSON"
    response = harness.client.get(path_of(finished["url"]))
    assert response.headers["content-type"] == "application/json"
    rows = json.loads(response.content)
    assert len(rows) == 24
    assert rows[0]["measure_name"] == "kwh"


def test_ranges_and_tampering(harness: Harness) -> None:
    url = path_of(export(harness, new_query(harness))["url"])
    whole = harness.client.get(url).content
    ranged = harness.client.get(url, headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206
    assert ranged.content == whole[10:20]
    assert ranged.headers["content-range"] == f"bytes 10-19/{len(whole)}"
    assert harness.client.get(url, headers={"Range": f"bytes={len(whole)}-"}).status_code == 416
    for tampered in (
        with_query(url, **{"X-Dx-Signature": "x"}),
        with_query(url, **{"X-Dx-Expires": "99999999999"}),
        url.replace("/_presigned/exports/", "/_presigned/zip/"),
        url.replace("/_presigned/exports/", "/_presigned/"),
    ):
        assert harness.client.get(tampered).status_code in (403, 404), tampered
    assert harness.client.get(url).content == whole


@pytest.fixture
def expired() -> Iterator[Harness]:
    yield from make_harness(EmulatorConfig(presigned_url_ttl_seconds=0))


def test_expired_urls_are_403(expired: Harness) -> None:
    response = expired.client.get(path_of(export(expired, new_query(expired))["url"]))
    assert response.status_code == 403
    assert "expired" in response.text


def test_notify_before_a_file_is_finished_is_a_bad_request(harness: Harness) -> None:
    query_id = new_query(harness)
    assert harness.error_type("reader", NOTIFY, q=query_id) == "BadRequestException"
    export(harness, query_id, "JSON")
    assert harness.error_type("reader", NOTIFY, q=query_id, f="CSV") == "BadRequestException"
    assert harness.error_type("reader", NOTIFY, q="timeSeriesQueryId.none") == "Unauthorized"


def test_another_databases_query_is_unauthorized(harness: Harness) -> None:
    query_id = new_query(harness)
    other = harness.data(
        "owner", 'mutation { timeSeriesDb_createDatabase(name: "other") { timeSeriesDbId } }'
    )["timeSeriesDbId"]
    assert harness.error_type("owner", GENERATE, t=other, q=query_id) == "Unauthorized"


def _hold_the_writer(h: Harness) -> threading.Event:
    """Keeps the export writer busy until the returned event is set."""
    release = threading.Event()
    h.emulator.services.time_series_exports._workers.submit(release.wait)
    return release


def _exports(h: Harness) -> list[TimeSeriesExportRecord]:
    with h.emulator.metadata.view() as view:
        return view.find(TimeSeriesExportRecord)


def test_asking_again_while_writing_starts_no_other_export(harness: Harness) -> None:
    query_id = new_query(harness)
    release = _hold_the_writer(harness)
    try:
        for _ in range(3):
            harness.data("reader", GENERATE, t=harness.ids["timeSeriesDb"], q=query_id, f=None)
        harness.data("reader", GENERATE, t=harness.ids["timeSeriesDb"], q=query_id, f="JSON")
        assert sorted(e.file_format for e in _exports(harness)) == ["CSV", "JSON"]
    finally:
        release.set()
    harness.emulator.services.time_series_exports.wait_idle()
    assert {e.state for e in _exports(harness)} == {"READY"}


def test_cancel_stops_an_export_in_progress(harness: Harness) -> None:
    query_id = new_query(harness)
    release = _hold_the_writer(harness)
    try:
        harness.data("reader", GENERATE, t=harness.ids["timeSeriesDb"], q=query_id, f=None)
        harness.data("reader", CANCEL, t=harness.ids["timeSeriesDb"], q=query_id)
    finally:
        release.set()
    harness.emulator.services.time_series_exports.wait_idle()
    assert [e.state for e in _exports(harness)] == ["CANCELLED"]
    assert harness.error_type("reader", NOTIFY, q=query_id) == "BadRequestException"
    assert harness.emulator.services.time_series_exports._files.keys() == []


def test_exports_survive_a_restart_and_unfinished_ones_resume(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    config = EmulatorConfig(data_dir=tmp_path)
    first = make_harness(config)
    harness = next(first)
    finished_query = new_query(harness)
    url = path_of(export(harness, finished_query)["url"])
    content = harness.client.get(url).content
    unfinished_query = new_query(harness)
    release = _hold_the_writer(harness)
    harness.data("reader", GENERATE, t=harness.ids["timeSeriesDb"], q=unfinished_query, f=None)
    threading.Timer(0.2, release.set).start()  # close() waits for the writer, then drops the queue
    first.close()

    emulator = build_emulator(config)
    try:
        emulator.services.time_series_exports.wait_idle()
        with TestClient(emulator.app, base_url="http://emulator.test") as client:
            assert client.get(url).content == content
            owner = emulator.services.users.authenticate(harness.seed.tokens["reader"])
            resumed = emulator.services.time_series_exports.notify_complete(
                owner, "http://emulator.test", None, unfinished_query
            )
            assert client.get(path_of(resumed["url"])).content == content
    finally:
        emulator.close()
