"""The engine's public surface. Implementation lands with the time-series issue."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


class TimestreamEngine:
    """One Timestream "account": databases holding tables, in DuckDB.

    ``path`` is the DuckDB file (``None``: in memory). Thread-safe: the emulator's request
    threads share one engine.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = path

    def create_table(self, database_name: str, table_name: str) -> None:
        """Create an empty table (and its database when new)."""
        raise NotImplementedError

    def drop_table(self, database_name: str, table_name: str) -> None:
        """Drop a table and all its records (its database too when left empty)."""
        raise NotImplementedError

    def publish(
        self, database_name: str, table_name: str, asset_id: str, records: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """WriteRecords for one asset (at most 100 records, atomic).

        ``records`` are ``TimeSeriesDbRecordInput`` dicts with Timestream's capitalised keys.
        Returns ``[TimeSeriesDbAssetData]`` dicts (``assetId``, ``name``, ``attributes``).
        Raises :class:`RejectedRecordsError` or :class:`TimestreamValidationError`.
        """
        raise NotImplementedError

    def query(
        self,
        query_string: str,
        *,
        can_read: Callable[[str, str], bool],
        max_rows: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """Run (or continue) a Timestream query; returns the Query response as a dict.

        ``can_read(database_name, table_name)`` decides access to every table the query
        touches (also filters SHOW/DESCRIBE). Raises :class:`QueryValidationError` or
        :class:`TimestreamAccessDenied`.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Flush and release the DuckDB file."""
