"""Per-call overhead of a documented query vs a raw httpx POST of the same request
(target <= 1.10x), sync and async, on one kept-alive connection each.

    AVISTA_DX_ENDPOINT=... AVISTA_DX_TOKEN=... python -m bench.sdk_overhead [calls]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import httpx

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange

from ._env import median_us, require_env


def captured_request(endpoint: str, token: str) -> bytes:
    """The exact body the SDK sends for getDataStore, replayed by the raw client."""
    bodies: list[bytes] = []
    with httpx.Client(event_hooks={"request": [lambda r: bodies.append(r.read())]}) as http:
        dx = AvistaDigitalExchange(token, endpoint=endpoint, http_client=http)
        store_id = dx.listDataStores()[0].dataStoreId
        dx.getDataStore(store_id)
    return bodies[-1]


def sync_figures(endpoint: str, token: str, body: bytes, calls: int) -> tuple[float, float]:
    store_id = json.loads(body)["variables"]["dataStoreId"]
    headers = {"Authorization": token, "Content-Type": "application/json"}
    raw_samples, sdk_samples = [], []
    with httpx.Client() as http, AvistaDigitalExchange(token, endpoint=endpoint) as dx:
        for _ in range(20):  # warm both connections
            http.post(endpoint, content=body, headers=headers).json()
            dx.getDataStore(store_id)
        for _ in range(calls):  # interleaved, so drift hits both alike
            start = time.perf_counter()
            http.post(endpoint, content=body, headers=headers).json()
            raw_samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            dx.getDataStore(store_id)
            sdk_samples.append(time.perf_counter() - start)
    return median_us(raw_samples), median_us(sdk_samples)


async def async_figures(endpoint: str, token: str, body: bytes, calls: int) -> tuple[float, float]:
    store_id = json.loads(body)["variables"]["dataStoreId"]
    headers = {"Authorization": token, "Content-Type": "application/json"}
    raw_samples, sdk_samples = [], []
    async with (
        httpx.AsyncClient() as http,
        AsyncAvistaDigitalExchange(token, endpoint=endpoint) as dx,
    ):
        for _ in range(20):
            (await http.post(endpoint, content=body, headers=headers)).json()
            await dx.getDataStore(store_id)
        for _ in range(calls):
            start = time.perf_counter()
            (await http.post(endpoint, content=body, headers=headers)).json()
            raw_samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            await dx.getDataStore(store_id)
            sdk_samples.append(time.perf_counter() - start)
    return median_us(raw_samples), median_us(sdk_samples)


def main() -> None:
    endpoint, token = require_env()
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    body = captured_request(endpoint, token)
    for label, (raw, sdk) in (
        ("sync ", sync_figures(endpoint, token, body, calls)),
        ("async", asyncio.run(async_figures(endpoint, token, body, calls))),
    ):
        print(
            f"{label} getDataStore: raw httpx {raw:8.1f} us, SDK {sdk:8.1f} us, "
            f"ratio {sdk / raw:.3f} (median of {calls})"
        )


if __name__ == "__main__":
    main()
