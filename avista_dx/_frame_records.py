"""`records_from_dataframe`: a pandas or polars DataFrame → `TimeSeriesRecords`, by columns.

Neither library is imported here: a frame is recognised by its type's module, and numpy comes
with either. Numeric columns stay the frame's own numpy arrays (no copy where the frame allows
it) and are rendered to text one request at a time; missing values (None, NaN, NA, null) are
skipped like None in `records_from_rows`. A frame the column checks cannot vouch for goes
through `records_from_rows` row by row, which names the bad row (its position in the frame).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._record_builders import Column, build_table
from ._record_table import TimeSeriesRecords
from ._records import _field_names, _measure_types, records_from_rows
from .errors import InvalidInputError


def records_from_dataframe(
    frame: Any,
    *,
    time_field: str = "time",
    dimension_fields: Sequence[str] = (),
    measure_fields: Sequence[str] | None = None,
    measure_name: str | None = None,
    measure_types: Mapping[str, str] | None = None,
    time_unit: str | None = None,
    version: int | None = 1,
) -> TimeSeriesRecords:
    """Builds one record per row of a pandas or polars DataFrame, a column at a time.

    The arguments are `records_from_rows`'s. Column types give the measure types: floats →
    DOUBLE, integers → BIGINT, booleans → BOOLEAN; string columns need `measure_types`.
    Missing values (None, NaN, NA, null) are skipped. The time column is an integer epoch in
    `time_unit` (checked as in `record_from_values`) or a timezone-aware datetime column
    (nanoseconds kept for `time_unit="NANOSECONDS"`).

    Raises:
        InvalidInputError: not a DataFrame, a missing column, or a bad value (its row named).
    """
    library = _library_of(frame)
    _field_names("time_field", [time_field])
    _field_names("dimension_fields", dimension_fields)
    if measure_fields is not None:
        _field_names("measure_fields", measure_fields)
    declared = _measure_types(measure_types)
    names = [str(name) for name in frame.columns]
    fields = (
        list(measure_fields)
        if measure_fields
        else [n for n in names if n != time_field and n not in dimension_fields]
    )
    missing = [n for n in dict.fromkeys([time_field, *dimension_fields, *fields]) if n not in names]
    if missing:
        raise InvalidInputError(f"the DataFrame has no column {missing[0]!r}")
    options: dict[str, Any] = {
        "time_field": time_field,
        "dimension_fields": list(dimension_fields),
        "measure_fields": fields,
        "measure_name": measure_name,
        "measure_types": declared,
        "time_unit": time_unit,
        "version": version,
    }
    # Dimension-only text columns are factorized (codes into their distinct texts) rather than
    # made one Python string per row: a million rows cost 8 MB, not ~70.
    coded = set(dimension_fields) - {time_field, *fields}
    columns = {
        name: _column(library, frame[name], coded=name in coded)
        for name in dict.fromkeys([time_field, *dimension_fields, *fields])
    }
    table = build_table(columns, len(frame), **options)
    if table is not None:
        return TimeSeriesRecords(table)
    rows = _rows(columns, len(frame))  # the row-by-row path decides, and names the row
    return records_from_rows(rows, **options)


def _library_of(frame: Any) -> str:
    module = type(frame).__module__.split(".")[0]
    if module in ("pandas", "polars") and type(frame).__name__ == "DataFrame":
        return module
    raise InvalidInputError(
        f"frame must be a pandas or polars DataFrame, not {type(frame).__name__}"
    )


def _column(library: str, series: Any, *, coded: bool) -> Column:
    if library == "polars":
        return _polars_column(series, coded=coded)
    return _pandas_column(series, coded=coded)


def _pandas_column(series: Any, *, coded: bool) -> Column:
    import numpy

    dtype = series.dtype
    kind = getattr(dtype, "kind", "O")
    mask = series.isna().to_numpy()
    has_missing = bool(mask.any())
    if kind == "f":
        if not has_missing and dtype == numpy.float64:
            return Column(series.to_numpy(), None, "DOUBLE")  # the frame's own array, no copy
        values = series.to_numpy(dtype="float64", na_value=numpy.nan)
        return Column(values, mask if has_missing else None, "DOUBLE")
    if kind in "iu":
        target = "uint64" if kind == "u" else "int64"
        values = series.to_numpy(dtype=target, na_value=0)
        return Column(values, mask if has_missing else None, "BIGINT")
    if kind == "b":
        values = series.to_numpy(dtype="bool", na_value=False)
        return Column(values, mask if has_missing else None, "BOOLEAN")
    if kind == "M" and getattr(dtype, "tz", None) is not None and not has_missing:
        utc = series.dt.tz_convert("UTC").dt.tz_localize(None)
        return Column(utc.to_numpy(dtype="datetime64[ns]").view("int64"), None, "EPOCH_NS")
    if coded and kind == "O":
        import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

        codes, labels = pandas.factorize(series)  # missing values (as isna) get code -1
        return Column(codes, mask if has_missing else None, "CODES", list(labels))
    return Column(_python_values(series.tolist(), mask if has_missing else None))


def _polars_column(series: Any, *, coded: bool) -> Column:
    dtype = series.dtype
    mask = series.is_null().to_numpy()
    has_missing = bool(mask.any())
    if coded and dtype in (_polars().String, _polars().Categorical, _polars().Enum):
        labels = series.drop_nulls().unique(maintain_order=True)
        codes = series.cast(_polars().Enum(labels.cast(_polars().String))).to_physical()
        values = codes.cast(_polars().Int64).fill_null(-1).to_numpy()
        return Column(values, mask if has_missing else None, "CODES", labels.to_list())
    if dtype.is_float():
        values = series.cast(_polars().Float64).to_numpy()
        nan = values != values
        mask = mask | nan
        return Column(values, mask if bool(mask.any()) else None, "DOUBLE")
    if dtype.is_integer():
        target = _polars().UInt64 if dtype.is_unsigned_integer() else _polars().Int64
        values = series.cast(target).fill_null(0).to_numpy()
        return Column(values, mask if has_missing else None, "BIGINT")
    if dtype == _polars().Boolean:
        values = series.fill_null(False).to_numpy()
        return Column(values, mask if has_missing else None, "BOOLEAN")
    if dtype == _polars().Datetime and getattr(dtype, "time_zone", None) and not has_missing:
        return Column(series.dt.epoch("ns").to_numpy(), None, "EPOCH_NS")
    return Column(series.to_list())


def _polars() -> Any:
    import polars

    return polars


def _python_values(values: list[Any], mask: Any) -> list[Any]:
    if mask is None:
        return values
    return [
        None if missing else value for value, missing in zip(values, mask.tolist(), strict=True)
    ]


def _rows(columns: Mapping[str, Column], length: int) -> list[dict[str, Any]]:
    """The frame as dict rows, missing values as None (for the row-by-row path)."""
    lists = {}
    for name, column in columns.items():
        if not column.is_array:
            lists[name] = column.values
            continue
        if column.kind == "CODES":
            labels = [*column.labels, None]  # code -1: the None at the end
            lists[name] = [labels[code] for code in column.values.tolist()]
            continue
        values = column.values.tolist()
        if column.kind == "EPOCH_NS":
            values = [_aware(ns) for ns in values]
        lists[name] = _python_values(values, column.mask)
    names = list(lists)
    return (
        [dict(zip(names, row, strict=True)) for row in zip(*lists.values(), strict=True)]
        if names
        else [{} for _ in range(length)]
    )


def _aware(epoch_ns: int) -> Any:
    import datetime as dt

    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
        microseconds=epoch_ns // 1000
    )
