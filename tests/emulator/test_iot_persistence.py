# ruff: noqa: E501  (GraphQL documents read best on one line)
"""IoT objects, tokens, telemetry, queries and exports survive a restart on a data directory."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.iot.records import IotQueryRecord

from .conftest import Harness, make_harness
from .iot_helpers import (
    ENDPOINT_FIELDS,
    EXPORT,
    LAST_VALUES,
    endpoint_token,
    finished_query,
    get_url,
    now_ms,
    publish,
    record,
    run_query,
    wait_for_export,
)

GET_ENDPOINT = "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) " + ENDPOINT_FIELDS + " }"
GET_GROUP = "query($g: ID!) { iot_getGroup(iotGroupId: $g) { name iotEndpointIds } }"
ENDPOINT_LAST = (
    "query($e: ID!) { iot_listEndpointLastValues(iotEndpointId: $e) " + LAST_VALUES + " }"
)
DTDL = "query($m: ID!) { iot_getModelInDTDLFormat(modelId: $m) }"


@contextmanager
def running(data_dir: Path) -> Iterator[Harness]:
    harnesses = make_harness(EmulatorConfig(data_dir=data_dir))
    harness = next(harnesses)
    try:
        yield harness
    finally:
        harnesses.close()


def _csv(harness: Harness, url: str) -> list[list[str]]:
    response = get_url(harness, url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.text)))


def test_iot_state_survives_a_restart(tmp_path: Path) -> None:
    with running(tmp_path) as first:
        ids = dict(first.ids)
        endpoint, other = ids["iotEndpoint"], ids["iotEndpoint2"]
        first.data(
            "owner",
            "mutation($e: ID!) { iot_updateEndpointProperties(iotEndpointId: $e, properties:"
            ' [{name: "Latitude", value: "12.5", timestamp: "1700000000000"}]) { name } }',
            e=endpoint,
        )
        first.data(
            "owner",
            "mutation($g: ID!, $e: ID!) { iot_addEndpointsToGroup(iotGroupId: $g, iotEndpointIds: [$e]) { name } }",
            g=ids["iotGroup"],
            e=other,
        )
        old_token = endpoint_token(first)
        new_token = first.data(
            "owner",
            "mutation($e: ID!) { iot_regenerateEndpointToken(iotEndpointId: $e) { tokenValue } }",
            e=endpoint,
        )["tokenValue"]
        stamp = now_ms()
        assert publish(first, new_token, endpoint, [record(stamp, Temperature="33.3")])[
            "recordsWritten"
        ]
        before = {
            "endpoint": first.data("owner", GET_ENDPOINT, e=endpoint),
            "group": first.data("reader", GET_GROUP, g=ids["iotGroup"]),
            "last": first.data("owner", ENDPOINT_LAST, e=endpoint)["data"],
            "dtdl": first.data("owner", DTDL, m=ids["iotModel"]),
        }
        query_id = finished_query(first)
        first.data("owner", EXPORT, q=query_id)
        exported = _csv(first, wait_for_export(first, "owner", query_id)["url"])
        # A second query whose export is interrupted by the shutdown (as if the process died).
        interrupted = finished_query(first)
        with first.emulator.metadata.transaction() as tx:
            query = tx.get(IotQueryRecord, interrupted)
            assert query is not None
            tx.put(dataclasses.replace(query, export_state="RUNNING", export_format="CSV"))

    with running(tmp_path) as second:
        assert second.ids == ids
        assert second.data("owner", GET_ENDPOINT, e=endpoint) == before["endpoint"]
        assert before["endpoint"]["properties"][0]["value"] == "12.5"
        assert second.data("reader", GET_GROUP, g=ids["iotGroup"]) == before["group"]
        assert second.data("owner", ENDPOINT_LAST, e=endpoint)["data"] == before["last"]
        assert second.data("owner", DTDL, m=ids["iotModel"]) == before["dtdl"]
        # The regenerated token still works; the replaced one still does not.
        assert second.post(old_token, GET_ENDPOINT, e=endpoint).status_code == 401
        duplicate = publish(second, new_token, endpoint, [record(stamp, Temperature="1")])
        assert duplicate["failedRecords"][0]["errors"][0]["errorType"] == "DUPLICATE_ENTRY"
        # The finished export is still downloadable, the interrupted one resumed.
        assert _csv(second, wait_for_export(second, "owner", query_id)["url"]) == exported
        assert _csv(second, wait_for_export(second, "owner", interrupted)["url"]) == exported
        # Telemetry written before the restart is queried after it.
        pages = run_query(
            second, "owner",
            [{"iotEndpointId": endpoint, "attributeNames": ["Temperature"]}],
            stamp, stamp,
        )  # fmt: skip
        (row,) = [r for p in pages for r in get_url(second, p["presignedUrl"]).json()]
        assert row["Temperature"] == "33.3"


def test_reset_drops_iot_telemetry_tables(tmp_path: Path) -> None:
    with running(tmp_path) as harness:
        from avista_dx.emulator.iot.records import IotEndpointRecord

        with harness.emulator.metadata.view() as view:
            tables = [r.table_name for r in view.find(IotEndpointRecord)]
        harness.emulator.reset()  # no seed configured: nothing is re-created
        assert not any(harness.emulator.engine.table_exists("dx_iot", t) for t in tables)
