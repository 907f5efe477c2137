"""The SDK's record checks against the emulator's WriteRecords validation (the service's
stand-in): a record the SDK lets through is one the emulator accepts, and the range edges of
issue 9 item 15 are refused by both. Names are drawn distinct by case and printable, since
the emulator also refuses names differing only by case (a limit of its engine) and control
characters; TIMESTAMP measure values are left out (the SDK's helpers write epoch
milliseconds, the emulator reads them in the record's TimeUnit: not decided here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avista_dx import InvalidInputError
from avista_dx._records import dimension, input_record, measure_value, record_to_variables

emulator_records = pytest.importorskip("avista_dx.emulator.timestream.records")
TimestreamValidationError = pytest.importorskip(
    "avista_dx.emulator.timestream.errors"
).TimestreamValidationError

UNITS = ["SECONDS", "MILLISECONDS", "MICROSECONDS", "NANOSECONDS"]
PER_NS = {"SECONDS": 10**9, "MILLISECONDS": 10**6, "MICROSECONDS": 10**3, "NANOSECONDS": 1}
LAST_NS = 2**63 - 1


def times() -> st.SearchStrategy[tuple[str, str]]:
    """(Time, TimeUnit) pairs, dense around 0 and around 2262-04-11 in every unit."""

    def around_the_end(unit: str) -> st.SearchStrategy[tuple[str, str]]:
        last = LAST_NS // PER_NS[unit]
        return st.integers(last - 3, last + 3).map(lambda t: (str(t), unit))

    return st.one_of(
        st.tuples(st.integers(0, 2**40).map(str), st.sampled_from(UNITS)),
        st.sampled_from(UNITS).flatmap(around_the_end),
        st.tuples(st.sampled_from(["-1", "0", "1" * 257, "+1", " 1"]), st.sampled_from(UNITS)),
    )


NAMES = st.text("abcdefghij_0123456789", min_size=1, max_size=12).filter(
    lambda n: not n.startswith(("ts_", "measure_name")) and n not in ("time", "measure_value")
)
VALUES = {
    "BIGINT": st.one_of(
        st.integers(-(2**63) - 2, 2**63 + 1).map(str),
        st.sampled_from([str(2**63 - 1), str(-(2**63)), str(2**63), "18446744073709551616"]),
    ),
    "DOUBLE": st.one_of(
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(["1e308", "1e309", "-1.5E-3", ".5", "5.", "nan", "Infinity", "1_0"]),
    ),
    "VARCHAR": st.text(st.characters(codec="utf-8"), min_size=0, max_size=40),
    "BOOLEAN": st.sampled_from(["true", "false", "TRUE", "False", "yes", "1"]),
}
MEASURE = st.sampled_from(sorted(VALUES)).flatmap(
    lambda kind: st.tuples(st.just(kind), VALUES[kind])
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    time, unit = draw(times())
    version = draw(st.one_of(st.none(), st.integers(-1, 3), st.just(2**31 - 1)))
    dimension_names = draw(st.lists(NAMES, max_size=3, unique_by=str.casefold))
    dimensions = [("VARCHAR", name, draw(NAMES)) for name in dimension_names]
    if draw(st.booleans()):
        kind, value = draw(MEASURE)
        return {"args": (time, unit, draw(NAMES), kind, value, None), "dims": dimensions,
                "version": version}  # fmt: skip
    names = draw(
        st.lists(
            NAMES.filter(lambda n: n.casefold() not in {d.casefold() for d in dimension_names}),
            min_size=1,
            max_size=3,
            unique_by=str.casefold,
        )
    )
    measures = [(*draw(MEASURE), name) for name in names]
    return {"args": (time, unit, draw(NAMES), "MULTI", None, measures), "dims": dimensions,
            "version": version}  # fmt: skip


def sdk_wire(spec: dict[str, Any]) -> dict[str, Any]:
    time, unit, name, kind, value, measures = spec["args"]
    built_measures = None if measures is None else [measure_value(t, n, v) for t, v, n in measures]
    dims = [dimension(*d) for d in spec["dims"]]
    record = input_record(time, unit, name, kind, value, built_measures, dims, spec["version"])
    return record_to_variables(record)


def emulator_accepts(wire: dict[str, Any]) -> bool:
    try:
        emulator_records.validate_records([wire])
    except TimestreamValidationError:
        return False
    return True


@settings(
    max_examples=300,
    deadline=dt.timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(records())
def test_every_record_the_sdk_sends_is_one_the_emulator_accepts(spec: dict[str, Any]) -> None:
    try:
        wire = sdk_wire(spec)
    except InvalidInputError:
        return  # refused before sending: nothing to compare
    assert emulator_accepts(wire), wire


@pytest.mark.parametrize(
    "wire",
    [
        {"MeasureValueType": "BIGINT", "MeasureValue": "18446744073709551616"},
        {"MeasureValueType": "BIGINT", "MeasureValue": "9223372036854775808"},
        {"MeasureValueType": "DOUBLE", "MeasureValue": "NaN"},
        {"MeasureValueType": "DOUBLE", "MeasureValue": "1e999"},
        {"Time": str(10**30)},
        {"Time": "9223372037", "TimeUnit": "SECONDS"},
        {"Version": 0},
        {"Version": 2**63},
        {"MeasureValueType": "VARCHAR", "MeasureValue": ""},
        {"MeasureName": "m" * 257},
    ],
)
def test_the_range_edges_are_refused_by_both(wire: dict[str, Any]) -> None:
    record = {
        "Time": "1700000000",
        "TimeUnit": "SECONDS",
        "MeasureName": "m",
        "MeasureValueType": "BIGINT",
        "MeasureValue": "1",
        **wire,
    }
    assert not emulator_accepts(record)
    with pytest.raises(InvalidInputError):
        input_record(
            record["Time"],
            record["TimeUnit"],
            record["MeasureName"],
            record["MeasureValueType"],
            record["MeasureValue"],
            None,
            None,
            record.get("Version", 1),
        )
