"""DuckDB macros implementing Timestream functions and Timestream value formatting.

They live in the schema ``ts_fn`` of the engine's database; the translator calls them by that
name. A timeseries value is a ``LIST(STRUCT(time, value))`` ordered by time, which is also
what ``UNNEST`` and the result formatter expect.
"""

from __future__ import annotations

FUNCTION_SCHEMA = "ts_fn"

# The current instant as a plain UTC TIMESTAMP (the connection's TimeZone is UTC).
_NOW = "CAST(current_timestamp AS TIMESTAMP)"

# Timestream's timestamps are nanosecond epoch counts; DuckDB's `integer_division` setting is on
# (Trino semantics), so every ratio below is computed in DOUBLE explicitly.
_POINT_BEFORE = "list_last(list_filter(ts, lambda p: p.time <= t))"
_POINT_AFTER = "list_filter(ts, lambda p: p.time >= t)[1]"
_EXACT_POINT = "list_filter(ts, lambda p: p.time = t)[1]"

_MACROS: dict[str, str] = {
    "now()": _NOW,
    "ago(d)": f"({_NOW} - d)",
    # bin() is epoch-aligned integer arithmetic on Timestream; DuckDB's default origin is not.
    "bin(t, d)": "time_bucket(d, t, TIMESTAMP '1970-01-01')",
    "from_milliseconds(n)": "make_timestamp_ns(CAST(n AS BIGINT) * 1000000)",
    "from_nanoseconds(n)": "make_timestamp_ns(CAST(n AS BIGINT))",
    "from_unixtime(x)": "make_timestamp_ns(CAST(round(CAST(x AS DOUBLE) * 1e9) AS BIGINT))",
    "to_milliseconds(x)": "(epoch_ns(x) // 1000000)",
    "to_nanoseconds(x)": "epoch_ns(x)",
    # Seconds as a double from nanoseconds (the AWS docs show 1.6554878837710001E9).
    "to_unixtime(x)": "(CAST(epoch_ns(x) AS DOUBLE) / 1e9)",
    "from_iso8601_timestamp(s)": "CAST(CAST(s AS TIMESTAMPTZ) AS TIMESTAMP_NS)",
    "create_time_series(t, v)": "list({'time': CAST(t AS TIMESTAMP_NS), 'value': v} ORDER BY t)",
    "point_value_linear(ts, t)": (
        f"CASE WHEN {_EXACT_POINT} IS NOT NULL THEN CAST({_EXACT_POINT}.value AS DOUBLE)"
        f" WHEN {_POINT_BEFORE} IS NULL OR {_POINT_AFTER} IS NULL THEN NULL"
        f" ELSE CAST({_POINT_BEFORE}.value AS DOUBLE)"
        f" + (CAST({_POINT_AFTER}.value AS DOUBLE) - CAST({_POINT_BEFORE}.value AS DOUBLE))"
        f" * CAST(epoch_ns(t) - epoch_ns({_POINT_BEFORE}.time) AS DOUBLE)"
        f" / CAST(epoch_ns({_POINT_AFTER}.time) - epoch_ns({_POINT_BEFORE}.time) AS DOUBLE) END"
    ),
    "point_value_locf(ts, t)": f"{_POINT_BEFORE}.value",
    "point_value_fill(ts, t, fill)": (
        f"CASE WHEN {_EXACT_POINT} IS NOT NULL THEN {_EXACT_POINT}.value ELSE fill END"
    ),
    "interpolate_linear(ts, times)": (
        "list_filter(list_transform(times, lambda t: {'time': CAST(t AS TIMESTAMP_NS),"
        f" 'value': {FUNCTION_SCHEMA}.point_value_linear(ts, t)}}),"
        " lambda p: p.value IS NOT NULL)"
    ),
    "interpolate_locf(ts, times)": (
        "list_filter(list_transform(times, lambda t: {'time': CAST(t AS TIMESTAMP_NS),"
        f" 'value': {FUNCTION_SCHEMA}.point_value_locf(ts, t)}}),"
        " lambda p: p.value IS NOT NULL)"
    ),
    "interpolate_fill(ts, times, fill)": (
        "list_transform(times, lambda t: {'time': CAST(t AS TIMESTAMP_NS),"
        f" 'value': {FUNCTION_SCHEMA}.point_value_fill(ts, t, fill)}})"
    ),
    # Java's Double.toString: plain digits in [1e-3, 1e7), otherwise d.dddE±n; DuckDB prints
    # the same shortest digits, in another layout.
    "java_mantissa(d)": (
        "left(d, 1) || '.' || CASE WHEN length(d) > 1 THEN substr(d, 2) ELSE '0' END"
    ),
    "java_scientific(s)": (
        "CASE WHEN contains(s, 'e') THEN"
        " (CASE WHEN contains(split_part(s, 'e', 1), '.') THEN split_part(s, 'e', 1)"
        " ELSE split_part(s, 'e', 1) || '.0' END)"
        " || 'E' || CAST(CAST(split_part(s, 'e', 2) AS INTEGER) AS VARCHAR)"
        " WHEN starts_with(s, '0.') THEN"
        f" {FUNCTION_SCHEMA}.java_mantissa(ltrim(split_part(s, '.', 2), '0')) || 'E-'"
        " || CAST(length(split_part(s, '.', 2)) - length(ltrim(split_part(s, '.', 2), '0')) + 1"
        " AS VARCHAR)"
        f" ELSE {FUNCTION_SCHEMA}.java_mantissa("
        "rtrim(split_part(s, '.', 1) || split_part(s, '.', 2), '0'))"
        " || 'E' || CAST(length(split_part(s, '.', 1)) - 1 AS VARCHAR) END"
    ),
    "java_double(x)": (
        "CASE WHEN isnan(x) THEN 'NaN'"
        " WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END"
        " WHEN x = 0 THEN CASE WHEN signbit(x) THEN '-0.0' ELSE '0.0' END"
        " WHEN abs(x) >= 1e-3 AND abs(x) < 1e7 THEN CAST(x AS VARCHAR)"
        " ELSE CASE WHEN x < 0 THEN '-' ELSE '' END"
        f" || {FUNCTION_SCHEMA}.java_scientific(CAST(abs(x) AS VARCHAR)) END"
    ),
    # Timestream intervals: `D HH:MM:SS.nnnnnnnnn` (day to second) or `Y-M` (year to month).
    "interval_months(i)": "(datepart('year', i) * 12 + datepart('month', i))",
    "interval_time_us(i)": (
        f"(epoch_us(i) - ({FUNCTION_SCHEMA}.interval_months(i) * 30 + datepart('day', i))"
        " * 86400000000)"
    ),
    "interval_total_us(i)": (
        f"(datepart('day', i) * 86400000000 + {FUNCTION_SCHEMA}.interval_time_us(i))"
    ),
    "interval_day_to_second(i)": (
        f"CASE WHEN {FUNCTION_SCHEMA}.interval_total_us(i) < 0 THEN '-' ELSE '' END"
        f" || CAST(abs({FUNCTION_SCHEMA}.interval_total_us(i)) // 86400000000 AS VARCHAR) || ' '"
        " || strftime(TIMESTAMP '1970-01-01' + to_microseconds("
        f"abs({FUNCTION_SCHEMA}.interval_total_us(i)) % 86400000000), '%H:%M:%S.%n')"
    ),
    "interval_text(i)": (
        f"CASE WHEN {FUNCTION_SCHEMA}.interval_months(i) <> 0 AND datepart('day', i) = 0"
        f" AND {FUNCTION_SCHEMA}.interval_time_us(i) = 0"
        f" THEN CAST({FUNCTION_SCHEMA}.interval_months(i) // 12 AS VARCHAR) || '-'"
        f" || CAST({FUNCTION_SCHEMA}.interval_months(i) % 12 AS VARCHAR)"
        f" ELSE {FUNCTION_SCHEMA}.interval_day_to_second(i) END"
    ),
}

# Names callable from Timestream SQL, mapped to the macro implementing them.
TIMESTREAM_MACROS = frozenset(
    {
        "now",
        "ago",
        "bin",
        "from_milliseconds",
        "from_nanoseconds",
        "from_unixtime",
        "to_milliseconds",
        "to_nanoseconds",
        "to_unixtime",
        "from_iso8601_timestamp",
        "create_time_series",
        "interpolate_linear",
        "interpolate_locf",
        "interpolate_fill",
    }
)


def macro_statements() -> list[str]:
    """The DDL creating every macro (idempotent); run once when the engine opens.

    The macros go in one multi-statement text: DuckDB creates them about 1.5x faster than
    one execute() each (bench figures in docs/timeseries.md).
    """
    from .functions import macro_statements as family_macros  # the families import this module

    macros = [
        f"CREATE OR REPLACE MACRO {FUNCTION_SCHEMA}.{signature} AS {body}"
        for signature, body in {**_MACROS, **family_macros()}.items()
    ]
    return [f"CREATE SCHEMA IF NOT EXISTS {FUNCTION_SCHEMA}", ";\n".join(macros)]
