"""Shared set-up of the SDK benchmarks: the endpoint and token come from the environment."""

from __future__ import annotations

import os
import resource
import statistics
import sys


def require_env() -> tuple[str, str]:
    endpoint = os.environ.get("AVISTA_DX_ENDPOINT")
    token = os.environ.get("AVISTA_DX_TOKEN")
    if not endpoint or not token:
        sys.exit("set AVISTA_DX_ENDPOINT and AVISTA_DX_TOKEN (e.g. a local emulator)")
    return endpoint, token


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6
