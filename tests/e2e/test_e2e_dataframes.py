"""A DataFrame through the SDK and the emulator: published by columns (`records_from_dataframe`),
read back by columns (`pages_to_arrow`, `pages_to_pandas`, `pages_to_polars`), sync and async."""

from __future__ import annotations

import time

import pytest
from sdk.driver import Driver

from avista_dx import (
    TimeSeriesDb,
    pages_to_arrow,
    pages_to_pandas,
    pages_to_polars,
    records_from_dataframe,
)

from .conftest import Admin

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("polars")


def test_a_frame_published_by_columns_reads_back_by_columns(dx: Driver, admin: Admin) -> None:
    created = admin.create_database()
    db: TimeSeriesDb = dx.getTimeSeriesDatabase(created["timeSeriesDbId"])
    start = time.time_ns() // 1_000_000 - 10_000
    frame = pd.DataFrame(
        {
            "time": [start + i for i in range(250)],
            "meter": [f"m{i % 3}" for i in range(250)],
            "kwh": [i * 0.25 for i in range(250)],
            "count": [None if i == 7 else i for i in range(250)],
        }
    ).astype({"count": "Int64"})
    seen: list[int] = []
    records = records_from_dataframe(frame, dimension_fields=["meter"], measure_name="reading")
    result = dx.publishToTimeSeriesDatabase(
        db.timeSeriesDbId, "meter-feed", records, keep_data=False,
        progress=lambda done, total: seen.append(done),
    )  # fmt: skip
    assert max(seen) == 250
    assert {a.name for a in result[0].attributes} == {"kwh", "count"}
    sql = (
        f'SELECT time, meter, kwh, "count" FROM "{db.databaseName}"."{db.tableName}" ORDER BY time'
    )
    pages = list(dx.iterTimeSeriesQuery(db.timeSeriesDbId, sql, 100))
    # Several pages (Timestream, and the emulator, may add empty ones): read as one table.
    assert sorted(len(p.Rows) for p in pages if p.Rows) == [50, 100, 100]
    table = pages_to_arrow(pages)
    assert table.column("kwh").to_pylist() == frame["kwh"].tolist()
    assert table.column("count").to_pylist()[6:9] == [6, None, 8]
    assert table.column("meter").to_pylist() == frame["meter"].tolist()
    assert pages_to_pandas(pages)["kwh"].sum() == frame["kwh"].sum()
    assert pages_to_polars(pages).height == 250
