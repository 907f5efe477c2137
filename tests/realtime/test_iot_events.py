"""IoT events over a real socket: ``onIotPublish`` from ``iot_publish`` and
``onNotifyIotQueryExportComplete`` from an export, to the raw client and to gql's
AppSyncWebsocketsTransport (an independent AppSync client)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from gql import Client, gql

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import EVENT_TIMEOUT, Exchange, RawClient
from .test_realtime_delivery import first_events, gql_transport

PUBLISH = (
    "mutation($e: ID!, $d: [IotDataRecordInput]!) { iot_publish(iotEndpointId: $e, data: $d)"
    " { iotEndpointId } }"
)
ON_IOT_PUBLISH = (
    "subscription($e: ID!) { onIotPublish(iotEndpointId: $e)"
    " { iotEndpointId recordsWritten { timestamp attributes { name value } } } }"
)
QUERY = (
    "query($f: [EndpointQueryFilter]!, $s: String!, $e: String!) { iot_queryByTimeRange("
    "endpointQueryFilters: $f, startTime: $s, endTime: $e) { queryId nextToken } }"
)
EXPORT = "mutation($q: ID!) { iot_generateQueryResultExport(queryId: $q) { queryId } }"
ON_EXPORT = (
    "subscription($q: String!) { onNotifyIotQueryExportComplete(queryId: $q)"
    " { queryId fileFormat fileSizeBytes url } }"
)
_times = iter(range(10**6))


async def _nothing_but_keep_alives(client: RawClient, seconds: float = 0.5) -> list[dict[str, Any]]:
    """Every message other than ``ka`` the client receives within ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    others = []
    while (left := deadline - loop.time()) > 0:
        try:
            message = await client.receive(timeout=left)
        except TimeoutError:
            break
        if message["type"] != "ka":
            others.append(message)
    return others


def _publish(exchange: Exchange, endpoint_id: str, value: str, role: str = "owner") -> None:
    stamp = str(int(time.time() * 1000) + next(_times))
    record = {"timestamp": stamp, "timeUnit": "MILLISECONDS",
              "attributes": [{"name": "Temperature", "value": value}]}  # fmt: skip
    exchange.data(role, PUBLISH, e=endpoint_id, d=[record])


def _endpoint_token(exchange: Exchange, endpoint_id: str) -> str:
    token = exchange.data(
        "owner",
        "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e) { tokenValue } }",
        e=endpoint_id,
    )
    value: str = token["tokenValue"]
    return value


def _finished_query(exchange: Exchange, endpoint_id: str) -> str:
    now = int(time.time() * 1000)
    page = exchange.data(
        "owner", QUERY, f=[{"iotEndpointId": endpoint_id, "attributeNames": ["Temperature"]}],
        s=str(now - 7_200_000), e=str(now + 60_000),
    )  # fmt: skip
    assert page["nextToken"] is None  # the demo endpoint's hour of readings fits one page
    query_id: str = page["queryId"]
    return query_id


def test_publish_events_reach_readers_of_the_endpoint(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    ids = emulator.seed.ids  # type: ignore[union-attr]
    endpoint = ids["iotEndpoint"]
    endpoint_token = _endpoint_token(exchange, endpoint)

    async def scenario() -> tuple[list[dict[str, Any]], ...]:
        reader = await RawClient.open(emulator, emulator.tokens["reader"])
        device = await RawClient.open(emulator, endpoint_token)
        outsider = await RawClient.open(emulator, emulator.tokens["outsider"])
        reader_id = await reader.start(ON_IOT_PUBLISH, {"e": endpoint}, emulator.tokens["reader"])
        device_id = await device.start(ON_IOT_PUBLISH, {"e": endpoint}, endpoint_token)
        await outsider.start(ON_IOT_PUBLISH, {"e": endpoint}, emulator.tokens["outsider"])
        other = await reader.start(
            ON_IOT_PUBLISH, {"e": ids["iotEndpoint2"]}, emulator.tokens["reader"]
        )
        await asyncio.to_thread(_publish, exchange, endpoint, "1.5", "writer")
        await asyncio.to_thread(_publish, exchange, endpoint, "2.5", endpoint_token)
        received = []
        for client, expected in ((reader, reader_id), (device, device_id)):
            events = [await client.next_message(), await client.next_message()]
            assert {e["id"] for e in events} == {expected}
            received.append([e["payload"]["data"]["onIotPublish"] for e in events])
        # The outsider's subscription and the one on another endpoint get nothing.
        assert await _nothing_but_keep_alives(outsider) == []
        assert await _nothing_but_keep_alives(reader) == [], other
        for client in (reader, device, outsider):
            await client.close()
        return tuple(received)

    for events in asyncio.run(scenario()):
        assert [e["recordsWritten"][0]["attributes"] for e in events] == [
            [{"name": "Temperature", "value": "1.5"}],
            [{"name": "Temperature", "value": "2.5"}],
        ]
        assert {e["iotEndpointId"] for e in events} == {endpoint}


def test_gql_receives_iot_publish_and_export_events(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    endpoint = emulator.seed.ids["iotEndpoint"]  # type: ignore[union-attr]
    query_id = _finished_query(exchange, endpoint)

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with Client(transport=gql_transport(emulator, "owner")) as session:
            publish_ready, export_ready = asyncio.Event(), asyncio.Event()
            broker = emulator.emulator.events
            publishes = asyncio.ensure_future(
                first_events(
                    session, gql(ON_IOT_PUBLISH), {"e": endpoint}, 1, publish_ready, broker
                )
            )
            await publish_ready.wait()  # one at a time: each waits for its own registration
            exports = asyncio.ensure_future(
                first_events(session, gql(ON_EXPORT), {"q": query_id}, 1, export_ready, broker)
            )
            await export_ready.wait()
            await asyncio.to_thread(_publish, exchange, endpoint, "7.5")
            await asyncio.to_thread(exchange.data, "owner", EXPORT, q=query_id)
            return await asyncio.wait_for(publishes, EVENT_TIMEOUT), await asyncio.wait_for(
                exports, EVENT_TIMEOUT
            )

    publishes, exports = asyncio.run(scenario())
    assert publishes[0]["onIotPublish"]["recordsWritten"][0]["attributes"] == [
        {"name": "Temperature", "value": "7.5"}
    ]
    (export,) = exports
    notice = export["onNotifyIotQueryExportComplete"]
    assert notice["queryId"] == query_id
    assert notice["fileFormat"] == "CSV"
    response = exchange._http.get(notice["url"])
    assert response.status_code == 200
    assert response.text.startswith("iotEndpointId,name,timestamp,Temperature")
    assert notice["fileSizeBytes"] == len(response.content)


def test_only_the_query_owner_hears_of_its_export(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    endpoint = emulator.seed.ids["iotEndpoint"]  # type: ignore[union-attr]
    query_id = _finished_query(exchange, endpoint)

    async def scenario() -> dict[str, Any]:
        owner = await RawClient.open(emulator)
        reader = await RawClient.open(emulator, emulator.tokens["reader"])
        await owner.start(ON_EXPORT, {"q": query_id})
        await reader.start(ON_EXPORT, {"q": query_id}, emulator.tokens["reader"])
        await asyncio.to_thread(exchange.data, "owner", EXPORT, q=query_id)
        event = await owner.next_message()
        leaked = await _nothing_but_keep_alives(reader)
        await owner.close()
        await reader.close()
        assert leaked == []
        return event

    event = asyncio.run(scenario())
    assert event["payload"]["data"]["onNotifyIotQueryExportComplete"]["queryId"] == query_id
