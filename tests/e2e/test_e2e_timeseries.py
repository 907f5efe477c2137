"""Time series through the SDK against the emulator: publish rules, batching, rejections,
pagination and typed reading (sync and async)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from sdk.driver import Driver

from avista_dx import (
    PartialPublishError,
    PermissionDeniedError,
    QueryResult_TimestreamVariables,
    RejectedRecordsError,
    TimeSeriesDb,
    TimeSeriesInputRecord,
    record_from_values,
)

from .conftest import Admin, ClientFactory, unique

RECORD_LIMIT = 100  # the exchange's WriteRecords limit, which the SDK batches by


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def table_of(db: TimeSeriesDb) -> str:
    return f'"{db.databaseName}"."{db.tableName}"'


@pytest.fixture
def database(dx: Driver, admin: Admin) -> TimeSeriesDb:
    """A fresh database of the demo owner, shared with the demo collaborative."""
    created = admin.create_database()
    admin.share("TIME_SERIES_DB", created["timeSeriesDbId"])
    db: TimeSeriesDb = dx.getTimeSeriesDatabase(created["timeSeriesDbId"])
    return db


def query_all(dx: Driver, db: TimeSeriesDb, sql: str, max_rows: int | None = None) -> list[Any]:
    pages = dx.iterTimeSeriesQuery(db.timeSeriesDbId, sql.format(table=table_of(db)), max_rows)
    return [row for page in pages for row in page.rows()]


def count(dx: Driver, db: TimeSeriesDb, where: str = "") -> int:
    (row,) = query_all(dx, db, "SELECT count(*) AS n FROM {table} " + where)
    return int(row["n"])


def test_publish_single_measure_records_with_dimensions(dx: Driver, database: TimeSeriesDb) -> None:
    start = now_ms() - 60_000
    dimensions = [
        dx.createTimeSeriesDimension("VARCHAR", "name", 'Meter "A"\\1\nnorth'),
        dx.createTimeSeriesDimension("VARCHAR", "region", "north"),
    ]
    records = [
        dx.createTimeSeriesInputRecord(
            str(start + i * 1000), "MILLISECONDS", "kwh", "DOUBLE", f"{i}.5", None, dimensions
        )
        for i in range(3)
    ]
    (asset,) = dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "meter-a", records)
    assert asset.assetId == "meter-a"
    assert asset.name == 'Meter "A"\\1\nnorth'  # the `name` dimension, unchanged
    (attribute,) = asset.attributes
    assert (attribute.name, attribute.attributeType, attribute.lastValue) == (
        "kwh",
        "DOUBLE",
        "2.5",
    )
    last = dt.datetime.fromtimestamp((start + 2000) / 1000, dt.timezone.utc)
    assert attribute.lastValueTime is not None
    assert dt.datetime.fromisoformat(attribute.lastValueTime.replace("Z", "+00:00")) == last
    assert [d.value for d in attribute.data] == ["0.5", "1.5", "2.5"]

    rows = query_all(
        dx,
        database,
        "SELECT name, region, time, measure_value::double AS v FROM {table} ORDER BY time",
    )
    assert [r["v"] for r in rows] == [0.5, 1.5, 2.5]
    assert {r["name"] for r in rows} == {'Meter "A"\\1\nnorth'}
    assert rows[-1]["time"] == last


def test_publish_multi_measure_record_round_trips_every_type(
    dx: Driver, database: TimeSeriesDb
) -> None:
    at = now_ms() - 5_000
    stamp = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)
    measures = [
        dx.createTimeSeriesMeasureValue("DOUBLE", "power", "12.25"),
        dx.createTimeSeriesMeasureValue("BIGINT", "hits", "9007199254740993"),
        dx.createTimeSeriesMeasureValue("VARCHAR", "note", 'quote " backslash \\ newline \n end'),
        dx.createTimeSeriesMeasureValue("BOOLEAN", "running", "true"),
        dx.createTimeSeriesMeasureValue("TIMESTAMP", "since", str(int(stamp.timestamp() * 1000))),
    ]
    record = dx.createTimeSeriesInputRecord(
        str(at), "MILLISECONDS", "status", "MULTI", None, measures,
        [dx.createTimeSeriesDimension("VARCHAR", "name", "Pump")],
    )  # fmt: skip
    (asset,) = dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "pump", [record])
    assert {a.name: a.attributeType for a in asset.attributes} == {
        "power": "DOUBLE",
        "hits": "BIGINT",
        "note": "VARCHAR",
        "running": "BOOLEAN",
        "since": "TIMESTAMP",
    }
    (row,) = query_all(
        dx, database, "SELECT measure_name, power, hits, note, running, since, time FROM {table}"
    )
    assert row == {
        "measure_name": "status",
        "power": 12.25,
        "hits": 9007199254740993,
        "note": 'quote " backslash \\ newline \n end',
        "running": True,
        "since": stamp,
        "time": dt.datetime.fromtimestamp(at / 1000, dt.timezone.utc),
    }


def test_versions_replace_deduplicate_and_reject(dx: Driver, database: TimeSeriesDb) -> None:
    at = str(now_ms() - 10_000)
    dims = [dx.createTimeSeriesDimension("VARCHAR", "name", "Versioned")]

    def record(value: str, version: int) -> TimeSeriesInputRecord:
        return dx.createTimeSeriesInputRecord(
            at, "MILLISECONDS", "level", "DOUBLE", value, None, dims, version
        )

    publish = dx.publishToTimeSeriesDatabase
    publish(database.timeSeriesDbId, "tank", [record("1.0", 1)])
    publish(database.timeSeriesDbId, "tank", [record("2.0", 2)])  # higher version replaces
    publish(database.timeSeriesDbId, "tank", [record("2.0", 2)])  # same: deduplicated
    with pytest.raises(RejectedRecordsError) as caught:  # lower version, other value
        publish(database.timeSeriesDbId, "tank", [record("3.0", 1)])
    error = caught.value
    assert error.error_type == "RejectedRecordsException"
    assert len(error.rejected_records) == 1
    rejected = error.rejected_records[0]
    assert rejected["RecordIndex"] == 0
    assert rejected["ExistingVersion"] == 2
    assert rejected["Reason"]
    rows = query_all(dx, database, "SELECT measure_value::double AS v FROM {table}")
    assert rows == [{"v": 2.0}]


def test_a_rejected_request_writes_nothing(dx: Driver, database: TimeSeriesDb) -> None:
    base = now_ms() - 60_000
    good = [record_from_values(base + i, {"temp": float(i)}) for i in range(5)]
    # A measure's type is fixed by its first write: BIGINT after DOUBLE is rejected.
    bad = record_from_values(base + 10, {"temp": 7})
    with pytest.raises(RejectedRecordsError) as caught:
        dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "sensor", [*good[:3], bad])
    # The first records set the type within the same request; the bad one is index 3.
    assert [r["RecordIndex"] for r in caught.value.rejected_records] == [3]
    assert count(dx, database) == 0
    dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "sensor", good)
    assert count(dx, database) == 5


def test_ten_thousand_records_with_one_rejected_in_the_middle(
    dx: Driver, database: TimeSeriesDb
) -> None:
    total, bad_index = 10_000, 5_050
    base = now_ms() - 3_600_000
    records = [
        record_from_values(base + i, {"power": float(i)}, dimensions={"name": "Big asset"})
        for i in range(total)
    ]
    # More than 15 minutes in the future: the service rejects it; the SDK cannot know that.
    records[bad_index] = record_from_values(
        now_ms() + 3_600_000, {"power": 1.0}, dimensions={"name": "Big asset"}
    )
    with pytest.raises(PartialPublishError) as caught:
        dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "big", records)
    error = caught.value
    failed_batch = range(5_000, 5_000 + RECORD_LIMIT)
    assert error.failed_indexes == list(failed_batch)
    assert error.written_indexes == [i for i in range(total) if i not in failed_batch]
    assert list(error.errors) == [5_000]
    rejected = error.errors[5_000]
    assert isinstance(rejected, RejectedRecordsError)
    assert [r["RecordIndex"] for r in rejected.rejected_records] == [bad_index - 5_000]
    assert "9900 of 10000 records written" in str(error)
    (asset,) = error.results
    assert asset.assetId == "big"
    assert len(asset.attributes[0].data) == total - RECORD_LIMIT
    assert count(dx, database) == total - RECORD_LIMIT

    # Retry exactly what failed, with the bad record fixed: everything is there once.
    records[bad_index] = record_from_values(
        base + bad_index, {"power": float(bad_index)}, dimensions={"name": "Big asset"}
    )
    dx.publishToTimeSeriesDatabase(
        database.timeSeriesDbId, "big", [records[i] for i in error.failed_indexes]
    )
    assert count(dx, database) == total
    (row,) = query_all(dx, database, "SELECT sum(measure_value::double) AS s FROM {table}")
    assert row["s"] == float(sum(range(total)))


def test_pagination_over_many_pages(dx: Driver, database: TimeSeriesDb) -> None:
    base = now_ms() - 600_000
    records = [record_from_values(base + i, {"n": i}) for i in range(250)]
    dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "counter", records)
    sql = f"SELECT time, measure_value::bigint AS n FROM {table_of(database)} ORDER BY time"

    pages = list(dx.iterTimeSeriesQuery(database.timeSeriesDbId, sql, 7))
    assert len(pages) >= 250 // 7
    assert all(isinstance(p, QueryResult_TimestreamVariables) for p in pages)
    assert all(len(p.Rows) <= 7 for p in pages)
    tokens = [p.NextToken for p in pages]
    assert tokens[-1] is None
    assert len(set(tokens[:-1])) == len(tokens) - 1  # a fresh token on every page
    assert [row["n"] for p in pages for row in p.rows()] == list(range(250))

    # The documented manual way: same query and maxRows, the previous token and clientToken.
    first = dx.queryTimeSeriesDatabase(database.timeSeriesDbId, sql, 100)
    second = dx.queryTimeSeriesDatabase(
        database.timeSeriesDbId, sql, 100, first.NextToken, first.clientToken
    )
    collected = [*first.rows(), *second.rows()]
    while len(collected) < 200 and second.NextToken:  # a page may be short, even empty
        second = dx.queryTimeSeriesDatabase(
            database.timeSeriesDbId, sql, 100, second.NextToken, second.clientToken
        )
        collected.extend(second.rows())
    assert [r["n"] for r in collected[:200]] == list(range(200))


def test_to_pandas_dtypes(dx: Driver, database: TimeSeriesDb) -> None:
    pandas = pytest.importorskip("pandas")
    at = now_ms() - 1_000
    record = record_from_values(
        at,
        {"power": 1.5, "count": 3, "state": "on", "ok": True},
        measure_name="status",
        dimensions={"name": "Frame"},
    )
    dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "frame", [record])
    page = dx.queryTimeSeriesDatabase(
        database.timeSeriesDbId,
        f"SELECT time, power, count, state, ok FROM {table_of(database)}",
    )
    frame = page.to_pandas()
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert str(frame["power"].dtype) == "float64"
    assert str(frame["count"].dtype) == "Int64"
    assert str(frame["ok"].dtype) == "boolean"
    assert str(frame["state"].dtype).startswith("string")
    assert frame["time"].iloc[0] == pandas.Timestamp(at, unit="ms", tz="UTC")


def test_access_to_time_series(make_dx: ClientFactory, dx: Driver, database: TimeSeriesDb) -> None:
    record = record_from_values(now_ms() - 1_000, {"x": 1.0})
    sql = f"SELECT count(*) AS n FROM {table_of(database)}"
    writer, reader, outsider = make_dx("writer"), make_dx("reader"), make_dx("outsider")
    writer.publishToTimeSeriesDatabase(database.timeSeriesDbId, "shared", [record])
    assert next(reader.queryTimeSeriesDatabase(database.timeSeriesDbId, sql).rows()) == {"n": 1}
    with pytest.raises(PermissionDeniedError):
        reader.publishToTimeSeriesDatabase(database.timeSeriesDbId, "shared", [record])
    with pytest.raises(PermissionDeniedError):
        outsider.queryTimeSeriesDatabase(database.timeSeriesDbId, sql)
    with pytest.raises(PermissionDeniedError):
        outsider.publishToTimeSeriesDatabase(database.timeSeriesDbId, "shared", [record])


def test_a_query_of_an_unreadable_table_is_denied(
    make_dx: ClientFactory, admin: Admin, database: TimeSeriesDb
) -> None:
    # The writer's own database queried with a FROM naming the owner's unshared table.
    private = admin.create_database("owner")
    writer_db = admin.create_database("writer")
    writer = make_dx("writer")
    with pytest.raises(PermissionDeniedError):
        writer.queryTimeSeriesDatabase(
            writer_db["timeSeriesDbId"],
            f'SELECT count(*) FROM "{private["databaseName"]}"."{private["tableName"]}"',
        )


def test_a_first_query_retried_with_its_client_token_is_the_same_query(
    dx: Driver, database: TimeSeriesDb
) -> None:
    start = now_ms() - 60_000
    records = [
        dx.createTimeSeriesInputRecord(str(start + i), "MILLISECONDS", "kwh", "DOUBLE", str(i))
        for i in range(3)
    ]
    dx.publishToTimeSeriesDatabase(database.timeSeriesDbId, "meter-1", records)
    sql = f"SELECT measure_value::double FROM {table_of(database)} ORDER BY time"
    token = unique("client-token-0123456789abcdef")  # tokens outlive a test on this emulator
    first = dx.queryTimeSeriesDatabase(database.timeSeriesDbId, sql, 2, clientToken=token)
    retried = dx.queryTimeSeriesDatabase(database.timeSeriesDbId, sql, 2, clientToken=token)
    assert retried.QueryId == first.QueryId
    assert retried.timestreamResults == first.timestreamResults
    assert retried.clientToken == token
    fresh = dx.queryTimeSeriesDatabase(database.timeSeriesDbId, sql, 2)
    assert fresh.QueryId != first.QueryId
    # The pages after the retried first page continue the same query.
    rest = dx.queryTimeSeriesDatabase(
        database.timeSeriesDbId, sql, 2, nextToken=first.NextToken, clientToken=token
    )
    assert rest.QueryId == first.QueryId
