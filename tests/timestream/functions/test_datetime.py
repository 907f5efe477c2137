"""Date and time functions.

Examples and results from AWS's "Date / time functions" page
(https://docs.aws.amazon.com/timestream/latest/developerguide/date-time-functions.html); where
AWS gives no result, Trino's semantics (https://trino.io/docs/current/functions/datetime.html),
which Timestream follows, decide, and the test says so.
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import one_row, query_error

TS = "TIMESTAMP '2022-07-07 17:44:43.771000000'"


@pytest.mark.parametrize(
    ("query", "types", "row"),
    [
        # AWS examples.
        (f"SELECT date({TS})", ["DATE"], ["2022-07-07"]),
        (f"SELECT last_day_of_month({TS})", ["DATE"], ["2022-07-31"]),
        ("SELECT current_timezone()", ["VARCHAR"], ["UTC"]),
        (f"SELECT millisecond({TS})", ["BIGINT"], ["771"]),
        (f"SELECT year_of_week({TS}), yow({TS})", ["BIGINT", "BIGINT"], ["2022", "2022"]),
        (f"SELECT day_of_week({TS}), dow({TS})", ["BIGINT", "BIGINT"], ["4", "4"]),
        (f"SELECT day_of_year({TS}), doy({TS})", ["BIGINT", "BIGINT"], ["188", "188"]),
        (f"SELECT week({TS}), week_of_year({TS})", ["BIGINT", "BIGINT"], ["27", "27"]),
        (
            f"SELECT year({TS}), quarter({TS}), month({TS}), day({TS}), hour({TS}),"
            f" minute({TS}), second({TS})",
            ["BIGINT"] * 7,
            ["2022", "3", "7", "7", "17", "44", "43"],
        ),
        # Nanosecond of the second (Timestream timestamps have nanosecond precision).
        (
            "SELECT nanosecond(TIMESTAMP '2022-07-07 17:44:43.771000123')",
            ["BIGINT"],
            ["771000123"],
        ),
        (f"SELECT to_iso8601(date({TS}))", ["VARCHAR"], ["2022-07-07"]),
        # Trino prints a timestamp(9) without zone in full precision.
        (f"SELECT to_iso8601({TS})", ["VARCHAR"], ["2022-07-07T17:44:43.771000000"]),
        # AWS passes varchar literals where timestamps are expected.
        (
            "SELECT hour('2019-10-12 23:10:34'), day('2019-10-12 23:10:34'),"
            " week('2019-10-12 23:10:34'), extract(minute FROM '2019-10-12 23:10:34')",
            ["BIGINT"] * 4,
            ["23", "12", "41", "10"],
        ),
        (
            "SELECT to_unixtime('2019-10-12 23:10:34'), to_milliseconds('2019-10-12 23:10:34')",
            ["DOUBLE", "BIGINT"],
            ["1.570921834E9", "1570921834000"],
        ),
    ],
)
def test_documented_functions(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str]
) -> None:
    assert one_row(engine, query) == (types, row)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("YEAR", "2022"),
        ("QUARTER", "3"),
        ("MONTH", "7"),
        ("WEEK", "27"),
        ("DAY", "7"),
        ("DAY_OF_MONTH", "7"),
        ("DAY_OF_WEEK", "4"),
        ("DOW", "4"),
        ("DAY_OF_YEAR", "188"),
        ("DOY", "188"),
        ("YEAR_OF_WEEK", "2022"),
        ("YOW", "2022"),
        ("HOUR", "17"),
        ("MINUTE", "44"),
        ("SECOND", "43"),
        ("TIMEZONE_HOUR", "0"),
        ("TIMEZONE_MINUTE", "0"),
    ],
)
def test_every_extract_field(engine: TimestreamEngine, field: str, value: str) -> None:
    # Trino's EXTRACT fields, all BIGINT; the zone of a Timestream timestamp is UTC.
    assert one_row(engine, f"SELECT extract({field} FROM {TS})") == (["BIGINT"], [value])


def test_extract_rejects_unknown_fields(engine: TimestreamEngine) -> None:
    assert "Invalid EXTRACT field: CENTURY" in query_error(
        engine, f"SELECT extract(CENTURY FROM {TS})"
    )


def test_week_year_differs_from_calendar_year_at_new_year(engine: TimestreamEngine) -> None:
    # ISO week-numbering year: 2021-01-01 (a Friday) belongs to week 53 of 2020.
    assert one_row(
        engine, "SELECT yow(DATE '2021-01-01'), week(DATE '2021-01-01'), year(DATE '2021-01-01')"
    ) == (["BIGINT"] * 3, ["2020", "53", "2021"])


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-MM-dd HH:mm:ss", "2022-07-07 17:44:43"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSS", "2022-07-07T17:44:43.771"),
        ("dd/MM/yy h:mm a", "07/07/22 5:44 PM"),
        ("EEEE, MMMM d, yyyy", "Thursday, July 7, 2022"),
        ("EEE MMM dd", "Thu Jul 07"),
        ("D", "188"),
        ("HH:mm:ss Z", "17:44:43 +0000"),
    ],
)
def test_format_datetime_uses_joda_patterns(
    engine: TimestreamEngine, pattern: str, text: str
) -> None:
    quoted = pattern.replace("'", "''")
    assert one_row(engine, f"SELECT format_datetime({TS}, '{quoted}')") == (["VARCHAR"], [text])


def test_parse_datetime_reads_joda_patterns(engine: TimestreamEngine) -> None:
    assert one_row(
        engine,
        "SELECT parse_datetime('2022-07-07 17:44:43.771', 'yyyy-MM-dd HH:mm:ss.SSS'),"
        " parse_datetime('07/07/2022', 'dd/MM/yyyy')",
    ) == (
        ["TIMESTAMP", "TIMESTAMP"],
        ["2022-07-07 17:44:43.771000000", "2022-07-07 00:00:00.000000000"],
    )


def test_joda_letters_the_emulator_cannot_translate_are_refused(engine: TimestreamEngine) -> None:
    assert "not supported by the emulator" in query_error(
        engine, f"SELECT format_datetime({TS}, 'G yyyy')"
    )


def test_date_plus_days_is_a_date(engine: TimestreamEngine) -> None:
    # Trino: date '2012-08-08' + interval '2' day = 2012-08-10 (a DATE).
    assert one_row(
        engine,
        "SELECT DATE '2012-08-08' + INTERVAL '2' DAY, DATE '2022-05-21' + 2d,"
        " DATE '2012-08-08' - 2d, DATE '2012-01-31' + 1month",
    ) == (["DATE"] * 4, ["2012-08-10", "2022-05-23", "2012-08-06", "2012-02-29"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT DATE '2022-01-01' + 1h",
            "Cannot add hour, minute, second or millisecond to a date",
        ),
        ("SELECT DATE '2022-01-01' + INTERVAL '3' HOUR", "Cannot add hour"),
        ("SELECT DATE '2022-01-01' - 30m", "Cannot subtract hour, minute, second or millisecond"),
    ],
)
def test_time_of_day_cannot_be_added_to_a_date(
    engine: TimestreamEngine, query: str, message: str
) -> None:
    assert message in query_error(engine, query)


def test_bin_keeps_nanoseconds(engine: TimestreamEngine) -> None:
    # 00:00:00.001999999 is in the 1 ms bin starting at .001 (rounding to microseconds first
    # would put it at .002).
    assert one_row(
        engine,
        "SELECT bin(from_nanoseconds(1999999), 1ms), bin(from_nanoseconds(1999999), 1us)",
    ) == (["TIMESTAMP"] * 2, ["1970-01-01 00:00:00.001000000", "1970-01-01 00:00:00.001999000"])


def test_bin_of_a_varchar_timestamp(engine: TimestreamEngine) -> None:
    assert one_row(engine, "SELECT bin('2022-06-17 10:15:20', 1h)") == (
        ["TIMESTAMP"],
        ["2022-06-17 10:00:00.000000000"],
    )


def test_zone_fields_and_current_time(engine: TimestreamEngine) -> None:
    # Timestream's time zone is always UTC.
    assert one_row(engine, f"SELECT timezone_hour({TS}), timezone_minute({TS})") == (
        ["BIGINT"] * 2,
        ["0", "0"],
    )
    types, row = one_row(engine, "SELECT current_time, typeof(current_time), typeof(current_date)")
    assert types == ["TIME", "VARCHAR", "VARCHAR"]
    assert row[1:] == ["time", "date"]


def test_date_add_and_date_trunc_of_a_date_are_dates(engine: TimestreamEngine) -> None:
    # Trino: date_add('month', 1, DATE '2022-01-31') = DATE '2022-02-28'.
    assert one_row(
        engine,
        "SELECT date_add('month', 1, DATE '2022-01-31'), date_trunc('month', DATE '2022-07-07'),"
        " date_add('day', 1, '2022-01-01 10:00:00')",
    ) == (
        ["DATE", "DATE", "TIMESTAMP"],
        ["2022-02-28", "2022-07-01", "2022-01-02 10:00:00.000000000"],
    )
    assert "Cannot add hour" in query_error(engine, "SELECT date_add('hour', 1, DATE '2022-01-01')")


def test_nanosecond_durations_in_bin_and_timestamp_arithmetic(engine: TimestreamEngine) -> None:
    # Timestream's durations go down to nanoseconds (`ns`).
    assert one_row(
        engine,
        "SELECT bin(from_nanoseconds(1999), 500ns), from_nanoseconds(10) + 1ns,"
        " from_nanoseconds(10) - 3ns, from_nanoseconds(1) + 1.5us",
    ) == (
        ["TIMESTAMP"] * 4,
        [
            "1970-01-01 00:00:00.000001500",
            "1970-01-01 00:00:00.000000011",
            "1970-01-01 00:00:00.000000007",
            "1970-01-01 00:00:00.000001501",
        ],
    )


def test_nanosecond_durations_elsewhere_are_refused(engine: TimestreamEngine) -> None:
    # DuckDB intervals have microsecond resolution: refused rather than rounded.
    assert "supports only in bin() and timestamp ± duration" in query_error(engine, "SELECT 1ns")
    assert "not a whole number of nanoseconds" in query_error(engine, "SELECT 0.5ns")
