"""Do concurrent publish requests overlap? A MockTransport answers every request after a fixed
latency (no CPU spent), so the time of a publish shows how many requests were in flight.

    python -m bench.sdk_publish_overlap [requests] [latency_ms] [in_flight]

The baseline is the same publish one request at a time (`publish_concurrency=1`), in the same
run; the overlap factor is baseline time / concurrent time (ideal: `in_flight`).
"""

from __future__ import annotations

import asyncio
import sys
import time

import httpx

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, records_from_rows

from .sdk_publish_cost import OPTIONS, URL, rows

ANSWER = {"data": {"timeSeriesDb_publishToDatabase": [{"assetId": "asset-1", "attributes": []}]}}


def sync_seconds(records: object, latency: float, in_flight: int) -> float:
    def answer(request: httpx.Request) -> httpx.Response:
        time.sleep(latency)
        return httpx.Response(200, json=ANSWER)

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        dx = AvistaDigitalExchange(
            "token", endpoint=URL, http_client=http, publish_concurrency=in_flight
        )
        start = time.perf_counter()
        dx.publishToTimeSeriesDatabase("db-1", "asset-1", records)  # type: ignore[arg-type]
        return time.perf_counter() - start


async def async_seconds(records: object, latency: float, in_flight: int) -> float:
    async def answer(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(latency)
        return httpx.Response(200, json=ANSWER)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        dx = AsyncAvistaDigitalExchange(
            "token", endpoint=URL, http_client=http, publish_concurrency=in_flight
        )
        start = time.perf_counter()
        await dx.publishToTimeSeriesDatabase("db-1", "asset-1", records)  # type: ignore[arg-type]
        return time.perf_counter() - start


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    latency = (float(sys.argv[2]) if len(sys.argv) > 2 else 20.0) / 1000
    in_flight = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    records = records_from_rows(rows(requests * 100), **OPTIONS)
    serial = sync_seconds(records, latency, 1)
    print(f"{requests} requests, {latency * 1000:.0f} ms each, one at a time: {serial:.2f} s")
    for label, seconds in (
        (f"sync, {in_flight} worker threads", sync_seconds(records, latency, in_flight)),
        (f"async, {in_flight} in flight", asyncio.run(async_seconds(records, latency, in_flight))),
    ):
        print(f"{label}: {seconds:.2f} s, overlap {serial / seconds:.1f}× (ideal {in_flight}×)")


if __name__ == "__main__":
    main()
