"""Conversion of Timestream `Query` rows to Python values, driven by `ColumnInfo`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .errors import InvalidResponseError

_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$")
_DAY_TO_SECOND = re.compile(r"(-?)(\d+) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$")


def column_names(column_info: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(c.get("Name") or f"_col{i}") for i, c in enumerate(column_info)]


def convert_rows(
    column_info: list[dict[str, Any]], rows: Iterable[Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    names = column_names(column_info)
    converters = [_converter(c.get("Type") or {}) for c in column_info]
    for row in rows:
        data = row.get("Data") or []
        if len(data) != len(converters):
            raise InvalidResponseError(
                f"a row has {len(data)} values for {len(converters)} columns",
                operation="QueryResult.rows",
            )
        yield {
            name: convert(datum)
            for name, convert, datum in zip(names, converters, data, strict=True)
        }


def parse_timestamp(text: str) -> dt.datetime:
    """`YYYY-MM-DD HH:MM:SS.nnnnnnnnn` (UTC) → aware datetime, sub-microseconds dropped."""
    match = _TIMESTAMP.match(text)
    if not match:
        raise InvalidResponseError(f"not a Timestream TIMESTAMP: {text!r}")
    year, month, day, hour, minute, second, fraction = match.groups()
    return dt.datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        _microseconds(fraction),
        tzinfo=dt.timezone.utc,
    )


def _microseconds(fraction: str | None) -> int:
    return int((fraction or "0").ljust(9, "0")[:6])


def _parse_time(text: str) -> dt.time:
    match = _TIME.match(text)
    if not match:
        raise InvalidResponseError(f"not a Timestream TIME: {text!r}")
    hour, minute, second, fraction = match.groups()
    return dt.time(int(hour), int(minute), int(second), _microseconds(fraction))


def _parse_day_to_second(text: str) -> dt.timedelta:
    match = _DAY_TO_SECOND.match(text)
    if not match:
        raise InvalidResponseError(f"not a Timestream INTERVAL_DAY_TO_SECOND: {text!r}")
    sign, days, hours, minutes, seconds, fraction = match.groups()
    delta = dt.timedelta(
        days=int(days),
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=_microseconds(fraction),
    )
    return -delta if sign else delta


def _parse_boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise InvalidResponseError(f"not a Timestream BOOLEAN: {text!r}")
    return lowered == "true"


_SCALAR_PARSERS: dict[str, Callable[[str], Any]] = {
    "VARCHAR": str,
    "BIGINT": int,
    "INTEGER": int,
    "DOUBLE": float,  # accepts Java's "NaN", "Infinity" and "4.2E7" forms
    "BOOLEAN": _parse_boolean,
    "TIMESTAMP": parse_timestamp,
    "DATE": dt.date.fromisoformat,
    "TIME": _parse_time,
    "INTERVAL_DAY_TO_SECOND": _parse_day_to_second,
    "INTERVAL_YEAR_TO_MONTH": str,  # Python has no year-month interval
    "UNKNOWN": str,
}

Converter = Callable[[Mapping[str, Any]], Any]


def _converter(column_type: Mapping[str, Any]) -> Converter:
    """Builds, once per column, the function that converts one Datum of that column."""
    if "ScalarType" in column_type:
        parse = _SCALAR_PARSERS.get(str(column_type["ScalarType"]), str)

        def scalar(datum: Mapping[str, Any]) -> Any:
            if datum.get("NullValue"):
                return None
            value = datum.get("ScalarValue")
            if value is None:
                return None
            try:
                return parse(value)
            except ValueError as exc:
                raise InvalidResponseError(
                    f"bad {column_type['ScalarType']} value {value!r}"
                ) from exc

        return scalar
    if "ArrayColumnInfo" in column_type:
        element = _converter(column_type["ArrayColumnInfo"].get("Type") or {})

        def array(datum: Mapping[str, Any]) -> Any:
            if datum.get("NullValue"):
                return None
            return [element(item) for item in datum.get("ArrayValue") or []]

        return array
    if "RowColumnInfo" in column_type:
        fields = column_type["RowColumnInfo"]
        names = column_names(fields)
        converters = [_converter(f.get("Type") or {}) for f in fields]

        def row(datum: Mapping[str, Any]) -> Any:
            if datum.get("NullValue"):
                return None
            data = (datum.get("RowValue") or {}).get("Data") or []
            return {n: c(d) for n, c, d in zip(names, converters, data, strict=False)}

        return row
    if "TimeSeriesMeasureValueColumnInfo" in column_type:
        value = _converter(column_type["TimeSeriesMeasureValueColumnInfo"].get("Type") or {})

        def series(datum: Mapping[str, Any]) -> Any:
            if datum.get("NullValue"):
                return None
            return [
                {"time": parse_timestamp(point["Time"]), "value": value(point.get("Value") or {})}
                for point in datum.get("TimeSeriesValue") or []
            ]

        return series
    return lambda datum: None if datum.get("NullValue") else datum.get("ScalarValue")
