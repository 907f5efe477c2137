"""Random and hostile SQL: only the engine's typed errors come out, with no engine text in
them, and nothing is ever written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avista_dx.emulator.timestream import (
    QueryLimits,
    QueryTimeoutError,
    QueryValidationError,
    ThrottlingError,
    TimestreamAccessDenied,
    TimestreamEngine,
)

from .conftest import T0_MS, single_record
from .test_sandbox import INTERNAL_TEXT

TABLE = '"fuzz"."points"'
WORDS = [
    "SELECT", "FROM", "WHERE", "WITH", "RECURSIVE", "AS", "INTO", "UNION", "ALL", "JOIN", "ON",
    "GROUP", "BY", "ORDER", "LIMIT", "CROSS", "UNNEST", "VALUES", "CREATE", "TABLE", "INSERT",
    "DELETE", "DROP", "ATTACH", "COPY", "SET", "PRAGMA", "CALL", "(", ")", ",", ";", "*", "+",
    "-", "/", "=", "<", "'x'", '"y"', "1", "1.5", "1h", "ago(1h)", "now()", "count(*)", "x",
    "time", "measure_value::double", "measure_name", TABLE, "duckdb_tables", "sqlite_master",
    "pg_settings", "information_schema", "ts_data.v_1", "ts_meta.tables", "main.x",
    "read_csv('/etc/passwd')", "getenv('HOME')", "__ts_duration(0)", "__series", "sequence(1,5)",
    "bin(time, 1m)", "CAST(x AS bigint)", "t(x)", "r(n)",
]  # fmt: skip
STATEMENTS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
TEMPLATES = st.sampled_from(
    [
        "WITH {a} AS (SELECT 1 AS z) SELECT {b} FROM {a}",
        "SELECT * FROM {a}, (WITH {a} AS (SELECT 1 AS z) SELECT z FROM {a}) s",
        "WITH x AS (SELECT 1 AS a) SELECT a INTO {a} FROM x",
        "SELECT {b} FROM {a} WHERE {b} > 1",
        "WITH RECURSIVE {a}(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM {a}) SELECT n FROM {a}",
    ]
)
NAMES = st.sampled_from(
    ["duckdb_tables", "duckdb_columns", "sqlite_master", "x", TABLE, "ts_data.t_1", '"a b"']
)
TEMPLATED = st.builds(lambda t, a, b: t.format(a=a, b=b), TEMPLATES, NAMES, NAMES)
TYPED_ERRORS = (QueryValidationError, TimestreamAccessDenied, QueryTimeoutError, ThrottlingError)


@pytest.fixture(scope="module")
def fuzz_engine() -> Iterator[TimestreamEngine]:
    with TimestreamEngine(limits=QueryLimits(time_limit_seconds=0.5)) as engine:
        engine.create_table("fuzz", "points")
        engine.publish("fuzz", "points", "a", [single_record(T0_MS, "1.5")])
        yield engine


def _catalog(engine: TimestreamEngine) -> list[tuple[str, str, int]]:
    return engine._connection.execute(
        "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() ORDER BY ALL"
    ).fetchall()


def _check(engine: TimestreamEngine, query: str) -> None:
    before = _catalog(engine)
    message = ""
    try:
        engine.query(query, can_read=lambda database, table: database == "fuzz", max_rows=10)
    except TYPED_ERRORS as error:  # anything else (an internal failure) fails the test
        message = error.message
    leaked = [text for text in INTERNAL_TEXT if text in message and text not in query]
    assert not leaked, (query, message)
    assert _catalog(engine) == before, query


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STATEMENTS)
def test_random_sql_yields_typed_errors_and_never_writes(
    fuzz_engine: TimestreamEngine, query: str
) -> None:
    _check(fuzz_engine, query)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEMPLATED)
def test_hostile_sql_yields_typed_errors_and_never_writes(
    fuzz_engine: TimestreamEngine, query: str
) -> None:
    _check(fuzz_engine, query)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_arbitrary_text_yields_typed_errors(fuzz_engine: TimestreamEngine, query: str) -> None:
    if not query:
        return
    _check(fuzz_engine, query)
