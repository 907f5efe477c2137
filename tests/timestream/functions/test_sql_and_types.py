"""SQL forms of AWS's examples and Trino's type rules.

AWS: "SQL support" / "Logical operators" / "Comparison operators" / "Metadata queries"
(https://docs.aws.amazon.com/timestream/latest/developerguide/supported-sql-constructs.SELECT.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/comparison-operators.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/supported-sql-constructs.SHOW-TABLES.html);
typeof names and type errors follow Trino
(https://trino.io/docs/current/functions/conversion.html#typeof).
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from ..conftest import run_query, scalars
from .conftest import one_row, query_error

TABLE = '"devops"."host_metrics"'


@pytest.mark.parametrize(
    ("query", "row"),
    [
        (
            "SELECT typeof(1), typeof(2147483648), typeof(1.5), typeof('x'), typeof(true)",
            ["integer", "bigint", "double", "varchar", "boolean"],
        ),
        (
            "SELECT typeof(NULL), typeof(DATE '2022-01-01'), typeof(now()), typeof(1h)",
            ["unknown", "date", "timestamp", "interval day to second"],
        ),
        (
            "SELECT typeof(1year), typeof(INTERVAL '2' MONTH)",
            ["interval year to month", "interval year to month"],
        ),
        (
            "SELECT typeof(ARRAY[1, 2]), typeof(ARRAY[ARRAY['a']]), typeof(sum(1))",
            ["array(integer)", "array(array(varchar))", "bigint"],
        ),
        (
            f"SELECT typeof(create_time_series(time, measure_value::double)) FROM {TABLE}"
            " WHERE measure_name = 'cpu_utilization'",
            ["timeseries(double)"],
        ),
    ],
)
def test_typeof(engine: TimestreamEngine, query: str, row: list[str]) -> None:
    types, values = one_row(engine, query)
    assert set(types) == {"VARCHAR"}
    assert values == row


def test_exists_all_and_some(engine: TimestreamEngine) -> None:
    assert one_row(
        engine,
        f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE host = 'host-1'),"
        " 5 > ALL (SELECT x FROM (VALUES 1, 2) AS t(x)),"
        " 2 = SOME (SELECT x FROM (VALUES 1, 2) AS t(x)),"
        " 2 > ANY (SELECT x FROM (VALUES 3, 4) AS t(x))",
    ) == (["BOOLEAN"] * 4, ["true", "true", "true", "false"])
    result = run_query(
        engine,
        f"SELECT DISTINCT host FROM {TABLE} AS m WHERE NOT EXISTS"
        f" (SELECT 1 FROM {TABLE} AS o WHERE o.host = m.host AND o.measure_name = 'missing')"
        " ORDER BY host",
    )
    assert scalars(result) == [["host-1"], ["host-2"], ["host-3"]]


def test_values_row_lists(engine: TimestreamEngine) -> None:
    result = run_query(engine, "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)")
    assert scalars(result) == [["1", "a"], ["2", "b"]]
    assert scalars(run_query(engine, "SELECT x FROM (VALUES 1, 2, 3) AS t(x)")) == [
        ["1"],
        ["2"],
        ["3"],
    ]


def test_show_tables_like_without_from(engine: TimestreamEngine) -> None:
    assert scalars(run_query(engine, "SHOW TABLES LIKE 'host%'")) == [["host_metrics"]]
    assert scalars(run_query(engine, "SHOW TABLES LIKE 'nothing%'")) == []
    assert scalars(run_query(engine, "SHOW TABLES")) == [["host_metrics"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT 'a' || 1", "Unexpected parameters (varchar, integer) for function concat"),
        (
            "SELECT CASE WHEN true THEN 1 ELSE 'a' END",
            "All CASE results must be the same type or coercible to a common type",
        ),
        (
            "SELECT 1 UNION SELECT 'a'",
            "column 1 in UNION query has incompatible types: integer, varchar",
        ),
        ("SELECT ARRAY[1, 2][3]", "Array subscript must be less than or equal to array length"),
    ],
)
def test_type_errors(engine: TimestreamEngine, query: str, message: str) -> None:
    assert message in query_error(engine, query)


def test_compatible_types_still_combine(engine: TimestreamEngine) -> None:
    assert one_row(
        engine, "SELECT CASE WHEN false THEN 1 ELSE 2.5 END, CASE WHEN true THEN NULL ELSE 'a' END"
    ) == (
        ["DOUBLE", "VARCHAR"],
        ["2.5", None],
    )
    assert scalars(run_query(engine, "SELECT 1 UNION ALL SELECT 2.5")) == [["1.0"], ["2.5"]]


def test_table_columns_follow_trinos_type_rules(engine: TimestreamEngine) -> None:
    # Multi-measure `cpu` is DOUBLE, `memory` BIGINT in the catalogue: double division by
    # zero is Infinity, integer division truncates, and `cpu || 'x'` is refused as in Trino.
    base = f"FROM {TABLE} WHERE measure_name = 'metrics' AND host = 'host-1' ORDER BY time LIMIT 1"
    assert one_row(engine, f"SELECT cpu / 0, memory / 7, typeof(cpu), typeof(memory) {base}") == (
        ["DOUBLE", "BIGINT", "VARCHAR", "VARCHAR"],
        ["Infinity", "142", "double", "bigint"],
    )
    assert "Unexpected parameters (double, varchar) for function concat" in query_error(
        engine, f"SELECT cpu || 'x' {base}"
    )
    assert "incompatible types: double, varchar" in query_error(
        engine, f"SELECT cpu FROM {TABLE} UNION SELECT host FROM {TABLE}"
    )


def test_a_name_the_query_defines_is_not_taken_for_the_table_column(
    engine: TimestreamEngine,
) -> None:
    assert one_row(
        engine,
        f"WITH m AS (SELECT 'a' AS cpu FROM {TABLE} LIMIT 1) SELECT cpu || 'x' FROM m",
    ) == (["VARCHAR"], ["ax"])


def test_intervals_cast_to_varchar_in_timestreams_form(engine: TimestreamEngine) -> None:
    assert one_row(engine, "SELECT CAST(1h AS varchar), CAST(1year AS varchar)") == (
        ["VARCHAR"] * 2,
        ["0 01:00:00.000000000", "1-0"],
    )
