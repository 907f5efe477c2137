"""Figures for the time-series engine (a script, not a test): ``python bench/timestream_engine.py``.

Prints publish throughput (100-record batches), first-page latency of a bin()/avg() query over
1,000,000 rows, and full pagination throughput, each next to a raw DuckDB baseline measured in
the same run on the same data.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from avista_dx.emulator.timestream import TimestreamEngine

DATABASE, TABLE = "bench", "metrics"
HOSTS = 100
T0_MS = 1_704_067_200_000


def allow_all(database_name: str, table_name: str) -> bool:
    return True


def record(index: int, version: int | None = None) -> dict[str, Any]:
    host = index % HOSTS
    result: dict[str, Any] = {
        "Time": str(T0_MS + (index // HOSTS) * 1000),
        "TimeUnit": "MILLISECONDS",
        "MeasureName": "cpu_utilization",
        "MeasureValueType": "DOUBLE",
        "MeasureValue": repr((index * 7919 % 10_000) / 100),
        "Dimensions": [
            {"Name": "host", "Value": f"host-{host}", "DimensionValueType": "VARCHAR"},
            {"Name": "region", "Value": f"region-{host % 4}", "DimensionValueType": "VARCHAR"},
        ],
    }
    if version is not None:
        result["Version"] = version
    return result


def publish_range(
    engine: TimestreamEngine, start: int, stop: int, version: int | None = None
) -> float:
    """Publish records [start, stop) in batches of 100; returns records per second."""
    batches = [
        [record(i, version) for i in range(s, min(s + 100, stop))] for s in range(start, stop, 100)
    ]
    began = time.perf_counter()
    for batch in batches:
        engine.publish(DATABASE, TABLE, "bench", batch)
    engine.flush()  # count the group commit of the last appends too
    return (stop - start) / (time.perf_counter() - began)


def median_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def read_all_pages(engine: TimestreamEngine, query: str) -> int:
    """Pages of 1000 rows as JSON text (what the GraphQL resolver returns); returns bytes read."""
    page = engine.query_json(query, can_read=allow_all, max_rows=1000)
    total = len(page)
    while '"NextToken":"' in page:
        token = page.split('"NextToken":"', 1)[1].split('"', 1)[0]
        page = engine.query_json(query, can_read=allow_all, max_rows=1000, next_token=token)
        total += len(page)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="table size for the queries")
    parser.add_argument("--runs", type=int, default=15, help="repetitions of latency figures")
    parser.add_argument(
        "--commit-delay", type=float, default=None, help="group-commit delay (0: every request)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.duckdb"
        options = {} if args.commit_delay is None else {"commit_delay": args.commit_delay}
        engine = TimestreamEngine(path, **options)
        engine.create_table(DATABASE, TABLE)

        rate = publish_range(engine, 0, 100_000)
        print(f"publish, 100,000 new records in batches of 100: {rate:,.0f} records/s")
        rewrite = publish_range(engine, 0, 10_000, version=2)
        print(f"publish, 10,000 updates of existing points (version 2): {rewrite:,.0f} records/s")
        fill = publish_range(engine, 100_000, args.rows)
        print(f"publish, filling to {args.rows:,} rows: {fill:,.0f} records/s")

        table = f'"{DATABASE}"."{TABLE}"'
        bin_query = (
            f"SELECT region, bin(time, 5m) AS t, avg(measure_value::double) AS avg_cpu FROM {table}"
            " WHERE measure_name = 'cpu_utilization'"
            " GROUP BY region, bin(time, 5m) ORDER BY t, region"
        )
        first_page = median_ms(lambda: engine.query_json(bin_query, can_read=allow_all), args.runs)
        # The baseline reads the engine's own storage table directly (private on purpose).
        schema = engine._tables[(DATABASE, TABLE)].schema
        cursor = engine._connection.cursor()
        raw_sql = (
            "SELECT region, time_bucket(INTERVAL 5 MINUTE, time, TIMESTAMP '1970-01-01') AS t,"
            f' avg("measure_value::double") FROM {schema.storage_table}'
            " WHERE measure_name = 'cpu_utilization' GROUP BY ALL ORDER BY t, region"
        )
        raw_ms = median_ms(lambda: cursor.execute(raw_sql).fetchall(), args.runs)
        rows = len(cursor.execute(raw_sql).fetchall())
        print(
            f"bin()/avg() over {args.rows:,} rows, first page ({rows} rows): {first_page:.1f} ms"
            f" median of {args.runs} (raw DuckDB fetchall baseline: {raw_ms:.1f} ms)"
        )

        # The sandbox's READ ONLY transaction (always rolled back), against the bare statement.
        def read_only(sql: str) -> None:
            cursor.execute("BEGIN TRANSACTION READ ONLY")
            cursor.execute(sql).fetchall()
            cursor.execute("ROLLBACK")

        for label, sql in (("SELECT 1", "SELECT 1"), ("the bin()/avg() query", raw_sql)):
            bare = median_ms(lambda sql=sql: cursor.execute(sql).fetchall(), args.runs * 10)
            wrapped = median_ms(lambda sql=sql: read_only(sql), args.runs * 10)
            print(
                f"READ ONLY transaction around {label}: {wrapped:.3f} ms vs {bare:.3f} ms bare"
                f" (+{wrapped - bare:.3f} ms, {wrapped / bare:.2f}x)"
            )
        small = median_ms(lambda: engine.query_json("SELECT 1", can_read=allow_all), args.runs * 10)
        print(f"engine query SELECT 1 (translate, sandbox, page): {small:.2f} ms median")

        scan = f"SELECT * FROM {table}"
        began = time.perf_counter()
        size = read_all_pages(engine, scan)
        elapsed = time.perf_counter() - began
        print(
            f"pagination, {args.rows:,} rows in pages of 1000 (JSON text, {size / 2**20:,.0f} MiB):"
            f" {args.rows / elapsed:,.0f} rows/s"
        )
        began = time.perf_counter()
        raw_cursor = cursor.execute(f"SELECT * FROM {schema.view}")
        while raw_cursor.fetchmany(1000):
            pass
        raw_elapsed = time.perf_counter() - began
        print(
            f"  raw DuckDB fetchmany(1000) of the same rows: {args.rows / raw_elapsed:,.0f} rows/s"
        )
        cursor.close()
        engine.close()


if __name__ == "__main__":
    main()
