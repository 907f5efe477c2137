"""Shared set-up of the SDK benchmarks: the endpoint and token come from the environment."""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

DEMO_OWNER_TOKEN = "dx-demo-owner-token"  # the demo seed's fixed development credential


def require_env() -> tuple[str, str]:
    endpoint = os.environ.get("AVISTA_DX_ENDPOINT")
    token = os.environ.get("AVISTA_DX_TOKEN")
    if not endpoint or not token:
        sys.exit("set AVISTA_DX_ENDPOINT and AVISTA_DX_TOKEN (e.g. a local emulator)")
    return endpoint, token


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, all its threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_emulator(
    data_dir: str, extra_args: Sequence[str] = ()
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The emulator CLI in its own process (demo seed, on-disk data): (process, GraphQL URL).

    A separate process keeps the server's CPU and memory apart from the measuring client's.
    ``extra_args`` go to ``avista-dx emulator`` (e.g. ``--group-commit-ms``).
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "avista_dx._cli", "emulator", "--port", str(port),
         "--data-dir", data_dir, "--seed", "demo", *extra_args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/_emulator/health").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the emulator did not start") from None
                time.sleep(0.05)
        yield process, f"{base}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=30)
