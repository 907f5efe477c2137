"""onNotifyTimeSeriesQueryExportComplete over the real-time socket: pushed when the export file
is committed and by timeSeriesDb_notifyTimeSeriesQueryExportComplete, to readers of the
database only."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Exchange, RawClient

pytest.importorskip("gql")

from gql import Client, gql

from .test_realtime_delivery import first_events, gql_transport

QUERY = (
    "query($t: ID!) { timeSeriesDb_queryDatabase(timeSeriesDbId: $t, "
    'assets: [{assetId: "meter-1"}], queryType: LAST_X_ROWS, maxRows: 5) { queryId } }'
)
GENERATE = (
    "mutation($t: ID!, $q: String!) { timeSeriesDb_generateQueryResultExportFile("
    "timeSeriesDbId: $t, queryId: $q) { queryId } }"
)
NOTIFY = (
    "mutation($q: String!) { timeSeriesDb_notifyTimeSeriesQueryExportComplete(queryId: $q) "
    "{ queryId fileType fileSizeBytes url } }"
)
ON_EXPORT = (
    "subscription($q: String!) { onNotifyTimeSeriesQueryExportComplete(queryId: $q) "
    "{ queryId fileType fileSizeBytes url } }"
)


def test_the_finished_export_reaches_subscribers_who_may_read(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    query_id = exchange.data("reader", QUERY, t=database_id)["queryId"]
    other_query = exchange.data("reader", QUERY, t=database_id)["queryId"]

    async def scenario() -> None:
        client = await RawClient.open(emulator, emulator.tokens["reader"])
        allowed = await client.start(ON_EXPORT, {"q": query_id}, emulator.tokens["reader"])
        await client.start(ON_EXPORT, {"q": query_id}, emulator.tokens["outsider"])
        await client.start(ON_EXPORT, {"q": other_query}, emulator.tokens["reader"])
        await asyncio.to_thread(exchange.data, "writer", GENERATE, t=database_id, q=query_id)
        pushed = await client.next_message()
        assert (pushed["type"], pushed["id"]) == ("data", allowed)
        event = pushed["payload"]["data"]["onNotifyTimeSeriesQueryExportComplete"]
        assert (event["queryId"], event["fileType"]) == (query_id, "CSV")
        body = await asyncio.to_thread(httpx.get, event["url"])
        assert body.status_code == 200
        assert len(body.content) == event["fileSizeBytes"]
        assert body.text.splitlines()[0].split(",")[:2] == ["name", "assetId"]
        # Asking for it again pushes it again; nothing else was pending on this connection.
        again = await asyncio.to_thread(exchange.data, "owner", NOTIFY, q=query_id)
        repeated = await client.next_message()
        assert repeated["id"] == allowed
        pushed_again = repeated["payload"]["data"]["onNotifyTimeSeriesQueryExportComplete"]
        assert pushed_again["fileSizeBytes"] == again["fileSizeBytes"]
        await client.send({"type": "stop", "id": "probe"})
        assert await client.next_message() == {"type": "complete", "id": "probe"}
        await client.close()

    asyncio.run(scenario())


def test_gql_receives_the_export_event(emulator: EmulatorHandle, exchange: Exchange) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]
    query_id = exchange.data("owner", QUERY, t=database_id)["queryId"]

    async def scenario() -> list[dict[str, object]]:
        async with Client(transport=gql_transport(emulator, "reader")) as session:
            ready = asyncio.Event()
            events = asyncio.ensure_future(
                first_events(session, gql(ON_EXPORT), {"q": query_id}, 1, ready)
            )
            await ready.wait()
            await asyncio.to_thread(exchange.data, "reader", GENERATE, t=database_id, q=query_id)
            return await events

    (event,) = asyncio.run(scenario())
    export = event["onNotifyTimeSeriesQueryExportComplete"]
    assert export["queryId"] == query_id  # type: ignore[index]
