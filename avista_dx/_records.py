"""Validation and wire form of time-series records (docs/protocol.md §5.4), I/O-free."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import InvalidInputError
from .types import TimeSeriesDimension, TimeSeriesInputRecord, TimeSeriesMeasureValue

# The schema's enums; tests/test_records.py checks they equal schema.graphql's.
MEASURE_VALUE_TYPES = ("BIGINT", "BOOLEAN", "DOUBLE", "MULTI", "TIMESTAMP", "VARCHAR")
DIMENSION_VALUE_TYPES = ("VARCHAR",)
TIME_UNITS = ("MICROSECONDS", "MILLISECONDS", "NANOSECONDS", "SECONDS")

_INTEGER = re.compile(r"-?\d+")
_EPOCH = re.compile(r"\d+")
_PER_SECOND = {"SECONDS": 1, "MILLISECONDS": 10**3, "MICROSECONDS": 10**6, "NANOSECONDS": 10**9}

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
    return TimeSeriesInputRecord(
        Time=wire["Time"],
        TimeUnit=wire["TimeUnit"],
        MeasureName=wire["MeasureName"],
        MeasureValueType=wire["MeasureValueType"],
        MeasureValue=wire.get("MeasureValue"),
        MeasureValues=[TimeSeriesMeasureValue.model_validate(v) for v in wire["MeasureValues"]]
        if "MeasureValues" in wire
        else None,
        Dimensions=[TimeSeriesDimension.model_validate(d) for d in wire["Dimensions"]]
        if "Dimensions" in wire
        else None,
        Version=Version,
    )


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
    return {"Type": type_, "Name": _text("Name", Name), "Value": _value_text(type_, Value, "Value")}


def _dimension_wire(DimensionValueType: Any, Name: Any, Value: Any) -> dict[str, str]:
    return {
        "DimensionValueType": _choice(
            "DimensionValueType", DimensionValueType, DIMENSION_VALUE_TYPES
        ),
        "Name": _text("Name", Name),
        "Value": _text("Value", Value),
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
        "MeasureName": _text("MeasureName", MeasureName),
        "MeasureValueType": value_type,
    }
    if value_type == "MULTI":
        if MeasureValue is not None:
            raise InvalidInputError("MeasureValue must be None when MeasureValueType is MULTI")
        if not MeasureValues:
            raise InvalidInputError("MeasureValueType MULTI needs a non-empty MeasureValues list")
        values = [_checked_measure(v) for v in MeasureValues]
        names = [v["Name"] for v in values]
        if len(set(names)) != len(names):
            raise InvalidInputError(f"MeasureValues repeat a measure name: {names}")
        wire["MeasureValues"] = values
    else:
        if MeasureValues:
            raise InvalidInputError(f"MeasureValues is only for MULTI records, not {value_type}")
        if MeasureValue is None:
            raise InvalidInputError(f"MeasureValueType {value_type} needs a MeasureValue")
        wire["MeasureValue"] = _value_text(value_type, MeasureValue, "MeasureValue")
    if Dimensions:
        wire["Dimensions"] = [_checked_dimension(d) for d in Dimensions]
    if Version is not None:
        if isinstance(Version, bool) or not isinstance(Version, int) or Version < 0:
            raise InvalidInputError(
                f"Version must be a non-negative integer or None, not {Version!r}"
            )
        wire["Version"] = Version
    return wire


def record_from_values(
    time: int | str | dt.datetime,
    measures: Mapping[str, MeasureScalar | TimeSeriesMeasureValue],
    *,
    measure_name: str | None = None,
    dimensions: Mapping[str, Any] | None = None,
    time_unit: str = "MILLISECONDS",
    version: int | None = 1,
) -> TimeSeriesInputRecord:
    """Builds a record from plain Python values.

    One measure without `measure_name` gives a single-measure record named after it; otherwise
    a MULTI record named `measure_name`. Types are inferred: bool → BOOLEAN, int → BIGINT,
    float → DOUBLE, str → VARCHAR, aware datetime → TIMESTAMP (epoch milliseconds); pass a
    `TimeSeriesMeasureValue` to choose the type. `time` is an epoch in `time_unit` or an aware
    datetime. Dimension values are converted with `str()`.
    """
    if not measures:
        raise InvalidInputError("a record needs at least one measure")
    values = [
        m if isinstance(m, TimeSeriesMeasureValue) else _infer_measure(name, m)
        for name, m in measures.items()
    ]
    dims = [dimension("VARCHAR", name, str(value)) for name, value in (dimensions or {}).items()]
    if len(values) == 1 and measure_name is None:
        only = values[0]
        return input_record(time, time_unit, only.Name, only.Type, only.Value, None, dims, version)
    if measure_name is None:
        raise InvalidInputError("several measures make a MULTI record: pass measure_name")
    return input_record(time, time_unit, measure_name, "MULTI", None, values, dims, version)


def records_from_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    time_field: str = "time",
    dimension_fields: Sequence[str] = (),
    measure_fields: Sequence[str] | None = None,
    measure_name: str | None = None,
    time_unit: str = "MILLISECONDS",
    version: int | None = 1,
) -> list[TimeSeriesInputRecord]:
    """Builds one record per row (a dict, e.g. from `csv.DictReader` or a DataFrame).

    `time_field` holds the time, `dimension_fields` become dimensions, and `measure_fields`
    (default: every other field) the measures; None values are skipped.
    """
    records = []
    for index, row in enumerate(rows):
        if time_field not in row:
            raise InvalidInputError(f"row {index} has no {time_field!r} field")
        fields = measure_fields or [k for k in row if k != time_field and k not in dimension_fields]
        measures = {k: row[k] for k in fields if row.get(k) is not None}
        dims = {k: row[k] for k in dimension_fields if row.get(k) is not None}
        try:
            records.append(
                record_from_values(
                    row[time_field],
                    measures,
                    measure_name=measure_name,
                    dimensions=dims,
                    time_unit=time_unit,
                    version=version,
                )
            )
        except InvalidInputError as exc:
            raise InvalidInputError(f"row {index}: {exc.message}") from exc
    return records


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
        raise InvalidInputError(f"{argument} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _text(argument: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{argument} must be a non-empty string, not {value!r}")
    return value


def _value_text(type_: str, value: Any, argument: str) -> str:
    """The string form of a measure value, checked against its declared type."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidInputError(f"{argument} must be finite, not {value!r}")
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        raise InvalidInputError(f"{argument} must be a string, not {type(value).__name__}")
    if type_ == "BIGINT" and not _INTEGER.fullmatch(text):
        raise InvalidInputError(f"{argument} {text!r} is not a BIGINT")
    if type_ == "DOUBLE" and not _is_finite_number(text):
        raise InvalidInputError(f"{argument} {text!r} is not a finite DOUBLE")
    if type_ == "BOOLEAN" and text.lower() not in ("true", "false"):
        raise InvalidInputError(f"{argument} {text!r} is not a BOOLEAN (true or false)")
    return text


def _is_finite_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and text.strip() == text
    except ValueError:
        return False


def _epoch_text(value: Any, unit: str) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidInputError("Time: a naive datetime is ambiguous; give it a timezone")
        delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        micros = (delta.days * 86_400 + delta.seconds) * 10**6 + delta.microseconds
        return str(micros * _PER_SECOND[unit] // 10**6)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise InvalidInputError(f"Time must be an epoch integer string, not {value!r}")
    if not _EPOCH.fullmatch(text):
        raise InvalidInputError(f"Time must be an epoch integer (in {unit}), not {text!r}")
    return text
