"""dx.iot end to end against the emulator, sync and async: a hub, a model and its new version,
endpoints and their tokens, telemetry published by a device, last values of an endpoint, a
group and a hub, a paged time-range query and its export, a live subscription, cleanup."""

from __future__ import annotations

import csv
import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sdk.driver import Driver
from sdk.test_sdk_iot import next_events

from avista_dx import AuthenticationError, AvistaDigitalExchange, BadRequestError
from avista_dx.emulator.iot import data_service
from avista_dx.emulator.runner import EmulatorHandle
from avista_dx.types_iot import EndpointLastValues, PublishIotDataResult

from .conftest import ClientFactory, unique
from .test_e2e_retries import Injector

pytest.importorskip("websockets", reason="the realtime extra is not installed")

PROPERTIES = [{"name": "moving", "schemaType": "boolean", "defaultValue": False, "writable": True}]
TELEMETRY = [{"name": "speed", "schemaType": "double"}, {"name": "count", "schemaType": "integer"}]
NEW_TELEMETRY = [*TELEMETRY, {"name": "note", "schemaType": "string", "description": "free"}]


def wait_for_subscriptions(handle: EmulatorHandle, count: int) -> None:
    """Until the emulator's broker holds `count` subscriptions: the SDK's `start` is
    registered, so a publish from now on reaches it (no fixed sleep)."""
    broker = handle.emulator.events
    deadline = time.monotonic() + 10
    while broker.subscription_count() < count:
        assert time.monotonic() < deadline, "the subscription never reached the broker"
        threading.Event().wait(0.005)


# An hour ago, to the second: inside the ingestion window, times easy to read as offsets.
T0 = (time.time_ns() // 1_000_000_000 - 3600) * 1000


def at(offset: int) -> str:
    """The epoch-ms string of `T0 + offset`, as the exchange returns timestamps."""
    return str(T0 + offset)


def timestream_time(offset: int) -> str:
    """`T0 + offset` as the export file writes times (Timestream's, in nanoseconds)."""
    moment = dt.datetime.fromtimestamp((T0 + offset) / 1000, dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") + "000"


def record(offset: int, **attributes: Any) -> dict[str, Any]:
    return {"timestamp": T0 + offset, "attributes": attributes}


def last_values(items: list[EndpointLastValues]) -> dict[str, dict[str, str | None]]:
    return {
        item.iotEndpointId: {
            v.telemetryModel.name: v.value for v in item.telemetryValues if v.telemetryModel
        }
        for item in items
    }


def test_an_iot_hub_from_model_to_live_telemetry_and_cleanup(
    make_dx: ClientFactory,
    dx_emulator: EmulatorHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = Injector("none", 503, times=0)  # records the operations, faults none
    dx = make_dx("owner", transport=recorder)

    # -- hub, model, a new version of it, DTDL ------------------------------------------------
    hub = dx.iot.createHub(unique("e2e hub"), description="plant")
    assert dx.iot.updateHub(hub.iotHubId, description="plant 2").description == "plant 2"
    assert hub.iotHubId in {h.iotHubId for h in dx.iot.listHubs()}
    model_name = unique("E2eMeter").replace("-", "")
    model = dx.iot.createModel(model_name, "meters", PROPERTIES, TELEMETRY)
    version = dx.iot.createNewModelVersion(model.modelId, telemetry=NEW_TELEMETRY)
    assert version.modelId != model.modelId
    assert [t.name for t in version.telemetry] == ["speed", "count", "note"]
    assert [p.name for p in version.properties] == ["moving"]  # copied from the first version
    assert dx.iot.updateModel(version.modelId, description="v2").description == "v2"
    assert {model.modelId, version.modelId} <= {m.modelId for m in dx.iot.listModels()}
    dtdl = dx.iot.getModelInDTDLFormat(version.modelId)
    assert (dtdl["@id"], dtdl["@type"]) == (version.dtmi, "Interface")
    assert [c["name"] for c in dtdl["contents"]] == ["moving", "speed", "count", "note"]

    # -- endpoints, moved to the new version; a group of both ---------------------------------
    meter = dx.iot.createEndpoint(hub.iotHubId, model.modelId, "Meter 1")
    other = dx.iot.createEndpoint(hub.iotHubId, model.modelId, "Meter 2")
    moved = dx.iot.updateModelUsedByEndpoint(meter.iotEndpointId, version.modelId)
    assert moved.modelId == version.modelId
    assert dx.iot.updateEndpoint(meter.iotEndpointId, name="Meter 1b").name == "Meter 1b"
    assert {e.iotEndpointId for e in dx.iot.listEndpointsInHub(hub.iotHubId)} == {
        meter.iotEndpointId,
        other.iotEndpointId,
    }
    group = dx.iot.createGroup(
        hub.iotHubId, "pair", iotEndpointIds=[meter.iotEndpointId, other.iotEndpointId]
    )
    assert dx.iot.updateGroup(group.iotGroupId, name="both").name == "both"
    (listed,) = dx.iot.listGroups(hub.iotHubId, includeEndpoints=True)
    assert {e.iotEndpointId for e in listed.endpoints} == {
        meter.iotEndpointId,
        other.iotEndpointId,
    }

    # -- the device publishes with its own token; a duplicate timestamp is refused ------------
    token = dx.iot.getEndpointToken(meter.iotEndpointId)
    assert token.tokenValue
    assert token.tokenValue not in repr(token)
    device = make_dx(token=token.tokenValue)
    first = device.iot.publish(
        meter.iotEndpointId,
        [record(1000, speed=1.5, count=1), record(2000, speed=2.5, note='say "hi", go')],
    )
    assert len(first.recordsWritten) == 2
    second = device.iot.publish(
        meter.iotEndpointId, [record(2000, speed=9.9), record(3000, count=7)]
    )
    assert [r.timestamp for r in second.recordsWritten] == [at(3000)]
    (refused,) = second["recordsFailed"]
    assert refused["record"]["timestamp"] == at(2000)
    assert refused["errors"][0]["errorType"] == "DUPLICATE_ENTRY"
    dx.iot.publish(other.iotEndpointId, [record(1500, speed=4.5)])

    # -- last values: the endpoint, its group, its hub (a page kept in storage) ---------------
    assert device.iot.listEndpointLastValues(meter.iotEndpointId) == [
        {"attributeName": "speed", "lastValue": "2.5", "timestamp": at(2000)},
        {"attributeName": "count", "lastValue": "7", "timestamp": at(3000)},
        {"attributeName": "note", "lastValue": 'say "hi", go', "timestamp": at(2000)},
    ]
    expected = {
        meter.iotEndpointId: {"speed": "2.5", "count": "7", "note": 'say "hi", go'},
        other.iotEndpointId: {"speed": "4.5", "count": None},
    }
    assert last_values(dx.iot.listGroupsEndpointsLastValues(group.iotGroupId)) == expected
    monkeypatch.setattr(dx_emulator.emulator.services.iot_data, "inline_result_limit", 1)
    gets = recorder.attempts("GET")
    assert last_values(dx.iot.listHubsEndpointsLastValues(hub.iotHubId)) == expected
    assert recorder.attempts("GET") == gets + 1  # the page the exchange kept in storage
    monkeypatch.undo()

    # -- a time-range query of several pages, exported through the subscription ---------------
    monkeypatch.setattr(data_service, "CHUNK_ROWS", 1)  # one row per page: several pages
    before = recorder.attempts("iot_queryByTimeRange")
    assert dx.iot.queryByTimeRange(meter.iotEndpointId, ["speed", "note"], T0, T0 + 5000, tmp_path)
    assert recorder.attempts("iot_queryByTimeRange") - before >= 2  # rows 1000 and 2000
    with (tmp_path / "result.csv").open(newline="", encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert [(r["timestamp"], r["speed"], r["note"]) for r in rows] == [
        (timestream_time(1000), "1.5", ""),
        (timestream_time(2000), "2.5", 'say "hi", go'),
    ]
    typed = dx.iot.queryDataByTimeRange(
        meter.iotEndpointId,
        ["speed", "count"],
        dt.datetime.fromtimestamp(T0 / 1000, dt.timezone.utc).isoformat(),  # ISO-8601 too
        dt.datetime.fromtimestamp(T0 / 1000 + 5, dt.timezone.utc),
    )
    assert [(r["timestamp"], r["speed"], r["count"]) for r in typed] == [
        (timestream_time(1000), 1.5, 1),
        (timestream_time(2000), 2.5, None),
        (timestream_time(3000), None, 7),
    ]
    started = dx.graphql(  # the first page of a query, left with pages to come
        "query($s: String!, $e: String!, $f: [EndpointQueryFilter]!) {"
        " iot_queryByTimeRange(startTime: $s, endTime: $e, endpointQueryFilters: $f)"
        " { queryId nextToken } }",
        {"s": at(0), "e": at(5000), "f": [{"iotEndpointId": meter.iotEndpointId,
                                             "attributeNames": ["speed"]}]},
    )["iot_queryByTimeRange"]  # fmt: skip
    assert started["nextToken"]
    cancelled = dx.iot.cancelQuery(started["queryId"])
    assert (cancelled.httpStatusCode, cancelled.errorMessage) == (200, None)
    monkeypatch.undo()

    # -- a live subscription receives the device's next publish -------------------------------
    subscribed = dx_emulator.emulator.events.subscription_count() + 1

    def publish_once_subscribed() -> None:
        wait_for_subscriptions(dx_emulator, subscribed)
        # Its own sync client: the async client's loop is busy with the subscription.
        with AvistaDigitalExchange(token.tokenValue, endpoint=dx_emulator.url) as publisher:
            publisher.iot.publish(meter.iotEndpointId, [record(4000, speed=5.5)])

    (event,) = next_events(
        dx,
        lambda: dx.client.iot.subscribeToEndpoint(meter.iotEndpointId),
        1,
        publish_once_subscribed,
    )
    assert isinstance(event, PublishIotDataResult)
    assert [(r.timestamp, r.attributes[0].value) for r in event.recordsWritten] == [
        (at(4000), "5.5")
    ]

    # -- a new token replaces the old one at once ---------------------------------------------
    new_token = dx.iot.regenerateEndpointToken(meter.iotEndpointId)
    assert new_token.tokenValue
    assert new_token.tokenValue != token.tokenValue
    with pytest.raises(AuthenticationError):
        make_dx(token=token.tokenValue).iot.getEndpoint(meter.iotEndpointId)
    assert make_dx(token=new_token.tokenValue).iot.getEndpoint(meter.iotEndpointId).name

    # -- cleanup ------------------------------------------------------------------------------
    removed = dx.iot.removeEndpointsFromGroup(group.iotGroupId, other.iotEndpointId)
    assert removed.iotEndpointIds == [meter.iotEndpointId]
    assert dx.iot.deleteGroup(group.iotGroupId).iotGroupId == group.iotGroupId
    for endpoint in (meter, other):
        assert dx.iot.deleteEndpoint(endpoint.iotEndpointId).iotEndpointId == (
            endpoint.iotEndpointId
        )
    for kept in (version, model):
        assert dx.iot.deleteModel(kept.modelId).modelId == kept.modelId
    assert dx.iot.deleteHub(hub.iotHubId).iotHubId == hub.iotHubId
    assert hub.iotHubId not in {h.iotHubId for h in dx.iot.listHubs()}
    assert recorder.attempts("iot_listHubsEndpointsLastValues") == 1


def test_a_model_in_use_is_not_deleted(dx: Driver) -> None:
    hub = dx.iot.createHub(unique("e2e hub"))
    model = dx.iot.createModel(unique("InUse").replace("-", ""), None, [], TELEMETRY)
    endpoint = dx.iot.createEndpoint(hub.iotHubId, model.modelId, "kept")
    with pytest.raises(BadRequestError, match="used by endpoints"):
        dx.iot.deleteModel(model.modelId)
    dx.iot.deleteEndpoint(endpoint.iotEndpointId)
    assert dx.iot.deleteModel(model.modelId).modelId == model.modelId
    dx.iot.deleteHub(hub.iotHubId)
