"""AppSync's real-time protocol over a real socket: handshake, keep-alive, start/stop, errors."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import CONNECTION_TIMEOUT_MS, ON_PUBLISH, Exchange, RawClient, header_parameter


def run(coroutine: object) -> None:
    asyncio.run(coroutine)  # type: ignore[arg-type]


def test_connection_ack_announces_the_timeout_in_milliseconds(emulator: EmulatorHandle) -> None:
    async def scenario() -> None:
        client = await RawClient.open(emulator)  # asserts the exact connection_ack
        assert client.socket.subprotocol == "graphql-ws"
        await client.close()

    run(scenario())


def test_keep_alive_holds_an_idle_connection_open_past_the_timeout(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        subscription_id = await client.start(ON_PUBLISH, {"d": database_id, "a": "idle"})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 3 * CONNECTION_TIMEOUT_MS / 1000
        last_ka, longest_gap, keep_alives = loop.time(), 0.0, 0
        while loop.time() < deadline:
            message = await client.receive(timeout=CONNECTION_TIMEOUT_MS / 1000)
            assert message == {"type": "ka"}
            longest_gap = max(longest_gap, loop.time() - last_ka)
            last_ka = loop.time()
            keep_alives += 1
        assert keep_alives >= 3
        assert longest_gap < CONNECTION_TIMEOUT_MS / 1000
        # Still open and subscribed after three connection timeouts without traffic.
        await asyncio.to_thread(exchange.publish, database_id, "idle", "1.5")
        event = await client.next_message()
        assert event["type"] == "data"
        assert event["id"] == subscription_id
        await client.close()

    run(scenario())


def test_a_bad_header_token_gets_connection_error_and_the_socket_closes(
    emulator: EmulatorHandle,
) -> None:
    async def scenario() -> None:
        client = await RawClient.open(emulator, token="not-a-token", init=False)
        await client.send({"type": "connection_init"})
        message = await client.receive()
        assert message["type"] == "connection_error"
        (error,) = message["payload"]["errors"]
        assert error["errorType"] == "UnauthorizedException"
        assert error["errorCode"] == 401
        with pytest.raises(ConnectionClosed):
            await client.receive()

    run(scenario())


def test_a_missing_header_gets_connection_error(emulator: EmulatorHandle) -> None:
    async def scenario() -> None:
        async with connect(emulator.realtime_url, subprotocols=["graphql-ws"]) as socket:  # type: ignore[list-item]
            await socket.send('{"type": "connection_init"}')
            message = json.loads(await socket.recv())
            assert message["type"] == "connection_error"

    run(scenario())


def test_the_upgrade_needs_the_graphql_ws_subprotocol(emulator: EmulatorHandle) -> None:
    url = f"{emulator.realtime_url}?header={header_parameter(emulator, emulator.tokens['owner'])}"

    async def scenario() -> None:
        with pytest.raises(InvalidStatus) as refused:
            await connect(url)
        assert refused.value.response.status_code == 403

    run(scenario())


def test_start_before_connection_init_is_ignored(emulator: EmulatorHandle) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator, init=False)
        await client.send(client.start_message(ON_PUBLISH, {"d": database_id, "a": "x"}))
        await client.send({"type": "connection_init"})
        assert (await client.receive())["type"] == "connection_ack"
        await client.send({"type": "stop", "id": "probe"})  # answered in order
        assert await client.next_message() == {"type": "complete", "id": "probe"}
        await client.close()

    run(scenario())


def test_stop_answers_complete_and_ends_the_events(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        stopped = await client.start(ON_PUBLISH, {"d": database_id, "a": "stop"})
        kept = await client.start(ON_PUBLISH, {"d": database_id, "a": "stop"})
        await client.send({"type": "stop", "id": stopped})
        assert await client.next_message() == {"type": "complete", "id": stopped}
        await asyncio.to_thread(exchange.publish, database_id, "stop", "2.5")
        event = await client.next_message()
        assert event["id"] == kept
        await asyncio.to_thread(exchange.publish, database_id, "stop", "3.5")
        assert (await client.next_message())["id"] == kept  # nothing for the stopped id
        await client.close()

    run(scenario())


@pytest.mark.parametrize(
    ("query", "error_type", "message_start"),
    [
        (
            "subscription { onTimeSeriesDbPublish(timeSeriesDbId: 1) { nope } }",
            "ValidationError",
            "Validation error of type",
        ),
        ("query { user_getUserSession { user { userId } } }", "UnsupportedOperation", "query"),
        ("subscription {", "ValidationError", "Validation error of type InvalidSyntax"),
        (
            "subscription($d: ID!, $a: ID!) { onTimeSeriesDbPublish(timeSeriesDbId: $d,"
            " assetId: $a) { assetId } }",
            "ValidationError",
            "Validation error of type",
        ),  # variables missing
    ],
)
def test_a_start_that_cannot_register_gets_an_error_with_its_id(
    emulator: EmulatorHandle, query: str, error_type: str, message_start: str
) -> None:
    async def scenario() -> None:
        client = await RawClient.open(emulator)
        start = client.start_message(query, {})
        await client.send(start)
        answer = await client.next_message()
        assert answer["type"] == "error"
        assert answer["id"] == start["id"]
        error = answer["payload"]["errors"][0]
        assert error["errorType"] == error_type
        assert error["message"].startswith(message_start), error
        await client.close()

    run(scenario())


def test_a_start_with_a_bad_token_is_unauthorized(emulator: EmulatorHandle) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        start = client.start_message(ON_PUBLISH, {"d": database_id, "a": "x"}, token="forged")
        await client.send(start)
        answer = await client.next_message()
        assert answer["type"] == "error"
        assert answer["id"] == start["id"]
        assert answer["payload"]["errors"][0]["errorType"] == "UnauthorizedException"
        await client.close()

    run(scenario())


def test_a_duplicate_id_and_unreadable_messages_are_errors(emulator: EmulatorHandle) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        subscription_id = await client.start(ON_PUBLISH, {"d": database_id, "a": "x"})
        await client.send(
            client.start_message(ON_PUBLISH, {"d": database_id, "a": "x"}, id=subscription_id)
        )
        duplicate = await client.next_message()
        assert duplicate["id"] == subscription_id
        assert duplicate["payload"]["errors"][0]["errorType"] == "DuplicatedOperationError"
        await client.socket.send("not json")
        unreadable = await client.next_message()
        assert unreadable["type"] == "error"
        assert "id" not in unreadable
        assert isinstance(unreadable["payload"]["errors"], list)
        await client.send({"type": "subscribe", "id": "x"})
        unknown = await client.next_message()
        assert unknown["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"
        await client.close()

    run(scenario())


def test_subscriptions_per_connection_are_limited(emulator: EmulatorHandle) -> None:
    limit = emulator.emulator.config.realtime_max_subscriptions_per_connection
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        for index in range(limit):
            await client.start(ON_PUBLISH, {"d": database_id, "a": f"limit-{index}"})
        over = client.start_message(ON_PUBLISH, {"d": database_id, "a": "one too many"})
        await client.send(over)
        answer = await client.next_message()
        assert answer["type"] == "error"
        assert answer["id"] == over["id"]
        assert answer["payload"]["errors"][0]["errorType"] == "MaxSubscriptionsReachedError"
        await client.close()

    run(scenario())


def test_event_sources_name_subscriptions_and_implemented_mutations() -> None:
    from avista_dx.emulator.api import implemented_root_fields
    from avista_dx.emulator.api.schema import root_fields
    from avista_dx.emulator.realtime import EVENT_SOURCES

    assert set(EVENT_SOURCES) <= set(root_fields()["Subscription"])
    assert set(EVENT_SOURCES.values()) <= implemented_root_fields()


def test_subscriptions_over_http_point_to_the_websocket(emulator: EmulatorHandle) -> None:
    import httpx

    body = httpx.post(
        emulator.url,
        json={"query": 'subscription { onNotifyUploadComplete(uploadId: "u") { uploadId } }'},
        headers={"Authorization": emulator.tokens["owner"]},
    ).json()
    assert body["errors"][0]["errorType"] == "NotImplemented"
    assert "WebSocket" in body["errors"][0]["message"]


def test_named_operations_and_root_fragments_select_the_subscription(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    document = (
        'subscription Other { onNotifyUploadComplete(uploadId: "u") { uploadId } }\n'
        "subscription Wanted($d: ID!, $a: ID!) { ...root }\n"
        "fragment root on Subscription {"
        " renamed: onTimeSeriesDbPublish(timeSeriesDbId: $d, assetId: $a) { assetId } }"
    )

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        start = client.start_message(document, {"d": database_id, "a": "named"})
        start["payload"]["data"] = json.dumps(
            {"query": document, "variables": {"d": database_id, "a": "named"},
             "operationName": "Wanted"}
        )  # fmt: skip
        await client.send(start)
        assert await client.next_message() == {"type": "start_ack", "id": start["id"]}
        await asyncio.to_thread(exchange.publish, database_id, "named", "9.5")
        event = await client.next_message()
        assert event["payload"] == {"data": {"renamed": [{"assetId": "named"}]}}
        await client.close()

    run(scenario())


async def _types_until_closed(client: RawClient) -> list[str]:
    types = []
    try:
        while True:
            types.append((await client.receive())["type"])
    except ConnectionClosed:
        return types


def test_a_connection_is_closed_at_its_maximum_duration() -> None:
    from avista_dx.emulator import EmulatorConfig
    from avista_dx.emulator.runner import run_emulator

    config = EmulatorConfig(
        realtime_connection_timeout_ms=CONNECTION_TIMEOUT_MS,
        realtime_keep_alive_seconds=0.1,
        realtime_max_connection_seconds=0.5,
    )

    async def scenario(handle: EmulatorHandle) -> None:
        database_id = handle.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
        client = await RawClient.open(handle)
        opened = asyncio.get_running_loop().time()
        await client.start(ON_PUBLISH, {"d": database_id, "a": "aged"})
        assert handle.emulator.events.subscription_count() == 1
        assert set(await _types_until_closed(client)) == {"ka"}
        assert asyncio.get_running_loop().time() - opened >= 0.4

    with run_emulator(seed="demo", config=config) as handle:
        run(scenario(handle))
        assert handle.emulator.events.subscription_count() == 0
