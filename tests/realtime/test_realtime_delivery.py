"""Events of committed mutations reach exactly the subscribers that may see them, in order."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

pytest.importorskip("gql")

from gql import Client, gql
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportServerError

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import (
    CONNECTION_TIMEOUT_MS,
    EVENT_TIMEOUT,
    ON_PUBLISH,
    Exchange,
    RawClient,
    host_of,
)


def gql_transport(handle: EmulatorHandle, role: str, **options: Any) -> AppSyncWebsocketsTransport:
    auth = AppSyncJWTAuthentication(host=host_of(handle), jwt=handle.tokens.get(role, role))
    return AppSyncWebsocketsTransport(handle.realtime_url, auth=auth, **options)


async def first_events(
    session: Any, document: Any, variables: dict[str, Any], count: int, ready: asyncio.Event
) -> list[dict[str, Any]]:
    events = []
    document.variable_values = variables
    iterator = session.subscribe(document).__aiter__()
    pending = asyncio.ensure_future(iterator.__anext__())
    # gql sends `start` as the iteration begins; give the emulator time to register it.
    await asyncio.sleep(0.3)
    ready.set()
    events.append(await asyncio.wait_for(pending, EVENT_TIMEOUT))
    while len(events) < count:
        events.append(await asyncio.wait_for(iterator.__anext__(), EVENT_TIMEOUT))
    await iterator.aclose()
    return events


def test_gql_receives_the_events_of_a_publish(emulator: EmulatorHandle, exchange: Exchange) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    document = gql(
        "subscription($d: ID!, $a: ID!) {"
        " onTimeSeriesDbPublish(timeSeriesDbId: $d, assetId: $a) { assetId attributes { name } } }"
    )

    async def scenario() -> list[dict[str, Any]]:
        transport = gql_transport(
            emulator, "reader", keep_alive_timeout=CONNECTION_TIMEOUT_MS / 1000
        )
        async with Client(transport=transport) as session:
            ready = asyncio.Event()
            events = asyncio.ensure_future(
                first_events(session, document, {"d": database_id, "a": "gql"}, 2, ready)
            )
            await ready.wait()
            # Idle for over twice connectionTimeoutMs: gql, watching for `ka` with that
            # timeout, would close the connection if the emulator's keep-alives stopped.
            await asyncio.sleep(2.5 * CONNECTION_TIMEOUT_MS / 1000)
            await asyncio.to_thread(exchange.publish, database_id, "gql", "1.5")
            await asyncio.to_thread(exchange.publish, database_id, "gql", "2.5")
            return await events

    events = asyncio.run(scenario())
    # Exactly the selected fields, resolved over the mutation's result.
    assert (
        events
        == [{"onTimeSeriesDbPublish": [{"assetId": "gql", "attributes": [{"name": "reading"}]}]}]
        * 2
    )


def test_gql_gets_connection_error_for_a_bad_token(emulator: EmulatorHandle) -> None:
    async def scenario() -> None:
        async with Client(transport=gql_transport(emulator, "forged-token")) as session:
            await session.subscribe(gql(ON_PUBLISH)).__anext__()

    with pytest.raises(TransportServerError):
        asyncio.run(scenario())


def test_upload_complete_notification_reaches_gql(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    created = exchange.create_file("notify")
    upload_id = created["uploadId"]
    document = gql(
        "subscription($u: ID!) { onNotifyUploadComplete(uploadId: $u)"
        " { uploadId httpStatusCode errorMessage } }"
    )
    notify = (
        "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u)"
        " { uploadId httpStatusCode errorMessage } }"
    )

    async def scenario() -> list[dict[str, Any]]:
        async with Client(transport=gql_transport(emulator, "reader")) as session:
            ready = asyncio.Event()
            events = asyncio.ensure_future(
                first_events(session, document, {"u": upload_id}, 2, ready)
            )
            await ready.wait()
            before = await asyncio.to_thread(exchange.data, "owner", notify, u=upload_id)
            assert before["httpStatusCode"] == 404
            assert before["errorMessage"]
            await asyncio.to_thread(httpx.put, created["url"], content=b"hello")
            after = await asyncio.to_thread(exchange.data, "writer", notify, u=upload_id)
            assert after == {"uploadId": upload_id, "httpStatusCode": 200, "errorMessage": None}
            return await events

    events = asyncio.run(scenario())
    assert [e["onNotifyUploadComplete"]["httpStatusCode"] for e in events] == [404, 200]


def test_notify_upload_complete_needs_write_access(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    created = exchange.create_file("denied")
    notify = "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u) { uploadId } }"
    for role, upload_id in (
        ("reader", created["uploadId"]),
        ("outsider", created["uploadId"]),
        ("owner", "uploadId.unknown"),
    ):
        response = httpx.post(
            emulator.url,
            json={"query": notify, "variables": {"u": upload_id}},
            headers={"Authorization": emulator.tokens[role]},
        ).json()
        assert response["data"] == {"notifications_notifyUploadComplete": None}
        assert response["errors"][0]["errorType"] == "Unauthorized"


def test_200_subscriptions_on_one_connection_each_receive_every_event(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        ids = {await client.start(ON_PUBLISH, {"d": database_id, "a": "many"}) for _ in range(200)}
        for value in ("1.5", "2.5", "3.5"):
            await asyncio.to_thread(exchange.publish, database_id, "many", value)
        received: dict[str, list[str]] = {}
        for _ in range(3 * 200):
            message = await client.next_message()
            assert message["type"] == "data"
            (data,) = message["payload"]["data"]["onTimeSeriesDbPublish"]
            received.setdefault(message["id"], []).append(data["attributes"][0]["lastValue"])
        assert set(received) == ids
        assert all(values == ["1.5", "2.5", "3.5"] for values in received.values())
        await client.close()

    asyncio.run(scenario())


def test_50_connections_each_receive_every_event_in_commit_order(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    publishes = 20

    async def scenario() -> None:
        clients = await asyncio.gather(*(RawClient.open(emulator) for _ in range(50)))
        for client in clients:
            await client.start(ON_PUBLISH, {"d": database_id, "a": "fan-out"})

        def publish_concurrently() -> None:
            threads = [
                threading.Thread(
                    target=exchange.publish, args=(database_id, "fan-out", f"{index}.25")
                )
                for index in range(publishes)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        await asyncio.to_thread(publish_concurrently)
        orders = []
        for client in clients:
            values = []
            for _ in range(publishes):
                message = await client.next_message()
                (data,) = message["payload"]["data"]["onTimeSeriesDbPublish"]
                values.append(data["attributes"][0]["lastValue"])
            orders.append(values)
            await client.close()
        assert sorted(orders[0]) == sorted(f"{index}.25" for index in range(publishes))
        # Whatever order the concurrent requests committed in, every connection saw that one.
        assert all(order == orders[0] for order in orders)

    asyncio.run(scenario())


def test_a_subscriber_who_may_not_read_the_database_gets_nothing(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = exchange.create_database("owner")  # not shared: the reader has no access

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        denied = await client.start(
            ON_PUBLISH, {"d": database_id, "a": "private"}, emulator.tokens["reader"]
        )
        outsider = await client.start(
            ON_PUBLISH, {"d": database_id, "a": "private"}, emulator.tokens["outsider"]
        )
        allowed = await client.start(ON_PUBLISH, {"d": database_id, "a": "private"})
        for value in ("1.5", "2.5"):
            await asyncio.to_thread(exchange.publish, database_id, "private", value)
        # Events reach one connection in order: after both of the owner's, nothing is pending.
        received = [(await client.next_message())["id"] for _ in range(2)]
        assert received == [allowed, allowed]
        assert denied != allowed
        assert outsider != allowed
        await client.send({"type": "stop", "id": "probe"})
        assert await client.next_message() == {"type": "complete", "id": "probe"}
        await client.close()

    asyncio.run(scenario())


def test_events_are_filtered_by_the_subscription_arguments(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    other_database = exchange.create_database("owner")

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        wanted = await client.start(ON_PUBLISH, {"d": database_id, "a": "filter-a"})
        await client.start(ON_PUBLISH, {"d": database_id, "a": "filter-b"})
        await client.start(ON_PUBLISH, {"d": other_database, "a": "filter-a"})
        await asyncio.to_thread(exchange.publish, database_id, "filter-a", "1.5")
        await client.send({"type": "stop", "id": "probe"})
        assert (await client.next_message())["id"] == wanted
        assert await client.next_message() == {"type": "complete", "id": "probe"}
        await client.close()

    asyncio.run(scenario())


def test_a_dropped_connection_releases_its_subscriptions(emulator: EmulatorHandle) -> None:
    broker = emulator.emulator.events
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    before = broker.subscription_count()

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        for _ in range(5):
            await client.start(ON_PUBLISH, {"d": database_id, "a": "dropped"})
        assert broker.subscription_count() == before + 5
        client.socket.transport.abort()  # no close handshake, no stop: the network just fails

    asyncio.run(scenario())
    deadline = time.monotonic() + EVENT_TIMEOUT
    while broker.subscription_count() != before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert broker.subscription_count() == before


def test_upload_notifications_reach_only_readers_of_the_store(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    upload_id = exchange.create_file("private notify")["uploadId"]
    on_upload = "subscription($u: ID!) { onNotifyUploadComplete(uploadId: $u) { uploadId } }"
    notify = "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u) { uploadId } }"

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        await client.start(on_upload, {"u": upload_id}, emulator.tokens["outsider"])
        allowed = await client.start(on_upload, {"u": upload_id}, emulator.tokens["reader"])
        await asyncio.to_thread(exchange.data, "owner", notify, u=upload_id)
        event = await client.next_message()
        assert event["id"] == allowed
        assert event["payload"] == {"data": {"onNotifyUploadComplete": {"uploadId": upload_id}}}
        await client.send({"type": "stop", "id": "probe"})
        assert await client.next_message() == {"type": "complete", "id": "probe"}
        await client.close()

    asyncio.run(scenario())
