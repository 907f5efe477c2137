"""The SQL sandbox: only the caller's tables and its in-scope CTEs resolve, nothing writes,
and messages never show the engine's text."""

from __future__ import annotations

import time
from collections.abc import Iterator

import duckdb
import pytest

from avista_dx.emulator.timestream import (
    QueryLimits,
    QueryTimeoutError,
    QueryValidationError,
    RejectedRecordsError,
    TimestreamAccessDenied,
    TimestreamEngine,
)
from avista_dx.emulator.timestream.translate import Translation

from .conftest import T0_MS, dimension, run_query, scalars, single_record

MINE = ("mine", "readings")
THEIRS = ("secret_db", "secret_table")
SECRET_NAMES = ("secret_db", "secret_table", "classified_dimension", "hidden_measure")


def mine_only(database: str, table: str) -> bool:
    return (database, table) == MINE


@pytest.fixture
def two_users() -> Iterator[TimestreamEngine]:
    with TimestreamEngine() as engine:
        engine.create_table(*MINE)
        engine.publish(*MINE, "a", [single_record(T0_MS, "1.5")])
        engine.create_table(*THEIRS)
        engine.publish(
            *THEIRS,
            "b",
            [
                single_record(
                    T0_MS,
                    "2.5",
                    measure="hidden_measure",
                    dimensions=[dimension("classified_dimension", "x")],
                )
            ],
        )
        yield engine


def _catalog_tables(engine: TimestreamEngine) -> set[str]:
    rows = engine._connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    return {name for (name,) in rows}


# The review's queries: a CTE of the same name in another scope let DuckDB's catalog resolve.
LEAKS = [
    "SELECT table_name, column_name FROM duckdb_columns,"
    " (WITH duckdb_columns AS (SELECT 1 AS z) SELECT z FROM duckdb_columns) s",
    *(
        f"SELECT * FROM {name}, (WITH {name} AS (SELECT 1 AS z) SELECT z FROM {name}) s"
        for name in ("duckdb_tables", "duckdb_views", "sqlite_master", "pg_settings")
    ),
    "SELECT * FROM duckdb_databases,"
    " (WITH duckdb_databases AS (SELECT 1 AS z) SELECT z FROM duckdb_databases) s",
    # A CTE's own body does not see itself without RECURSIVE, nor CTEs listed after it.
    "WITH duckdb_tables AS (SELECT * FROM duckdb_tables) SELECT * FROM duckdb_tables",
    "WITH a AS (SELECT * FROM information_schema), information_schema AS (SELECT 1 x) SELECT 1",
    "SELECT * FROM (WITH t AS (SELECT 1 x) SELECT x FROM t) s, t",
    "SELECT * FROM duckdb_settings",
    "SELECT * FROM read_csv('/etc/passwd')",
    'SELECT * FROM "main"."duckdb_tables"',
    'SELECT * FROM "ts_data"."v_2"',
    'SELECT * FROM "ts_meta"."columns"',
]


@pytest.mark.parametrize("query", LEAKS)
def test_nothing_but_readable_tables_and_in_scope_ctes_resolves(
    two_users: TimestreamEngine, query: str
) -> None:
    with pytest.raises((QueryValidationError, TimestreamAccessDenied)) as caught:
        run_query(two_users, query, can_read=mine_only)
    message = caught.value.message
    assert not any(name in message for name in SECRET_NAMES)
    assert "ts_data" not in message or "ts_data" in query


def test_ctes_resolve_by_scope(two_users: TimestreamEngine) -> None:
    table = '"mine"."readings"'
    cases = {
        # A nested WITH shadows the outer one; the outer one is back outside it.
        "WITH x AS (SELECT 1 AS v) SELECT (WITH x AS (SELECT 2 AS v) SELECT v FROM x),"
        " (SELECT v FROM x)": [["2", "1"]],
        # Later CTEs see earlier ones; qualified columns use the CTE's name.
        "WITH a AS (SELECT 3 AS v), b AS (SELECT a.v + 1 AS w FROM a) SELECT b.w FROM b": [["4"]],
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 4)"
        " SELECT count(*), max(n) FROM r": [["4", "4"]],
        f"WITH m AS (SELECT measure_value::double AS v FROM {table}) SELECT v FROM m AS alias":
            [["1.5"]],
        "WITH Upper AS (SELECT 5 AS v) SELECT v FROM upper": [["5"]],
    }  # fmt: skip
    for query, expected in cases.items():
        assert scalars(run_query(two_users, query, can_read=mine_only)) == expected, query


WRITES = [
    "WITH x AS (SELECT 1 AS a) SELECT a INTO x FROM x",
    "SELECT 1 AS a INTO newtable",
    'SELECT * INTO "mine"."copy" FROM "mine"."readings"',
    "CREATE TABLE y AS SELECT 1",
    'INSERT INTO "mine"."readings" SELECT * FROM "mine"."readings"',
    'DELETE FROM "mine"."readings"',
    "DROP TABLE x",
    "ATTACH 'x.db' AS x",
    "SET memory_limit = '100GB'",
    "COPY (SELECT 1) TO 'out.csv'",
    "PRAGMA database_list",
]


@pytest.mark.parametrize("query", WRITES)
def test_statements_that_write_are_refused_and_write_nothing(
    two_users: TimestreamEngine, query: str
) -> None:
    before = _catalog_tables(two_users)
    with pytest.raises(QueryValidationError):
        run_query(two_users, query, can_read=mine_only)
    assert _catalog_tables(two_users) == before
    assert scalars(
        run_query(two_users, 'SELECT count(*) FROM "mine"."readings"', can_read=mine_only)
    ) == [["1"]]


def test_duckdb_refuses_writes_the_translator_let_through(two_users: TimestreamEngine) -> None:
    """Defence in depth: a translation that writes fails inside the sandbox itself."""
    two_users._connection.execute("CREATE SEQUENCE ts_meta.probe")
    sandbox = two_users._sandbox
    deadline = time.monotonic() + 5
    for sql in (
        "CREATE TABLE ts_data.leak AS SELECT 1 AS a",
        "SELECT 1; DROP TABLE ts_meta.tables",
    ):
        with pytest.raises(QueryValidationError):
            sandbox.execute(Translation(sql, (), frozenset()), "SELECT 1", "u", deadline)
    # A SELECT that writes (a sequence step) fails in the READ ONLY transaction.
    with pytest.raises(QueryValidationError):
        sandbox.execute(
            Translation("SELECT nextval('ts_meta.probe')", (), frozenset()),
            "SELECT 1",
            "u",
            deadline,
        )
    assert "leak" not in _catalog_tables(two_users)
    # The sandbox's step was never committed: the sequence still starts at 1.
    assert two_users._connection.execute("SELECT nextval('ts_meta.probe')").fetchall() == [(1,)]


INTERNAL_TEXT = (
    "Binder Error",
    "Error:",
    "DuckDB",
    "duckdb",
    "sqlglot",
    "<class",
    "count_star",
    "HUGEINT",
    "INT64",
    "INT32",
    "STRING_LITERAL",
    "Candidate",
    "Did you mean",
    "ts_data",
    "ts_meta",
    "ts_fn",
    "__q",
    "__c0",
    "__ts_cte",
    "__series",
    "__version",
    "t_1",
    "v_1",
    "LINE ",
    "Required keyword",
)
BAD_QUERIES = [
    'SELECT nope FROM "mine"."readings"',
    'SELECT r.nope FROM "mine"."readings" r',
    'SELECT x.host FROM "mine"."readings"',
    'SELECT host, count(*) FROM "mine"."readings"',
    'SELECT count(*) + \'a\' FROM "mine"."readings"',
    'SELECT sum(measure_value::double) * \'x\' FROM "mine"."readings"',
    'SELECT measure_value::bigint FROM "mine"."readings"',
    'SELECT __series, __version FROM "mine"."readings"',
    'SELECT * FROM "mine"."readings" a JOIN "mine"."readings" b ON a.time = b.time'
    " WHERE host = 'x'",
    "SELECT abs('x')",
    "SELECT 1 +",
    "SELECT 1 * FROM",
    "SELECT (1",
    "SELECT 'unterminated",
    'SELECT "unterminated',
    "SELECT 1/0",
    "SELECT 9223372036854775807 + 1",
    "SELECT CAST('abc' AS double)",
    "SELECT date_trunc('foo', now())",
    "SELECT regexp_like('a', '(')",
    "SELECT sum(x) FROM (SELECT 'a' AS x)",
    "SELECT bin(time, 1h) FROM (SELECT 1 AS time)",
    "SELECT ago('x')",
    'SELECT time + \'x\' FROM "mine"."readings"',
    "WITH a AS (SELECT 1 x) SELECT y FROM a",
    "SELECT * FROM (SELECT 1 a) t JOIN (SELECT 1 a) u USING (b)",
    'SELECT max(count(*)) FROM "mine"."readings"',
    "SELECT 1 GROUP BY 2",
    "SELECT 1 ORDER BY 5",
    "SELECT substr('abc', 'x')",
    "SELECT CAST(1 AS nosuchtype)",
    'SELECT 1 FROM "mine"."readings" WHERE time > 5',
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_messages_never_show_engine_text(two_users: TimestreamEngine, query: str) -> None:
    with pytest.raises(QueryValidationError) as caught:
        run_query(two_users, query, can_read=mine_only)
    message = caught.value.message
    leaked = [text for text in INTERNAL_TEXT if text in message and text not in query]
    assert not leaked, message


def test_messages_read_like_timestream(two_users: TimestreamEngine) -> None:
    def message(query: str) -> str:
        with pytest.raises(QueryValidationError) as caught:
            run_query(two_users, query, can_read=mine_only)
        return caught.value.message

    assert message('SELECT x FROM "mine"."readings"') == "line 1:8: Column 'x' does not exist"
    assert message('SELECT 1,\n  r.zz FROM "mine"."readings" r') == (
        "line 2:5: Column 'r.zz' does not exist"
    )
    assert message("SELECT 1 +") == "line 1:10: Syntax error: mismatched input '+'."
    assert message("SELECT time - 1h + FROM x") == (
        "line 1:20: Syntax error: mismatched input 'FROM'."
    )
    assert message('SELECT host, count(*) FROM "mine"."readings"') == (
        "line 1:8: 'host' must be an aggregate expression or appear in GROUP BY clause"
    )
    assert message("SELECT * FROM readings").startswith("line 1:15: Table 'readings'")


@pytest.mark.parametrize("name", ["__series", "__VERSION", "__Series"])
def test_reserved_internal_names_are_rejected_records(
    two_users: TimestreamEngine, name: str
) -> None:
    as_dimension = single_record(T0_MS + 1, "1.0", dimensions=[dimension(name, "x")])
    as_measure = {
        "Time": str(T0_MS + 2),
        "MeasureName": "multi",
        "MeasureValueType": "MULTI",
        "MeasureValues": [{"Name": name, "Type": "DOUBLE", "Value": "1"}],
    }
    for index, record in enumerate((as_dimension, as_measure)):
        with pytest.raises(RejectedRecordsError) as caught:
            two_users.publish(*MINE, "a", [single_record(T0_MS + 3, "2.0"), record])
        (rejected,) = caught.value.rejected_records
        assert rejected["RecordIndex"] == 1
        assert name in rejected["Reason"], index
    count = 'SELECT count(*) FROM "mine"."readings"'
    assert scalars(run_query(two_users, count, can_read=mine_only)) == [["1"]]


RUNAWAYS = [
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    "SELECT count(*) FROM UNNEST(sequence(1, 1000000)) a(x)"
    " CROSS JOIN UNNEST(sequence(1, 1000000)) b(y) WHERE x * y % 7 = 3",
]


@pytest.mark.parametrize("query", RUNAWAYS)
def test_runaway_queries_are_cancelled_at_the_time_limit(query: str) -> None:
    with TimestreamEngine(limits=QueryLimits(time_limit_seconds=0.3)) as engine:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"0\.3 s query time limit"):
            run_query(engine, query)
        assert time.monotonic() - started < 3
        assert scalars(run_query(engine, "SELECT 1")) == [["1"]]  # the engine is still usable


def test_duckdb_memory_is_bounded_and_spills_to_its_own_directory() -> None:
    limits = QueryLimits(memory_limit="64MiB", max_temp_directory_size="1GiB")
    with TimestreamEngine(limits=limits) as engine:
        settings = engine._connection.execute(
            "SELECT current_setting('memory_limit'), current_setting('max_temp_directory_size'),"
            " current_setting('temp_directory')"
        ).fetchone()
        assert settings is not None
        assert settings[:2] == ("64.0 MiB", "1.0 GiB")
        assert settings[2] == engine._temp_directory
        # Settings are locked: a query cannot lift them (nor can SET be sent, see WRITES).
        with pytest.raises(duckdb.Error, match=r"(?i)lock"):
            engine._connection.execute("SET memory_limit = '10GiB'")
