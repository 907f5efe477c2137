"""Mathematical and bitwise functions, casts and numeric results.

Examples from AWS's "Mathematical functions" and "Bitwise functions" pages
(https://docs.aws.amazon.com/timestream/latest/developerguide/mathematical-functions.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/bitwise-functions.html); where
AWS is silent, Trino's semantics (https://trino.io/docs/current/functions/math.html,
https://trino.io/docs/current/functions/bitwise.html) decide, as the tests say.
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import one_row, query_error


@pytest.mark.parametrize(
    ("query", "types", "row"),
    [
        ("SELECT e()", ["DOUBLE"], ["2.718281828459045"]),
        ("SELECT infinity(), -infinity(), nan()", ["DOUBLE"] * 3, ["Infinity", "-Infinity", "NaN"]),
        (
            "SELECT is_finite(1.0), is_finite(infinity()), is_infinite(infinity()),"
            " is_infinite(1), is_nan(nan())",
            ["BOOLEAN"] * 5,
            ["true", "false", "true", "false", "true"],
        ),
        (
            "SELECT from_base('100', 2), from_base('ff', 16), from_base('-7z', 36)",
            ["BIGINT"] * 3,
            ["4", "255", "-287"],
        ),
        (
            "SELECT to_base(255, 16), to_base(4, 2), to_base(-10, 2)",
            ["VARCHAR"] * 3,
            ["ff", "100", "-1010"],
        ),
        # Trino: bit_count(9, 64) = 2, bit_count(-7, 64) = 62, bit_count(-7, 8) = 6.
        (
            "SELECT bit_count(9, 64), bit_count(-7, 64), bit_count(-7, 8)",
            ["BIGINT"] * 3,
            ["2", "62", "6"],
        ),
        # Bitwise functions take and return BIGINT (Trino), even for integer arguments.
        (
            "SELECT bitwise_and(19, 25), bitwise_or(19, 25), bitwise_xor(19, 25),"
            " bitwise_not(-12), bitwise_left_shift(1, 4), bitwise_right_shift(8, 2),"
            " bitwise_right_shift_arithmetic(-8, 1), bitwise_right_shift(-8, 60)",
            ["BIGINT"] * 8,
            ["17", "27", "10", "11", "16", "2", "-4", "15"],
        ),
        ("SELECT typeof(bitwise_and(5, 3))", ["VARCHAR"], ["bigint"]),
        # Trino: buckets 1..n over [bound1, bound2), 0 below and n + 1 above.
        (
            "SELECT width_bucket(5.3, 0.2, 10.6, 5), width_bucket(-1, 0, 10, 5),"
            " width_bucket(10, 0, 10, 5), width_bucket(2, 10, 0, 5)",
            ["BIGINT"] * 4,
            ["3", "0", "6", "5"],
        ),
        # CAST to an integer rounds half away from zero (Trino), DuckDB would round to even.
        (
            "SELECT CAST(2.5 AS bigint), CAST(-2.5 AS bigint), CAST(3.5 AS integer),"
            " CAST(2.4 AS bigint), CAST('12' AS bigint), CAST(7 AS bigint)",
            ["BIGINT", "BIGINT", "INTEGER", "BIGINT", "BIGINT", "BIGINT"],
            ["3", "-3", "4", "2", "12", "7"],
        ),
        ("SELECT CAST(1e7 AS varchar), CAST(0.5 AS varchar)", ["VARCHAR"] * 2, ["1.0E7", "0.5"]),
        (
            "SELECT ceil(1.5), floor(-1.5), ceil(7), floor(7), ceiling(-0.5)",
            ["DOUBLE", "DOUBLE", "INTEGER", "INTEGER", "DOUBLE"],
            ["2.0", "-2.0", "7", "7", "-0.0"],
        ),
        # sign keeps the argument's type; cbrt is exact on perfect cubes (Java's Math.cbrt).
        (
            "SELECT sign(-2), sign(2.5), sign(0.0), cbrt(27), cbrt(-8.0), cbrt(2)",
            ["INTEGER", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE"],
            ["-1", "1.0", "0.0", "3.0", "-2.0", "1.2599210498948732"],
        ),
        # Double division follows IEEE 754: 1e0 / 0 is Infinity.
        (
            "SELECT 1e0 / 0, -1.0 / 0, 0.0 / 0, 5.0 / 2, 5.5 % 2",
            ["DOUBLE"] * 5,
            ["Infinity", "-Infinity", "NaN", "2.5", "1.5"],
        ),
    ],
)
def test_documented_functions(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str]
) -> None:
    assert one_row(engine, query) == (types, row)


def test_random_stays_in_range(engine: TimestreamEngine) -> None:
    types, row = one_row(engine, "SELECT rand(), random(), random(10)")
    assert types == ["DOUBLE", "DOUBLE", "INTEGER"]
    assert 0 <= float(row[0] or "") < 1
    assert 0 <= float(row[1] or "") < 1
    assert 0 <= int(row[2] or "") < 10


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT from_base('12', 40)", "Radix must be between 2 and 36"),
        ("SELECT from_base('19', 8)", "Not a valid base-8 number: 19"),
        ("SELECT to_base(5, 1)", "Radix must be between 2 and 36"),
        ("SELECT bit_count(9, 1)", "Bits specified in bit_count must be between 2 and 64, got 1"),
        ("SELECT bit_count(300, 8)", "300 cannot be represented with 8 bits"),
        ("SELECT 1 / 0", "Division by zero"),
        ("SELECT CAST('2.5' AS bigint)", "2.5"),
    ],
)
def test_argument_errors(engine: TimestreamEngine, query: str, message: str) -> None:
    assert message in query_error(engine, query)


def test_integer_overflow_in_sum_is_an_error(engine: TimestreamEngine) -> None:
    # Trino sums BIGINT into a BIGINT and fails on overflow; DuckDB would widen to HUGEINT.
    assert "bigint addition overflow" in query_error(
        engine, "SELECT sum(x) FROM (VALUES 9223372036854775807, 1) AS t(x)"
    )
    assert one_row(engine, "SELECT sum(x) FROM (VALUES 2, 3) AS t(x)") == (["BIGINT"], ["5"])


def test_double_measures_divide_as_doubles(engine: TimestreamEngine) -> None:
    types, row = one_row(
        engine,
        'SELECT max(measure_value::double) / 0 FROM "devops"."host_metrics"'
        " WHERE measure_name = 'cpu_utilization'",
    )
    assert (types, row) == (["DOUBLE"], ["Infinity"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT 9223372036854775807 + 1", "bigint addition overflow: 9223372036854775807 + 1"),
        ("SELECT 2147483647 + 1", "integer addition overflow: 2147483647 + 1"),
    ],
)
def test_integer_overflow_in_trinos_words(
    engine: TimestreamEngine, query: str, message: str
) -> None:
    assert query_error(engine, query) == message
