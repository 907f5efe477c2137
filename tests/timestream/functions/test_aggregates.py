"""Aggregates and conditional expressions.

From AWS's "Aggregate functions" and "Conditional expressions" pages
(https://docs.aws.amazon.com/timestream/latest/developerguide/aggregate-functions.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/conditional-expressions.html);
try() follows Trino (https://trino.io/docs/current/functions/conditional.html#try).
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import one_row

VALUES = "FROM (VALUES (1, true), (4, true), (16, false)) AS t(x, ok)"


@pytest.mark.parametrize(
    ("query", "types", "row"),
    [
        (
            f"SELECT every(ok), bool_or(ok), bool_and(ok) {VALUES}",
            ["BOOLEAN"] * 3,
            ["false", "true", "false"],
        ),
        (f"SELECT geometric_mean(x) {VALUES}", ["DOUBLE"], ["4.0"]),
        (f"SELECT bitwise_and_agg(x + 6), bitwise_or_agg(x) {VALUES}", ["BIGINT"] * 2, ["2", "21"]),
        (
            "SELECT try(1 / 0), try(CAST('x' AS bigint)), try(5)",
            ["INTEGER", "BIGINT", "INTEGER"],
            [None, None, "5"],
        ),
        ("SELECT COALESCE(try(split_part('a', ',', 0)), 'fallback')", ["VARCHAR"], ["fallback"]),
    ],
)
def test_documented_aggregates(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str | None]
) -> None:
    assert one_row(engine, query) == (types, row)


def test_every_over_the_data_set(engine: TimestreamEngine) -> None:
    assert one_row(
        engine,
        "SELECT every(measure_value::double > 0), every(measure_value::double > 20)"
        ' FROM "devops"."host_metrics" WHERE measure_name = \'cpu_utilization\'',
    ) == (["BOOLEAN"] * 2, ["true", "false"])


def test_regression_and_shape_aggregates(engine: TimestreamEngine) -> None:
    # y = 2.5 x - 2/3 fits (1, 2), (2, 4), (3, 7) best; the skew of 1, 2, 3 is 0.
    types, row = one_row(
        engine,
        "SELECT regr_slope(y, x), regr_intercept(y, x), skewness(x)"
        " FROM (VALUES (1.0, 2.0), (2.0, 4.0), (3.0, 7.0)) AS t(x, y)",
    )
    assert types == ["DOUBLE"] * 3
    assert float(row[0] or "") == pytest.approx(2.5)
    assert float(row[1] or "") == pytest.approx(-2 / 3)
    assert float(row[2] or "") == pytest.approx(0.0)
