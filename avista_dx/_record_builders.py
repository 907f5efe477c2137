"""Checking records a column at a time: the fast path of `records_from_rows` and
`records_from_dataframe`. I/O-free; numpy only for columns that already are numpy arrays.

Every check here is one of `_records`' rules applied to a whole column with C-level loops (one
regular expression over the joined texts, `min`/`max`, `set(map(type, ...))`). A column this
cannot vouch for — a value that breaks a rule, mixed types, anything unusual — makes the
builder return None, and the caller runs the row-by-row path, which raises the exact error
(naming the row) or builds the records. So both paths accept the same records and give the
same wire JSON; this one only does it without a Python loop per value.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import _records as rules
from ._record_table import (
    CodedTexts,
    DimensionColumn,
    MeasureColumn,
    RecordTable,
    RenderedArray,
    TextList,
)
from ._validation import unencodable_index
from .errors import InvalidInputError

_DIGIT_LINES = re.compile(r"[0-9]+(?:\n[0-9]+)*")
_INTEGER_LINES = re.compile(r"-?[0-9]+(?:\n-?[0-9]+)*")
_DOUBLE_TEXT = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_DOUBLE_LINES = re.compile(f"{_DOUBLE_TEXT}(?:\n{_DOUBLE_TEXT})*")
_PY_KIND = {float: "DOUBLE", int: "BIGINT", bool: "BOOLEAN"}


class UnsureError(Exception):
    """The fast path cannot vouch for a column: the row-by-row path decides."""


@dataclass(frozen=True, slots=True)
class Column:
    """One field's values: a Python list (None = missing) or a numpy array with a mask."""

    values: Any
    mask: Any = None  # numpy bool array of missing values, for numpy `values` only
    # numpy columns: "DOUBLE", "BIGINT", "BOOLEAN", "EPOCH_NS", or "CODES": `values` are
    # codes into `labels` (a factorized column; -1 = missing), for dimension columns
    kind: str | None = None
    labels: Sequence[Any] = ()

    @property
    def is_array(self) -> bool:
        return self.kind is not None


def build_table(
    columns: Mapping[str, Column],
    length: int,
    *,
    time_field: str,
    dimension_fields: Sequence[str],
    measure_fields: Sequence[str],
    measure_name: str | None,
    measure_types: Mapping[str, str],
    time_unit: str | None,
    version: int | None,
) -> RecordTable | None:
    """The records as a `RecordTable`, or None when a row-by-row check must decide."""
    try:
        if length == 0 or not measure_fields:
            raise UnsureError
        return _checked_table(
            columns,
            length,
            rules._choice("TimeUnit", time_unit or rules._DEFAULT_TIME_UNIT, rules.TIME_UNITS),
            time_field=time_field,
            dimension_fields=dimension_fields,
            measure_fields=measure_fields,
            measure_name=measure_name,
            measure_types=measure_types,
            default_unit=time_unit is None,
            version=version,
        )
    except (UnsureError, InvalidInputError, OverflowError, ValueError, TypeError):
        return None


def _checked_table(
    columns: Mapping[str, Column],
    length: int,
    unit: str,
    *,
    default_unit: bool,
    **fields: Any,
) -> RecordTable:
    time_field: str = fields["time_field"]
    dimension_fields: Sequence[str] = fields["dimension_fields"]
    measure_fields: Sequence[str] = fields["measure_fields"]
    measure_name: str | None = fields["measure_name"]
    measure_types: Mapping[str, str] = fields["measure_types"]
    version: int | None = fields["version"]
    if version is not None and (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= rules.MAX_VERSION
    ):
        raise UnsureError
    _check_names(dimension_fields, measure_fields, measure_name)
    time = _time_texts(columns[time_field], unit, default_unit=default_unit)
    # A column without any value adds nothing to any record (missing values are skipped).
    measures = tuple(
        _measure(name, columns[name], measure_types.get(name))
        for name in measure_fields
        if _has_values(columns[name], empty_is_missing=name in measure_types)
    )
    if not measures or (measure_name is None and any(m.type == "TIMESTAMP" for m in measures)):
        raise UnsureError  # TIMESTAMP measures only exist in MULTI records
    dimensions = tuple(
        DimensionColumn(n, _dimension(columns[n]))
        for n in dimension_fields
        if _has_values(columns[n])
    )
    _check_presence(measures, length, single=measure_name is None)
    _check_size_bound(measures, dimensions, measure_name)
    return RecordTable(length, time, unit, measure_name, measures, dimensions, version)


def _check_names(
    dimension_fields: Sequence[str], measure_fields: Sequence[str], measure_name: str | None
) -> None:
    if len(dimension_fields) > rules.MAX_DIMENSIONS or len(measure_fields) > rules.MAX_MEASURES:
        raise UnsureError
    for name in dimension_fields:
        rules._column_name("Name", rules._name("Name", name, rules.MAX_DIMENSION_NAME_BYTES))
    for name in measure_fields:
        rules._name("Name", name, rules.MAX_MEASURE_NAME_BYTES)
        if measure_name is not None:
            rules._column_name("Name", name)
    if measure_name is not None:
        rules._name("MeasureName", measure_name, rules.MAX_MEASURE_NAME_BYTES)
    if set(dimension_fields) & set(measure_fields) or len(set(dimension_fields)) != len(
        dimension_fields
    ):
        raise UnsureError


def _has_values(column: Column, *, empty_is_missing: bool = False) -> bool:
    """Whether any row has a value; a declared measure's empty strings are missing too."""
    if column.is_array:
        return column.mask is None or not bool(column.mask.all())
    missing = (None, "") if empty_is_missing else (None,)
    return any(v not in missing for v in column.values)


def _joined(texts: list[str]) -> str:
    """The texts one per line, for one regular expression over the column; a text that holds
    a line break itself would blur the lines."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        raise UnsureError
    return joined


# -- time ------------------------------------------------------------------------------------


def _time_texts(column: Column, unit: str, *, default_unit: bool) -> TextList | RenderedArray:
    scale = 10**9 // rules._PER_SECOND[unit]
    if column.is_array:
        values = column.values
        if column.mask is not None or column.kind not in ("BIGINT", "EPOCH_NS"):
            raise UnsureError
        if column.kind == "EPOCH_NS":
            values = values // scale  # an aware datetime's epoch in `unit`, floored
            default_unit = False  # a datetime is unambiguous
        if values.dtype.kind == "u" and len(values) and int(values.max()) > rules.MAX_BIGINT:
            raise UnsureError
        _check_epochs(int(values.min()), int(values.max()), scale, default_unit)
        return RenderedArray(values, None, _int_texts)
    values = column.values
    kinds = set(map(type, values))
    if kinds == {int}:
        _check_epochs(min(values), max(values), scale, default_unit)
        return RenderedArray(values, None, _int_texts)
    if kinds == {str}:
        if max(map(len, values)) > rules.MAX_TIME_CHARS or not _DIGIT_LINES.fullmatch(
            _joined(values)
        ):
            raise UnsureError
        numbers = list(map(int, values))
        _check_epochs(min(numbers), max(numbers), scale, default_unit)
        return TextList(values, has_nulls=False)
    raise UnsureError


def _check_epochs(low: int, high: int, scale: int, default_unit: bool) -> None:
    if low < 0 or high * scale > rules.MAX_TIME_NS:
        raise UnsureError
    if default_unit and not (low >= rules._MIN_DEFAULT_EPOCH and high < rules._MAX_DEFAULT_EPOCH):
        raise UnsureError


# -- measures --------------------------------------------------------------------------------


def _measure(name: str, column: Column, declared: str | None) -> MeasureColumn:
    if column.is_array:
        return _array_measure(name, column, declared)
    present = (
        [v for v in column.values if v is not None] if None in column.values else column.values
    )
    kinds = set(map(type, present))
    if declared is not None:
        if kinds != {str}:
            raise UnsureError  # numbers given for a declared type: the row path converts them
        values = [None if v == "" else v for v in column.values]
        texts = [v for v in values if v is not None]
        _check_declared_texts(declared, texts)
        return MeasureColumn(name, declared, TextList(values, has_nulls=len(texts) < len(values)))
    if len(kinds) != 1:
        raise UnsureError  # mixed types (or no value at all): each value is inferred on its own
    (kind,) = kinds
    type_ = _PY_KIND.get(kind)
    if type_ is None:
        raise UnsureError  # strings need a declared type; datetimes and others go row by row
    render = _RENDER[type_]
    _check_numbers(type_, present)
    if len(present) == len(column.values):  # rendered a request at a time, as arrays are
        return MeasureColumn(name, type_, RenderedArray(column.values, None, render))
    texts_in_order = iter(render(present))
    texts = [None if v is None else next(texts_in_order) for v in column.values]
    return MeasureColumn(name, type_, TextList(texts, has_nulls=True))


def _array_measure(name: str, column: Column, declared: str | None) -> MeasureColumn:
    kind = column.kind
    if kind not in ("DOUBLE", "BIGINT", "BOOLEAN"):
        raise UnsureError
    type_ = kind if declared is None else declared
    if type_ != kind and not (kind == "BIGINT" and type_ == "DOUBLE"):
        raise UnsureError
    values, mask = column.values, column.mask
    present = values if mask is None else values[~mask]
    if len(present) == 0:
        raise UnsureError
    if kind == "DOUBLE":
        import numpy

        if not numpy.isfinite(present).all():
            raise UnsureError
    elif kind == "BIGINT" and (
        int(present.min()) < rules.MIN_BIGINT or int(present.max()) > rules.MAX_BIGINT
    ):
        raise UnsureError
    return MeasureColumn(name, type_, RenderedArray(values, mask, _RENDER[kind]))


def _check_numbers(type_: str, values: list[Any]) -> None:
    if type_ == "DOUBLE" and not all(map(math.isfinite, values)):
        raise UnsureError
    if type_ == "BIGINT" and (min(values) < rules.MIN_BIGINT or max(values) > rules.MAX_BIGINT):
        raise UnsureError


def _check_declared_texts(type_: str, texts: list[str]) -> None:
    """`_records._value_text`'s checks of a string value of a declared type, for a column."""
    if not texts:
        raise UnsureError
    if type_ == "VARCHAR":
        _check_texts(texts, rules.MAX_VALUE_BYTES)
        return
    joined = _joined(texts)
    if max(map(len, texts)) > rules.MAX_VALUE_BYTES:
        raise UnsureError
    if type_ == "DOUBLE":
        if not _DOUBLE_LINES.fullmatch(joined) or not all(map(math.isfinite, map(float, texts))):
            raise UnsureError
    elif type_ == "BIGINT":
        numbers = list(map(int, texts)) if _INTEGER_LINES.fullmatch(joined) else None
        if not numbers or min(numbers) < rules.MIN_BIGINT or max(numbers) > rules.MAX_BIGINT:
            raise UnsureError
    elif type_ == "BOOLEAN":
        if not set(map(str.lower, texts)) <= {"true", "false"}:
            raise UnsureError
    elif type_ == "TIMESTAMP":
        if not _DIGIT_LINES.fullmatch(joined) or max(map(int, texts)) > rules.MAX_TIME_NS:
            raise UnsureError
    else:
        raise UnsureError


def _check_texts(texts: list[str], max_bytes: int) -> None:
    """Non-empty, encodable, at most `max_bytes` of UTF-8 (as `_records._name`)."""
    if not all(texts) or min(map(len, texts)) == 0:
        raise UnsureError
    if "".join(texts).isascii():
        if max(map(len, texts)) > max_bytes:
            raise UnsureError
        return
    for text in texts:
        if unencodable_index(text) is not None or len(text.encode()) > max_bytes:
            raise UnsureError


def _int_texts(values: list[Any]) -> list[str]:
    return list(map(int.__repr__, values))


def _float_texts(values: list[Any]) -> list[str]:
    return list(map(float.__repr__, values))


def _bool_texts(values: list[Any]) -> list[str]:
    return ["true" if v else "false" for v in values]


_RENDER: dict[str, Callable[[list[Any]], list[str]]] = {
    "DOUBLE": _float_texts,
    "BIGINT": _int_texts,
    "BOOLEAN": _bool_texts,
}


# -- dimensions ------------------------------------------------------------------------------


def _dimension(column: Column) -> TextList | CodedTexts:
    if column.kind == "CODES":
        labels = list(column.labels)
        if not labels or set(map(type, labels)) != {str}:
            raise UnsureError  # str() of other values is the row path's
        _check_texts(labels, rules.MAX_VALUE_BYTES)
        import numpy

        table = numpy.array([*labels, None], dtype=object)  # code -1: the None at the end
        return CodedTexts(column.values, table, has_nulls=column.mask is not None)
    if column.is_array:
        raise UnsureError  # numbers as dimensions: str() of each, row by row
    values = column.values
    present = [v for v in values if v is not None]
    if not present:
        raise UnsureError
    if set(map(type, present)) != {str}:
        raise UnsureError  # str() of other values is the row path's
    _check_texts(list(set(present)), rules.MAX_VALUE_BYTES)
    return TextList(values, has_nulls=len(present) < len(values))


# -- whole records ---------------------------------------------------------------------------


def _check_presence(measures: tuple[MeasureColumn, ...], length: int, *, single: bool) -> None:
    """Single-measure rows hold exactly one measure; MULTI rows at least one."""
    nullable = [m for m in measures if m.values.has_nulls]
    if not nullable:
        if single and len(measures) != 1:
            raise UnsureError
        return
    if single and len(measures) != 1:
        raise UnsureError
    if len(nullable) < len(measures):
        return  # a column without nulls: every row has a measure
    empty = [True] * length
    for measure in nullable:
        texts = measure.values.texts(0, length)
        empty = [e and t is None for e, t in zip(empty, texts, strict=True)]
    if any(empty):
        raise UnsureError


def _check_size_bound(
    measures: tuple[MeasureColumn, ...],
    dimensions: tuple[DimensionColumn, ...],
    measure_name: str | None,
) -> None:
    """The record-size rule can only matter when the longest values could reach it: then the
    row path measures each record."""
    names = len(measure_name or "") + sum(len(m.name) for m in measures)
    names += sum(len(d.name) for d in dimensions)
    longest = sum(_longest(m.values) for m in measures) + sum(
        _longest(d.values) for d in dimensions
    )
    if (names + longest) * 4 > rules.MAX_RECORD_BYTES:
        raise UnsureError


def _longest(values: Any) -> int:
    if isinstance(values, RenderedArray):
        return 32  # a rendered number or boolean is at most 24 characters
    if isinstance(values, CodedTexts):
        return max(map(len, values.labels[:-1]), default=0)
    texts = [t for t in values.values if t is not None]
    return max(map(len, texts), default=0)


# -- the front ends --------------------------------------------------------------------------


def _getter(name: str) -> Callable[[Any], Any]:
    return lambda row: row.get(name)


def table_from_rows(
    rows: list[Any],
    *,
    time_field: str,
    dimension_fields: Sequence[str],
    measure_fields: Sequence[str] | None,
    measure_name: str | None,
    measure_types: Mapping[str, str],
    time_unit: str | None,
    version: int | None,
) -> RecordTable | None:
    """Dict rows a column at a time; None when the row-by-row path must decide."""
    if not rows or set(map(type, rows)) != {dict}:
        return None
    shapes = set(map(tuple, rows))
    keys = next(iter(shapes)) if len(shapes) == 1 else ()
    if not measure_fields:
        # Without measure_fields each row's own fields are its measures: one shape for all.
        if not keys:
            return None
        measure_fields = [k for k in keys if k != time_field and k not in dimension_fields]
    if time_field not in keys and any(time_field not in row for row in rows):
        return None
    names = dict.fromkeys([time_field, *measure_fields, *dimension_fields])
    # Rows of one shape holding every field: C-level itemgetter; otherwise `.get` (None).
    get: Callable[[str], Callable[[Any], Any]] = (
        operator.itemgetter if set(names) <= set(keys) else _getter
    )
    columns = {name: Column(list(map(get(name), rows))) for name in names}
    return build_table(
        columns,
        len(rows),
        time_field=time_field,
        dimension_fields=dimension_fields,
        measure_fields=measure_fields,
        measure_name=measure_name,
        measure_types=measure_types,
        time_unit=time_unit,
        version=version,
    )
