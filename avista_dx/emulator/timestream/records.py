"""WriteRecords input validation: ``TimeSeriesDbRecordInput`` dicts to typed records.

Everything here is pure Python and checks one record in isolation (shape, names, sizes,
values, time window). Checks against stored state (versions, fixed measure types, column
names) live in :mod:`.writer`.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from .errors import TimestreamValidationError

MAX_RECORDS_PER_REQUEST = 100
MAX_DIMENSIONS_PER_RECORD = 128
MAX_MEASURES_PER_RECORD = 256
MAX_DIMENSION_NAME_BYTES = 60
MAX_MEASURE_NAME_BYTES = 256
MAX_VALUE_BYTES = 2048
MAX_RECORD_BYTES = 2048
MAX_TIME_STRING_CHARS = 256
# The last writable Timestream instant: 2262-04-11 23:47:16.854775807 (int64 nanoseconds).
MAX_TIME_NS = 2**63 - 1
MAX_VERSION = 2**63 - 1
MIN_BIGINT = -(2**63)
MAX_BIGINT = 2**63 - 1

NANOS_PER_UNIT = {
    "SECONDS": 10**9,
    "MILLISECONDS": 10**6,
    "MICROSECONDS": 10**3,
    "NANOSECONDS": 1,
}
SCALAR_TYPES = ("DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN")
MULTI_MEASURE_TYPES = (*SCALAR_TYPES, "TIMESTAMP")
RESERVED_NAMES = frozenset({"measure_value", "ts_non_existent_col", "time"})
RESERVED_PREFIXES = ("ts_", "measure_name")

# Grammars of value strings (not SQL): Java's Long.parseLong and Double.parseDouble, finite only.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BOOLEANS = {"true": True, "false": False}
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")

MeasureValue = float | int | str | bool


# Not frozen: a request builds hundreds of these, and a frozen dataclass costs three times as
# much to build. Nothing mutates them.
@dataclass(slots=True)
class Measure:
    """One typed measure value; ``value`` is float, int (BIGINT, TIMESTAMP ns), str or bool."""

    name: str
    type: str
    value: MeasureValue
    text: str


@dataclass(slots=True)
class Record:
    """A validated record. ``measures`` has one entry for single-measure records."""

    index: int
    time_ns: int
    measure_name: str
    multi: bool
    dimensions: tuple[tuple[str, str], ...]
    measures: tuple[Measure, ...]
    version: int
    # The (Name, Type) of each measure: one tuple shared by the records of a shape (_Shape).
    layout: tuple[tuple[str, str], ...]

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...], int]:
        """What makes two records the same point: measure name, dimensions, time."""
        return (self.measure_name, tuple(sorted(self.dimensions)), self.time_ns)

    @property
    def values(self) -> tuple[tuple[str, MeasureValue], ...]:
        return tuple(sorted((m.name, m.value) for m in self.measures))


def validate_records(records: Sequence[Mapping[str, Any]]) -> list[Record]:
    """Validate a WriteRecords request; raises :class:`TimestreamValidationError` at a fault.

    A time outside the table's retention window (see :mod:`.retention`) is not a fault here: it
    is a per-record rejection, decided by the writer (Timestream rejects such records, it does
    not fail the call).
    """
    if not isinstance(records, Sequence) or isinstance(records, str | bytes):
        raise TimestreamValidationError("Records must be a list of records.")
    if not records:
        raise TimestreamValidationError("Records must contain at least 1 record.")
    if len(records) > MAX_RECORDS_PER_REQUEST:
        raise TimestreamValidationError(
            f"Records has {len(records)} records; at most {MAX_RECORDS_PER_REQUEST} are allowed"
            " per request."
        )
    seen = _Seen()
    return [_validate_record(index, record, seen) for index, record in enumerate(records)]


class _Seen:
    """Parts already found valid in this request, by their content: the records of a request
    mostly repeat their dimensions and measure names, so each distinct set is checked once
    (only successes are kept: a faulty part is checked, and reported, every time)."""

    __slots__ = ("dimensions", "measure_shapes", "multi_names", "shapes")

    def __init__(self) -> None:
        # (Name, Value, DimensionValueType)s -> (the dimensions, their characters)
        self.dimensions: dict[tuple[Any, ...], tuple[tuple[tuple[str, str], ...], int]] = {}
        self.measure_shapes: set[tuple[Any, ...]] = set()  # (Name, Type)s of MeasureValues
        self.multi_names: set[tuple[Any, ...]] = set()  # (dimensions, shape): no name clash
        self.shapes: dict[tuple[Any, ...], _Shape] = {}  # see _shape_key


def _dimensions_key(items: Any) -> tuple[Any, ...] | None:
    """A list of dimension objects as a hashable key (None: then no memo applies)."""
    if type(items) is not list:
        return None
    try:
        key = tuple([(d.get("Name"), d.get("Value"), d.get("DimensionValueType")) for d in items])
        hash(key)
    except (AttributeError, TypeError):  # not objects, or unhashable values
        return None
    return key


def _measures_key(items: Any) -> tuple[Any, ...] | None:
    """The (Name, Type)s of a list of MeasureValues objects (None: then no memo applies)."""
    if type(items) is not list:
        return None
    try:
        key = tuple([(m.get("Name"), m.get("Type")) for m in items])
        hash(key)
    except (AttributeError, TypeError):
        return None
    return key


def current_time_ns() -> int:
    return time.time_ns()


def _fail(index: int, message: str) -> TimestreamValidationError:
    return TimestreamValidationError(f"Invalid record at index {index}: {message}")


def _is_mapping(value: object) -> bool:
    # GraphQL variables are plain dicts; the ABC check is the slower general fallback.
    return type(value) is dict or isinstance(value, Mapping)


def _validate_record(index: int, record: Mapping[str, Any], seen: _Seen) -> Record:
    key = _shape_key(record) if isinstance(record, dict) else None
    if key is None:
        return _check_record(index, record, seen)
    try:
        shape = seen.shapes.get(key)
    except TypeError:  # an unhashable value somewhere
        return _check_record(index, record, seen)
    if shape is not None:
        return shape.record(index, cast("dict[str, Any]", record))
    validated = _check_record(index, record, seen)
    seen.shapes[key] = _Shape(validated, record.get("TimeUnit"))
    return validated


def _shape_key(record: dict[str, Any]) -> tuple[Any, ...] | None:
    """Everything of a record but its time, values and version, as a key (None: no memo
    applies; it may still be unhashable). Records with the key of a record found valid differ
    from it only there."""
    measure_type = record.get("MeasureValueType")
    try:
        if measure_type == "MULTI":
            raw_measures = record.get("MeasureValues")
            if record.get("MeasureValue") is not None or type(raw_measures) is not list:
                return None
            measures = tuple([(m.get("Name"), m.get("Type")) for m in raw_measures])
        elif record.get("MeasureValues"):
            return None
        else:
            measures = ()
        raw_dimensions = record.get("Dimensions")
        if raw_dimensions is None:
            dimensions: tuple[Any, ...] = ()
        elif type(raw_dimensions) is list:
            dimensions = tuple(
                [
                    (d.get("Name"), d.get("Value"), d.get("DimensionValueType"))
                    for d in raw_dimensions
                ]
            )
        else:
            return None
    except AttributeError:  # an entry that is not an object
        return None
    return (record.get("MeasureName"), measure_type, record.get("TimeUnit"), dimensions, measures)


class _Shape:
    """What a valid record established for the records of its :func:`_shape_key`: only their
    time, values, size and version are left to check, in the order :func:`_check_record`
    checks them (so a faulty record fails with the same message)."""

    __slots__ = ("characters", "dimensions", "measure_name", "measures", "multi", "unit")

    def __init__(self, first: Record, unit: Any) -> None:
        self.unit = unit
        self.measure_name = first.measure_name
        self.multi = first.multi
        self.dimensions = first.dimensions
        self.measures = first.layout
        self.characters = len(first.measure_name) + sum(
            len(part) for pair in first.dimensions for part in pair
        )
        if first.multi:
            self.characters += sum(len(m.name) for m in first.measures)
        else:  # a single measure is named by MeasureName
            self.characters += len(first.measure_name)

    def record(self, index: int, record: dict[str, Any]) -> Record:
        time_ns = _parse_time(index, record.get("Time"), self.unit)
        measures: tuple[Measure, ...]
        if self.multi:
            texts = [item.get("Value") for item in record["MeasureValues"]]
            measures = tuple(
                [
                    Measure(name, kind, _parse_value(index, name, kind, text, record), text)
                    for (name, kind), text in zip(self.measures, texts, strict=True)
                ]
            )
        else:
            kind = self.measures[0][1]
            text = record.get("MeasureValue")
            if text is None:
                raise _fail(index, f"MeasureValue is required for MeasureValueType {kind}.")
            value = _parse_value(index, self.measure_name, kind, text, record)
            measures = (Measure(self.measure_name, kind, value, text),)
        characters = self.characters
        for m in measures:
            characters += len(m.text)
        if characters * 4 > MAX_RECORD_BYTES:
            _check_size(index, self.measure_name, self.dimensions, measures)
        return Record(
            index,
            time_ns,
            self.measure_name,
            self.multi,
            self.dimensions,
            measures,
            _parse_version(index, record.get("Version")),
            self.measures,
        )


def _check_size(
    index: int,
    measure_name: str,
    dimensions: tuple[tuple[str, str], ...],
    measures: tuple[Measure, ...],
) -> None:
    texts = [measure_name, *(part for pair in dimensions for part in pair)]
    texts += [part for m in measures for part in (m.name, m.text)]
    size = sum(len(text.encode()) for text in texts)
    if size > MAX_RECORD_BYTES:
        raise _fail(index, f"the record is {size} bytes; at most {MAX_RECORD_BYTES} are allowed.")


def _check_record(index: int, record: Mapping[str, Any], seen: _Seen) -> Record:
    if not _is_mapping(record):
        raise _fail(index, "a record must be an object.")
    time_ns = _parse_time(index, record.get("Time"), record.get("TimeUnit"))
    measure_name = _check_name(
        index, "MeasureName", record.get("MeasureName"), MAX_MEASURE_NAME_BYTES, column=False
    )
    raw_dimensions = record.get("Dimensions")
    dimensions_key = _dimensions_key(raw_dimensions)
    known = seen.dimensions.get(dimensions_key) if dimensions_key is not None else None
    if known is None:
        dimensions = _parse_dimensions(index, raw_dimensions)
        known = (dimensions, sum(len(part) for pair in dimensions for part in pair))
        if dimensions_key is not None:
            seen.dimensions[dimensions_key] = known
    dimensions, dimension_characters = known
    measure_type = record.get("MeasureValueType")
    if measure_type is None:
        raise _fail(index, "MeasureValueType is required.")
    if measure_type == "MULTI":
        if record.get("MeasureValue") is not None:
            raise _fail(index, "MeasureValue must not be set when MeasureValueType is MULTI.")
        measures = _parse_multi_measures(index, record.get("MeasureValues"), record, seen)
    elif measure_type in SCALAR_TYPES:
        if record.get("MeasureValues"):
            raise _fail(index, "MeasureValues requires MeasureValueType MULTI.")
        raw_value = record.get("MeasureValue")
        if raw_value is None:
            raise _fail(index, f"MeasureValue is required for MeasureValueType {measure_type}.")
        value = _parse_value(index, measure_name, measure_type, raw_value, record)
        measures = (Measure(measure_name, measure_type, value, raw_value),)
    elif measure_type == "TIMESTAMP":
        raise _fail(index, "MeasureValueType TIMESTAMP is only supported in MULTI measures.")
    else:
        raise _fail(index, f"unknown MeasureValueType {measure_type!r}.")
    if measure_type == "MULTI":
        names_key = (dimensions, tuple(m.name for m in measures))
        if names_key not in seen.multi_names:
            dimension_names = {name.casefold() for name, _ in dimensions}
            for measure in measures:
                if measure.name.casefold() in dimension_names:
                    raise _fail(index, f"measure {measure.name!r} has the name of a dimension.")
            seen.multi_names.add(names_key)
    characters = len(measure_name) + dimension_characters
    for m in measures:
        characters += len(m.name) + len(m.text)
    # UTF-8 needs at most 4 bytes a character: encode only when the record might be too big.
    if characters * 4 > MAX_RECORD_BYTES:
        _check_size(index, measure_name, dimensions, measures)
    return Record(
        index=index,
        time_ns=time_ns,
        measure_name=measure_name,
        multi=measure_type == "MULTI",
        dimensions=dimensions,
        measures=measures,
        version=_parse_version(index, record.get("Version")),
        layout=tuple([(m.name, m.type) for m in measures]),
    )


def _parse_time(index: int, raw_time: Any, raw_unit: Any) -> int:
    unit = "MILLISECONDS" if raw_unit is None else raw_unit
    if unit not in NANOS_PER_UNIT:
        raise _fail(index, f"unknown TimeUnit {unit!r}.")
    if not isinstance(raw_time, str) or not raw_time:
        raise _fail(index, "Time is required: an epoch count in TimeUnit, as a string.")
    if len(raw_time) > MAX_TIME_STRING_CHARS or not raw_time.isascii() or not raw_time.isdigit():
        raise _fail(index, f"Time {raw_time[:40]!r} is not a non-negative integer.")
    time_ns = int(raw_time) * NANOS_PER_UNIT[unit]
    if time_ns > MAX_TIME_NS:
        raise _fail(index, f"Time {raw_time} {unit} is after 2262-04-11 23:47:16.854775807.")
    return time_ns


def _parse_version(index: int, raw: Any) -> int:
    if raw is None:
        return 1
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_VERSION:
        raise _fail(index, f"Version must be an integer from 1 to {MAX_VERSION}, got {raw!r}.")
    return raw


def _check_name(index: int, what: str, raw: Any, max_bytes: int, *, column: bool) -> str:
    """`raw` as a name; a `column` name (dimension, multi-measure) obeys the column rules too."""
    if not isinstance(raw, str) or not raw:
        raise _fail(index, f"{what} is required and must be a non-empty string.")
    problem = _name_problem(what, raw, max_bytes, column=column)
    if problem is not None:
        raise _fail(index, problem)
    return raw


# Requests repeat the same few names; checking each distinct name once keeps publish fast.
@functools.lru_cache(maxsize=8192)
def _name_problem(what: str, name: str, max_bytes: int, *, column: bool) -> str | None:
    size = len(name.encode())
    if size > max_bytes:
        return f"{what} {name[:40]!r} is {size} bytes; at most {max_bytes} are allowed."
    if _CONTROL_CHARACTER.search(name):
        return f"{what} {name!r} contains a control character."
    if column and (name in RESERVED_NAMES or name.startswith(RESERVED_PREFIXES)):
        return (
            f"{what} {name!r} is reserved (measure_value, ts_non_existent_col, time and names"
            " starting with ts_ or measure_name)."
        )
    if column and ":" in name:
        return f"{what} {name!r} must not contain ':'."
    return None


def _parse_dimensions(index: int, raw: Any) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise _fail(index, "Dimensions must be a list.")
    if len(raw) > MAX_DIMENSIONS_PER_RECORD:
        raise _fail(index, f"at most {MAX_DIMENSIONS_PER_RECORD} dimensions are allowed.")
    seen: dict[str, str] = {}
    dimensions = []
    for dimension in raw:
        if not _is_mapping(dimension):
            raise _fail(index, "a dimension must be an object with Name and Value.")
        name = _check_name(
            index, "dimension name", dimension.get("Name"), MAX_DIMENSION_NAME_BYTES, column=True
        )
        value_type = dimension.get("DimensionValueType")
        if value_type not in (None, "VARCHAR"):
            raise _fail(index, f"dimension {name!r} has DimensionValueType {value_type!r}.")
        value = dimension.get("Value")
        if not isinstance(value, str) or not value:
            raise _fail(index, f"dimension {name!r} needs a non-empty string Value.")
        if len(value) * 4 > MAX_VALUE_BYTES and len(value.encode()) > MAX_VALUE_BYTES:
            raise _fail(index, f"dimension {name!r} value exceeds {MAX_VALUE_BYTES} bytes.")
        folded = name.casefold()
        if folded in seen:
            raise _fail(
                index,
                f"dimension names {seen[folded]!r} and {name!r} differ only by case or repeat.",
            )
        seen[folded] = name
        dimensions.append((name, value))
    return tuple(dimensions)


def _parse_multi_measures(
    index: int, raw: Any, record: Mapping[str, Any], seen: _Seen
) -> tuple[Measure, ...]:
    shape = _measures_key(raw)
    if shape is not None and shape in seen.measure_shapes:
        # Names and types as in an earlier record: only the values are left to check.
        return tuple(
            Measure(name, measure_type, _parse_value(index, name, measure_type, text, record), text)
            for (name, measure_type), text in zip(
                shape, [item.get("Value") for item in raw], strict=True
            )
        )
    measures = _check_multi_measures(index, raw, record)
    if shape is not None:
        seen.measure_shapes.add(shape)
    return measures


def _check_multi_measures(index: int, raw: Any, record: Mapping[str, Any]) -> tuple[Measure, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes) or not raw:
        raise _fail(index, "MeasureValues must be a non-empty list when MeasureValueType is MULTI.")
    if len(raw) > MAX_MEASURES_PER_RECORD:
        raise _fail(index, f"at most {MAX_MEASURES_PER_RECORD} measures are allowed per record.")
    seen: dict[str, str] = {}
    measures = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise _fail(index, "a MeasureValues entry must be an object with Name, Type, Value.")
        name = _check_name(
            index, "measure name", item.get("Name"), MAX_MEASURE_NAME_BYTES, column=True
        )
        folded = name.casefold()
        if folded in seen:
            raise _fail(
                index, f"measure names {seen[folded]!r} and {name!r} differ only by case or repeat."
            )
        seen[folded] = name
        measure_type = item.get("Type")
        if measure_type not in MULTI_MEASURE_TYPES:
            raise _fail(index, f"measure {name!r} has unsupported Type {measure_type!r}.")
        text = item.get("Value")
        value = _parse_value(index, name, measure_type, text, record)
        assert isinstance(text, str)
        measures.append(Measure(name, measure_type, value, text))
    return tuple(measures)


def _parse_value(
    index: int, name: str, measure_type: str, raw: Any, record: Mapping[str, Any]
) -> MeasureValue:
    if not isinstance(raw, str) or not raw:
        raise _fail(index, f"measure {name!r} needs a non-empty string value.")
    if len(raw) * 4 > MAX_VALUE_BYTES and len(raw.encode()) > MAX_VALUE_BYTES:
        raise _fail(index, f"measure {name!r} value exceeds {MAX_VALUE_BYTES} bytes.")
    if measure_type == "VARCHAR":
        return raw
    if measure_type == "BOOLEAN":
        if raw.lower() not in _BOOLEANS:
            raise _fail(index, f"measure {name!r} value {raw!r} is not a BOOLEAN (true or false).")
        return _BOOLEANS[raw.lower()]
    if measure_type == "DOUBLE":
        if not _DOUBLE.fullmatch(raw):
            raise _fail(index, f"measure {name!r} value {raw[:40]!r} is not a DOUBLE.")
        number = float(raw)
        if not math.isfinite(number):
            raise _fail(index, f"measure {name!r} value {raw[:40]!r} is not a finite DOUBLE.")
        return number
    if measure_type == "BIGINT":
        if not _INTEGER.fullmatch(raw) or not MIN_BIGINT <= int(raw) <= MAX_BIGINT:
            raise _fail(index, f"measure {name!r} value {raw[:40]!r} is not a 64-bit BIGINT.")
        return int(raw)
    # TIMESTAMP (multi-measure only): an epoch count in the record's TimeUnit.
    try:
        return _parse_time(index, raw, record.get("TimeUnit"))
    except TimestreamValidationError:
        raise _fail(
            index,
            f"measure {name!r} value {raw[:40]!r} is not a TIMESTAMP in the record's TimeUnit.",
        ) from None
