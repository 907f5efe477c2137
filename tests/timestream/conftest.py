"""Fixtures for the time-series engine tests: engines, a deterministic data set, helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

DATABASE = "devops"
TABLE = "host_metrics"
# 2024-01-01 00:00:00 UTC in milliseconds.
T0_MS = 1_704_067_200_000
HOSTS = (("host-1", "us-east-1"), ("host-2", "us-east-1"), ("host-3", "us-west-2"))
MINUTES = 60


def allow_all(database_name: str, table_name: str) -> bool:
    return True


def cpu_value(host_index: int, minute: int) -> float:
    return host_index * 10 + (minute % 10) + 0.5


def dimension(name: str, value: str) -> dict[str, Any]:
    return {"Name": name, "Value": value, "DimensionValueType": "VARCHAR"}


def single_record(
    time_ms: int,
    value: str,
    *,
    measure: str = "cpu_utilization",
    value_type: str = "DOUBLE",
    dimensions: list[dict[str, Any]] | None = None,
    version: int | None = None,
    unit: str = "MILLISECONDS",
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "Time": str(time_ms),
        "TimeUnit": unit,
        "MeasureName": measure,
        "MeasureValueType": value_type,
        "MeasureValue": value,
        "Dimensions": dimensions if dimensions is not None else [dimension("host", "host-1")],
    }
    if version is not None:
        record["Version"] = version
    return record


def multi_record(time_ms: int, host: str, cpu: float, memory: int, status: str) -> dict[str, Any]:
    return {
        "Time": str(time_ms),
        "TimeUnit": "MILLISECONDS",
        "MeasureName": "metrics",
        "MeasureValueType": "MULTI",
        "MeasureValues": [
            {"Name": "cpu", "Type": "DOUBLE", "Value": repr(cpu)},
            {"Name": "memory", "Type": "BIGINT", "Value": str(memory)},
            {"Name": "status", "Type": "VARCHAR", "Value": status},
        ],
        "Dimensions": [dimension("host", host)],
    }


def load_devops(engine: TimestreamEngine) -> None:
    """3 hosts x 60 minutes of `cpu_utilization` (DOUBLE) and `metrics` (MULTI) records."""
    engine.create_table(DATABASE, TABLE)
    for host_index, (host, region) in enumerate(HOSTS):
        dims = [dimension("region", region), dimension("host", host)]
        singles = [
            single_record(
                T0_MS + minute * 60_000, repr(cpu_value(host_index, minute)), dimensions=dims
            )
            for minute in range(MINUTES)
        ]
        engine.publish(DATABASE, TABLE, host, singles[:50])
        engine.publish(DATABASE, TABLE, host, singles[50:])
        multis = [
            multi_record(
                T0_MS + minute * 60_000,
                host,
                cpu_value(host_index, minute),
                1000 + minute,
                "OK" if minute % 7 else "WARN",
            )
            for minute in range(0, MINUTES, 10)
        ]
        engine.publish(DATABASE, TABLE, host, multis)


@pytest.fixture
def engine() -> Iterator[TimestreamEngine]:
    with TimestreamEngine() as instance:
        yield instance


@pytest.fixture(scope="module")
def devops() -> Iterator[TimestreamEngine]:
    """A read-only engine holding the devops data set (shared by a module's query tests)."""
    with TimestreamEngine() as instance:
        load_devops(instance)
        yield instance


def run_query(engine: TimestreamEngine, query: str, **kwargs: Any) -> dict[str, Any]:
    """All pages of a query merged: ColumnInfo and every row's Data."""
    kwargs.setdefault("can_read", allow_all)
    response = engine.query(query, **kwargs)
    rows = list(response["Rows"])
    while "NextToken" in response:
        response = engine.query(query, next_token=response["NextToken"], **kwargs)
        rows.extend(response["Rows"])
    return {"ColumnInfo": response["ColumnInfo"], "Rows": rows}


def scalars(result: dict[str, Any]) -> list[list[str | None]]:
    """Rows as lists of ScalarValue strings (None for NullValue)."""
    return [
        [datum.get("ScalarValue") if not datum.get("NullValue") else None for datum in row["Data"]]
        for row in result["Rows"]
    ]


def column_types(result: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(c["Name"], c["Type"].get("ScalarType", c["Type"])) for c in result["ColumnInfo"]]
