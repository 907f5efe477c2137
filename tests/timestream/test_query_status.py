"""QueryStatus figures, by AWS's documented rules.

- QueryStatus (Timestream API reference): CumulativeBytesScanned is "the amount of data scanned
  by the query"; CumulativeBytesMetered is what is charged, "applied only once", when the query
  completes.
- Pricing page: queries are billed on data scanned "rounded to the nearest MB, with a 10 MB
  minimum" — so SELECT 1 scans 0 bytes and meters 10,000,000 (real answers show
  ``"CumulativeBytesMetered":10000000,"CumulativeBytesScanned":0`` on a first, empty page).
- Inferred (no partitions in the emulator): a query scans every table it reads in full, sized
  as Timestream sizes records (see timestream/metering.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from avista_dx.emulator.timestream import TimestreamEngine
from avista_dx.emulator.timestream.metering import metered_bytes

from .conftest import T0_MS, allow_all, dimension, single_record

DB, TABLE = "status_db", "readings"
# 8 (time) + 3 ("kwh") + 3 ("m-1") + 8 (a DOUBLE): one record's bytes.
RECORD_BYTES = 22


def _status(engine: TimestreamEngine, query: str, **kwargs: object) -> dict[str, object]:
    status: dict[str, object] = engine.query(query, can_read=allow_all, **kwargs)["QueryStatus"]
    return status


def _load(engine: TimestreamEngine, count: int, start: int = 0) -> None:
    records = [
        single_record(T0_MS + minute, "1.5", measure="kwh", dimensions=[dimension("m", "m-1")])
        for minute in range(start, start + count)
    ]
    engine.publish(DB, TABLE, "meter-1", records)


@pytest.fixture
def engine() -> Iterator[TimestreamEngine]:
    with TimestreamEngine(None, commit_delay=0) as engine:
        engine.create_table(DB, TABLE)
        yield engine


def test_a_constant_query_scans_nothing_and_meters_the_minimum(engine: TimestreamEngine) -> None:
    assert _status(engine, "SELECT 1") == {
        "ProgressPercentage": 100.0,
        "CumulativeBytesScanned": 0,
        "CumulativeBytesMetered": 10_000_000,
    }


def test_a_table_query_scans_the_tables_records(engine: TimestreamEngine) -> None:
    _load(engine, 3)
    status = _status(engine, f'SELECT avg(measure_value::double) FROM "{DB}"."{TABLE}"')
    assert status["CumulativeBytesScanned"] == 3 * RECORD_BYTES
    assert status["CumulativeBytesMetered"] == 10_000_000
    _load(engine, 2, start=3)  # more records: more scanned
    status = _status(engine, f'SELECT count(*) FROM "{DB}"."{TABLE}"')
    assert status["CumulativeBytesScanned"] == 5 * RECORD_BYTES


def test_paginated_figures_follow_real_answers(engine: TimestreamEngine) -> None:
    _load(engine, 4)
    first = engine.query(f'SELECT * FROM "{DB}"."{TABLE}"', can_read=allow_all, max_rows=2)
    # More rows than MaxRows: an empty first page, progress 0, nothing scanned yet.
    assert first["Rows"] == []
    assert first["QueryStatus"] == {
        "ProgressPercentage": 0.0,
        "CumulativeBytesScanned": 0,
        "CumulativeBytesMetered": 10_000_000,
    }
    second = engine.query(
        f'SELECT * FROM "{DB}"."{TABLE}"',
        can_read=allow_all,
        max_rows=2,
        next_token=first["NextToken"],
    )
    assert second["QueryStatus"]["CumulativeBytesScanned"] == 4 * RECORD_BYTES


def test_metadata_statements_scan_nothing(engine: TimestreamEngine) -> None:
    _load(engine, 1)
    assert _status(engine, f'DESCRIBE "{DB}"."{TABLE}"')["CumulativeBytesScanned"] == 0


@pytest.mark.parametrize(
    ("scanned", "metered"),
    [
        (0, 10_000_000),
        (9_999_999, 10_000_000),
        (10_499_999, 10_000_000),
        (10_500_000, 11_000_000),
        (123_456_789, 123_000_000),
    ],
)
def test_metering_rounds_to_the_nearest_mb_with_a_10_mb_minimum(scanned: int, metered: int) -> None:
    assert metered_bytes(scanned) == metered
