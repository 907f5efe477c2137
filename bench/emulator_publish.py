"""The emulator alone: raw publish requests of 100 records from a lean client (records/s).

``python -m bench.emulator_publish [--requests 2000] [--connections 8] [--group-commit-ms MS]``.
The emulator runs as the CLI in its own process (demo seed, on-disk data, the durable default:
every request committed before it is acknowledged). The client costs next to nothing: every
HTTP request is encoded before the clock starts and sent over raw keep-alive sockets from one
asyncio loop, so the figure is the server's. Baselines from the same run: the same client
against ``GET /_emulator/health`` (the HTTP floor of the server), and one connection at a time.
The emulator's CPU per request is split between its event loop (the main thread: HTTP) and the
rest (request threads: GraphQL, record checks, the write plan; DuckDB's own threads).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ._env import DEMO_OWNER_TOKEN, process_cpu_seconds, running_emulator

PUBLISH = (
    "mutation timeSeriesDb_publishToDatabase($timeSeriesDbId: ID!, $assetId: ID!, "
    "$data: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase(timeSeriesDbId: "
    "$timeSeriesDbId, assetId: $assetId, data: $data) { ...TimeSeriesDbAssetDataFields } }\n"
    "fragment TimeSeriesDbAssetDataFields on TimeSeriesDbAssetData { assetId name attributes "
    "{ name attributeType lastValue lastValueTime data { timestamp value } } }"
)
RECORDS_PER_REQUEST = 100


def _records(first_ms: int, series: str) -> list[dict[str, object]]:
    """What the SDK sends for ``record_from_values(t, {"power": ..., "state": "on"}, ...)``."""
    return [
        {
            "Time": str(first_ms + i),
            "TimeUnit": "MILLISECONDS",
            "MeasureName": "status",
            "MeasureValueType": "MULTI",
            "MeasureValues": [
                {"Type": "DOUBLE", "Name": "power", "Value": repr(float(i))},
                {"Type": "VARCHAR", "Name": "state", "Value": "on"},
            ],
            "Dimensions": [
                {"DimensionValueType": "VARCHAR", "Name": "name", "Value": "bench asset"},
                {"DimensionValueType": "VARCHAR", "Name": "run", "Value": series},
            ],
            "Version": 1,
        }
        for i in range(RECORDS_PER_REQUEST)
    ]


def main_thread_cpu_seconds(pid: int) -> float:
    """CPU time of the process's main thread (the emulator's event loop)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def publish_requests(url: str, database_id: str, count: int, label: str) -> list[bytes]:
    """``count`` complete HTTP/1.1 requests, each publishing 100 new records."""
    parts = urlsplit(url)
    series = f"{label}-{time.time_ns()}"
    first_ms = time.time_ns() // 1_000_000 - count * RECORDS_PER_REQUEST
    requests = []
    for index in range(count):
        variables = {
            "timeSeriesDbId": database_id,
            "assetId": "bench-asset",
            "data": {"records": _records(first_ms + index * RECORDS_PER_REQUEST, series)},
        }
        body = json.dumps({"query": PUBLISH, "variables": variables}).encode()
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: {DEMO_OWNER_TOKEN}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


def health_requests(url: str, count: int) -> list[bytes]:
    parts = urlsplit(url)
    request = f"GET /_emulator/health HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    return [request] * count


async def _connection(host: str, port: int, requests: list[bytes], check: bytes | None) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for request in requests:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.decode(errors="replace"))
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            body = await reader.readexactly(length)
            if check is not None and check in body:
                raise RuntimeError(body[:500].decode(errors="replace"))
    finally:
        writer.close()


def send_all(url: str, requests: list[bytes], connections: int, check: bytes | None) -> float:
    """Sends ``requests`` over ``connections`` keep-alive sockets; returns seconds taken."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    slices = [requests[i::connections] for i in range(connections)]

    async def run() -> float:
        start = time.perf_counter()
        await asyncio.gather(*(_connection(host, port, part, check) for part in slices))
        return time.perf_counter() - start

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="publish requests of 100")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--group-commit-ms", type=float, default=None)
    options = parser.parse_args(argv)
    extra = (
        []
        if options.group_commit_ms is None
        else ["--group-commit-ms", str(options.group_commit_ms)]
    )
    with (
        tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir,
        running_emulator(data_dir, extra) as (process, url),
    ):
        with httpx.Client(headers={"Authorization": DEMO_OWNER_TOKEN}) as client:
            (database,) = client.post(
                url, json={"query": "{ timeSeriesDb_listDatabases { timeSeriesDbId } }"}
            ).json()["data"]["timeSeriesDb_listDatabases"]
        database_id = database["timeSeriesDbId"]
        send_all(url, publish_requests(url, database_id, 50, "warm-up"), 2, b'"errors"')

        health = options.requests * 2
        health_cpu = process_cpu_seconds(process.pid)
        health_seconds = send_all(url, health_requests(url, health), options.connections, None)
        health_cpu = process_cpu_seconds(process.pid) - health_cpu
        single = publish_requests(url, database_id, options.requests // 4, "one")
        single_seconds = send_all(url, single, 1, b'"errors"')
        many = publish_requests(url, database_id, options.requests, "many")
        many_cpu = process_cpu_seconds(process.pid)
        loop_cpu = main_thread_cpu_seconds(process.pid)
        many_seconds = send_all(url, many, options.connections, b'"errors"')
        many_cpu = process_cpu_seconds(process.pid) - many_cpu
        loop_cpu = main_thread_cpu_seconds(process.pid) - loop_cpu
    mode = (
        "durable: each request committed before its answer"
        if options.group_commit_ms is None
        else f"--group-commit-ms {options.group_commit_ms:g}"
    )
    floor = health / health_seconds
    one_rate = len(single) * RECORDS_PER_REQUEST / single_seconds
    rate = len(many) * RECORDS_PER_REQUEST / many_seconds
    print(f"raw publish requests of 100 records ({mode}):")
    print(
        f"  {options.connections} connections: {rate:,.0f} records/s "
        f"({len(many) / many_seconds:,.0f} requests/s, {many_seconds / len(many) * 1000:.2f} ms "
        f"per request); 1 connection: {one_rate:,.0f} records/s ({rate / one_rate:.2f}x)"
    )
    print(
        f"  emulator CPU per publish request: {many_cpu / len(many) * 1000:.2f} ms (all its "
        f"threads; one core at that cost: {len(many) * 100 / many_cpu:,.0f} records/s): "
        f"event loop {loop_cpu / len(many) * 1000:.2f} ms, request threads and DuckDB "
        f"{(many_cpu - loop_cpu) / len(many) * 1000:.2f} ms"
    )
    print(
        f"  baseline, the same client on GET /_emulator/health ({options.connections} "
        f"connections): {floor:,.0f} requests/s, {health_cpu / health * 1000:.3f} ms of emulator "
        f"CPU each; a publish costs {floor / (rate / 100):.1f} of them"
    )
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
