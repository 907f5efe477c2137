"""Restarts lose nothing acknowledged; an interrupted or crashed upload claims no bytes.

These run the emulator over real HTTP (uvicorn on a loopback port), in-process and as the CLI.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from avista_dx.emulator import run_emulator

CREATE_FILE = (
    "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
    'dataStoreDirectoryId: $d, name: "big", fileExtension: "bin") { url itemId } }'
)
FILE_META = (
    "query($f: ID!) { storage_getDataStoreFile(dataStoreFileId: $f) "
    "{ name storageSizeBytes s3ConfirmedUpload } }"
)


def call(url: str, token: str, query: str, **variables: Any) -> Any:
    response = httpx.post(
        url, json={"query": query, "variables": variables}, headers={"Authorization": token}
    )
    body = response.json()
    assert "errors" not in body, body
    (value,) = body["data"].values()
    return value


def test_restart_keeps_everything_acknowledged(tmp_path: Path) -> None:
    with run_emulator(seed="demo", data_dir=tmp_path) as first:
        owner = first.tokens["owner"]
        ids = first.seed.ids if first.seed else {}
        store = call(
            first.url,
            owner,
            'mutation { storage_createDataStore(name: "Kept") { dataStoreId homeDirectoryId } }',
        )
        directory = call(
            first.url,
            owner,
            "mutation($s: ID!, $p: ID!) { storage_createDataStoreDirectory(dataStoreId: $s, "
            'parentDirectoryId: $p, name: "sub") { dataStoreDirectoryId } }',
            s=store["dataStoreId"],
            p=store["homeDirectoryId"],
        )
        created = call(
            first.url,
            owner,
            CREATE_FILE,
            s=store["dataStoreId"],
            d=directory["dataStoreDirectoryId"],
        )
        assert httpx.put(created["url"], content=b"persist me").status_code == 200
        token = call(
            first.url,
            owner,
            'mutation { user_createAuthenticationToken(name: "t", daysBeforeExpiration: 2) '
            "{ tokenValue } }",
        )["tokenValue"]
        download_url = call(
            first.url,
            owner,
            "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }",
            f=created["itemId"],
        )["url"]
        first_port = urlsplit(first.url).port

    with run_emulator(seed="demo", data_dir=tmp_path, port=first_port or 0) as second:
        assert second.seed is not None
        assert second.seed.ids == ids  # the seed ran once
        stores = call(second.url, token, "query { storage_listDataStores { name } }")
        assert [s["name"] for s in stores] == ["Demo data store", "Kept"]
        meta = call(second.url, owner, FILE_META, f=created["itemId"])
        assert meta == {"name": "big", "storageSizeBytes": 10, "s3ConfirmedUpload": True}
        if urlsplit(second.url).port == first_port:
            # The signing key persists too: a URL handed out before the restart still works.
            assert httpx.get(download_url).content == b"persist me"
        path = urlsplit(download_url)
        fresh = call(
            second.url,
            owner,
            "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }",
            f=created["itemId"],
        )["url"]
        assert httpx.get(fresh).content == b"persist me"
        assert path.path in fresh


def test_interrupted_upload_leaves_no_bytes_and_stays_retryable(tmp_path: Path) -> None:
    with run_emulator(seed="demo", data_dir=tmp_path) as handle:
        assert handle.seed is not None
        owner, ids = handle.tokens["owner"], handle.seed.ids
        created = call(handle.url, owner, CREATE_FILE, s=ids["dataStore"], d=ids["homeDirectory"])
        target = urlsplit(created["url"])
        with socket.create_connection((target.hostname, target.port)) as raw:
            raw.sendall(
                f"PUT {target.path}?{target.query} HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 1000000\r\n\r\n".encode()
                + b"x" * 5000
            )
            time.sleep(0.2)
        deadline = time.monotonic() + 5
        while list((tmp_path / "staging").iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list((tmp_path / "staging").iterdir()) == []
        meta = call(handle.url, owner, FILE_META, f=created["itemId"])
        assert meta["s3ConfirmedUpload"] is False
        assert meta["storageSizeBytes"] is None
        assert not (tmp_path / "blobs" / created["itemId"]).exists()
        assert httpx.put(created["url"], content=b"second try").status_code == 200
        assert call(handle.url, owner, FILE_META, f=created["itemId"])["storageSizeBytes"] == 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def cli_emulator(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "avista_dx._cli", "emulator", "--port", str(port),
         "--data-dir", str(tmp_path), "--seed", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/_emulator/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield process, f"{base}/graphql", tmp_path
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def restart_cli(url: str, data_dir: Path) -> subprocess.Popen[bytes]:
    """The CLI emulator again on ``url``'s port and ``data_dir``, once it answers."""
    restarted = subprocess.Popen(
        [sys.executable, "-m", "avista_dx._cli", "emulator", "--port", str(urlsplit(url).port),
         "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url.replace("/graphql", "/_emulator/health"))
            return restarted
        except httpx.TransportError:
            if time.monotonic() > deadline:
                restarted.kill()
                raise
            time.sleep(0.05)


PUBLISH = (
    "mutation($t: ID!, $d: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase("
    'timeSeriesDbId: $t, assetId: "crash", data: $d) { assetId } }'
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_every_acknowledged_publish_survives_kill_9(
    cli_emulator: tuple[subprocess.Popen[str], str, Path],
) -> None:
    """The durable default: concurrent publishes (sharing commits) are on disk once answered."""
    process, url, data_dir = cli_emulator
    owner = "dx-demo-owner-token"
    (database,) = call(
        url, owner, "query { timeSeriesDb_listDatabases { timeSeriesDbId databaseName tableName } }"
    )
    first_ms = int(time.time() * 1000) - 10_000_000
    answered = [0] * 4  # requests answered per worker; each request writes 10 new records
    failures: list[BaseException] = []
    crashed = threading.Event()

    def first_time(worker: int, request: int) -> int:
        return first_ms + worker * 100_000 + request * 10

    def publisher(worker: int) -> None:
        with httpx.Client(headers={"Authorization": owner}) as client:
            for request in range(1000):
                records = [
                    {"Time": str(first_time(worker, request) + i), "TimeUnit": "MILLISECONDS",
                     "MeasureName": "kwh", "MeasureValueType": "DOUBLE", "MeasureValue": "1.5",
                     "Dimensions": []}
                    for i in range(10)
                ]  # fmt: skip
                variables = {"t": database["timeSeriesDbId"], "d": {"records": records}}
                try:
                    body = client.post(url, json={"query": PUBLISH, "variables": variables}).json()
                except httpx.TransportError:
                    if not crashed.is_set():
                        failures.append(AssertionError("a request failed before the crash"))
                    return
                if "errors" in body:
                    failures.append(AssertionError(body))
                    return
                answered[worker] += 1

    workers = [threading.Thread(target=publisher, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60
    while sum(answered) < 40 and time.monotonic() < deadline and not failures:
        time.sleep(0.01)
    crashed.set()
    os.kill(process.pid, signal.SIGKILL)  # mid-publish: requests are in flight
    process.wait()
    for worker in workers:
        worker.join()
    assert failures == []
    assert sum(answered) >= 40
    restarted = restart_cli(url, data_dir)
    try:
        table = f'"{database["databaseName"]}"."{database["tableName"]}"'
        query = (
            "query($t: ID!, $q: String!) { timeSeriesDb_queryDatabaseWithTimestreamQuery("
            "timeSeriesDbId: $t, queryString: $q) { resultJSONString } }"
        )
        for worker, count in enumerate(answered):
            start = first_time(worker, 0)
            found = call(
                url, owner, query, t=database["timeSeriesDbId"],
                q=f"SELECT count(*) FROM {table} WHERE time BETWEEN from_milliseconds({start})"
                f" AND from_milliseconds({start + count * 10 - 1})",
            )  # fmt: skip
            rows = json.loads(found["resultJSONString"])["Rows"]
            # Every record of every answered request is there.
            assert rows[0]["Data"][0]["ScalarValue"] == str(count * 10)
    finally:
        restarted.kill()
        restarted.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_crash_mid_upload_then_restart(
    cli_emulator: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, data_dir = cli_emulator
    owner = "dx-demo-owner-token"
    stores = call(url, owner, "query { storage_listDataStores { dataStoreId homeDirectoryId } }")
    created = call(
        url, owner, CREATE_FILE, s=stores[0]["dataStoreId"], d=stores[0]["homeDirectoryId"]
    )
    target = urlsplit(created["url"])
    with socket.create_connection((target.hostname, target.port)) as raw:
        raw.sendall(
            f"PUT {target.path}?{target.query} HTTP/1.1\r\nHost: x\r\n"
            "Content-Length: 10000000\r\n\r\n".encode()
            + b"y" * 3_000_000
        )
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGKILL)  # the crash, with bytes staged on disk
        process.wait()
    out = process.stdout.read() if process.stdout else ""
    assert "GraphQL at http://127.0.0.1" in out
    assert "dx-demo-owner-token" in out

    restarted = restart_cli(url, data_dir)
    try:
        assert list((data_dir / "staging").iterdir()) == []
        meta = call(url, owner, FILE_META, f=created["itemId"])
        assert meta["s3ConfirmedUpload"] is False
        assert meta["storageSizeBytes"] is None
    finally:
        restarted.kill()
        restarted.wait()


def test_a_data_directory_serves_one_emulator_at_a_time(tmp_path: Path) -> None:
    from avista_dx.emulator import EmulatorConfig, build_emulator
    from avista_dx.emulator._dirlock import DataDirectoryInUseError, fcntl

    if fcntl is None:
        pytest.skip("no advisory locks on this platform")
    first = build_emulator(EmulatorConfig(data_dir=tmp_path))
    try:
        with pytest.raises(DataDirectoryInUseError, match="in use"):
            build_emulator(EmulatorConfig(data_dir=tmp_path))
    finally:
        first.close()
    build_emulator(EmulatorConfig(data_dir=tmp_path)).close()


def test_concurrent_clients_lose_nothing(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with run_emulator(seed="demo", data_dir=tmp_path) as handle:
        assert handle.seed is not None
        ids = handle.seed.ids

        def worker(index: int) -> list[tuple[str, int]]:
            token = handle.tokens["writer" if index % 2 else "owner"]
            created = []
            with httpx.Client(headers={"Authorization": token}) as client:
                for item in range(10):
                    body = client.post(
                        handle.url,
                        json={
                            "query": CREATE_FILE,
                            "variables": {"s": ids["dataStore"], "d": ids["homeDirectory"]},
                        },
                    ).json()
                    file = body["data"]["storage_createDataStoreFile"]
                    payload = f"{index}-{item}".encode() * (1000 + index)
                    assert httpx.put(file["url"], content=payload).status_code == 200
                    created.append((file["itemId"], len(payload)))
            return created

        with ThreadPoolExecutor(4) as pool:
            created = dict(entry for batch in pool.map(worker, range(4)) for entry in batch)
        assert len(created) == 40
        for file_id, size in created.items():
            meta = call(handle.url, handle.tokens["reader"], FILE_META, f=file_id)
            assert meta["s3ConfirmedUpload"] is True
            assert meta["storageSizeBytes"] == size
        assert set(created) <= set(handle.emulator.blobs.keys())
