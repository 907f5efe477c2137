"""``QueryStatus`` figures: bytes scanned and bytes metered, by Timestream's billing rules.

Timestream reports ``CumulativeBytesScanned`` (data its engine read) and
``CumulativeBytesMetered`` (what is billed: the scanned bytes rounded to the nearest MB, with a
10 MB minimum per query — the Timestream pricing page). A query that reads no table (``SELECT
1``) scans nothing and is still metered 10 MB, as real answers show.

Inferred (the emulator neither partitions nor prunes): a query scans the whole of every table
it reads, measured as Timestream sizes records — 8 bytes for the time, the UTF-8 bytes of the
measure name and of each dimension value and VARCHAR measure, 8 bytes per BIGINT, DOUBLE and
TIMESTAMP value and 1 per BOOLEAN, NULLs free.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from .catalog import TableSchema, quote

METERING_UNIT = 1_000_000
MIN_METERED_BYTES = 10 * METERING_UNIT
_FIXED_WIDTH = {"double": 8, "bigint": 8, "timestamp": 8, "boolean": 1}


def metered_bytes(scanned: int) -> int:
    """Billed bytes for ``scanned``: to the nearest MB (half up), at least 10 MB."""
    rounded = (scanned + METERING_UNIT // 2) // METERING_UNIT * METERING_UNIT
    return max(MIN_METERED_BYTES, rounded)


def _row_size_sql(schema: TableSchema) -> str:
    parts = ["8", "strlen(measure_name)"]
    for column in schema.columns:
        name = quote(column.name)
        width = _FIXED_WIDTH.get(column.type)
        if width is None:
            parts.append(f"coalesce(strlen({name}), 0)")
        else:
            parts.append(f"CASE WHEN {name} IS NULL THEN 0 ELSE {width} END")
    return " + ".join(parts)


class TableSizes:
    """Stored bytes per table, recomputed only when its row count or columns change."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[tuple[int, int], int]] = {}
        self._lock = threading.Lock()

    def scanned_bytes(self, cursor: Any, schemas: Iterable[TableSchema]) -> int:
        """What a query reading ``schemas`` scans (0 for none), measured with ``cursor``."""
        return sum(self._stored_bytes(cursor, schema) for schema in schemas)

    def _stored_bytes(self, cursor: Any, schema: TableSchema) -> int:
        (rows,) = cursor.execute(f"SELECT count(*) FROM {schema.storage_table}").fetchone()
        stamp = (int(rows), len(schema.columns))
        with self._lock:
            cached = self._cache.get(schema.table_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        (size,) = cursor.execute(
            f"SELECT coalesce(sum({_row_size_sql(schema)}), 0) FROM {schema.storage_table}"
        ).fetchone()
        with self._lock:
            self._cache[schema.table_id] = (stamp, int(size))
        return int(size)

    def forget(self, table_id: int) -> None:
        with self._lock:
            self._cache.pop(table_id, None)
