"""Validation and wire form of time-series records (docs/protocol.md §5.4), I/O-free.

Records are checked against Timestream's documented WriteRecords rules, so that a record the
service would refuse fails here, naming its field, before any request: 64-bit BIGINTs,
finite DOUBLEs, times from 1970 to 2262-04-11, versions from 1 to 2^31-1 (a GraphQL Int),
and the name, value, dimension and measure limits.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._record_table import TimeSeriesRecords, WireList, model_of_wire
from ._validation import require_sequence, require_text, shown
from .errors import InvalidInputError
from .types import TimeSeriesDimension, TimeSeriesInputRecord, TimeSeriesMeasureValue

# The schema's enums; tests/test_records.py checks they equal schema.graphql's.
MEASURE_VALUE_TYPES = ("BIGINT", "BOOLEAN", "DOUBLE", "MULTI", "TIMESTAMP", "VARCHAR")
DIMENSION_VALUE_TYPES = ("VARCHAR",)
TIME_UNITS = ("MICROSECONDS", "MILLISECONDS", "NANOSECONDS", "SECONDS")

# ASCII only: `\d` would accept other scripts' digits, which no server parses.
_INTEGER = re.compile(r"-?[0-9]+")
_EPOCH = re.compile(r"[0-9]+")
# Java's Double.parseDouble grammar without its extras (hex, `d`/`f` suffixes, padding).
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PER_SECOND = {"SECONDS": 1, "MILLISECONDS": 10**3, "MICROSECONDS": 10**6, "NANOSECONDS": 10**9}
# Without an explicit unit, an epoch is MILLISECONDS from 1973-03-03 to 2286-11-20: seconds of
# today are below that range, micro- and nanoseconds above it.
_DEFAULT_TIME_UNIT = "MILLISECONDS"
_MIN_DEFAULT_EPOCH, _MAX_DEFAULT_EPOCH = 10**11, 10**13

# Timestream's WriteRecords limits (its service model and quotas page).
MIN_BIGINT, MAX_BIGINT = -(2**63), 2**63 - 1
# Timestream's Version is an int64 >= 1, but the exchange's schema carries it as a GraphQL
# Int, which is 32-bit: a larger version cannot be sent at all.
MAX_VERSION = 2**31 - 1
MAX_TIME_NS = 2**63 - 1  # the last writable instant, 2262-04-11 23:47:16.854775807
MAX_TIME_CHARS = 256
MAX_MEASURE_NAME_BYTES = 256
MAX_DIMENSION_NAME_BYTES = 60
MAX_VALUE_BYTES = 2048  # a measure or dimension value
MAX_RECORD_BYTES = 2048  # names and values of one record together
MAX_DIMENSIONS = 128
MAX_MEASURES = 256  # per MULTI record
# Dimension and MULTI measure names become columns: these are taken by the table itself.
RESERVED_COLUMN_NAMES = frozenset({"measure_value", "ts_non_existent_col", "time"})
RESERVED_COLUMN_PREFIXES = ("ts_", "measure_name")

MeasureScalar = str | int | float | bool | dt.datetime


_SINGLE_MEASURE_TYPES = tuple(t for t in MEASURE_VALUE_TYPES if t != "MULTI")


def measure_value(Type: str, Name: str, Value: Any) -> TimeSeriesMeasureValue:
    return TimeSeriesMeasureValue.model_validate(_measure_wire(Type, Name, Value))


def dimension(DimensionValueType: str, Name: str, Value: Any) -> TimeSeriesDimension:
    return TimeSeriesDimension.model_validate(_dimension_wire(DimensionValueType, Name, Value))


def input_record(
    Time: Any,
    TimeUnit: str,
    MeasureName: str,
    MeasureValueType: str,
    MeasureValue: Any = None,
    MeasureValues: Sequence[TimeSeriesMeasureValue] | None = None,
    Dimensions: Sequence[TimeSeriesDimension] | None = None,
    Version: int | None = 1,
) -> TimeSeriesInputRecord:
    wire = _record_wire(
        Time,
        TimeUnit,
        MeasureName,
        MeasureValueType,
        MeasureValue,
        MeasureValues,
        Dimensions,
        Version,
    )
    return model_of_wire(wire)


def record_to_variables(record: TimeSeriesInputRecord) -> dict[str, Any]:
    """The record as a `TimeSeriesDbRecordInput` variable, re-validated (it may be hand-built)."""
    if not isinstance(record, TimeSeriesInputRecord):
        raise InvalidInputError(
            f"records must be TimeSeriesInputRecord objects, not {type(record).__name__}"
        )
    return _record_wire(
        record.Time,
        record.TimeUnit,
        record.MeasureName,
        record.MeasureValueType,
        record.MeasureValue,
        record.MeasureValues,
        record.Dimensions,
        record.Version,
    )


def _measure_wire(Type: Any, Name: Any, Value: Any) -> dict[str, str]:
    type_ = _choice("Type", Type, _SINGLE_MEASURE_TYPES)
    return {
        "Type": type_,
        "Name": _name("Name", Name, MAX_MEASURE_NAME_BYTES),
        "Value": _value_text(type_, Value, "Value"),
    }


def _dimension_wire(DimensionValueType: Any, Name: Any, Value: Any) -> dict[str, str]:
    return {
        "DimensionValueType": _choice(
            "DimensionValueType", DimensionValueType, DIMENSION_VALUE_TYPES
        ),
        "Name": _column_name("Name", _name("Name", Name, MAX_DIMENSION_NAME_BYTES)),
        "Value": _name("Value", Value, MAX_VALUE_BYTES),
    }


def _record_wire(
    Time: Any,
    TimeUnit: Any,
    MeasureName: Any,
    MeasureValueType: Any,
    MeasureValue: Any,
    MeasureValues: Sequence[Any] | None,
    Dimensions: Sequence[Any] | None,
    Version: Any,
) -> dict[str, Any]:
    """Checks every rule of docs/protocol.md §5.4 and returns the `TimeSeriesDbRecordInput` JSON."""
    unit = _choice("TimeUnit", TimeUnit, TIME_UNITS)
    value_type = _choice("MeasureValueType", MeasureValueType, MEASURE_VALUE_TYPES)
    wire: dict[str, Any] = {
        "Time": _epoch_text(Time, unit),
        "TimeUnit": unit,
        "MeasureName": _name("MeasureName", MeasureName, MAX_MEASURE_NAME_BYTES),
        "MeasureValueType": value_type,
    }
    if value_type == "MULTI":
        if MeasureValue is not None:
            raise InvalidInputError("MeasureValue must be None when MeasureValueType is MULTI")
        if MeasureValues is None or not require_sequence("MeasureValues", MeasureValues):
            raise InvalidInputError("MeasureValueType MULTI needs a non-empty MeasureValues list")
        if len(MeasureValues) > MAX_MEASURES:
            raise InvalidInputError(
                f"MeasureValues has {len(MeasureValues)} measures; at most {MAX_MEASURES}"
            )
        values = [_checked_measure(v) for v in MeasureValues]
        names = [_column_name("MeasureValues name", v["Name"]) for v in values]
        if len(set(names)) != len(names):
            raise InvalidInputError(f"MeasureValues repeat a measure name: {shown(names)}")
        wire["MeasureValues"] = values
    else:
        if MeasureValues is not None and require_sequence("MeasureValues", MeasureValues):
            raise InvalidInputError(f"MeasureValues is only for MULTI records, not {value_type}")
        if MeasureValue is None:
            raise InvalidInputError(f"MeasureValueType {value_type} needs a MeasureValue")
        if value_type == "TIMESTAMP":
            raise InvalidInputError("MeasureValueType TIMESTAMP is only allowed in MULTI records")
        wire["MeasureValue"] = _value_text(value_type, MeasureValue, "MeasureValue")
    if Dimensions is not None and require_sequence("Dimensions", Dimensions):
        if len(Dimensions) > MAX_DIMENSIONS:
            raise InvalidInputError(
                f"Dimensions has {len(Dimensions)} entries; at most {MAX_DIMENSIONS}"
            )
        wire["Dimensions"] = [_checked_dimension(d) for d in Dimensions]
        _check_names_are_distinct(wire)
    if Version is not None:
        if (
            isinstance(Version, bool)
            or not isinstance(Version, int)
            or not 1 <= Version <= MAX_VERSION
        ):
            raise InvalidInputError(
                f"Version must be an integer from 1 to {MAX_VERSION} (a GraphQL Int) or None, "
                f"not {shown(Version)}"
            )
        wire["Version"] = int(Version)
    _check_record_size(wire)
    return wire


def _check_names_are_distinct(wire: Mapping[str, Any]) -> None:
    """Dimension names are distinct, and MULTI measures share their namespace."""
    dimension_names = [d["Name"] for d in wire["Dimensions"]]
    if len(set(dimension_names)) != len(dimension_names):
        raise InvalidInputError(f"Dimensions repeat a name: {shown(dimension_names)}")
    clash = set(dimension_names) & {v["Name"] for v in wire.get("MeasureValues", ())}
    if clash:
        raise InvalidInputError(
            f"measure {shown(min(clash))} has the name of a dimension (they share one namespace)"
        )


def _check_record_size(wire: Mapping[str, Any]) -> None:
    # The names and values alone: a lower bound of the record's size as the service counts it.
    texts = [wire["MeasureName"], wire.get("MeasureValue") or ""]
    for key in ("Dimensions", "MeasureValues"):
        for entry in wire.get(key, ()):
            texts += (entry["Name"], entry["Value"])
    if sum(map(len, texts)) * 4 > MAX_RECORD_BYTES:  # else it cannot be too big
        size = sum(len(text.encode()) for text in texts)
        if size > MAX_RECORD_BYTES:
            raise InvalidInputError(
                f"the record's names and values are {size} bytes; "
                f"at most {MAX_RECORD_BYTES} are allowed"
            )


def record_from_values(
    time: int | str | dt.datetime,
    measures: Mapping[str, MeasureScalar | TimeSeriesMeasureValue],
    *,
    measure_name: str | None = None,
    dimensions: Mapping[str, Any] | None = None,
    time_unit: str | None = None,
    version: int | None = 1,
) -> TimeSeriesInputRecord:
    """Builds a record from plain Python values.

    One measure without `measure_name` gives a single-measure record named after it; otherwise
    a MULTI record named `measure_name`. Types are inferred: bool → BOOLEAN, int → BIGINT,
    float → DOUBLE, str → VARCHAR, aware datetime → TIMESTAMP (epoch milliseconds); pass a
    `TimeSeriesMeasureValue` to choose the type. `time` is an epoch in `time_unit` or an aware
    datetime. Without `time_unit`, an epoch is read as MILLISECONDS and must fall between
    1973-03-03 and 2262 (10^11 to 10^13 ms), else `InvalidInputError` names the unit it looks
    like: `int(time.time())` is seconds, not a time in January 1970. Dimension values are
    converted with `str()`.
    """
    wire = _values_wire(time, measures, measure_name, dimensions, time_unit, version)
    return model_of_wire(wire)


def _values_wire(
    time: Any,
    measures: Any,
    measure_name: str | None,
    dimensions: Any,
    time_unit: str | None,
    version: int | None,
) -> dict[str, Any]:
    if not isinstance(measures, Mapping):
        raise InvalidInputError(
            f"measures must be a mapping of name to value, not {type(measures).__name__}"
        )
    if dimensions is not None and not isinstance(dimensions, Mapping):
        raise InvalidInputError(
            f"dimensions must be a mapping of name to value, not {type(dimensions).__name__}"
        )
    if not measures:
        raise InvalidInputError("a record needs at least one measure")
    values = [
        m if isinstance(m, TimeSeriesMeasureValue) else _infer_measure(name, m)
        for name, m in measures.items()
    ]
    dims = [dimension("VARCHAR", name, str(value)) for name, value in (dimensions or {}).items()]
    if len(values) > 1 and measure_name is None:
        raise InvalidInputError("several measures make a MULTI record: pass measure_name")
    if time_unit is None:
        time_unit = _DEFAULT_TIME_UNIT
        _check_default_unit_magnitude(time)
    if measure_name is None:
        only = values[0]
        return _record_wire(time, time_unit, only.Name, only.Type, only.Value, None, dims, version)
    return _record_wire(time, time_unit, measure_name, "MULTI", None, values, dims, version)


def records_from_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    time_field: str = "time",
    dimension_fields: Sequence[str] = (),
    measure_fields: Sequence[str] | None = None,
    measure_name: str | None = None,
    measure_types: Mapping[str, str] | None = None,
    time_unit: str | None = None,
    version: int | None = 1,
) -> TimeSeriesRecords:
    """Builds one record per row (a dict, e.g. from `csv.DictReader` or a DataFrame).

    `time_field` holds the time, `dimension_fields` become dimensions, and `measure_fields`
    (default: every other field) the measures; None values are skipped. Measure types are
    inferred from Python values as by `record_from_values`, except that a string measure
    needs its type in `measure_types` (`{"kwh": "DOUBLE", "label": "VARCHAR"}`): Timestream
    fixes a measure's type at its first write, so text such as csv's `"1.5"` must not become
    VARCHAR by default. A declared field's value is checked against its type; its empty
    strings (csv's empty cells) are skipped like None.

    Returns a `TimeSeriesRecords`: a read-only sequence of `TimeSeriesInputRecord` checked
    once and kept as columns, which `publishToTimeSeriesDatabase` sends without checking it
    again.
    """
    if not isinstance(rows, Iterable) or isinstance(rows, str | bytes | Mapping):
        raise InvalidInputError(
            f"rows must be an iterable of mappings (dicts), not {type(rows).__name__}"
        )
    _field_names("time_field", [time_field])
    _field_names("dimension_fields", dimension_fields)
    if measure_fields is not None:
        _field_names("measure_fields", measure_fields)
    declared = _measure_types(measure_types)
    rows = rows if isinstance(rows, list) else list(rows)
    options: dict[str, Any] = {
        "time_field": time_field,
        "dimension_fields": list(dimension_fields),
        "measure_name": measure_name,
        "time_unit": time_unit,
        "version": version,
    }
    from ._record_builders import table_from_rows

    table = table_from_rows(rows, measure_fields=measure_fields, measure_types=declared, **options)
    if table is not None:
        return TimeSeriesRecords(table)
    return TimeSeriesRecords(WireList(_rows_wire(rows, measure_fields, declared, **options)))


def _rows_wire(
    rows: Sequence[Any],
    measure_fields: Sequence[str] | None,
    declared: Mapping[str, str],
    *,
    time_field: str,
    dimension_fields: Sequence[str],
    measure_name: str | None,
    time_unit: str | None,
    version: int | None,
) -> list[dict[str, Any]]:
    """Row by row: the exact error of the first bad row, or every record's JSON."""
    records = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InvalidInputError(
                f"row {index} must be a mapping (dict), not {type(row).__name__}"
            )
        if time_field not in row:
            raise InvalidInputError(f"row {index} has no {time_field!r} field")
        fields = measure_fields or [k for k in row if k != time_field and k not in dimension_fields]
        dims = {k: row[k] for k in dimension_fields if row.get(k) is not None}
        try:
            records.append(
                _values_wire(
                    row[time_field],
                    _row_measures(row, fields, declared),
                    measure_name,
                    dims,
                    time_unit,
                    version,
                )
            )
        except InvalidInputError as exc:
            raise InvalidInputError(f"row {index}: {exc.message}") from exc
    return records


def _measure_types(measure_types: Any) -> dict[str, str]:
    if measure_types is None:
        return {}
    if not isinstance(measure_types, Mapping) or not all(
        isinstance(name, str) for name in measure_types
    ):
        raise InvalidInputError("measure_types must map measure field names to measure types")
    return {
        name: _choice(f"measure_types[{name!r}]", type_, _SINGLE_MEASURE_TYPES)
        for name, type_ in measure_types.items()
    }


def _row_measures(
    row: Mapping[str, Any], fields: Iterable[str], declared: Mapping[str, str]
) -> dict[str, MeasureScalar | TimeSeriesMeasureValue]:
    measures: dict[str, MeasureScalar | TimeSeriesMeasureValue] = {}
    for name in fields:
        value = row.get(name)
        if value is None:
            continue
        type_ = declared.get(name)
        if type_ is not None:
            if value != "":
                measures[name] = measure_value(type_, name, value)
        elif isinstance(value, str):
            raise InvalidInputError(
                f"measure {name!r} is the string {shown(value)}: declare its type, e.g. "
                f"measure_types={{{name!r}: 'DOUBLE'}} (or 'VARCHAR' to store it as text)"
            )
        else:
            measures[name] = value
    return measures


def _check_default_unit_magnitude(time: Any) -> None:
    """An epoch given without `time_unit` must be plausible as MILLISECONDS."""
    if isinstance(time, bool) or not isinstance(time, int | str):
        return  # a datetime is unambiguous; other values fail the Time check itself
    text = str(time)
    if not _EPOCH.fullmatch(text) or len(text) > MAX_TIME_CHARS:
        return
    epoch = int(text)
    if _MIN_DEFAULT_EPOCH <= epoch < _MAX_DEFAULT_EPOCH:
        return
    likely = (
        "SECONDS"
        if epoch < _MIN_DEFAULT_EPOCH
        else "MICROSECONDS"
        if epoch < 10**16
        else "NANOSECONDS"
    )
    raise InvalidInputError(
        f"Time {text} read as MILLISECONDS (the default) is {_instant(epoch, 'MILLISECONDS')}; "
        f"it looks like {likely} ({_instant(epoch, likely)}): pass time_unit={likely!r}, "
        "or time_unit='MILLISECONDS' if that time is meant"
    )


def _instant(epoch: int, unit: str) -> str:
    seconds = epoch // _PER_SECOND[unit]
    try:
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seconds)
    except OverflowError:
        return "after the year 9999"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _field_names(argument: str, names: Any) -> None:
    if not all(isinstance(name, str) for name in require_sequence(argument, names)):
        raise InvalidInputError(f"{argument} must hold field names (strings)")


def _infer_measure(name: str, value: MeasureScalar) -> TimeSeriesMeasureValue:
    if isinstance(value, bool):
        return measure_value("BOOLEAN", name, value)
    if isinstance(value, int):
        return measure_value("BIGINT", name, value)
    if isinstance(value, float):
        return measure_value("DOUBLE", name, value)
    if isinstance(value, dt.datetime):
        return measure_value("TIMESTAMP", name, _epoch_text(value, "MILLISECONDS"))
    if isinstance(value, str):
        return measure_value("VARCHAR", name, value)
    raise InvalidInputError(f"measure {name!r}: cannot infer a type for {type(value).__name__}")


def _checked_measure(value: Any) -> dict[str, str]:
    if not isinstance(value, TimeSeriesMeasureValue):
        raise InvalidInputError(
            f"MeasureValues must hold TimeSeriesMeasureValue objects, not {type(value).__name__}"
        )
    return _measure_wire(value.Type, value.Name, value.Value)


def _checked_dimension(value: Any) -> dict[str, str]:
    if not isinstance(value, TimeSeriesDimension):
        raise InvalidInputError(
            f"Dimensions must hold TimeSeriesDimension objects, not {type(value).__name__}"
        )
    return _dimension_wire(value.DimensionValueType, value.Name, value.Value)


def _choice(argument: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(
            f"{argument} must be one of {', '.join(allowed)}; got {shown(value)}"
        )
    return value


def _text(argument: str, value: Any) -> str:
    if type(value) is str and value and value.isascii():
        return value  # the common case, which needs no further check
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{argument} must be a non-empty string, not {shown(value)}")
    return require_text(argument, value)


def _check_bytes(argument: str, text: str, max_bytes: int) -> None:
    # UTF-8 needs at most 4 bytes a character: encode only when the text might be too big.
    if len(text) * 4 > max_bytes and len(text.encode()) > max_bytes:
        raise InvalidInputError(
            f"{argument} is {len(text.encode())} bytes of UTF-8; at most {max_bytes} are allowed"
        )


def _name(argument: str, value: Any, max_bytes: int) -> str:
    name = _text(argument, value)
    _check_bytes(argument, name, max_bytes)
    return name


def _column_name(argument: str, name: str) -> str:
    """A dimension or MULTI measure name: it becomes a column of the table."""
    if name in RESERVED_COLUMN_NAMES or name.startswith(RESERVED_COLUMN_PREFIXES):
        raise InvalidInputError(
            f"{argument} {shown(name)} is reserved (measure_value, ts_non_existent_col, time "
            "and names starting with ts_ or measure_name)"
        )
    return name


def _value_text(type_: str, value: Any, argument: str) -> str:
    """The string form of a measure value, checked against its declared type's range."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(int(value))  # int(): an IntEnum's str() is its name
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"{argument} must be finite, not {value!r}")
        text = repr(float(value))  # float(): numpy's repr is "np.float64(...)"
    elif isinstance(value, str):
        text = _text(argument, value)
    else:
        raise InvalidInputError(f"{argument} must be a string, not {type(value).__name__}")
    _check_bytes(argument, text, MAX_VALUE_BYTES)
    if type_ == "BIGINT" and not (
        _INTEGER.fullmatch(text) and MIN_BIGINT <= int(text) <= MAX_BIGINT
    ):
        raise InvalidInputError(
            f"{argument} {shown(text)} is not a BIGINT (a 64-bit signed integer)"
        )
    if type_ == "DOUBLE" and not _is_finite_number(text):
        raise InvalidInputError(f"{argument} {shown(text)} is not a finite DOUBLE")
    if type_ == "BOOLEAN" and text.lower() not in ("true", "false"):
        raise InvalidInputError(f"{argument} {shown(text)} is not a BOOLEAN (true or false)")
    if type_ == "TIMESTAMP" and not (_EPOCH.fullmatch(text) and int(text) <= MAX_TIME_NS):
        raise InvalidInputError(
            f"{argument} {shown(text)} is not a TIMESTAMP (a non-negative epoch integer)"
        )
    return text


def _is_finite_number(text: str) -> bool:
    return _DOUBLE.fullmatch(text) is not None and math.isfinite(float(text))


def _epoch_text(value: Any, unit: str) -> str:
    """`Time` as the epoch string Timestream accepts: 1970 to 2262-04-11 in `unit`."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidInputError("Time: a naive datetime is ambiguous; give it a timezone")
        delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        micros = (delta.days * 86_400 + delta.seconds) * 10**6 + delta.microseconds
        text = str(micros * _PER_SECOND[unit] // 10**6)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(int(value))
    elif isinstance(value, str):
        text = value
    else:
        raise InvalidInputError(f"Time must be an epoch integer string, not {shown(value)}")
    if len(text) > MAX_TIME_CHARS or not _EPOCH.fullmatch(text):
        raise InvalidInputError(
            f"Time must be a non-negative epoch integer (in {unit}), not {shown(text)}"
        )
    if int(text) * (10**9 // _PER_SECOND[unit]) > MAX_TIME_NS:
        raise InvalidInputError(
            f"Time {shown(text)} {unit} is after 2262-04-11 23:47:16.854775807, "
            "the last time Timestream accepts"
        )
    return text
