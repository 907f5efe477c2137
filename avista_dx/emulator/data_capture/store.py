"""Captured values in the Timestream engine, through its public write and query API.

Captured data is time-stamped attribute values (``timestamp`` + ``[{userDefinedId, value}]``),
which is what Timestream stores, so it goes there rather than into a second store: each capture
has its own table in the ``dx_capture`` database (deleting a capture drops its data with it).
Each value is one single-measure record: measure name = the attribute's ``userDefinedId``,
dimension ``assetId`` = its asset's ``userDefinedId``, and the value's canonical text as a
VARCHAR measure (it was already checked against the attribute's schema type; the text is what
the API hands back in ``dataWritten`` and exports).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..persistence import StagedBlob
from ..timestream import QueryValidationError, RejectedRecordsError, TimestreamEngine

DATABASE: Final = "dx_capture"
ASSET_DIMENSION: Final = "assetId"
VALUE_COLUMN: Final = "measure_value::varchar"
PRINCIPAL: Final = "emulator:data-capture"  # the engine's caller: this module, never a user
MAX_RECORDS_PER_WRITE: Final = 100  # Timestream's WriteRecords limit
EXPORT_BUFFER_CHARACTERS: Final = 64 * 1024  # CSV text handed to the blob at a time


def new_table_name() -> str:
    return f"capture_{uuid.uuid4().hex}"


@dataclass(frozen=True, slots=True)
class Value:
    """One attribute value to write (``time_ms`` epoch milliseconds, ``text`` canonical)."""

    time_ms: int
    asset_id: str
    attribute_id: str
    text: str


def _table_ref(table: str) -> str:
    return f'"{DATABASE}"."{table}"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class CaptureDataStore:
    def __init__(self, engine: TimestreamEngine) -> None:
        self._engine = engine

    def create_table(self, table: str) -> None:
        self._engine.create_table(DATABASE, table)

    def drop_table(self, table: str) -> None:
        if self._engine.table_exists(DATABASE, table):
            self._engine.drop_table(DATABASE, table)

    def tables(self) -> list[str]:
        """Every capture table in the engine."""
        next_token: str | None = None
        names: list[str] = []
        while True:
            try:
                page = self._engine.query(
                    f'SHOW TABLES FROM "{DATABASE}"',
                    can_read=lambda database, _name: database == DATABASE,
                    next_token=next_token,
                    principal=PRINCIPAL,
                )
            except QueryValidationError:  # no capture was ever created: no such database
                return names
            names += [row["Data"][0]["ScalarValue"] for row in page["Rows"]]
            next_token = page.get("NextToken")
            if next_token is None:
                return names

    def _rows(self, sql: str, table: str) -> Iterator[list[str | None]]:
        """Every row of a query over ``table`` (the only table it may read), page by page."""
        next_token: str | None = None
        while True:
            page = self._engine.query(
                sql,
                can_read=lambda database, name: (database, name) == (DATABASE, table),
                next_token=next_token,
                principal=PRINCIPAL,
            )
            for row in page["Rows"]:
                yield [None if d.get("NullValue") else d.get("ScalarValue") for d in row["Data"]]
            next_token = page.get("NextToken")
            if next_token is None:
                return

    def existing(self, table: str, values: Sequence[Value]) -> set[tuple[int, str]]:
        """Which (time, attribute) pairs of ``values`` already hold a value."""
        if not values:
            return set()
        wanted = {(v.time_ms, v.attribute_id) for v in values}
        names = sorted({v.attribute_id for v in values})
        sql = (
            f"SELECT to_milliseconds(time), measure_name FROM {_table_ref(table)}"
            f" WHERE time BETWEEN from_milliseconds({min(t for t, _ in wanted)})"
            f" AND from_milliseconds({max(t for t, _ in wanted)})"
            f" AND measure_name IN ({', '.join(_sql_text(n) for n in names)})"
        )
        found = set()
        for millis, name in self._rows(sql, table):
            if millis is not None and name is not None and (int(millis), name) in wanted:
                found.add((int(millis), name))
        return found

    def write(self, table: str, values: Sequence[Value]) -> set[int]:
        """Writes the values; returns the indexes of those the engine refused (written since
        by a concurrent request), all others being written."""
        refused: set[int] = set()
        for start in range(0, len(values), MAX_RECORDS_PER_WRITE):
            batch = list(enumerate(values[start : start + MAX_RECORDS_PER_WRITE], start))
            try:
                self._write(table, [value for _, value in batch])
            except RejectedRecordsError:
                for index, value in batch:  # one refused value never keeps the others out
                    try:
                        self._write(table, [value])
                    except RejectedRecordsError:
                        refused.add(index)
        return refused

    def _write(self, table: str, values: Sequence[Value]) -> None:
        records: list[dict[str, Any]] = [
            {
                "Time": str(value.time_ms),
                "TimeUnit": "MILLISECONDS",
                "MeasureName": value.attribute_id,
                "MeasureValueType": "VARCHAR",
                "MeasureValue": value.text,
                "Dimensions": [
                    {
                        "Name": ASSET_DIMENSION,
                        "Value": value.asset_id,
                        "DimensionValueType": "VARCHAR",
                    }
                ],
                "Version": 1,
            }
            for value in values
        ]
        self._engine.publish(DATABASE, table, values[0].asset_id, records)

    def _has_values(self, table: str) -> bool:
        """Whether any value was written (the value column exists from the first write on)."""
        if not self._engine.table_exists(DATABASE, table):
            return False
        columns = self._rows(f"DESCRIBE {_table_ref(table)}", table)
        return any(name == VALUE_COLUMN for name, *_ in columns)

    def export_csv(self, table: str, attribute_ids: Sequence[str], target: StagedBlob) -> int:
        """Writes the capture's data as CSV to ``target``: a ``timestamp`` column (epoch ms)
        and one column per attribute, one row per timestamp, in time order. Returns the number
        of data rows."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["timestamp", *attribute_ids])
        columns = {attribute_id: index for index, attribute_id in enumerate(attribute_ids)}
        rows = 0
        if self._has_values(table):
            sql = (
                f"SELECT to_milliseconds(time), measure_name, {VALUE_COLUMN}"
                f" FROM {_table_ref(table)} ORDER BY time, measure_name"
            )
            current: str | None = None
            cells: list[str] = []
            for millis, name, text in self._rows(sql, table):
                if millis != current:
                    if current is not None:
                        writer.writerow([current, *cells])
                        rows += 1
                        if buffer.tell() >= EXPORT_BUFFER_CHARACTERS:
                            target.write(buffer.getvalue().encode())
                            buffer.seek(0)
                            buffer.truncate()
                    current, cells = millis, [""] * len(attribute_ids)
                column = columns.get(name or "")
                if column is not None and text is not None:
                    cells[column] = text
            if current is not None:
                writer.writerow([current, *cells])
                rows += 1
        target.write(buffer.getvalue().encode())
        return rows
