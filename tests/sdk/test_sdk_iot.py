"""dx.iot (the 1.2.1 names) on the fake exchange, sync and async."""

from __future__ import annotations

import copy
import csv
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from avista_dx import InvalidInputError
from avista_dx.errors import BadRequestError, PaginationError
from avista_dx.types_iot import IotEndpoint, IotGroup, PublishIotDataResult

from .conftest import ClientFactory, attach_realtime
from .driver import Driver
from .fake_exchange import FakeExchange

PROPERTIES = [
    {
        "name": "Longitude",
        "description": "the last known longitude of the device",
        "schemaType": "double",
        "defaultValue": "-117.426048",
        "writable": True,
    },
    {"name": "Latitude", "schemaType": "double", "defaultValue": 47.658779},
]
TELEMETRY = [
    {"name": "Temperature", "description": "celsius", "schemaType": "double"},
    {"name": "Humidity", "schemaType": "double"},
]


def sent(fake: FakeExchange, operation: str) -> list[dict[str, Any]]:
    return [r.variables for r in fake.requests if r.operation == operation]


def test_get_endpoint_has_properties_and_telemetry(dx: Driver) -> None:
    endpoint = dx.iot.getEndpoint("iotEndpointId.1")
    assert isinstance(endpoint, IotEndpoint)
    assert [(p.name, p.schemaType, p.value) for p in endpoint.properties] == [
        ("moving", "boolean", "false"),
        ("serial", "string", "S-1"),
    ]
    assert [t.name for t in endpoint.telemetry] == ["speed", "count", "note"]


def test_get_group_with_and_without_endpoints(dx: Driver, fake: FakeExchange) -> None:
    group = dx.iot.getGroup("iotGroupId.1", True)
    assert isinstance(group, IotGroup)
    assert [e.iotEndpointId for e in group.endpoints] == ["iotEndpointId.1"]
    assert dx.iot.getGroup("iotGroupId.1", False).endpoints == []
    assert sent(fake, "iot_getGroup")[1] == {
        "iotGroupId": "iotGroupId.1",
        "includeEndpoints": False,
    }
    with pytest.raises(InvalidInputError):
        dx.iot.getGroup("iotGroupId.1", "yes")


def test_create_endpoint_leaves_out_a_missing_description(dx: Driver, fake: FakeExchange) -> None:
    endpoint = dx.iot.createEndpoint("iotHubId.1", "modelId.1", "Temperature Sensor")
    assert endpoint.name == "Temperature Sensor"
    assert "description" not in sent(fake, "iot_createEndpoint")[0]
    dx.iot.createEndpoint("iotHubId.1", "modelId.1", "S2", "on the roof")
    assert sent(fake, "iot_createEndpoint")[1]["description"] == "on the roof"


def test_add_endpoints_to_group_takes_one_id_or_a_list(dx: Driver, fake: FakeExchange) -> None:
    new = dx.iot.createEndpoint("iotHubId.1", "modelId.1", "S2").iotEndpointId
    group = dx.iot.addEndpointsToGroup("iotGroupId.1", new)
    assert group.iotEndpointIds == ["iotEndpointId.1", new]
    dx.iot.addEndpointsToGroup("iotGroupId.1", [new, "iotEndpointId.1"])
    assert sent(fake, "iot_addEndpointsToGroup")[1]["iotEndpointIds"] == [new, "iotEndpointId.1"]
    with pytest.raises(InvalidInputError):
        dx.iot.addEndpointsToGroup("iotGroupId.1", [])


def test_create_model_sends_the_name_as_dtmi_segment_with_indexes(
    dx: Driver, fake: FakeExchange
) -> None:
    properties, telemetry = copy.deepcopy(PROPERTIES), copy.deepcopy(TELEMETRY)
    model = dx.iot.createModel("MyFirstModel", "A simple model", properties, telemetry)
    assert (properties, telemetry) == (PROPERTIES, TELEMETRY)  # the caller's dicts: unchanged
    assert model.displayName == "MyFirstModel"
    assert [(p.name, p.index, p.writable) for p in model.properties] == [
        ("Longitude", 0, True),
        ("Latitude", 1, False),
    ]
    (variables,) = sent(fake, "iot_createModel")
    assert variables["dtmiSegment"] == variables["displayName"] == "MyFirstModel"
    assert variables["properties"][1] == {
        "name": "Latitude",
        "schemaType": "double",
        "index": 1,
        "defaultValue": "47.658779",
        "writable": False,
    }
    assert [t["index"] for t in variables["telemetry"]] == [0, 1]


@pytest.mark.parametrize(
    ("name", "properties", "telemetry", "match"),
    [
        ("My Model", [], [], "alphanumeric"),
        ("M", [{"name": "x", "schemaType": "float"}], [], "schemaType"),
        ("M", [{"name": "x", "schemaType": "double", "colour": 1}], [], "unknown keys"),
        ("M", [{"name": "x", "schemaType": "double", "writable": "yes"}], [], "writable"),
        ("M", [], [{"schemaType": "double"}], "name"),
        ("M", [], "Temperature", "list"),
    ],
)
def test_create_model_refuses_bad_definitions_before_sending(
    dx: Driver, fake: FakeExchange, name: str, properties: Any, telemetry: Any, match: str
) -> None:
    with pytest.raises(InvalidInputError, match=match):
        dx.iot.createModel(name, None, properties, telemetry)
    assert sent(fake, "iot_createModel") == []


def test_publish_converts_records_and_never_mutates_them(dx: Driver, fake: FakeExchange) -> None:
    data = [
        {"timestamp": 1670008999, "timeUnit": "MILLISECONDS", "attributes": {"speed": "40.2"}},
        {
            "timestamp": "2022-12-15T12:45:31.055Z",
            "timeUnit": "ISO8601",
            "attributes": {"speed": 41.5, "count": 3},
        },
        {"attributes": {"note": True}},
    ]
    before = copy.deepcopy(data)
    result = dx.iot.publish("iotEndpointId.1", data)
    assert data == before
    assert isinstance(result, PublishIotDataResult)
    assert len(result.recordsWritten) == 3
    assert result["recordsFailed"] == []
    assert result.failedRecords == []
    records = sent(fake, "iot_publish")[0]["data"]
    assert records[0] == {
        "timestamp": "1670008999",
        "timeUnit": "MILLISECONDS",
        "attributes": [{"name": "speed", "value": "40.2"}],
    }
    assert records[1]["timestamp"] == "1671108331055"  # ISO-8601 sent as epoch ms
    assert records[1]["timeUnit"] == "MILLISECONDS"
    assert records[1]["attributes"] == [
        {"name": "speed", "value": "41.5"},
        {"name": "count", "value": "3"},
    ]
    assert records[2]["timeUnit"] == "MILLISECONDS"
    assert int(records[2]["timestamp"]) > 1_700_000_000_000  # now, in ms
    assert records[2]["attributes"] == [{"name": "note", "value": "true"}]


def test_publish_reports_refused_records_in_both_1_2_1_shapes(dx: Driver) -> None:
    dx.iot.publish("iotEndpointId.1", [{"timestamp": 5, "attributes": {"speed": "1"}}])
    result = dx.iot.publish(
        "iotEndpointId.1",
        [{"timestamp": 5, "attributes": {"speed": "1"}}, {"timestamp": 6, "attributes": {"x": 1}}],
    )
    assert result.recordsWritten == []
    assert [f.errors[0].errorType for f in result.failedRecords] == [
        "DUPLICATE_ENTRY",
        "UNEXPECTED_ATTRIBUTE",
    ]
    failed = result["recordsFailed"][0]
    assert failed["record"]["timestamp"] == "5"
    assert failed["errors"][0]["errorType"] == "DUPLICATE_ENTRY"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([], "empty"),
        ([{"attributes": {}}], "empty"),
        ([{"attributes": {"speed": None}}], "string, number or boolean"),
        ([{"timestamp": "soon", "attributes": {"speed": 1}}], "epoch"),
        ([{"timestamp": "2022-13-45", "timeUnit": "ISO8601", "attributes": {"a": 1}}], "ISO"),
        ([{"timeUnit": "HOURS", "attributes": {"speed": 1}}], "timeUnit"),
        ([{"attributes": {"speed": 1}, "unit": "ms"}], "unknown keys"),
        ({"attributes": {"speed": 1}}, "list"),
    ],
)
def test_publish_refuses_bad_records_before_sending(
    dx: Driver, fake: FakeExchange, data: Any, match: str
) -> None:
    with pytest.raises(InvalidInputError, match=match):
        dx.iot.publish("iotEndpointId.1", data)
    assert sent(fake, "iot_publish") == []


def test_update_endpoint_properties(dx: Driver, fake: FakeExchange) -> None:
    properties = {"moving": False}
    endpoint = dx.iot.updateEndpointProperties("iotEndpointId.1", properties)
    assert properties == {"moving": False}
    assert endpoint.properties[0].value == "false"
    (variables,) = sent(fake, "iot_updateEndpointProperties")
    (update,) = variables["properties"]
    assert (update["name"], update["value"]) == ("moving", "false")
    assert int(update["timestamp"]) > 1_700_000_000_000
    with pytest.raises(BadRequestError, match="not writable"):
        dx.iot.updateEndpointProperties("iotEndpointId.1", {"serial": "S-2"})


def publish_some(dx: Driver) -> None:
    dx.iot.publish(
        "iotEndpointId.1",
        [
            {"timestamp": 1000, "attributes": {"speed": 1.5, "count": 1}},
            {"timestamp": 2000, "attributes": {"speed": 2.5, "note": 'say "hi", then go'}},
            {"timestamp": 3000, "attributes": {"count": 7}},
        ],
    )


def test_list_endpoint_last_values_follows_next_token_and_stored_pages(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    publish_some(dx)
    fake.iot.last_values_page_size = 1  # one attribute per page: three pages
    fake.iot.store_last_values_pages = {1}  # the second one kept in storage
    result = dx.iot.listEndpointLastValues("iotEndpointId.1", tmp_path)
    assert result == [
        {"attributeName": "speed", "lastValue": "2.5", "timestamp": "2000"},
        {"attributeName": "count", "lastValue": "7", "timestamp": "3000"},
        {"attributeName": "note", "lastValue": 'say "hi", then go', "timestamp": "2000"},
    ]
    pages = sent(fake, "iot_listEndpointLastValues")
    assert [p.get("nextToken") for p in pages] == [None, "page-1", "page-2"]
    assert [r.url.params["key"] for r in fake.s3_requests] == ["lastvalues-1"]
    assert json.loads((tmp_path / "lastValues.json").read_text()) == result


def test_list_endpoint_last_values_stops_on_a_repeated_token(
    dx: Driver, fake: FakeExchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.iot.last_values_page_size = 1
    original = fake.iot._last_values

    def repeating(info: Any, iotEndpointId: str, **paging: Any) -> dict:
        page = original(info, iotEndpointId, **paging)
        page["nextToken"] = "page-1"
        return page

    monkeypatch.setattr(fake.iot, "_last_values", repeating)
    with pytest.raises(PaginationError):
        dx.iot.listEndpointLastValues("iotEndpointId.1")


def test_query_data_by_time_range_pages_then_exports_after_start_ack(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    publish_some(dx)
    rows = dx.iot.queryDataByTimeRange(
        "iotEndpointId.1",
        ["speed", "count", "note"],
        "1970-01-01T00:00:00.000Z",
        "1970-01-01T00:00:02.500Z",
    )
    assert rows == [
        {
            "iotEndpointId": "iotEndpointId.1",
            "name": "Sensor",
            "timestamp": "1000",
            "speed": 1.5,
            "count": 1,
            "note": None,
        },
        {
            "iotEndpointId": "iotEndpointId.1",
            "name": "Sensor",
            "timestamp": "2000",
            "speed": 2.5,
            "count": None,
            "note": 'say "hi", then go',
        },
    ]
    pages = sent(fake, "iot_queryByTimeRange")
    assert [p["startTime"] for p in pages] == ["0"]  # 2 rows: one page
    assert pages[0]["endTime"] == "2500"
    assert sent(fake, "iot_generateQueryResultExport")[0]["fileFormat"] == "CSV"
    assert realtime.stops  # the notice subscription was stopped
    assert realtime.subscriptions == {}


def test_query_by_time_range_writes_result_csv_in_a_directory(
    dx: Driver, fake: FakeExchange, realtime: Any, tmp_path: Path
) -> None:
    attach_realtime(dx, realtime)
    publish_some(dx)
    fake.iot.query_page_rows = 1
    assert dx.iot.queryByTimeRange("iotEndpointId.1", ["speed"], 0, 10_000, tmp_path) is True
    with (tmp_path / "result.csv").open(newline="") as exported:
        assert [r["timestamp"] for r in csv.DictReader(exported)] == ["1000", "2000"]
    pages = sent(fake, "iot_queryByTimeRange")
    assert [p.get("nextToken") for p in pages] == [None, "rows-1"]
    assert pages[1]["queryString"].startswith("SELECT")


def test_query_by_time_range_refuses_bad_arguments(dx: Driver, fake: FakeExchange) -> None:
    with pytest.raises(InvalidInputError, match="attributeNames"):
        dx.iot.queryDataByTimeRange("iotEndpointId.1", [], "2022-09-25T20:13:04.465Z", 1)
    with pytest.raises(InvalidInputError, match="startTime"):
        dx.iot.queryDataByTimeRange("iotEndpointId.1", ["speed"], "yesterday", 1)
    assert sent(fake, "iot_queryByTimeRange") == []


def next_events(dx: Driver, iterator_of: Any, count: int, trigger: Any) -> list[Any]:
    """Takes `count` events of a subscription, calling `trigger` once it is started."""
    if dx.is_async:

        async def scenario() -> list[Any]:
            import asyncio

            events = iterator_of()
            first = asyncio.ensure_future(events.__anext__())
            await asyncio.to_thread(trigger)
            got = [await asyncio.wait_for(first, 10)]
            got += [await asyncio.wait_for(events.__anext__(), 10) for _ in range(count - 1)]
            await events.aclose()
            return got

        return dx.run(scenario())
    events = iterator_of()
    thread = threading.Thread(target=trigger)
    thread.start()
    try:
        return [next(events) for _ in range(count)]
    finally:
        thread.join()
        events.close()


def test_subscribe_to_endpoint_yields_typed_publish_events(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)

    def trigger() -> None:
        realtime.wait_subscribed("onIotPublish")
        for stamp in (10, 10):  # the second is a duplicate: refused, still an event
            fake.iot._publish(
                None,
                "iotEndpointId.1",
                [
                    {
                        "timestamp": str(stamp),
                        "timeUnit": "MILLISECONDS",
                        "attributes": [{"name": "speed", "value": "24.5"}],
                    }
                ],
            )

    first, second = next_events(
        dx, lambda: dx.client.iot.subscribeToEndpoint(endpointId="iotEndpointId.1"), 2, trigger
    )
    assert isinstance(first, PublishIotDataResult)
    assert first.iotEndpointId == "iotEndpointId.1"
    assert first["recordsWritten"][0]["attributes"] == [
        {"name": "speed", "value": "24.5", "schemaType": None}
    ]
    assert second.failedRecords[0].errors[0].errorType == "DUPLICATE_ENTRY"
    assert realtime.subscriptions == {}  # stopped when the loop ended
    assert realtime.sockets_opened == 1


def test_subscriptions_share_one_socket_and_close_with_the_client(
    make_dx: ClientFactory, fake: FakeExchange, realtime: Any
) -> None:
    dx = make_dx()
    attach_realtime(dx, realtime)

    def trigger() -> None:
        realtime.wait_subscribed("onIotPublish")
        fake.iot._publish(
            None,
            "iotEndpointId.1",
            [
                {
                    "timestamp": "1",
                    "timeUnit": "MILLISECONDS",
                    "attributes": [{"name": "speed", "value": "1"}],
                }
            ],
        )

    for _ in range(2):
        next_events(dx, lambda: dx.client.iot.subscribeToEndpoint("iotEndpointId.1"), 1, trigger)
        fake.iot.telemetry["iotEndpointId.1"].clear()
    assert realtime.sockets_opened == 1
    connection = dx.client._realtime_connection
    assert connection is not None
    if dx.is_async:
        dx.run(dx.client.close())
    else:
        dx.client.close()
    assert dx.client._realtime_connection is None


def test_subscribe_to_endpoint_refuses_two_different_ids(dx: Driver) -> None:
    with pytest.raises(InvalidInputError):
        next_events(
            dx, lambda: dx.client.iot.subscribeToEndpoint("a", endpointId="b"), 1, lambda: None
        )


def test_unsendable_text_is_refused_before_sending(dx: Driver, fake: FakeExchange) -> None:
    with pytest.raises(InvalidInputError, match="name contains a lone surrogate"):
        dx.iot.createEndpoint("iotHubId.1", "modelId.1", "bad\ud800")
    with pytest.raises(InvalidInputError, match="lone surrogate"):
        dx.iot.publish("iotEndpointId.1", [{"attributes": {"note": "\udfff"}}])
    with pytest.raises(InvalidInputError, match="lone surrogate"):
        dx.iot.updateEndpointProperties("iotEndpointId.1", {"mo\ud800ving": True})
    assert fake.requests == []
