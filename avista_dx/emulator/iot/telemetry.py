"""Endpoint telemetry in the Timestream engine, through its public write and query API.

Each endpoint has its own table in the ``dx_iot`` database, so deleting an endpoint drops its
data and models of different endpoints never compete for a column's type. A published record is
one multi-measure Timestream record (measure name ``telemetry``, dimension ``iotEndpointId``)
with one VARCHAR measure per attribute, holding the value's canonical text: the value was
already checked against the model, and a later model version may change an attribute's type
without conflicting with stored data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..timestream import (
    RejectedRecordsError,
    TimestreamEngine,
    TimestreamError,
    TimestreamValidationError,
)

DATABASE: Final = "dx_iot"
MEASURE_NAME: Final = "telemetry"
ENDPOINT_DIMENSION: Final = "iotEndpointId"
MAX_RECORDS_PER_WRITE: Final = 100  # Timestream's WriteRecords limit
NANOS_PER_MILLI: Final = 1_000_000
# The engine's principal for the IoT services' own reads (duplicate checks, last values).
SERVICE_PRINCIPAL: Final = "avista-dx-emulator-iot"


def new_table_name() -> str:
    return f"endpoint_{uuid.uuid4().hex}"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_ref(table: str) -> str:
    return f"{quote_identifier(DATABASE)}.{quote_identifier(table)}"


@dataclass(frozen=True, slots=True)
class Point:
    """One record to write: its time in nanoseconds and its attributes' canonical texts."""

    time_ns: int
    values: dict[str, str]


def _scalar(datum: dict[str, Any]) -> str | None:
    return None if datum.get("NullValue") else datum.get("ScalarValue")


class TelemetryStore:
    def __init__(self, engine: TimestreamEngine) -> None:
        self._engine = engine

    @staticmethod
    def _only(table: str) -> Any:
        # The IoT services decide access themselves; the engine may read just this one table.
        return lambda database, name: database == DATABASE and name == table

    def create_table(self, table: str) -> None:
        self._engine.create_table(DATABASE, table)

    def drop_table(self, table: str) -> None:
        if self._engine.table_exists(DATABASE, table):
            self._engine.drop_table(DATABASE, table)

    def rows(self, sql: str, tables: Sequence[str]) -> Iterator[list[str | None]]:
        """Every row of a query over ``tables``, following the engine's pages."""
        allowed = {(DATABASE, t) for t in tables}
        next_token: str | None = None
        while True:
            page = self._engine.query(
                sql,
                can_read=lambda d, t: (d, t) in allowed,
                next_token=next_token,
                principal=SERVICE_PRINCIPAL,
            )
            for row in page["Rows"]:
                yield [_scalar(datum) for datum in row["Data"]]
            next_token = page.get("NextToken")
            if next_token is None:
                return

    def page(
        self,
        sql: str,
        tables: Sequence[str],
        max_rows: int,
        next_token: str | None,
        principal: str,
    ) -> tuple[list[str], list[list[str | None]], str | None]:
        """One engine page for ``principal`` (whose NextTokens serve it alone): column names,
        rows and the engine's NextToken."""
        allowed = {(DATABASE, t) for t in tables}
        result = self._engine.query(
            sql,
            can_read=lambda d, t: (d, t) in allowed,
            max_rows=max_rows,
            next_token=next_token,
            principal=principal,
        )
        columns = [column["Name"] for column in result["ColumnInfo"]]
        rows = [[_scalar(datum) for datum in row["Data"]] for row in result["Rows"]]
        return columns, rows, result.get("NextToken")

    def columns(self, table: str) -> set[str]:
        """The attribute columns the table has so far (created by the first write of each)."""
        return {
            str(name)
            for name, _type, category in self.rows(f"DESCRIBE {table_ref(table)}", [table])
            if category == "MULTI"
        }

    def existing_times(self, table: str, times_ns: Sequence[int]) -> set[int]:
        """Which of ``times_ns`` already hold a record."""
        if not times_ns or not self._engine.table_exists(DATABASE, table):
            return set()
        sql = (
            f"SELECT to_nanoseconds(time) FROM {table_ref(table)}"
            f" WHERE time BETWEEN from_nanoseconds({min(times_ns)})"
            f" AND from_nanoseconds({max(times_ns)})"
        )
        wanted = set(times_ns)
        return {int(t) for (t,) in self.rows(sql, [table]) if t is not None and int(t) in wanted}

    def write(self, table: str, endpoint_id: str, points: Sequence[Point]) -> dict[int, str]:
        """Writes the points; returns the engine's reason for each point it refused, by index.

        A batch the engine refuses is retried point by point, so one bad point never keeps
        the others out.
        """
        failures: dict[int, str] = {}
        for start in range(0, len(points), MAX_RECORDS_PER_WRITE):
            batch = list(enumerate(points[start : start + MAX_RECORDS_PER_WRITE], start))
            try:
                self._write(table, endpoint_id, [p for _, p in batch])
            except (RejectedRecordsError, TimestreamValidationError):
                for index, point in batch:
                    try:
                        self._write(table, endpoint_id, [point])
                    except RejectedRecordsError as error:
                        failures[index] = str(error.rejected_records[0].get("Reason", error))
                    except TimestreamValidationError as error:
                        failures[index] = error.message
        return failures

    def _write(self, table: str, endpoint_id: str, points: Sequence[Point]) -> None:
        records = [
            {
                "Time": str(point.time_ns),
                "TimeUnit": "NANOSECONDS",
                "MeasureName": MEASURE_NAME,
                "MeasureValueType": "MULTI",
                "MeasureValues": [
                    {"Name": name, "Value": value, "Type": "VARCHAR"}
                    for name, value in point.values.items()
                ],
                "Dimensions": [
                    {
                        "Name": ENDPOINT_DIMENSION,
                        "Value": endpoint_id,
                        "DimensionValueType": "VARCHAR",
                    }
                ],
                "Version": 1,
            }
            for point in points
        ]
        self._engine.publish(DATABASE, table, endpoint_id, records)

    def last_values(self, table: str, names: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The newest value of each attribute and its time in epoch ms, for those with data."""
        present = [name for name in names if name in self.columns(table)]
        if not present:
            return {}
        selected = []
        for name in present:
            column = quote_identifier(name)
            when = f"CASE WHEN {column} IS NOT NULL THEN time END"
            selected.append(f"max_by({column}, {when})")
            selected.append(f"to_milliseconds(max({when}))")
        sql = f"SELECT {', '.join(selected)} FROM {table_ref(table)}"
        (row,) = list(self.rows(sql, [table]))
        result = {}
        for offset, name in enumerate(present):
            value, millis = row[2 * offset], row[2 * offset + 1]
            if millis is not None and value is not None:
                result[name] = (value, millis)
        return result


def time_range_sql(
    selections: Sequence[tuple[str, str, Sequence[str]]],
    columns: Sequence[str],
    start_ms: int,
    end_ms: int,
    existing: dict[str, set[str]],
) -> str:
    """The Timestream SQL of a time-range query over several endpoints' tables.

    ``selections`` holds (endpoint id, table, attribute names); every branch selects all
    ``columns`` (NULL where an endpoint lacks one, or has no data for it yet), ordered by time.
    """
    branches = []
    for endpoint_id, table, names in selections:
        wanted = set(names)
        parts = [f"{quote_literal(endpoint_id)} AS {ENDPOINT_DIMENSION}", "time"]
        present = []
        for column in columns:
            if column in wanted and column in existing.get(table, set()):
                parts.append(quote_identifier(column))
                present.append(f"{quote_identifier(column)} IS NOT NULL")
            else:
                parts.append(f"CAST(NULL AS VARCHAR) AS {quote_identifier(column)}")
        # Records holding none of the requested attributes are not part of the result.
        has_values = " OR ".join(present) or "false"
        branches.append(
            f"SELECT {', '.join(parts)} FROM {table_ref(table)}"
            f" WHERE time BETWEEN from_milliseconds({start_ms}) AND from_milliseconds({end_ms})"
            f" AND ({has_values})"
        )
    return f"SELECT * FROM ({' UNION ALL '.join(branches)}) ORDER BY time, {ENDPOINT_DIMENSION}"


__all__ = ["DATABASE", "Point", "TelemetryStore", "TimestreamError", "time_range_sql"]
