"""The CLI stops within seconds on SIGTERM, even while runaway queries run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .test_query_liveness import RUNAWAY, _query

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_sigterm_stops_the_server_within_seconds_while_queries_run() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "avista_dx._cli", "emulator", "--in-memory", "--seed", "demo",
         "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        tokens = {}
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/_emulator/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        for line in process.stdout:
            parts = line.split()
            if len(parts) == 2 and parts[1].startswith("dx-demo-"):
                tokens[parts[0]] = parts[1]
            if "outsider" in tokens:
                break
        database = httpx.post(
            f"{base}/graphql",
            json={"query": "{ timeSeriesDb_listDatabases { timeSeriesDbId } }"},
            headers={"Authorization": tokens["owner"]},
        ).json()["data"]["timeSeriesDb_listDatabases"][0]["timeSeriesDbId"]
        with ThreadPoolExecutor(8) as pool:
            for _ in range(8):
                pool.submit(_query, f"{base}/graphql", tokens["owner"], database, RUNAWAY, 60)
            time.sleep(1)
            started = time.monotonic()
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
            assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
