"""Publishing many records through the SDK (records/s), in requests of 100.

    AVISTA_DX_ENDPOINT=... AVISTA_DX_TOKEN=... python -m bench.sdk_publish [records] [in_flight]

``records`` (default 1,000,000) sync with ``in_flight`` worker threads and async with
``in_flight`` requests at a time (issue 12's figures), after sync one request of 100 at a time
over at most 100,000 of them (issue 4's figure), to the first time-series database. Records
cannot be deleted, so every run writes a series of its own (a dimension unique to the run: a
rerun never collides with earlier data).
"""

from __future__ import annotations

import asyncio
import sys
import time

from avista_dx import (
    AsyncAvistaDigitalExchange,
    AvistaDigitalExchange,
    TimeSeriesInputRecord,
    record_from_values,
)

from ._env import require_env


def _records(count: int, label: str) -> list[TimeSeriesInputRecord]:
    base = time.time_ns() // 1_000_000 - count
    run_id = f"{label}-{time.time_ns()}"
    return [
        record_from_values(
            base + i,
            {"power": float(i), "state": "on"},
            measure_name="status",
            dimensions={"name": "bench asset", "run": run_id},
        )
        for i in range(count)
    ]


def _report(mode: str, count: int, seconds: float) -> None:
    print(f"{mode} publish: {count} records in {seconds:.2f} s = {count / seconds:,.0f} records/s")


def run_sync(endpoint: str, token: str, count: int, in_flight: int) -> None:
    records = _records(count, f"sync{in_flight}")
    with AvistaDigitalExchange(token, endpoint=endpoint, publish_concurrency=in_flight) as dx:
        db = dx.listTimeSeriesDatabases()[0]
        start = time.perf_counter()
        dx.publishToTimeSeriesDatabase(db.timeSeriesDbId, "bench-asset", records)
        threads = f"{in_flight} worker threads" if in_flight > 1 else "1 request at a time"
        _report(f"sync ({threads}, requests of 100)", count, time.perf_counter() - start)


async def run_async(endpoint: str, token: str, count: int, in_flight: int) -> None:
    records = _records(count, "async")
    async with AsyncAvistaDigitalExchange(
        token, endpoint=endpoint, publish_concurrency=in_flight
    ) as dx:
        db = (await dx.listTimeSeriesDatabases())[0]
        start = time.perf_counter()
        await dx.publishToTimeSeriesDatabase(db.timeSeriesDbId, "bench-asset", records)
        _report(
            f"async ({in_flight} requests of 100 in flight)", count, time.perf_counter() - start
        )


def main() -> None:
    endpoint, token = require_env()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    in_flight = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    run_sync(endpoint, token, min(count, 100_000), 1)
    run_sync(endpoint, token, count, in_flight)
    asyncio.run(run_async(endpoint, token, count, in_flight))


if __name__ == "__main__":
    main()
