"""WriteRecords rules: validation, rejections with Timestream's details, atomicity, result."""

from __future__ import annotations

import time
from typing import Any

import pytest

from avista_dx.emulator.timestream import (
    RejectedRecordsError,
    ResourceNotFoundError,
    TimestreamEngine,
    TimestreamValidationError,
)
from avista_dx.emulator.timestream.errors import ConflictError

from .conftest import T0_MS, dimension, multi_record, run_query, scalars, single_record

DB, TABLE = "plant", "sensors"


@pytest.fixture
def table(engine: TimestreamEngine) -> TimestreamEngine:
    engine.create_table(DB, TABLE)
    return engine


def publish(engine: TimestreamEngine, *records: dict[str, Any]) -> list[dict[str, Any]]:
    return engine.publish(DB, TABLE, "asset-1", list(records))


def count(engine: TimestreamEngine) -> int:
    result = run_query(engine, f'SELECT count(*) FROM "{DB}"."{TABLE}"')
    return int(scalars(result)[0][0] or 0)


def rejected(error: pytest.ExceptionInfo[RejectedRecordsError]) -> list[dict[str, Any]]:
    return error.value.rejected_records


def test_result_is_asset_data_per_measure(table: TimestreamEngine) -> None:
    dims = [dimension("name", "Pump 7"), dimension("site", "north")]
    result = publish(
        table,
        single_record(T0_MS + 1000, "2.5", dimensions=dims),
        single_record(T0_MS, "1.5", dimensions=dims),
        single_record(T0_MS, "true", measure="running", value_type="BOOLEAN", dimensions=dims),
    )
    assert result == [
        {
            "assetId": "asset-1",
            "name": "Pump 7",
            "attributes": [
                {
                    "name": "cpu_utilization",
                    "attributeType": "DOUBLE",
                    "lastValue": "2.5",
                    "lastValueTime": "2024-01-01T00:00:01.000Z",
                    "data": [
                        {"timestamp": "2024-01-01T00:00:00.000Z", "value": "1.5"},
                        {"timestamp": "2024-01-01T00:00:01.000Z", "value": "2.5"},
                    ],
                },
                {
                    "name": "running",
                    "attributeType": "BOOLEAN",
                    "lastValue": "true",
                    "lastValueTime": "2024-01-01T00:00:00.000Z",
                    "data": [{"timestamp": "2024-01-01T00:00:00.000Z", "value": "true"}],
                },
            ],
        }
    ]


@pytest.mark.parametrize(
    ("unit", "time_value", "expected"),
    [
        ("SECONDS", "1704067200", "2024-01-01 00:00:00.000000000"),
        ("MILLISECONDS", "1704067200123", "2024-01-01 00:00:00.123000000"),
        ("MICROSECONDS", "1704067200123456", "2024-01-01 00:00:00.123456000"),
        ("NANOSECONDS", "1704067200123456789", "2024-01-01 00:00:00.123456789"),
        (None, "1704067200001", "2024-01-01 00:00:00.001000000"),
    ],
)
def test_time_units_keep_nanoseconds(
    table: TimestreamEngine, unit: str | None, time_value: str, expected: str
) -> None:
    record = single_record(0, "1.0")
    record["Time"] = time_value
    record["TimeUnit"] = unit
    publish(table, record)
    assert scalars(run_query(table, f'SELECT time FROM "{DB}"."{TABLE}"')) == [[expected]]


def test_each_single_measure_type_gets_its_column(table: TimestreamEngine) -> None:
    publish(
        table,
        single_record(T0_MS, "1.25", measure="d"),
        single_record(T0_MS, "-9223372036854775808", measure="b", value_type="BIGINT"),
        single_record(T0_MS, "hello", measure="v", value_type="VARCHAR"),
        single_record(T0_MS, "FALSE", measure="f", value_type="BOOLEAN"),
    )
    result = run_query(
        table,
        'SELECT measure_name, "measure_value::double", measure_value::bigint,'
        f' measure_value::varchar, measure_value::boolean FROM "{DB}"."{TABLE}" ORDER BY 1',
    )
    assert scalars(result) == [
        ["b", None, "-9223372036854775808", None, None],
        ["d", "1.25", None, None, None],
        ["f", None, None, None, "false"],
        ["v", None, None, "hello", None],
    ]


def test_multi_measure_record_with_timestamp(table: TimestreamEngine) -> None:
    record = multi_record(T0_MS, "h", 1.5, 7, "OK")
    record["MeasureValues"].append({"Name": "started", "Type": "TIMESTAMP", "Value": str(T0_MS)})
    publish(table, record)
    result = run_query(table, f'SELECT cpu, memory, status, started FROM "{DB}"."{TABLE}"')
    assert scalars(result) == [["1.5", "7", "OK", "2024-01-01 00:00:00.000000000"]]


INVALID_RECORDS: list[tuple[dict[str, Any], str]] = [
    ({"Time": "1", "MeasureValueType": "DOUBLE", "MeasureValue": "1"}, "MeasureName"),
    ({"MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "1"}, "Time is required"),
    (
        {"Time": "-5", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "1"},
        "non-negative",
    ),
    (
        {"Time": "1.5", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "1"},
        "non-negative",
    ),
    (
        {
            "Time": "1",
            "TimeUnit": "HOURS",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
        },
        "TimeUnit",
    ),
    (
        {
            "Time": "9223372036854775808",
            "TimeUnit": "NANOSECONDS",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
        },
        "2262",
    ),
    ({"Time": "1", "MeasureName": "m", "MeasureValue": "1"}, "MeasureValueType is required"),
    ({"Time": "1", "MeasureName": "m", "MeasureValueType": "DOUBLE"}, "MeasureValue is required"),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "NaN"},
        "not a DOUBLE",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "Infinity"},
        "not a DOUBLE",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "1e999"},
        "finite",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "DOUBLE", "MeasureValue": "1_0"},
        "not a DOUBLE",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "BIGINT", "MeasureValue": "1.0"},
        "BIGINT",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "BIGINT",
            "MeasureValue": "9223372036854775808",
        },
        "BIGINT",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "BOOLEAN", "MeasureValue": "yes"},
        "BOOLEAN",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "VARCHAR",
            "MeasureValue": "x" * 2049,
        },
        "2048",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "TIMESTAMP", "MeasureValue": "1"},
        "only supported in MULTI",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "MULTI", "MeasureValue": "1"},
        "must not be set",
    ),
    (
        {"Time": "1", "MeasureName": "m", "MeasureValueType": "MULTI", "MeasureValues": []},
        "non-empty list",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "MeasureValues": [{"Name": "a", "Type": "DOUBLE", "Value": "1"}],
        },
        "requires MeasureValueType MULTI",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "MULTI",
            "MeasureValues": [{"Name": "a", "Type": "MULTI", "Value": "1"}],
        },
        "unsupported Type",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "MULTI",
            "MeasureValues": [
                {"Name": "a", "Type": "DOUBLE", "Value": "1"},
                {"Name": "A", "Type": "DOUBLE", "Value": "2"},
            ],
        },
        "differ only by case",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "MULTI",
            "MeasureValues": [{"Name": "host", "Type": "DOUBLE", "Value": "1"}],
            "Dimensions": [{"Name": "host", "Value": "x"}],
        },
        "name of a dimension",
    ),
    (
        {"Time": "1", "MeasureName": "m" * 257, "MeasureValueType": "DOUBLE", "MeasureValue": "1"},
        "256",
    ),
    (
        {"Time": "1", "MeasureName": "a\nb", "MeasureValueType": "DOUBLE", "MeasureValue": "1"},
        "control",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "time", "Value": "x"}],
        },
        "reserved",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "measure_value", "Value": "x"}],
        },
        "reserved",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "ts_x", "Value": "x"}],
        },
        "reserved",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "measure_name_2", "Value": "x"}],
        },
        "reserved",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "a:b", "Value": "x"}],
        },
        "':'",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "d" * 61, "Value": "x"}],
        },
        "60",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "Host", "Value": "x"}, {"Name": "host", "Value": "y"}],
        },
        "differ only by case",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "host", "Value": ""}],
        },
        "non-empty",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Dimensions": [{"Name": "host", "Value": "x", "DimensionValueType": "BIGINT"}],
        },
        "DimensionValueType",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Version": 0,
        },
        "Version",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
            "Version": True,
        },
        "Version",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "VARCHAR",
            "MeasureValue": "x" * 1500,
            "Dimensions": [{"Name": "d", "Value": "y" * 1000}],
        },
        "2048 are allowed",
    ),
    (
        {
            "Time": "1",
            "MeasureName": "m",
            "MeasureValueType": "VARCHAR",
            "MeasureValue": "\u20ac" * 600,
            "Dimensions": [{"Name": "d", "Value": "\u00e9" * 150}],
        },
        "2048 are allowed",
    ),
    ("not a record", "must be an object"),  # type: ignore[list-item]
]


@pytest.mark.parametrize(("record", "message"), INVALID_RECORDS)
def test_invalid_records_fail_the_request(
    table: TimestreamEngine, record: dict[str, Any], message: str
) -> None:
    good = single_record(T0_MS, "1.0")
    with pytest.raises(TimestreamValidationError, match=f"index 1: .*{_escape(message)}"):
        publish(table, good, record)
    assert count(table) == 0


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (multi_record(T0_MS + 1, "host-1", 2.0, 3, "OK") | {"MeasureName": ""}, "MeasureName"),
        (multi_record(T0_MS + 1, "host-1", 2.0, 3, "x" * 2100), "exceeds 2048 bytes"),
        (multi_record(T0_MS + 1, "host-1" * 250, 2.0, 3, "x" * 600), "2048 are allowed"),
        (multi_record(T0_MS + 1, "host-1", 2.0, 3, "OK") | {"Dimensions": [dimension("cpu", "1")]},
         "has the name of a dimension"),
        ({**multi_record(T0_MS + 1, "host-1", 2.0, 3, "OK"),
          "MeasureValues": [{"Name": "cpu", "Type": "DOUBLE", "Value": "1,5"},
                            {"Name": "memory", "Type": "BIGINT", "Value": "3"},
                            {"Name": "status", "Type": "VARCHAR", "Value": "OK"}]},
         "is not a DOUBLE"),
    ],
)  # fmt: skip
def test_parts_checked_once_per_request_still_fail_a_later_faulty_record(
    table: TimestreamEngine, second: dict[str, Any], message: str
) -> None:
    """The dimensions and measure names of record 0 are checked once; record 1 repeats them."""
    first = multi_record(T0_MS, "host-1", 1.0, 2, "OK")
    with pytest.raises(TimestreamValidationError, match=f"index 1: .*{_escape(message)}"):
        publish(table, first, second)
    assert count(table) == 0


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def test_request_size_limits(table: TimestreamEngine) -> None:
    with pytest.raises(TimestreamValidationError, match="at least 1"):
        publish(table)
    records = [single_record(T0_MS + i, "1.0") for i in range(101)]
    with pytest.raises(TimestreamValidationError, match="at most 100"):
        publish(table, *records)
    publish(table, *records[:100])
    assert count(table) == 100


def test_unknown_table(engine: TimestreamEngine) -> None:
    with pytest.raises(ResourceNotFoundError):
        engine.publish("nope", "nope", "a", [single_record(T0_MS, "1.0")])


def test_future_records_are_rejected_and_nothing_is_written(table: TimestreamEngine) -> None:
    now_ms = time.time_ns() // 10**6
    with pytest.raises(RejectedRecordsError) as error:
        publish(
            table,
            single_record(now_ms, "1.0"),
            single_record(now_ms + 16 * 60_000, "2.0"),
        )
    assert [r["RecordIndex"] for r in rejected(error)] == [1]
    assert "15 minutes in the future" in rejected(error)[0]["Reason"]
    assert count(table) == 0
    publish(table, single_record(now_ms + 14 * 60_000, "2.0"))
    assert count(table) == 1


def test_versions(table: TimestreamEngine) -> None:
    publish(table, single_record(T0_MS, "1.0"))
    # The same point again (same value, default version 1) is deduplicated: success.
    publish(table, single_record(T0_MS, "1.0"))
    with pytest.raises(RejectedRecordsError) as same_version:
        publish(table, single_record(T0_MS, "2.0"))
    assert rejected(same_version) == [
        {
            "RecordIndex": 0,
            "Reason": "A record already exists with the same time, dimensions, measure name, and"
            " record version. A higher record version must be specified in order to update the"
            " measure value.",
        }
    ]
    publish(table, single_record(T0_MS, "3.0", version=5))
    with pytest.raises(RejectedRecordsError) as lower:
        publish(table, single_record(T0_MS + 1, "9.0"), single_record(T0_MS, "4.0", version=2))
    assert rejected(lower) == [
        {
            "RecordIndex": 1,
            "Reason": "The record version 2 is lower than the existing version 5. A higher"
            " version is required to update the measure value.",
            "ExistingVersion": 5,
        }
    ]
    # The same value with a lower version is a duplicate, not a conflict.
    publish(table, single_record(T0_MS, "3.0", version=1))
    result = run_query(table, f'SELECT time, measure_value::double FROM "{DB}"."{TABLE}"')
    assert scalars(result) == [["2024-01-01 00:00:00.000000000", "3.0"]]


def test_version_rules_inside_one_request(table: TimestreamEngine) -> None:
    with pytest.raises(RejectedRecordsError) as error:
        publish(table, single_record(T0_MS, "1.0"), single_record(T0_MS, "2.0"))
    assert [r["RecordIndex"] for r in rejected(error)] == [0 + 1]
    assert count(table) == 0
    publish(table, single_record(T0_MS, "1.0"), single_record(T0_MS, "2.0", version=2))
    result = run_query(table, f'SELECT measure_value::double FROM "{DB}"."{TABLE}"')
    assert scalars(result) == [["2.0"]]


def test_dimension_order_does_not_change_identity(table: TimestreamEngine) -> None:
    a, b = dimension("a", "1"), dimension("b", "2")
    publish(table, single_record(T0_MS, "1.0", dimensions=[a, b]))
    with pytest.raises(RejectedRecordsError):
        publish(table, single_record(T0_MS, "2.0", dimensions=[b, a]))
    publish(table, single_record(T0_MS, "2.0", dimensions=[a]))  # another series
    assert count(table) == 2


def test_multi_record_versions_compare_all_measures(table: TimestreamEngine) -> None:
    publish(table, multi_record(T0_MS, "h", 1.0, 2, "OK"))
    publish(table, multi_record(T0_MS, "h", 1.0, 2, "OK"))
    with pytest.raises(RejectedRecordsError):
        publish(table, multi_record(T0_MS, "h", 1.0, 3, "OK"))
    newer = multi_record(T0_MS, "h", 1.0, 3, "OK")
    newer["Version"] = 2
    publish(table, newer)
    assert scalars(run_query(table, f'SELECT memory FROM "{DB}"."{TABLE}"')) == [["3"]]


def test_measure_type_is_fixed_at_first_write(table: TimestreamEngine) -> None:
    publish(table, single_record(T0_MS, "1.0", measure="temp"))
    with pytest.raises(RejectedRecordsError) as error:
        publish(table, single_record(T0_MS + 1, "1", measure="temp", value_type="BIGINT"))
    assert "first written as double" in rejected(error)[0]["Reason"]
    publish(table, multi_record(T0_MS, "h", 1.0, 2, "OK"))
    bad = multi_record(T0_MS + 1, "h", 1.0, 2, "OK")
    bad["MeasureValues"][1]["Type"] = "VARCHAR"
    with pytest.raises(RejectedRecordsError) as multi_error:
        publish(table, bad)
    assert "memory" in rejected(multi_error)[0]["Reason"]
    with pytest.raises(RejectedRecordsError):
        publish(table, single_record(T0_MS, "1.0", measure="metrics"))


def test_column_names_differing_only_by_case_are_rejected(table: TimestreamEngine) -> None:
    publish(table, single_record(T0_MS, "1.0", dimensions=[dimension("Host", "a")]))
    with pytest.raises(RejectedRecordsError) as error:
        publish(table, single_record(T0_MS, "1.0", dimensions=[dimension("host", "a")]))
    assert "differs only by case" in rejected(error)[0]["Reason"]
    record = multi_record(T0_MS, "x", 1.0, 1, "OK")
    record["Dimensions"] = []
    record["MeasureValues"][0]["Name"] = "HOST"
    with pytest.raises(RejectedRecordsError):
        publish(table, record)


def test_dimension_and_measure_share_one_namespace(table: TimestreamEngine) -> None:
    publish(table, multi_record(T0_MS, "h", 1.0, 2, "OK"))
    with pytest.raises(RejectedRecordsError, match="rejected"):
        publish(table, single_record(T0_MS, "1.0", dimensions=[dimension("memory", "x")]))


def test_atomic_request_with_schema_changes(table: TimestreamEngine) -> None:
    publish(table, single_record(T0_MS, "1.0"))
    with pytest.raises(RejectedRecordsError):
        publish(
            table,
            single_record(T0_MS + 1, "1.0", dimensions=[dimension("brand_new", "x")]),
            single_record(T0_MS, "5.0"),
        )
    described = scalars(run_query(table, f'DESCRIBE "{DB}"."{TABLE}"'))
    assert ["brand_new", "varchar", "DIMENSION"] not in described
    assert count(table) == 1


def test_table_lifecycle(engine: TimestreamEngine) -> None:
    with pytest.raises(TimestreamValidationError, match="Invalid database name"):
        engine.create_table("x", "table")
    with pytest.raises(TimestreamValidationError, match="Invalid table name"):
        engine.create_table("valid", "bad/name")
    engine.create_table("valid", "t-1.a_b")
    with pytest.raises(ConflictError):
        engine.create_table("valid", "t-1.a_b")
    engine.publish("valid", "t-1.a_b", "a", [single_record(T0_MS, "1.0")])
    engine.drop_table("valid", "t-1.a_b")
    with pytest.raises(ResourceNotFoundError):
        engine.drop_table("valid", "t-1.a_b")
    engine.create_table("valid", "t-1.a_b")
    assert scalars(run_query(engine, 'SELECT count(*) FROM "valid"."t-1.a_b"')) == [["0"]]


def test_errors_carry_timestream_exception_names(table: TimestreamEngine) -> None:
    # The exchange's errorTypes are the services layer's (tests/emulator/test_engine_mapping).
    publish(table, single_record(T0_MS, "1.0"))
    with pytest.raises(RejectedRecordsError) as error:
        publish(table, single_record(T0_MS, "2.0"))
    assert error.value.code == "RejectedRecordsException"
    assert [r["RecordIndex"] for r in error.value.rejected_records] == [0]
    with pytest.raises(TimestreamValidationError) as invalid:
        publish(table)
    assert invalid.value.code == "ValidationException"
    with pytest.raises(ConflictError) as conflict:
        table.create_table(DB, TABLE)
    assert conflict.value.code == "ConflictException"
    with pytest.raises(ResourceNotFoundError) as missing:
        table.publish("nope", "nope", "a", [single_record(T0_MS, "1.0")])
    assert missing.value.code == "ResourceNotFoundException"
