"""Shared fixtures of the function-family suites: one engine per module, one-row helpers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from avista_dx.emulator.timestream import QueryValidationError, TimestreamEngine

from ..conftest import column_types, load_devops, run_query, scalars


@pytest.fixture(scope="module")
def engine() -> Iterator[TimestreamEngine]:
    """An engine with the devops data set (read only by the suites)."""
    with TimestreamEngine() as instance:
        load_devops(instance)
        yield instance


def one_row(engine: TimestreamEngine, query: str) -> tuple[list[Any], list[str | None]]:
    """(column types, the row's scalar values) of a one-row query."""
    result = run_query(engine, query)
    rows = scalars(result)
    assert len(rows) == 1, rows
    return [t for _, t in column_types(result)], rows[0]


def datum(engine: TimestreamEngine, query: str) -> dict[str, Any]:
    """The first Datum of the first row (for arrays, rows and timeseries)."""
    result = run_query(engine, query)
    first: dict[str, Any] = result["Rows"][0]["Data"][0]
    return first


def array_values(engine: TimestreamEngine, query: str) -> list[str | None]:
    """The scalar elements of an array result."""
    return [
        None if element.get("NullValue") else element["ScalarValue"]
        for element in datum(engine, query)["ArrayValue"]
    ]


def query_error(engine: TimestreamEngine, query: str) -> str:
    with pytest.raises(QueryValidationError) as raised:
        run_query(engine, query)
    return raised.value.message
