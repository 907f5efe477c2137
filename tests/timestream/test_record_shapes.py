"""The per-shape fast path of record validation answers exactly as the full check.

A record whose shape (everything but time, values and version) matches a record already found
valid in the request is checked on its time, values, size and version only. Each case here
validates ``[a valid record, the case]`` and compares the second answer (the record, or the
error message) with the full check of the case on its own.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avista_dx.emulator.timestream.errors import TimestreamValidationError
from avista_dx.emulator.timestream.records import _check_record, _Seen, validate_records

MULTI = {
    "Time": "1700000000000",
    "TimeUnit": "MILLISECONDS",
    "MeasureName": "status",
    "MeasureValueType": "MULTI",
    "MeasureValues": [
        {"Name": "power", "Type": "DOUBLE", "Value": "1.5"},
        {"Name": "count", "Type": "BIGINT", "Value": "7"},
        {"Name": "on", "Type": "BOOLEAN", "Value": "true"},
        {"Name": "note", "Type": "VARCHAR", "Value": "ok"},
        {"Name": "seen", "Type": "TIMESTAMP", "Value": "1700000000001"},
    ],
    "Dimensions": [
        {"Name": "name", "Value": "Meter 9", "DimensionValueType": "VARCHAR"},
        {"Name": "assetId", "Value": "m-9", "DimensionValueType": "VARCHAR"},
    ],
    "Version": 1,
}
SCALARS = [
    {
        "Time": "1700000000",
        "TimeUnit": unit,
        "MeasureName": "kwh",
        "MeasureValueType": kind,
        "MeasureValue": value,
        "Dimensions": [{"Name": "name", "Value": "Meter 9"}],
    }
    for unit, kind, value in (
        ("SECONDS", "DOUBLE", "2.25"),
        (None, "BIGINT", "-12"),
        ("NANOSECONDS", "BOOLEAN", "FALSE"),
        ("MICROSECONDS", "VARCHAR", "text"),
    )
]
ODD_VALUES: list[Any] = [
    None, "", "1", "-1", "+3", "1.5", "1e400", "nan", "Infinity", ".5", "5.", "0x10",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "true", "True",
    "yes", "\u0661", "é" * 600, "x" * 2049, "x" * 1000, 3, 1.5, True, [], {},
]  # fmt: skip
ODD_TIMES: list[Any] = [
    None, "", "0", "-5", "1.5", "abc", "\u0661\u0662", "9" * 30, "9223372036854775807",
    "9" * 257, 1700000000000, True,
]  # fmt: skip
ODD_VERSIONS: list[Any] = [None, 0, 1, 2, -1, True, "2", 2.0, 2**63 - 1, 2**63]


def _answer(check: Any) -> Any:
    try:
        return check()
    except TimestreamValidationError as error:
        return ("error", str(error))


def assert_same_as_full_check(first: dict[str, Any], case: dict[str, Any]) -> None:
    validate_records([first])  # the first is valid: the case takes the fast path

    def fast() -> Any:
        return validate_records([first, case])[1]

    def full() -> Any:
        return _check_record(1, case, _Seen())

    assert _answer(fast) == _answer(full)


def _variants(base: dict[str, Any]) -> list[dict[str, Any]]:
    cases = [copy.deepcopy(base)]
    for key, odd in (("Time", ODD_TIMES), ("Version", ODD_VERSIONS)):
        for value in odd:
            case = copy.deepcopy(base)
            case[key] = value
            cases.append(case)
    for value in ODD_VALUES:
        if base["MeasureValueType"] == "MULTI":
            for position in range(len(base["MeasureValues"])):
                case = copy.deepcopy(base)
                case["MeasureValues"][position]["Value"] = value
                cases.append(case)
        else:
            case = copy.deepcopy(base)
            case["MeasureValue"] = value
            cases.append(case)
    return cases


@pytest.mark.parametrize(
    "base", [MULTI, *SCALARS], ids=["multi", "double", "bigint", "bool", "varchar"]
)
def test_each_odd_time_value_and_version_gets_the_full_checks_answer(base: dict[str, Any]) -> None:
    for case in _variants(base):
        assert_same_as_full_check(base, case)


def test_a_record_too_big_only_by_its_values_is_refused_on_the_fast_path_too() -> None:
    case = copy.deepcopy(MULTI)
    for item in case["MeasureValues"]:
        if item["Type"] == "VARCHAR":
            item["Value"] = "é" * 700  # 1,400 bytes: fine alone, too big with the rest
    second = copy.deepcopy(case)
    second["MeasureValues"][3]["Value"] = "é" * 1000
    assert_same_as_full_check(case, second)
    with pytest.raises(TimestreamValidationError, match="bytes; at most 2048"):
        validate_records([MULTI, second])


_text = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(ODD_VALUES[:20]))


@settings(max_examples=300, deadline=None)
@given(
    time=st.one_of(st.sampled_from(ODD_TIMES), st.integers(0, 10**20).map(str)),
    version=st.sampled_from(ODD_VERSIONS),
    values=st.lists(_text, min_size=5, max_size=5),
    unit=st.sampled_from(["SECONDS", "MILLISECONDS", "NANOSECONDS", None]),
)
def test_random_records_of_a_known_shape(
    time: Any, version: Any, values: list[Any], unit: Any
) -> None:
    base = copy.deepcopy(MULTI)
    base["TimeUnit"] = unit
    base["Time"] = base["MeasureValues"][4]["Value"] = "1700000000"
    case = copy.deepcopy(base)
    case["Time"], case["Version"] = time, version
    for item, value in zip(case["MeasureValues"], values, strict=True):
        item["Value"] = value
    assert_same_as_full_check(base, case)
