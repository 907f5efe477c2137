"""A corpus of Timestream queries with expected results.

Constant queries reproduce examples of the AWS Timestream developer guide (date/time,
duration and conversion functions) with the outputs it documents; the data queries run
over the devops data set of ``conftest.py`` with results computed independently here.
"""

from __future__ import annotations

from statistics import mean

import pytest

from avista_dx.emulator.timestream import QueryValidationError, TimestreamEngine

from .conftest import (
    DATABASE,
    HOSTS,
    MINUTES,
    T0_MS,
    TABLE,
    column_types,
    cpu_value,
    run_query,
    scalars,
)

FROM = f'FROM "{DATABASE}"."{TABLE}"'

# (query, expected ColumnInfo ScalarTypes, expected row) from the AWS docs' examples.
DOCUMENTED_CONSTANTS = [
    ("SELECT 1", ["INTEGER"], ["1"]),
    ("SELECT from_milliseconds(1)", ["TIMESTAMP"], ["1970-01-01 00:00:00.001000000"]),
    ("SELECT from_nanoseconds(300000001)", ["TIMESTAMP"], ["1970-01-01 00:00:00.300000001"]),
    (
        "SELECT to_milliseconds(TIMESTAMP '2022-06-17 17:44:43.771000000')",
        ["BIGINT"],
        ["1655487883771"],
    ),
    (
        "SELECT to_unixtime(TIMESTAMP '2022-06-17 17:44:43.771000000')",
        ["DOUBLE"],
        ["1.6554878837710001E9"],
    ),
    (
        "SELECT from_iso8601_timestamp('2022-06-17T08:04:05.000000000+05:00')",
        ["TIMESTAMP"],
        ["2022-06-17 03:04:05.000000000"],
    ),
    (
        "SELECT bin(TIMESTAMP '2022-06-17 10:15:20', 30day)",
        ["TIMESTAMP"],
        ["2022-05-28 00:00:00.000000000"],
    ),
    ("SELECT parse_duration('42.8ms')", ["INTERVAL_DAY_TO_SECOND"], ["0 00:00:00.042800000"]),
    ("SELECT 1d", ["INTERVAL_DAY_TO_SECOND"], ["1 00:00:00.000000000"]),
    ("SELECT 1year", ["INTERVAL_YEAR_TO_MONTH"], ["1-0"]),
    ("SELECT 8month", ["INTERVAL_YEAR_TO_MONTH"], ["0-8"]),
    ("SELECT 36h", ["INTERVAL_DAY_TO_SECOND"], ["1 12:00:00.000000000"]),
    (
        "SELECT date_trunc('month', TIMESTAMP '2022-06-17 10:15:20')",
        ["TIMESTAMP"],
        ["2022-06-01 00:00:00.000000000"],
    ),
    (
        "SELECT date_add('hour', 9, TIMESTAMP '2022-06-17 00:00:00')",
        ["TIMESTAMP"],
        ["2022-06-17 09:00:00.000000000"],
    ),
    (
        "SELECT date_diff('day', TIMESTAMP '2020-03-01 23:00:00', TIMESTAMP '2020-03-02 01:00:00')",
        ["BIGINT"],
        ["0"],
    ),
    (
        "SELECT TIMESTAMP '2022-06-17 10:15:20' + 1h, DATE '2022-05-21' + 2d",
        ["TIMESTAMP", "DATE"],
        ["2022-06-17 11:15:20.000000000", "2022-05-23"],
    ),
    (
        "SELECT 5 / 2, -7 / 2, 5.0 / 2, 7 % 3",
        ["INTEGER", "INTEGER", "DOUBLE", "INTEGER"],
        ["2", "-3", "2.5", "1"],
    ),
    (
        "SELECT 1.5, 0.1 + 0.2, 1e20, 1e-4",
        ["DOUBLE"] * 4,
        ["1.5", "0.30000000000000004", "1.0E20", "1.0E-4"],
    ),
    ("SELECT true, NULL", ["BOOLEAN", "UNKNOWN"], ["true", None]),
    (
        "SELECT lpad('7', 3, '0'), array_join(ARRAY['a', 'b'], ','), concat_ws('-', 'a', 'b'),"
        " log10(100), truncate(1.7), strpos('abc', 'c'), cardinality(split('a,b', ','))",
        ["VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE", "BIGINT", "BIGINT"],
        ["007", "a,b", "a-b", "2.0", "1.0", "3", "2"],
    ),
    (
        "SELECT date_format(TIMESTAMP '2022-01-02 03:04:05', '%Y-%m-%d %H:%i:%s'),"
        " date_parse('2022-01-02', '%Y-%m-%d')",
        ["VARCHAR", "TIMESTAMP"],
        ["2022-01-02 03:04:05", "2022-01-02 00:00:00.000000000"],
    ),
    (
        "SELECT now() - ago(1d), to_milliseconds(1d), from_unixtime(1.5)",
        ["INTERVAL_DAY_TO_SECOND", "BIGINT", "TIMESTAMP"],
        ["1 00:00:00.000000000", "86400000", "1970-01-01 00:00:01.500000000"],
    ),
    ("SELECT 'it''s', '1h'", ["VARCHAR", "VARCHAR"], ["it's", "1h"]),
    (
        "SELECT if(2 > 1, 'yes', 'no'), CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END",
        ["VARCHAR"] * 2,
        ["yes", "b"],
    ),
    (
        "SELECT DATE '2020-08-08', TIME '01:00:00'",
        ["DATE", "TIME"],
        ["2020-08-08", "01:00:00.000000000"],
    ),
]


@pytest.mark.parametrize(("query", "types", "row"), DOCUMENTED_CONSTANTS)
def test_documented_constant_queries(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str | None]
) -> None:
    result = run_query(engine, query)
    assert [t for _, t in column_types(result)] == types
    assert scalars(result) == [row]


def test_unnamed_columns_are_named_by_position(engine: TimestreamEngine) -> None:
    result = run_query(engine, "SELECT 1, 2 AS two, 3")
    assert [name for name, _ in column_types(result)] == ["_col0", "two", "_col2"]


def test_array_and_row_values(engine: TimestreamEngine) -> None:
    result = run_query(engine, "SELECT ARRAY[1, 2], ROW(1, 'x'), ARRAY[]")
    assert result["ColumnInfo"][0]["Type"] == {
        "ArrayColumnInfo": {"Type": {"ScalarType": "INTEGER"}}
    }
    data = result["Rows"][0]["Data"]
    assert data[0] == {"ArrayValue": [{"ScalarValue": "1"}, {"ScalarValue": "2"}]}
    assert data[1] == {"RowValue": {"Data": [{"ScalarValue": "1"}, {"ScalarValue": "x"}]}}
    assert "RowColumnInfo" in result["ColumnInfo"][1]["Type"]


def test_select_star_column_order_and_types(devops: TimestreamEngine) -> None:
    result = run_query(devops, f"SELECT * {FROM} ORDER BY time DESC, host LIMIT 1")
    assert column_types(result) == [
        ("region", "VARCHAR"),
        ("host", "VARCHAR"),
        ("measure_name", "VARCHAR"),
        ("time", "TIMESTAMP"),
        ("measure_value::double", "DOUBLE"),
        ("cpu", "DOUBLE"),
        ("memory", "BIGINT"),
        ("status", "VARCHAR"),
    ]
    assert scalars(result) == [
        [
            "us-east-1",
            "host-1",
            "cpu_utilization",
            "2024-01-01 00:59:00.000000000",
            "9.5",
            None,
            None,
            None,
        ]
    ]


@pytest.mark.parametrize("max_rows", [None, 1, 3])
def test_bin_avg_group_by(devops: TimestreamEngine, max_rows: int | None) -> None:
    result = run_query(
        devops,
        "SELECT host, bin(time, 15m) AS binned_time, avg(measure_value::double) AS avg_cpu "
        f"{FROM} WHERE measure_name = 'cpu_utilization' AND host = 'host-2' "
        "GROUP BY host, bin(time, 15m) ORDER BY binned_time",
        max_rows=max_rows,
    )
    expected = [
        [
            "host-2",
            f"2024-01-01 00:{start:02d}:00.000000000",
            repr(mean(cpu_value(1, m) for m in range(start, start + 15))),
        ]
        for start in (0, 15, 30, 45)
    ]
    assert scalars(result) == expected
    assert column_types(result)[2] == ("avg_cpu", "DOUBLE")


def test_count_per_measure_and_bigint_sum(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        f"SELECT measure_name, count(*), sum(memory) {FROM} GROUP BY measure_name ORDER BY 1",
    )
    memory_sum = sum(1000 + m for m in range(0, MINUTES, 10)) * len(HOSTS)
    assert scalars(result) == [
        ["cpu_utilization", str(MINUTES * len(HOSTS)), None],
        ["metrics", str(6 * len(HOSTS)), str(memory_sum)],
    ]
    assert [t for _, t in column_types(result)] == ["VARCHAR", "BIGINT", "BIGINT"]


@pytest.mark.parametrize("max_rows", [None, 2])
def test_max_by_min_by_latest_value(devops: TimestreamEngine, max_rows: int | None) -> None:
    result = run_query(
        devops,
        "SELECT host, max_by(measure_value::double, time) AS last_cpu,"
        f" min_by(measure_value::double, time) {FROM}"
        " WHERE measure_name = 'cpu_utilization' GROUP BY host ORDER BY host",
        max_rows=max_rows,
    )
    assert scalars(result) == [
        [host, repr(cpu_value(i, MINUTES - 1)), repr(cpu_value(i, 0))]
        for i, (host, _) in enumerate(HOSTS)
    ]


def test_count_if_approx_percentile_and_cte(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        "WITH per_host AS (SELECT host, count_if(measure_value::double > 20) AS hot,"
        " approx_percentile(measure_value::double, 0.5) AS p50"
        f" {FROM} WHERE measure_name = 'cpu_utilization' GROUP BY host)"
        " SELECT host, hot, p50 FROM per_host ORDER BY host",
    )
    rows = scalars(result)
    assert [row[:2] for row in rows] == [["host-1", "0"], ["host-2", "0"], ["host-3", "60"]]
    # approx_percentile is approximate (different algorithm from AWS): stay within the range.
    for index, row in enumerate(rows):
        assert index * 10 <= float(row[2] or "nan") <= index * 10 + 10


def test_join_and_window_function(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        "SELECT c.host, c.time, c.measure_value::double AS cpu, m.memory,"
        " row_number() OVER (PARTITION BY c.host ORDER BY c.time DESC) AS rn"
        f' {FROM} c JOIN "{DATABASE}"."{TABLE}" m ON c.host = m.host AND c.time = m.time'
        " WHERE c.measure_name = 'cpu_utilization' AND m.measure_name = 'metrics'"
        " ORDER BY c.host, c.time LIMIT 2",
    )
    assert scalars(result) == [
        ["host-1", "2024-01-01 00:00:00.000000000", "0.5", "1000", "6"],
        ["host-1", "2024-01-01 00:10:00.000000000", "0.5", "1010", "5"],
    ]


def test_multi_measure_columns_and_time_arithmetic(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        f"SELECT host, status, memory, time + 30s AS later {FROM} WHERE measure_name = 'metrics'"
        " AND time BETWEEN from_milliseconds("
        + str(T0_MS)
        + ") AND from_milliseconds("
        + str(T0_MS)
        + ") + 10m AND host = 'host-3' ORDER BY time",
    )
    assert scalars(result) == [
        ["host-3", "WARN", "1000", "2024-01-01 00:00:30.000000000"],
        ["host-3", "OK", "1010", "2024-01-01 00:10:30.000000000"],
    ]


def test_ago_and_now(devops: TimestreamEngine) -> None:
    old = run_query(devops, f"SELECT count(*) {FROM} WHERE time > ago(1h)")
    assert scalars(old) == [["0"]]
    everything = run_query(devops, f"SELECT count(*) {FROM} WHERE time < now() - 1d")
    assert scalars(everything) == [[str(MINUTES * len(HOSTS) + 6 * len(HOSTS))]]


def test_date_trunc_and_to_milliseconds_on_data(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        f"SELECT date_trunc('hour', max(time)), to_milliseconds(min(time)) {FROM}",
    )
    assert scalars(result) == [["2024-01-01 00:00:00.000000000", str(T0_MS)]]


def test_create_time_series_and_unnest(devops: TimestreamEngine) -> None:
    result = run_query(
        devops,
        "SELECT host, create_time_series(time, measure_value::double) AS cpu"
        f" {FROM} WHERE measure_name = 'cpu_utilization' AND time < from_milliseconds({T0_MS}) + 3m"
        " GROUP BY host ORDER BY host",
    )
    assert result["ColumnInfo"][1] == {
        "Name": "cpu",
        "Type": {"TimeSeriesMeasureValueColumnInfo": {"Type": {"ScalarType": "DOUBLE"}}},
    }
    first = result["Rows"][0]["Data"][1]["TimeSeriesValue"]
    assert first == [
        {
            "Time": f"2024-01-01 00:0{m}:00.000000000",
            "Value": {"ScalarValue": repr(cpu_value(0, m))},
        }
        for m in range(3)
    ]
    unnested = run_query(
        devops,
        "WITH series AS (SELECT host, create_time_series(time, measure_value::double) AS cpu"
        f" {FROM} WHERE measure_name = 'cpu_utilization' AND host = 'host-2'"
        f" AND time < from_milliseconds({T0_MS}) + 2m GROUP BY host)"
        " SELECT host, t.time, t.value FROM series CROSS JOIN UNNEST(cpu) AS t(time, value)"
        " ORDER BY t.time",
    )
    assert scalars(unnested) == [
        ["host-2", "2024-01-01 00:00:00.000000000", "10.5"],
        ["host-2", "2024-01-01 00:01:00.000000000", "11.5"],
    ]


def test_interpolation_over_sequence(devops: TimestreamEngine) -> None:
    # Points every 10 minutes (multi-measure cpu), interpolated every 5 minutes.
    query = (
        "WITH series AS (SELECT host, create_time_series(time, cpu) AS cpu,"
        " min(time) AS first_time, max(time) AS last_time"
        f" {FROM} WHERE measure_name = 'metrics' AND host = 'host-2'"
        f" AND time <= from_milliseconds({T0_MS}) + 20m GROUP BY host)"
        " SELECT host, {function}(cpu, SEQUENCE(first_time, last_time + 5m, 5m){extra}) AS filled"
        " FROM series"
    )
    expected_times = [f"2024-01-01 00:{m:02d}:00.000000000" for m in (0, 5, 10, 15, 20)]
    point = cpu_value(1, 0)  # every 10th minute has the same cpu value in the data set

    linear = run_query(devops, query.format(function="interpolate_linear", extra=""))
    values = linear["Rows"][0]["Data"][1]["TimeSeriesValue"]
    assert [p["Time"] for p in values] == expected_times  # 00:25 lies after the last point
    assert {p["Value"]["ScalarValue"] for p in values} == {repr(point)}

    filled = run_query(devops, query.format(function="interpolate_fill", extra=", -1.0"))
    fill_values = [
        p["Value"]["ScalarValue"] for p in filled["Rows"][0]["Data"][1]["TimeSeriesValue"]
    ]
    assert fill_values == [repr(point), "-1.0", repr(point), "-1.0", repr(point), "-1.0"]

    locf = run_query(devops, query.format(function="interpolate_locf", extra=""))
    assert len(locf["Rows"][0]["Data"][1]["TimeSeriesValue"]) == 6


def test_linear_interpolation_values(engine: TimestreamEngine) -> None:
    from .conftest import dimension, single_record

    engine.create_table("lab", "sensors")
    engine.publish(
        "lab",
        "sensors",
        "a",
        [
            single_record(T0_MS, "10.0", dimensions=[dimension("s", "x")]),
            single_record(T0_MS + 40_000, "30.0", dimensions=[dimension("s", "x")]),
        ],
    )
    result = run_query(
        engine,
        "SELECT interpolate_linear(create_time_series(time, measure_value::double),"
        f" SEQUENCE(from_milliseconds({T0_MS}), from_milliseconds({T0_MS}) + 40s, 10s)),"
        " interpolate_linear(create_time_series(time, measure_value::double),"
        f" from_milliseconds({T0_MS}) + 30s)"
        ' FROM "lab"."sensors"',
    )
    series = result["Rows"][0]["Data"][0]["TimeSeriesValue"]
    assert [p["Value"]["ScalarValue"] for p in series] == ["10.0", "15.0", "20.0", "25.0", "30.0"]
    assert result["Rows"][0]["Data"][1] == {"ScalarValue": "25.0"}


def test_metadata_statements(devops: TimestreamEngine) -> None:
    assert scalars(run_query(devops, "SHOW DATABASES")) == [[DATABASE]]
    assert scalars(run_query(devops, f"SHOW TABLES FROM {DATABASE}")) == [[TABLE]]
    assert scalars(run_query(devops, f"SHOW TABLES FROM {DATABASE} LIKE 'host%'")) == [[TABLE]]
    assert scalars(run_query(devops, f"SHOW TABLES FROM {DATABASE} LIKE 'x%'")) == []
    measures = run_query(devops, f'SHOW MEASURES FROM "{DATABASE}"."{TABLE}"')
    assert [c["Name"] for c in measures["ColumnInfo"]] == [
        "measure_name",
        "data_type",
        "dimensions",
    ]
    first = measures["Rows"][0]["Data"]
    assert first[:2] == [{"ScalarValue": "cpu_utilization"}, {"ScalarValue": "double"}]
    assert first[2]["ArrayValue"][0] == {
        "RowValue": {"Data": [{"ScalarValue": "region"}, {"ScalarValue": "varchar"}]}
    }
    described = scalars(run_query(devops, f"DESCRIBE {DATABASE}.{TABLE}"))
    assert described[:5] == [
        ["region", "varchar", "DIMENSION"],
        ["host", "varchar", "DIMENSION"],
        ["measure_name", "varchar", "MEASURE_NAME"],
        ["time", "timestamp", "TIMESTAMP"],
        ["measure_value::double", "double", "MEASURE_VALUE"],
    ]


def test_names_are_case_sensitive(devops: TimestreamEngine) -> None:
    with pytest.raises(QueryValidationError, match="does not exist"):
        run_query(devops, f'SELECT * FROM "DevOps"."{TABLE}"')


UNSUPPORTED = [
    ("SELECT * FROM host_metrics", "qualified"),
    (f"SELECT getenv('HOME') {FROM}", "GETENV"),
    ("SELECT * FROM read_csv('/etc/passwd')", "not supported|qualified"),
    (f"DELETE {FROM}", "Only SELECT"),
    (f'INSERT INTO "{DATABASE}"."{TABLE}" VALUES (1)', "Only SELECT"),
    ("SELECT 1; SELECT 2", "one SQL statement"),
    (f"SELECT measure_value::timestamp {FROM}", "measure_value::timestamp"),
    ("SELECT 1ns", "sub-microsecond"),
    ("SELECT FROM WHERE", "Syntax error|syntax"),
    (f"SELECT interpolate_spline_cubic(x, 1) {FROM}", "INTERPOLATE_SPLINE_CUBIC"),
    ("SELECT parse_duration(x) FROM (SELECT '1h' AS x)", "parse_duration"),
]


@pytest.mark.parametrize(("query", "message"), UNSUPPORTED)
def test_unsupported_constructs_are_named(
    devops: TimestreamEngine, query: str, message: str
) -> None:
    with pytest.raises(QueryValidationError, match=f"(?i){message}"):
        run_query(devops, query)


def test_unknown_column_is_a_validation_error_without_internal_names(
    devops: TimestreamEngine,
) -> None:
    with pytest.raises(QueryValidationError) as caught:
        run_query(devops, f"SELECT nope {FROM}")
    assert "ts_data" not in caught.value.message


def test_duration_literal_inside_strings_and_identifiers_untouched(
    engine: TimestreamEngine,
) -> None:
    result = run_query(engine, "SELECT '15m' AS \"1h\", 1 h")
    assert column_types(result) == [("1h", "VARCHAR"), ("h", "INTEGER")]
    assert scalars(result) == [["15m", "1"]]


def test_runtime_errors_are_validation_errors_without_sql(engine: TimestreamEngine) -> None:
    with pytest.raises(QueryValidationError, match="Cannot cast 'abc' to BIGINT") as caught:
        run_query(engine, "SELECT cast('abc' AS bigint)")
    assert "NullValue" not in caught.value.message  # no translated SQL in the message
    assert "LINE" not in caught.value.message


def test_placeholders_cannot_be_forged(engine: TimestreamEngine) -> None:
    with pytest.raises(QueryValidationError, match="__ts_duration"):
        run_query(engine, "SELECT __ts_duration(3)")
    with pytest.raises(QueryValidationError, match="nested too deeply"):
        run_query(engine, "SELECT " + "(" * 3000 + "1" + ")" * 3000)
