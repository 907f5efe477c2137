"""Time-series functions over create_time_series values.

AWS's time-series pages define them: derivatives
(https://docs.aws.amazon.com/timestream/latest/developerguide/timeseries-specific-constructs.functions.derivatives.html),
integrals (…functions.integrals.html), correlation (…functions.correlation.html) and filter /
reduce (…functions.filter-reduce.html). Expected values are computed here from the data.
"""

from __future__ import annotations

import statistics

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import datum, one_row, query_error

# Points at 0 s, 10 s, 20 s, 30 s with values 1, 3, 2, 6 (as one timeseries per query).
SERIES = (
    "(SELECT create_time_series(t, v) AS ts FROM (VALUES"
    " (TIMESTAMP '2024-01-01 00:00:00', 1.0), (TIMESTAMP '2024-01-01 00:00:10', 3.0),"
    " (TIMESTAMP '2024-01-01 00:00:20', 2.0), (TIMESTAMP '2024-01-01 00:00:30', 6.0))"
    " AS p(t, v))"
)
OTHER = (
    "(SELECT create_time_series(t, v) AS ts FROM (VALUES"
    " (TIMESTAMP '2024-01-01 00:00:00', 2.0), (TIMESTAMP '2024-01-01 00:00:10', 7.0),"
    " (TIMESTAMP '2024-01-01 00:00:20', 4.0), (TIMESTAMP '2024-01-01 00:00:30', 9.0))"
    " AS p(t, v))"
)


def points(value: dict[str, object]) -> list[tuple[str, str]]:
    return [
        (point["Time"][11:19], point["Value"]["ScalarValue"])  # type: ignore[index]
        for point in value["TimeSeriesValue"]  # type: ignore[union-attr]
    ]


def test_integral_trapezoidal(engine: TimestreamEngine) -> None:
    # Trapezoids: (1+3)/2*10 + (3+2)/2*10 + (2+6)/2*10 = 85 value-seconds; per minute: 85/60.
    assert one_row(
        engine, f"SELECT integral_trapezoidal(ts), integral_trapezoidal(ts, 1m) FROM {SERIES}"
    ) == (
        ["DOUBLE", "DOUBLE"],
        ["85.0", "1.4166666666666667"],
    )


def test_derivative_linear(engine: TimestreamEngine) -> None:
    # Rates per minute between neighbours: (3-1)/10s*60, (2-3)/10s*60, (6-2)/10s*60.
    value = datum(engine, f"SELECT derivative_linear(ts, 1m) FROM {SERIES}")
    assert points(value) == [("00:00:10", "12.0"), ("00:00:20", "-6.0"), ("00:00:30", "24.0")]
    value = datum(engine, f"SELECT non_negative_derivative_linear(ts, 1m) FROM {SERIES}")
    assert points(value) == [("00:00:10", "12.0"), ("00:00:30", "24.0")]


def test_correlations(engine: TimestreamEngine) -> None:
    types, row = one_row(
        engine,
        f"SELECT correlate_pearson(a.ts, b.ts), correlate_spearman(a.ts, b.ts)"
        f" FROM {SERIES} AS a CROSS JOIN {OTHER} AS b",
    )
    assert types == ["DOUBLE", "DOUBLE"]
    # Pearson of (1,3,2,6) and (2,7,4,9); Spearman of their ranks (1,3,2,4) and (1,3,2,4).
    assert float(row[0] or "") == pytest.approx(statistics.correlation([1, 3, 2, 6], [2, 7, 4, 9]))
    assert row[1] == "1.0"


def test_filter_keeps_points_the_function_accepts(engine: TimestreamEngine) -> None:
    value = datum(engine, f"SELECT filter(ts, x -> x.value > 2.0) FROM {SERIES}")
    assert points(value) == [("00:00:10", "3.0"), ("00:00:30", "6.0")]


def test_reduce_to_a_sum_of_squares(engine: TimestreamEngine) -> None:
    # AWS's example: REDUCE(ts, DOUBLE '0.0', (s, x) -> x.value * x.value + s, s -> s).
    assert one_row(
        engine, f"SELECT reduce(ts, 0.0, (s, x) -> x.value * x.value + s, s -> s) FROM {SERIES}"
    ) == (["DOUBLE"], ["50.0"])


def test_unnest_without_alias_has_time_and_value_columns(engine: TimestreamEngine) -> None:
    types, row = one_row(
        engine,
        f"SELECT time, value FROM {SERIES} AS s CROSS JOIN UNNEST(ts) ORDER BY value DESC LIMIT 1",
    )
    assert (types, row) == (["TIMESTAMP", "DOUBLE"], ["2024-01-01 00:00:30.000000000", "6.0"])


def test_spline_interpolation_is_refused_by_name(engine: TimestreamEngine) -> None:
    assert "interpolate_spline_cubic is not supported by the emulator" in query_error(
        engine, f"SELECT interpolate_spline_cubic(ts, ago(1h)) FROM {SERIES}"
    )


def test_over_the_data_set(engine: TimestreamEngine) -> None:
    # host-1's cpu_utilization rises 1 per minute for 9 minutes, then drops by 9 (minute 10).
    value = datum(
        engine,
        "SELECT derivative_linear(create_time_series(time, measure_value::double), 1m)"
        ' FROM "devops"."host_metrics" WHERE measure_name = \'cpu_utilization\''
        " AND host = 'host-1' AND time < from_milliseconds(1704067200000 + 11 * 60000)"
        " GROUP BY host",
    )
    assert [v for _, v in points(value)] == ["1.0"] * 9 + ["-9.0"]
