"""Real-time figures on loopback: mutation → subscriber event latency, and fan-out throughput.

``python -m bench.realtime_latency [--events 300] [--connections 50] [--fan-out-events 200]``.
The emulator runs as the CLI in a subprocess (on-disk data). Baselines from the same run: the
mutation's own HTTP round trip (for the latency) and publishes/s with nobody subscribed (for
the fan-out).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import statistics
import sys
import tempfile
import time
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from ._env import DEMO_OWNER_TOKEN, running_emulator

PUBLISH = (
    "mutation($d: ID!, $a: ID!, $x: TimeSeriesDbDataInput!) {"
    " timeSeriesDb_publishToDatabase(timeSeriesDbId: $d, assetId: $a, data: $x) { assetId } }"
)
SUBSCRIBE = (
    "subscription($d: ID!, $a: ID!) { onTimeSeriesDbPublish(timeSeriesDbId: $d, assetId: $a)"
    " { assetId attributes { name lastValue } } }"
)
_times = itertools.count(time.time_ns() // 1_000_000 - 10_000_000)


def _record() -> dict[str, Any]:
    return {
        "MeasureName": "reading",
        "MeasureValue": "1.5",
        "MeasureValueType": "DOUBLE",
        "Time": str(next(_times)),
    }


class Bench:
    def __init__(self, url: str, http: httpx.AsyncClient, database_id: str) -> None:
        self.url = url
        self.http = http
        self.database_id = database_id
        self.host = url.split("://", 1)[1].split("/", 1)[0]

    async def publish(self, asset_id: str) -> None:
        response = await self.http.post(
            self.url,
            json={
                "query": PUBLISH,
                "variables": {"d": self.database_id, "a": asset_id, "x": {"records": [_record()]}},
            },
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])

    async def subscriber(self, asset_id: str) -> ClientConnection:
        authorization = {"host": self.host, "Authorization": DEMO_OWNER_TOKEN}
        header = base64.b64encode(json.dumps(authorization).encode()).decode()
        socket = await connect(
            f"ws{self.url.removeprefix('http')}?header={header}&payload=e30=",
            subprotocols=["graphql-ws"],  # type: ignore[list-item]
            max_queue=None,
        )
        await socket.send('{"type": "connection_init"}')
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        request = {"query": SUBSCRIBE, "variables": {"d": self.database_id, "a": asset_id}}
        start = {
            "id": "bench",
            "type": "start",
            "payload": {
                "data": json.dumps(request),
                "extensions": {"authorization": authorization},
            },
        }
        await socket.send(json.dumps(start))
        while (await next_message(socket))["type"] != "start_ack":
            pass
        return socket


async def next_message(socket: ClientConnection) -> dict[str, Any]:
    while (message := json.loads(await socket.recv()))["type"] == "ka":
        pass
    result: dict[str, Any] = message
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def latency(bench: Bench, events: int) -> None:
    socket = await bench.subscriber("latency")
    round_trips, latencies = [], []
    for index in range(events + 20):
        started = time.perf_counter()
        publish = asyncio.ensure_future(bench.publish("latency"))
        message = await next_message(socket)
        arrived = time.perf_counter()
        await publish
        answered = time.perf_counter()
        assert message["type"] == "data", message
        if index >= 20:  # warm-up
            latencies.append(arrived - started)
            round_trips.append(answered - started)
    await socket.close()
    latencies.sort()
    median_latency, median_round_trip = statistics.median(latencies), statistics.median(round_trips)
    print(
        f"mutation → event latency: median {_ms(median_latency)}, "
        f"p99 {_ms(latencies[int(len(latencies) * 0.99)])} ({events} events, 1 subscriber); "
        f"baseline: the mutation's HTTP round trip, median {_ms(median_round_trip)} "
        f"(event / round trip = {median_latency / median_round_trip:.2f})"
    )


async def _publish_all(bench: Bench, asset_id: str, count: int, concurrency: int = 4) -> float:
    remaining = iter(range(count))

    async def worker() -> None:
        for _ in remaining:
            await bench.publish(asset_id)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def fan_out(bench: Bench, connections: int, events: int) -> None:
    baseline = await _publish_all(bench, "nobody", events)
    sockets = [await bench.subscriber("fan-out") for _ in range(connections)]

    async def drain(socket: ClientConnection) -> float:
        for _ in range(events):
            assert (await next_message(socket))["type"] == "data"
        return time.perf_counter()

    started = time.perf_counter()
    receivers = [asyncio.ensure_future(drain(socket)) for socket in sockets]
    published = await _publish_all(bench, "fan-out", events)
    finished = max(await asyncio.gather(*receivers))
    for socket in sockets:
        await socket.close()
    delivered = connections * events
    elapsed = finished - started
    print(
        f"fan-out to {connections} connections: {delivered / elapsed:,.0f} events/s delivered "
        f"({delivered} events in {elapsed:.2f} s; {events / published:,.0f} publishes/s); "
        f"baseline: {events / baseline:,.0f} publishes/s with no subscriber "
        f"(publishing takes {published / baseline:.2f}× as long with the subscribers)"
    )


async def run(url: str, arguments: argparse.Namespace) -> None:
    async with httpx.AsyncClient(headers={"Authorization": DEMO_OWNER_TOKEN}, timeout=60) as http:
        listed = await http.post(
            url, json={"query": "query { timeSeriesDb_listDatabases { timeSeriesDbId } }"}
        )
        database_id = listed.json()["data"]["timeSeriesDb_listDatabases"][0]["timeSeriesDbId"]
        bench = Bench(url, http, database_id)
        await latency(bench, arguments.events)
        await fan_out(bench, arguments.connections, arguments.fan_out_events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--fan-out-events", type=int, default=200)
    arguments = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir,
        running_emulator(data_dir) as (_, url),
    ):
        asyncio.run(run(url, arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
