"""Emulator figures over real HTTP: GraphQL latency, throughput, and 1 GiB transfers.

``python -m bench.emulator_http [--size-mib 1024] [--requests 2000]``. The emulator runs as the
CLI in a subprocess (on-disk data directory), so its peak RSS and CPU are measured on their own.
CPU per request is given against ``GET /_emulator/health`` from the same client in the same run
(the server's HTTP floor), and throughput twice: 4 httpx clients (threads of this process), and
4 lean keep-alive connections sending pre-encoded requests (the server's own ceiling).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ._env import DEMO_OWNER_TOKEN, process_cpu_seconds, running_emulator
from .emulator_publish import health_requests, send_all

TOKEN = DEMO_OWNER_TOKEN
GET_STORE = "query storage_getDataStore($dataStoreId: ID!) { storage_getDataStore(dataStoreId: $dataStoreId) { dataStoreId name description ownerUserId homeDirectoryId } }"  # noqa: E501
LIST_STORES = "query { storage_listDataStores { dataStoreId homeDirectoryId } }"
CHUNK = 1024 * 1024


def _peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _gql(client: httpx.Client, url: str, query: str, **variables: Any) -> Any:
    body = client.post(url, json={"query": query, "variables": variables}).json()
    (value,) = body["data"].values()
    return value


def _health_cpu_ms(client: httpx.Client, url: str, requests: int, pid: int) -> float:
    """Emulator CPU per ``GET /_emulator/health``: what any request costs it over HTTP."""
    health = url.removesuffix("/graphql") + "/_emulator/health"
    cpu = process_cpu_seconds(pid)
    for _ in range(requests):
        client.get(health)
    return (process_cpu_seconds(pid) - cpu) / requests * 1000


def latency(url: str, store_id: str, requests: int, pid: int) -> None:
    with httpx.Client(headers={"Authorization": TOKEN}) as client:
        for _ in range(50):
            _gql(client, url, GET_STORE, dataStoreId=store_id)
        samples = []
        cpu = process_cpu_seconds(pid)
        for _ in range(requests):
            start = time.perf_counter()
            _gql(client, url, GET_STORE, dataStoreId=store_id)
            samples.append(time.perf_counter() - start)
        cpu = process_cpu_seconds(pid) - cpu
        floor_ms = _health_cpu_ms(client, url, requests, pid)
    samples.sort()
    cpu_ms = cpu / requests * 1000
    print(
        f"storage_getDataStore raw httpx POST: median {statistics.median(samples) * 1000:.2f} ms, "
        f"p95 {samples[int(len(samples) * 0.95)] * 1000:.2f} ms ({requests} requests); "
        f"emulator CPU {cpu_ms:.2f} ms per request, of which HTTP "
        f"(GET /_emulator/health, same client) {floor_ms:.2f} ms, GraphQL and the read "
        f"{cpu_ms - floor_ms:.2f} ms"
    )


def throughput(url: str, store_id: str, pid: int, clients: int = 4, seconds: float = 3.0) -> None:
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        with httpx.Client(headers={"Authorization": TOKEN}) as client:
            while time.monotonic() < stop:
                _gql(client, url, GET_STORE, dataStoreId=store_id)
                counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    emulator_cpu, client_cpu = process_cpu_seconds(pid), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    emulator_cpu = process_cpu_seconds(pid) - emulator_cpu
    client_cpu = time.process_time() - client_cpu
    done = sum(counts)
    print(
        f"storage_getDataStore with {clients} concurrent clients: {done / seconds:.0f} req/s "
        f"(CPU per request: emulator {emulator_cpu / done * 1000:.2f} ms, httpx clients "
        f"{client_cpu / done * 1000:.2f} ms, on {os.cpu_count()} CPUs shared by both)"
    )


def lean_throughput(url: str, store_id: str, pid: int, connections: int = 4) -> None:
    """The server's own ceiling: pre-encoded requests over raw keep-alive sockets."""
    parts = urlsplit(url)
    body = json.dumps({"query": GET_STORE, "variables": {"dataStoreId": store_id}}).encode()
    request = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    count = 4000
    send_all(url, [request] * 200, connections, b'"errors"')
    cpu = process_cpu_seconds(pid)
    seconds = send_all(url, [request] * count, connections, b'"errors"')
    cpu = process_cpu_seconds(pid) - cpu
    health_cpu = process_cpu_seconds(pid)
    health_seconds = send_all(url, health_requests(url, count), connections, None)
    health_cpu = process_cpu_seconds(pid) - health_cpu
    print(
        f"storage_getDataStore over {connections} lean connections: {count / seconds:.0f} req/s, "
        f"emulator CPU {cpu / count * 1000:.2f} ms per request (GET /_emulator/health the same "
        f"way: {count / health_seconds:.0f} req/s, {health_cpu / count * 1000:.2f} ms)"
    )


def in_process(requests: int) -> None:
    """The same request through the whole ASGI app in this process (no sockets, no client):
    Starlette, the endpoint, GraphQL, access checks and the SQLite reads, nothing else."""
    from avista_dx.emulator.config import EmulatorConfig
    from avista_dx.emulator.runner import prepare

    async def run(app: Any, body: bytes) -> bytes:
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
            "query_string": b"", "root_path": "", "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 1), "headers": [
                (b"host", b"127.0.0.1"), (b"authorization", TOKEN.encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }  # fmt: skip
        await app(scope, receive, send)
        answer: bytes = sent[1]["body"]
        return answer

    async def measure(app: Any) -> float:
        listed = await run(app, json.dumps({"query": LIST_STORES}).encode())
        (store,) = json.loads(listed)["data"]["storage_listDataStores"]
        variables = {"dataStoreId": store["dataStoreId"]}
        body = json.dumps({"query": GET_STORE, "variables": variables}).encode()
        for _ in range(200):
            assert b'"errors"' not in await run(app, body)
        cpu = time.process_time()
        for _ in range(requests):
            await run(app, body)
        return (time.process_time() - cpu) / requests

    with tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir:
        emulator, _ = prepare("demo", EmulatorConfig(data_dir=Path(data_dir)))
        try:
            seconds = asyncio.run(measure(emulator.app))
        finally:
            emulator.close()
    print(
        f"storage_getDataStore in process through the ASGI app (no sockets): "
        f"{seconds * 1000:.3f} ms of CPU per request"
    )


def _zeros(total: int) -> Iterator[bytes]:
    block = b"\0" * CHUNK
    sent = 0
    while sent < total:
        piece = block[: min(CHUNK, total - sent)]
        sent += len(piece)
        yield piece


def transfer(url: str, store_id: str, home_id: str, size: int, pid: int) -> None:
    with httpx.Client(headers={"Authorization": TOKEN}, timeout=600) as client:
        created = _gql(
            client,
            url,
            "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
            'dataStoreDirectoryId: $d, name: "bench", fileExtension: "bin") { url itemId } }',
            s=store_id,
            d=home_id,
        )
        rss_before = _peak_rss_mib(pid)
        start = time.perf_counter()
        with httpx.Client(timeout=600) as plain:
            response = plain.put(
                created["url"], content=_zeros(size), headers={"Content-Length": str(size)}
            )
        upload_seconds = time.perf_counter() - start
        assert response.status_code == 200, response.text
        download_url = _gql(
            client,
            url,
            "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }",
            f=created["itemId"],
        )["url"]
        start = time.perf_counter()
        received = 0
        with httpx.Client(timeout=600) as plain, plain.stream("GET", download_url) as stream:
            for chunk in stream.iter_raw(CHUNK):
                received += len(chunk)
        download_seconds = time.perf_counter() - start
        assert received == size
    mib = size / 2**20
    print(
        f"upload {mib:.0f} MiB: {mib / upload_seconds:.0f} MiB/s; "
        f"download: {mib / download_seconds:.0f} MiB/s; "
        f"emulator peak RSS {rss_before:.0f} MiB before, {_peak_rss_mib(pid):.0f} MiB after"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--requests", type=int, default=2000)
    options = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir,
        running_emulator(data_dir) as (process, url),
    ):
        with httpx.Client(headers={"Authorization": TOKEN}) as client:
            (store,) = _gql(client, url, LIST_STORES)
        latency(url, store["dataStoreId"], options.requests, process.pid)
        throughput(url, store["dataStoreId"], process.pid)
        lean_throughput(url, store["dataStoreId"], process.pid)
        transfer(
            url, store["dataStoreId"], store["homeDirectoryId"], options.size_mib * 2**20,
            process.pid,
        )  # fmt: skip
    in_process(options.requests)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
