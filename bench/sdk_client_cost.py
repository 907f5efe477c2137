"""The SDK's own CPU cost per call, without any server: a documented query vs a raw httpx POST,
both answered instantly by the same canned response through `httpx.MockTransport`.

    python -m bench.sdk_client_cost [calls]

This isolates what the SDK adds (variables, generated model, adaptation, retry bookkeeping);
`bench.sdk_overhead` measures the same against a real server on loopback.
"""

from __future__ import annotations

import json
import sys
import time

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
    raw, sdk = median_us(raw_samples), median_us(sdk_samples)
    print(
        f"client-side cost of getDataStore: raw httpx {raw:.1f} us, SDK {sdk:.1f} us "
        f"(+{sdk - raw:.1f} us per call, median of {calls})"
    )


if __name__ == "__main__":
    main()
