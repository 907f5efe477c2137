"""The SDK's own CPU cost per call, without any server: a documented query vs a raw httpx POST,
both answered instantly by the same canned response through `httpx.MockTransport`.

    python -m bench.sdk_client_cost [calls]

This isolates what the SDK adds (variables, request encoding, answer validation, retry
bookkeeping); `bench.sdk_overhead` measures the same against a real server on loopback. Two
figures: the median wall time of single calls, and the process CPU time per call of the best of
interleaved batches (which the other jobs of a shared machine disturb less).
"""

from __future__ import annotations

import json
import sys
import time
import timeit
from collections.abc import Callable

import httpx

from avista_dx import AvistaDigitalExchange

from ._env import median_us

STORE = {
    "dataStoreId": "dataStoreId.1",
    "name": "Store",
    "description": None,
    "ownerUserId": "userId.1",
    "homeDirectoryId": "dir.1",
}
BODY = json.dumps({"data": {"storage_getDataStore": STORE}}).encode()


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"Content-Type": "application/json"})


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    transport = httpx.MockTransport(answer)
    raw_samples, sdk_samples = [], []
    request_body = json.dumps(
        {
            "query": "query storage_getDataStore($dataStoreId: ID!) { ... }",
            "operationName": "storage_getDataStore",
            "variables": {"dataStoreId": "dataStoreId.1"},
        }
    ).encode()
    url = "http://exchange.test/graphql"
    with httpx.Client(transport=transport) as http:
        dx = AvistaDigitalExchange("token", endpoint=url, http_client=http)
        for _ in range(200):
            http.post(url, content=request_body, headers={"Authorization": "token"}).json()
            dx.getDataStore("dataStoreId.1")
        for _ in range(calls):
            start = time.perf_counter()
            http.post(url, content=request_body, headers={"Authorization": "token"}).json()
            raw_samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            dx.getDataStore("dataStoreId.1")
            sdk_samples.append(time.perf_counter() - start)
        raw_cpu, sdk_cpu = best_cpu_us(
            lambda: http.post(url, content=request_body, headers={"Authorization": "token"}).json(),
            lambda: dx.getDataStore("dataStoreId.1"),
            calls,
        )
    raw, sdk = median_us(raw_samples), median_us(sdk_samples)
    print(
        f"client-side cost of getDataStore: raw httpx {raw:.1f} us, SDK {sdk:.1f} us "
        f"(+{sdk - raw:.1f} us per call, median of {calls})"
    )
    print(
        f"  CPU per call: raw httpx {raw_cpu:.1f} us, SDK {sdk_cpu:.1f} us "
        f"(+{sdk_cpu - raw_cpu:.1f} us, best of {calls // BATCH} interleaved batches of {BATCH})"
    )


BATCH = 100


def best_cpu_us(
    raw: Callable[[], object], sdk: Callable[[], object], calls: int
) -> tuple[float, float]:
    best_raw = best_sdk = float("inf")
    for _ in range(max(1, calls // BATCH)):
        best_raw = min(best_raw, timeit.timeit(raw, number=BATCH, timer=time.process_time))
        best_sdk = min(best_sdk, timeit.timeit(sdk, number=BATCH, timer=time.process_time))
    return best_raw / BATCH * 1e6, best_sdk / BATCH * 1e6


if __name__ == "__main__":
    main()
