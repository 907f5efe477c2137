"""Pagination (MaxRows, NextToken, expiry, access) and the wire shape botocore parses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from avista_dx.emulator.timestream import (
    QueryLimits,
    QueryValidationError,
    TimestreamAccessDenied,
    TimestreamEngine,
    pagination,
)

from .conftest import T0_MS, allow_all, single_record

DB, TABLE = "paging", "points"
QUERY = f'SELECT time, measure_value::double FROM "{DB}"."{TABLE}" ORDER BY time'
ROWS = 2500


@pytest.fixture(scope="module")
def points() -> Any:
    with TimestreamEngine() as engine:
        engine.create_table(DB, TABLE)
        for start in range(0, ROWS, 100):
            engine.publish(
                DB,
                TABLE,
                "a",
                [single_record(T0_MS + i, f"{i}.0") for i in range(start, start + 100)],
            )
        yield engine


def pages(engine: TimestreamEngine, query: str, max_rows: int | None) -> list[dict[str, Any]]:
    result = [engine.query(query, can_read=allow_all, max_rows=max_rows)]
    while "NextToken" in result[-1]:
        result.append(
            engine.query(
                query, can_read=allow_all, max_rows=max_rows, next_token=result[-1]["NextToken"]
            )
        )
    return result


def values(responses: list[dict[str, Any]]) -> list[str]:
    return [row["Data"][1]["ScalarValue"] for page in responses for row in page["Rows"]]


def test_max_rows_pages_start_empty_then_fill(points: TimestreamEngine) -> None:
    responses = pages(points, QUERY, 1000)
    assert [len(p["Rows"]) for p in responses] == [0, 1000, 1000, 500]
    assert responses[0]["QueryStatus"]["ProgressPercentage"] == 0.0
    assert values(responses) == [f"{i}.0" for i in range(ROWS)]
    tokens = [p["NextToken"] for p in responses if "NextToken" in p]
    assert len(set(tokens)) == len(tokens) == 3
    assert len({p["QueryId"] for p in responses}) == 1
    assert all(p["ColumnInfo"] == responses[0]["ColumnInfo"] for p in responses)


def test_small_result_fits_in_one_page(points: TimestreamEngine) -> None:
    responses = pages(points, QUERY.replace("ORDER BY time", "ORDER BY time LIMIT 7"), 7)
    assert [len(p["Rows"]) for p in responses] == [7]
    assert "NextToken" not in responses[0]


def test_without_max_rows_pages_are_about_one_megabyte(points: TimestreamEngine) -> None:
    table = f'"{DB}"."{TABLE}"'
    query = f"SELECT a.time, b.time FROM {table} a CROSS JOIN (SELECT time FROM {table} LIMIT 9) b"
    responses = pages(points, query, None)
    assert sum(len(p["Rows"]) for p in responses) == ROWS * 9
    assert len(responses) > 1
    assert all(len(json.dumps(p)) < 1.1 * 1024 * 1024 for p in responses)


def test_single_row_pages(points: TimestreamEngine) -> None:
    query = QUERY.replace("ORDER BY time", "ORDER BY time LIMIT 5")
    responses = pages(points, query, 1)
    assert [len(p["Rows"]) for p in responses] == [0, 1, 1, 1, 1, 1]
    assert values(responses) == ["0.0", "1.0", "2.0", "3.0", "4.0"]


def test_retrying_a_token_returns_the_same_page_and_older_tokens_expire(
    points: TimestreamEngine,
) -> None:
    first = points.query(QUERY, can_read=allow_all, max_rows=10)
    second = points.query(QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"])
    again = points.query(QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"])
    assert again == second
    third = points.query(QUERY, can_read=allow_all, max_rows=10, next_token=second["NextToken"])
    assert values([third]) == [f"{i}.0" for i in range(10, 20)]
    with pytest.raises(QueryValidationError, match="Invalid pagination token"):
        points.query(QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"])


def test_bad_tokens_and_arguments(points: TimestreamEngine) -> None:
    first = points.query(QUERY, can_read=allow_all, max_rows=10)
    with pytest.raises(QueryValidationError, match="Invalid pagination token"):
        points.query(QUERY, can_read=allow_all, next_token="not-a-token")
    with pytest.raises(QueryValidationError, match="Invalid pagination token"):
        points.query("SELECT 1", can_read=allow_all, next_token=first["NextToken"])
    for bad in (0, 1001, -1, True):
        with pytest.raises(QueryValidationError, match="MaxRows"):
            points.query(QUERY, can_read=allow_all, max_rows=bad)
    with pytest.raises(QueryValidationError, match="QueryString"):
        points.query("", can_read=allow_all)


def test_tokens_expire(points: TimestreamEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = points.query(QUERY, can_read=allow_all, max_rows=10)
    monkeypatch.setattr(pagination, "TOKEN_LIFETIME_SECONDS", -1.0)
    expiring = points.query(QUERY, can_read=allow_all, max_rows=10)
    with pytest.raises(QueryValidationError, match="expired"):
        points.query(QUERY, can_read=allow_all, max_rows=10, next_token=expiring["NextToken"])
    # A run registered before the change keeps its hour (it expired only when it was issued).
    assert "Rows" in points.query(
        QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"]
    )


def test_access_is_checked_on_every_page(points: TimestreamEngine) -> None:
    def deny(database: str, table: str) -> bool:
        return False

    with pytest.raises(TimestreamAccessDenied):
        points.query(QUERY, can_read=deny)
    with pytest.raises(TimestreamAccessDenied):
        points.query("SHOW MEASURES FROM paging.points", can_read=deny)
    with pytest.raises(TimestreamAccessDenied):
        points.query('SELECT * FROM "paging"."no_such_table"', can_read=deny)
    assert points.query("SHOW DATABASES", can_read=deny)["Rows"] == []
    first = points.query(QUERY, can_read=allow_all, max_rows=10)
    with pytest.raises(TimestreamAccessDenied):
        points.query(QUERY, can_read=deny, max_rows=10, next_token=first["NextToken"])


def _small_engine(limits: QueryLimits) -> TimestreamEngine:
    engine = TimestreamEngine(limits=limits)
    engine.create_table(DB, TABLE)
    engine.publish(DB, TABLE, "a", [single_record(T0_MS + i, f"{i}.0") for i in range(20)])
    return engine


def test_many_open_queries_evict_the_oldest() -> None:
    with _small_engine(QueryLimits(max_open_queries=3)) as engine:
        runs = [engine.query(QUERY, can_read=allow_all, max_rows=5) for _ in range(5)]
        with pytest.raises(QueryValidationError):
            engine.query(QUERY, can_read=allow_all, max_rows=5, next_token=runs[0]["NextToken"])
        assert engine.query(QUERY, can_read=allow_all, max_rows=5, next_token=runs[-1]["NextToken"])


# -- botocore -------------------------------------------------------------------------------


def _botocore_client(engine: TimestreamEngine) -> Any:
    botocore_session = pytest.importorskip("botocore.session")
    from botocore.awsrequest import AWSResponse

    session = botocore_session.get_session()
    client = session.create_client(
        "timestream-query",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # never contacted: the hook below answers
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    class _Raw:
        def __init__(self, body: bytes) -> None:
            self._body = body

        def stream(self, **_: Any) -> Any:
            yield self._body

    def answer(request: Any, **_: Any) -> AWSResponse:
        body = json.loads(request.body)
        try:
            payload = engine.query_json(
                body["QueryString"],
                can_read=allow_all,
                max_rows=body.get("MaxRows"),
                next_token=body.get("NextToken"),
            ).encode()
            status = 200
        except QueryValidationError as error:
            payload = json.dumps(
                {
                    "__type": "com.amazonaws.timestream.v20181101#ValidationException",
                    "Message": error.message,
                }
            ).encode()
            status = 400
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, status, headers, _Raw(payload))

    client.meta.events.register("before-send.timestream-query.Query", answer)
    return client


def test_botocore_paginator_reads_every_page(points: TimestreamEngine) -> None:
    client = _botocore_client(points)
    paginator = client.get_paginator("query")
    page_sizes = []
    rows = []
    for page in paginator.paginate(QueryString=QUERY, PaginationConfig={"PageSize": 1000}):
        page_sizes.append(len(page["Rows"]))
        rows.extend(page["Rows"])
    assert page_sizes == [0, 1000, 1000, 500]
    assert [r["Data"][1]["ScalarValue"] for r in rows] == [f"{i}.0" for i in range(ROWS)]


def test_botocore_parses_every_value_shape(engine: TimestreamEngine) -> None:
    engine.create_table("shapes", "tab")
    engine.publish(
        "shapes", "tab", "a", [single_record(T0_MS, "1.5"), single_record(T0_MS + 1, "2.5")]
    )
    client = _botocore_client(engine)
    response = client.query(
        QueryString="SELECT 1 AS i, 1.5 AS d, true AS b, NULL AS n, 'x' AS v, 1d AS ds,"
        " 1year AS ym, DATE '2020-08-08' AS dt, TIME '01:00:00' AS tm, ARRAY[ROW(1, 'a')] AS arr,"
        ' (SELECT create_time_series(time, measure_value::double) FROM "shapes"."tab") AS ts'
    )
    data = response["Rows"][0]["Data"]
    assert data[3] == {"NullValue": True}
    assert data[9]["ArrayValue"][0]["RowValue"]["Data"][1] == {"ScalarValue": "a"}
    assert data[10]["TimeSeriesValue"][1] == {
        "Time": "2024-01-01 00:00:00.001000000",
        "Value": {"ScalarValue": "2.5"},
    }
    assert [c["Type"].get("ScalarType") for c in response["ColumnInfo"][:9]] == [
        "INTEGER",
        "DOUBLE",
        "BOOLEAN",
        "UNKNOWN",
        "VARCHAR",
        "INTERVAL_DAY_TO_SECOND",
        "INTERVAL_YEAR_TO_MONTH",
        "DATE",
        "TIME",
    ]
    assert response["QueryStatus"]["CumulativeBytesMetered"] == 10_000_000


def test_botocore_sees_validation_errors(engine: TimestreamEngine) -> None:
    botocore_exceptions = pytest.importorskip("botocore.exceptions")
    client = _botocore_client(engine)
    with pytest.raises(botocore_exceptions.ClientError) as error:
        client.query(QueryString="SELECT nope()")
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_one_user_opening_many_queries_never_invalidates_another_users_token() -> None:
    limits = QueryLimits(max_open_queries_per_user=3, max_open_queries=5)
    with _small_engine(limits) as engine:
        other = engine.query(QUERY, can_read=allow_all, max_rows=5, principal="bob")
        own = [
            engine.query(QUERY, can_read=allow_all, max_rows=5, principal="eve") for _ in range(65)
        ]
        page = engine.query(
            QUERY, can_read=allow_all, max_rows=5, next_token=other["NextToken"], principal="bob"
        )
        assert len(page["Rows"]) == 5
        with pytest.raises(QueryValidationError, match="Invalid pagination token"):
            engine.query(
                QUERY,
                can_read=allow_all,
                max_rows=5,
                next_token=own[0]["NextToken"],
                principal="eve",
            )
        assert engine.query(
            QUERY, can_read=allow_all, max_rows=5, next_token=own[-1]["NextToken"], principal="eve"
        )["Rows"]


def test_a_next_token_serves_only_the_user_who_started_the_query(points: TimestreamEngine) -> None:
    first = points.query(QUERY, can_read=allow_all, max_rows=10, principal="bob")
    with pytest.raises(QueryValidationError, match="Invalid pagination token"):
        points.query(
            QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"], principal="eve"
        )
    assert points.query(
        QUERY, can_read=allow_all, max_rows=10, next_token=first["NextToken"], principal="bob"
    )["Rows"]


@pytest.mark.parametrize("on_disk", [False, True])
def test_open_queries_keep_their_rows_out_of_memory(on_disk: bool, tmp_path: Path) -> None:
    limits = QueryLimits(spool_memory_bytes=4096)
    query = "SELECT x FROM UNNEST(sequence(1, 200000)) t(x) ORDER BY x"
    path = tmp_path / "spill.duckdb" if on_disk else None
    with TimestreamEngine(path, limits=limits) as engine:
        opened = [engine.query(query, can_read=allow_all, max_rows=1) for _ in range(3)]
        runs = {id(run): run for run in engine._queries._runs.values()}.values()
        assert len(runs) == 3
        for run in runs:
            assert run.source._in_memory <= 4096  # the rest is in the run's temporary file
        rows: list[str] = []
        token = opened[0]["NextToken"]
        while token is not None and len(rows) < 2500:
            page = engine.query(query, can_read=allow_all, max_rows=1000, next_token=token)
            rows += [row["Data"][0]["ScalarValue"] for row in page["Rows"]]
            token = page.get("NextToken")
        assert rows[:3] == ["1", "2", "3"]
        assert rows[2499] == "2500"
