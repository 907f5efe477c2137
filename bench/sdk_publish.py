"""Async publish of many records (records/s), in requests of 100, several in flight.

    AVISTA_DX_ENDPOINT=... AVISTA_DX_TOKEN=... python -m bench.sdk_publish [records] [in_flight]

Publishes to the first time series database, asset `bench-asset` (records cannot be deleted).
"""

from __future__ import annotations

import asyncio
import sys
import time

from avista_dx import AsyncAvistaDigitalExchange, record_from_values

from ._env import require_env


async def run(endpoint: str, token: str, count: int, in_flight: int) -> None:
    base = time.time_ns() // 1_000_000 - count
    # A dimension unique to this run: reruns never collide with earlier runs' records (a
    # different value at the same time and version would be rejected).
    run_id = str(time.time_ns())
    records = [
        record_from_values(
            base + i,
            {"power": float(i), "state": "on"},
            measure_name="status",
            dimensions={"name": "bench asset", "run": run_id},
        )
        for i in range(count)
    ]
    async with AsyncAvistaDigitalExchange(
        token, endpoint=endpoint, publish_concurrency=in_flight
    ) as dx:
        db = (await dx.listTimeSeriesDatabases())[0]
        start = time.perf_counter()
        await dx.publishToTimeSeriesDatabase(db.timeSeriesDbId, "bench-asset", records)
        seconds = time.perf_counter() - start
    print(
        f"async publish: {count} records in {seconds:.2f} s = {count / seconds:,.0f} records/s "
        f"({in_flight} requests of 100 in flight)"
    )


def main() -> None:
    endpoint, token = require_env()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    in_flight = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    asyncio.run(run(endpoint, token, count, in_flight))


if __name__ == "__main__":
    main()
