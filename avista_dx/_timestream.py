"""Conversion of Timestream `Query` rows to Python values, driven by `ColumnInfo`."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from .errors import InvalidResponseError

_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$")
_DAY_TO_SECOND = re.compile(r"(-?)(\d+) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$")


def column_names(column_info: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(c.get("Name") or f"_col{i}") for i, c in enumerate(column_info)]


def convert_rows(
    column_info: list[dict[str, Any]], rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The rows as dicts, converted a column at a time by converters chosen once per page."""
    names = column_names(column_info)
    if not names:
        data_columns(0, rows)  # still checks each row's width
        return [{} for _ in rows]
    columns = [
        column_converter(c.get("Type") or {})(datums)
        for c, datums in zip(column_info, data_columns(len(names), rows), strict=True)
    ]
    return _row_builder(tuple(names))(columns)


@functools.lru_cache(maxsize=64)
def _row_builder(names: tuple[str, ...]) -> Callable[[list[list[Any]]], list[dict[str, Any]]]:
    """Columns → row dicts through a dict display compiled for these names: three times as
    fast as `dict(zip(names, values))` per row (the way `collections.namedtuple` builds code)."""
    variables = [f"v{i}" for i in range(len(names))]
    display = ", ".join(f"{name!r}: {v}" for name, v in zip(names, variables, strict=True))
    source = f"lambda columns: [{{{display}}} for {', '.join(variables)}, in zip(*columns)]"
    # Safe to evaluate: the names enter the source only as repr() string literals.
    builder: Callable[[list[list[Any]]], list[dict[str, Any]]] = eval(source, {"zip": zip})
    return builder


def row_data(width: int, rows: Sequence[Mapping[str, Any]]) -> list[Sequence[Any]]:
    """Each row's Datum objects (a row of the wrong width is an error)."""
    data = [row.get("Data") or [] for row in rows]
    for other in set(map(len, data)) - {width}:
        raise InvalidResponseError(
            f"a row has {other} values for {width} columns", operation="QueryResult.rows"
        )
    return data


def data_columns(width: int, rows: Sequence[Mapping[str, Any]]) -> list[Sequence[Any]]:
    """The page's Datum objects, one sequence per column (a row of the wrong width is an error)."""
    data = row_data(width, rows)
    if not data:
        return [() for _ in range(width)]
    return list(zip(*data, strict=True))


def scalar_texts(datums: Sequence[Any]) -> list[Any]:
    """Each Datum's ScalarValue; None for a NullValue (which has no ScalarValue)."""
    try:
        return list(map(dict.get, datums, itertools.repeat("ScalarValue")))  # the loop in C
    except TypeError:
        raise InvalidResponseError(
            "a Datum is not an object", operation="QueryResult.rows"
        ) from None


ColumnConverter = Callable[[Sequence[Mapping[str, Any]]], list[Any]]


def column_converter(column_type: Mapping[str, Any]) -> ColumnConverter:
    """Converts a whole column of Datums: scalars in one comprehension, no per-cell dispatch."""
    scalar_type = column_type.get("ScalarType")
    if scalar_type is None:
        convert = _converter(column_type)
        return lambda datums: [convert(datum) for datum in datums]
    parse = _SCALAR_PARSERS.get(str(scalar_type), str)
    if parse is str:
        return lambda datums: [
            t if t is None or type(t) is str else str(t) for t in scalar_texts(datums)
        ]
    parse_column = _timestamp_column if parse is parse_timestamp else _mapped(parse)

    def scalars(datums: Sequence[Mapping[str, Any]]) -> list[Any]:
        texts = scalar_texts(datums)
        try:
            return parse_column(texts)
        except (ValueError, TypeError):
            for text in texts:  # name the first bad value
                _parse_scalar(str(scalar_type), parse, text)
            raise

    return scalars


def _mapped(parse: Callable[[str], Any]) -> Callable[[list[Any]], list[Any]]:
    def column(texts: list[Any]) -> list[Any]:
        if None in texts:
            return [None if t is None else parse(t) for t in texts]
        return list(map(parse, texts))  # the loop in C

    return column


def _timestamp_column(texts: list[Any]) -> list[Any]:
    """TIMESTAMP texts by the C ISO parser (which truncates to microseconds as we do), checked
    for the `YYYY-MM-DD HH:MM:SS` shape by length; anything else goes through the strict parse."""
    present = [t for t in texts if t is not None] if None in texts else texts
    if all(type(t) is str for t in present) and min(map(len, present), default=19) >= 19:
        with contextlib.suppress(ValueError):
            utc = _UTC_OFFSET
            return [None if t is None else _fromisoformat(t + utc) for t in texts]
    return [None if t is None else parse_timestamp(t) for t in texts]


_UTC_OFFSET = "+00:00"
_fromisoformat = dt.datetime.fromisoformat


def _parse_scalar(scalar_type: str, parse: Callable[[str], Any], text: Any) -> Any:
    if text is None:
        return None
    try:
        return parse(text)
    except (ValueError, TypeError) as exc:
        raise InvalidResponseError(f"bad {scalar_type} value {text!r}") from exc


class QueryRows(Sequence[dict[str, Any]]):
    """A page's rows as dicts of Python values, converted on first use (then kept).

    A read-only sequence (`len`, indexing, repeated iteration) whose repr shows the row count
    and the columns. `next(rows)` steps through a cursor of its own, as on the generator that
    `rows()` used to return; iterating always starts from the first row.
    """

    __slots__ = ("_column_info", "_converted", "_cursor", "_raw")

    def __init__(self, column_info: list[dict[str, Any]], rows: Sequence[Mapping[str, Any]]):
        self._column_info = column_info
        self._raw = rows
        self._converted: list[dict[str, Any]] | None = None
        self._cursor = 0

    @property
    def columns(self) -> list[str]:
        return column_names(self._column_info)

    def _rows(self) -> list[dict[str, Any]]:
        if self._converted is None:
            self._converted = convert_rows(self._column_info, self._raw)
        return self._converted

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self._rows()[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows())

    def __next__(self) -> dict[str, Any]:
        rows = self._rows()
        if self._cursor >= len(rows):
            raise StopIteration
        self._cursor += 1
        return rows[self._cursor - 1]

    def __repr__(self) -> str:
        return f"<QueryRows: {len(self)} rows; columns {self.columns}>"


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
