"""The SDK's real-time connection (avista_dx._realtime) against the emulator's endpoint."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("websockets")

from avista_dx._realtime import RealtimeConnection, SyncRealtimeConnection
from avista_dx._realtime._protocol import SubscriptionState
from avista_dx._retry import RetryPolicy
from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.runner import EmulatorHandle, run_emulator
from avista_dx.errors import AuthenticationError, BadRequestError, RealtimeConnectionError

from .conftest import EVENT_TIMEOUT, ON_PUBLISH, Exchange

FAST_RECONNECT = RetryPolicy(5, initial_delay=0.05, max_delay=0.2)


def connection(handle: EmulatorHandle, role: str = "owner", **options: Any) -> RealtimeConnection:
    options.setdefault("reconnect_policy", FAST_RECONNECT)
    return RealtimeConnection(handle.url, handle.tokens.get(role, role), **options)


async def next_event(events: Any) -> dict[str, Any]:
    data: dict[str, Any] = await asyncio.wait_for(events.__anext__(), EVENT_TIMEOUT)
    return data


async def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + EVENT_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def last_value(data: dict[str, Any]) -> str:
    (asset,) = data["onTimeSeriesDbPublish"]
    value: str = asset["attributes"][0]["lastValue"]
    return value


def test_subscribe_returns_after_start_ack_so_the_next_publish_arrives(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        async with connection(emulator, "reader") as realtime:
            events = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "sdk"})
            # No sleep: start_ack has been received, so this publish is seen.
            await asyncio.to_thread(exchange.publish, database_id, "sdk", "4.5")
            assert last_value(await next_event(events)) == "4.5"

    asyncio.run(scenario())


def test_many_subscriptions_share_one_socket_and_stop_on_close(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    broker = emulator.emulator.events

    async def scenario() -> None:
        before = broker.subscription_count()
        realtime = connection(emulator)
        first = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "shared"})
        socket = realtime._socket
        others = [
            await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "shared"})
            for _ in range(9)
        ]
        assert realtime._socket is socket  # one WebSocket for all of them
        assert broker.subscription_count() == before + 10
        await asyncio.to_thread(exchange.publish, database_id, "shared", "5.5")
        for events in (first, *others):
            assert last_value(await next_event(events)) == "5.5"
        await first.aclose()  # stop → complete
        assert broker.subscription_count() == before + 9
        with pytest.raises(StopAsyncIteration):
            await first.__anext__()
        await realtime.close()  # stops the rest, each answered by complete
        assert broker.subscription_count() == before
        assert all(events._completed.is_set() for events in others)

    asyncio.run(scenario())


def test_a_rejected_token_is_an_authentication_error(emulator: EmulatorHandle) -> None:
    async def scenario() -> None:
        async with connection(emulator, "not-a-token") as realtime:
            await realtime.subscribe(ON_PUBLISH, {"d": "x", "a": "y"})

    with pytest.raises(AuthenticationError):
        asyncio.run(scenario())


def test_a_rejected_document_is_a_bad_request(emulator: EmulatorHandle) -> None:
    async def scenario() -> None:
        async with connection(emulator) as realtime:
            await realtime.subscribe("subscription { nope }", operation="nope")

    with pytest.raises(BadRequestError) as raised:
        asyncio.run(scenario())
    assert raised.value.operation == "nope"
    assert raised.value.errors[0]["errorType"] == "ValidationError"


def test_no_server_is_a_realtime_connection_error() -> None:
    from bench._env import free_port  # an unused loopback port

    async def scenario() -> None:
        realtime = RealtimeConnection(f"http://127.0.0.1:{free_port()}/graphql", "token")
        await realtime.subscribe(ON_PUBLISH, {})

    with pytest.raises(RealtimeConnectionError) as raised:
        asyncio.run(scenario())
    assert raised.value.request_sent is False


def test_a_dropped_socket_reconnects_and_restarts_the_subscriptions(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        async with connection(emulator) as realtime:
            events = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "reconnect"})
            dropped = realtime._socket
            assert dropped is not None
            dropped.transport.abort()  # the network fails under the connection
            await until(
                lambda: (
                    realtime._socket not in (None, dropped)
                    and realtime._protocol._states.get(events.id) is SubscriptionState.ACTIVE
                )
            )
            await asyncio.to_thread(exchange.publish, database_id, "reconnect", "6.5")
            assert last_value(await next_event(events)) == "6.5"

    asyncio.run(scenario())


@pytest.fixture
def silent_server() -> Iterator[EmulatorHandle]:
    """Keep-alives far apart from the announced timeout: clients must give up on the socket."""
    config = EmulatorConfig(realtime_connection_timeout_ms=300, realtime_keep_alive_seconds=30)
    with run_emulator(seed="demo", config=config) as handle:
        yield handle


def test_a_connection_without_keep_alives_for_the_timeout_reconnects(
    silent_server: EmulatorHandle,
) -> None:
    database_id = silent_server.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        async with connection(silent_server) as realtime:
            events = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "silent"})
            first = realtime._socket
            # Past connectionTimeoutMs without a `ka`, the client judges the socket dead, opens
            # another and starts the subscription again there (start_ack received).
            await until(
                lambda: (
                    realtime._socket not in (None, first)
                    and realtime._protocol._states.get(events.id) is SubscriptionState.ACTIVE
                )
            )

    asyncio.run(scenario())


def test_the_sync_iterator(emulator: EmulatorHandle, exchange: Exchange) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    broker = emulator.emulator.events
    before = broker.subscription_count()
    with SyncRealtimeConnection(emulator.url, emulator.tokens["reader"]) as realtime:
        with realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "sync"}) as events:
            exchange.publish(database_id, "sync", "8.5")
            assert last_value(next(events)) == "8.5"
            assert broker.subscription_count() == before + 1
        assert broker.subscription_count() == before
        with pytest.raises(StopIteration):
            next(events)
    with pytest.raises(RealtimeConnectionError):
        realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "sync"})


def test_the_token_stays_out_of_logs_and_reprs(
    emulator: EmulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    token = emulator.tokens["owner"]
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    caplog.set_level(logging.DEBUG)

    async def scenario() -> list[str]:
        async with connection(emulator) as realtime:
            events = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "log"})
            return [repr(realtime), repr(events), repr(realtime._protocol)]

    reprs = asyncio.run(scenario())
    header = base64.b64encode(token.encode()).decode()[:12]
    for text in [caplog.text, *reprs]:
        assert token not in text
        assert token[-8:] not in text  # websockets logs a frame's tail: the start's token
        assert header not in text
    assert "header=<redacted>" in caplog.text  # the upgrade request was logged, redacted
    assert "> TEXT <redacted> [" in caplog.text  # the sent frames were logged, redacted


def test_subscriptions_fail_with_a_connection_error_when_reconnecting_gives_up() -> None:
    async def scenario(handle: EmulatorHandle, stop_server: Callable[[], None]) -> None:
        database_id = handle.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
        policy = RetryPolicy(2, initial_delay=0.01, max_delay=0.02)
        async with connection(handle, reconnect_policy=policy) as realtime:
            events = await realtime.subscribe(ON_PUBLISH, {"d": database_id, "a": "gone"})
            await asyncio.to_thread(stop_server)  # the server goes away for good
            with pytest.raises(RealtimeConnectionError):
                await next_event(events)

    with contextlib.ExitStack() as server:
        handle = server.enter_context(run_emulator(seed="demo"))
        asyncio.run(scenario(handle, server.close))
