"""The engine's public surface: a Timestream "account" of databases and tables in DuckDB."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import duckdb

from .asset_data import asset_data
from .catalog import (
    META_DDL,
    META_SCHEMA,
    STORAGE_TYPES,
    TableSchema,
    load_schemas,
    quote,
)
from .errors import (
    ConflictError,
    QueryValidationError,
    ResourceNotFoundError,
    TimestreamAccessDenied,
    TimestreamError,
    TimestreamValidationError,
)
from .pagination import QueryRun, QueryStore
from .query_runs import catalog_listing_run, select_run, table_metadata_run
from .records import Record, current_time_ns, validate_records
from .sql_functions import macro_statements
from .statements import MetadataStatement, parse_metadata_statement
from .translate import TableRef, tokenize, translate
from .writer import (
    Identity,
    StoredPoint,
    TableState,
    WritePlan,
    decode_series_key,
    encode_series_key,
    plan_write,
)

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 262_144
MAX_TOKEN_CHARS = 2048
MAX_ROWS_LIMIT = 1000
# Group commit: appends wait at most this long (or for GROUP_COMMIT_RECORDS records) before
# one INSERT commits them together; queries and other writes commit them first.
DEFAULT_COMMIT_DELAY = 0.02
GROUP_COMMIT_RECORDS = 2000
# Timestream's ResourceCreateAPIName.
_RESOURCE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,256}")

CanRead = Callable[[str, str], bool]


class TimestreamEngine:
    """One Timestream "account": databases holding tables, in DuckDB.

    ``path`` is the DuckDB file (``None``: in memory). Thread-safe: the emulator's request
    threads share one engine. Writes are serialised by one lock; every query reads through
    its own DuckDB cursor.

    Appends to known series are group-committed: they are validated and decided at once
    (rejections are immediate), then committed together within ``commit_delay`` seconds. Every
    query and every other write commits pending appends first, so no reader ever misses an
    acknowledged write; only a hard crash inside that window can lose it. ``commit_delay=0``
    commits every request before ``publish`` returns.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        commit_delay: float = DEFAULT_COMMIT_DELAY,
    ) -> None:
        self._commit_delay = commit_delay
        self._write_lock = threading.Lock()
        self._pending_records = 0
        self._flush_wanted = threading.Event()
        self._connection = duckdb.connect(":memory:" if path is None else os.fspath(path))
        for setting in ("SET GLOBAL TimeZone = 'UTC'", "SET GLOBAL integer_division = true"):
            self._connection.execute(setting)
        for statement in (*META_DDL, *macro_statements()):
            self._connection.execute(statement)
        # Queries must never reach files or change settings.
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")
        self._tables: dict[tuple[str, str], TableState] = {}
        for schema in load_schemas(self._connection):
            self._tables[(schema.database_name, schema.table_name)] = self._load_state(schema)
        self._queries = QueryStore()
        self._closed = False
        self._flusher: threading.Thread | None = None
        if commit_delay > 0:
            self._flusher = threading.Thread(
                target=self._flush_in_background, name="timestream-group-commit", daemon=True
            )
            self._flusher.start()

    # -- tables -----------------------------------------------------------------------------

    def create_table(self, database_name: str, table_name: str) -> None:
        """Create an empty table (and its database when new).

        Raises :class:`TimestreamValidationError` for a bad name (Timestream's
        ``[a-zA-Z0-9_.-]{3,256}``) and :class:`ConflictError` when the table exists.
        """
        for what, name in (("database", database_name), ("table", table_name)):
            if not isinstance(name, str) or not _RESOURCE_NAME.fullmatch(name):
                raise TimestreamValidationError(
                    f"Invalid {what} name {name!r}: 3 to 256 characters of a-z, A-Z, 0-9, _ . -"
                )
        with self._write_lock:
            self._check_open()
            if (database_name, table_name) in self._tables:
                raise ConflictError(f"Table {database_name}.{table_name} already exists.")
            table_id = 1 + max((s.schema.table_id for s in self._tables.values()), default=0)
            schema = TableSchema(table_id, database_name, table_name)
            with self._transaction():
                self._connection.execute(
                    f"INSERT INTO {META_SCHEMA}.tables VALUES (?, ?, ?, now())",
                    [table_id, database_name, table_name],
                )
                self._connection.execute(schema.storage_ddl())
                self._connection.execute(schema.view_ddl())
            self._tables[(database_name, table_name)] = TableState(schema)

    def drop_table(self, database_name: str, table_name: str) -> None:
        """Drop a table and all its records (its database too when left empty)."""
        with self._write_lock:
            self._check_open()
            state = self._tables.get((database_name, table_name))
            if state is None:
                raise ResourceNotFoundError(f"Table {database_name}.{table_name} does not exist.")
            self._commit_pending()
            schema = state.schema
            with self._transaction():
                self._connection.execute(f"DROP VIEW {schema.view}")
                self._connection.execute(f"DROP TABLE {schema.storage_table}")
                for meta in ("tables", "columns", "measures", "series"):
                    self._connection.execute(
                        f"DELETE FROM {META_SCHEMA}.{meta} WHERE table_id = ?", [schema.table_id]
                    )
            del self._tables[(database_name, table_name)]

    def table_exists(self, database_name: str, table_name: str) -> bool:
        return (database_name, table_name) in self._tables

    # -- writes -----------------------------------------------------------------------------

    def publish(
        self,
        database_name: str,
        table_name: str,
        asset_id: str,
        records: Sequence[Mapping[str, Any]],
    ) -> list[dict[str, Any]]:
        """WriteRecords for one asset (at most 100 records, atomic).

        ``records`` are ``TimeSeriesDbRecordInput`` dicts with Timestream's capitalised keys.
        Returns ``[TimeSeriesDbAssetData]`` dicts (``assetId``, ``name``, ``attributes``).
        Raises :class:`TimestreamValidationError` for a malformed request or record (nothing
        is written), :class:`RejectedRecordsError` when records conflict with stored data or
        the table's schema (nothing is written), :class:`ResourceNotFoundError` for an
        unknown table.
        """
        validated = validate_records(records)
        with self._write_lock:
            self._check_open()
            state = self._tables.get((database_name, table_name))
            if state is None:
                raise ResourceNotFoundError(f"Table {database_name}.{table_name} does not exist.")
            plan = plan_write(
                state,
                validated,
                current_time_ns(),
                lambda identities: self._fetch_existing(state.schema, identities),
            )
            self._apply(state, plan)
        return [asset_data(asset_id, validated)]

    def _fetch_existing(
        self, schema: TableSchema, identities: list[Identity]
    ) -> dict[Identity, StoredPoint]:
        self._commit_pending()
        measure_columns = [c for c in schema.columns if c.category != "DIMENSION"]
        selected = ", ".join(
            f"epoch_ns({quote(c.name)})" if c.type == "timestamp" else quote(c.name)
            for c in measure_columns
        )
        series_ids = sorted({series_id for series_id, _ in identities})
        times = [time_ns for _, time_ns in identities]
        rows = self._connection.execute(
            f"SELECT __series, epoch_ns(time), __version{', ' if selected else ''}{selected}"
            f" FROM {schema.storage_table} WHERE __series IN"
            f" ({', '.join('?' for _ in series_ids)})"
            " AND time BETWEEN make_timestamp_ns(?) AND make_timestamp_ns(?)",
            [*series_ids, min(times), max(times)],
        ).fetchall()
        wanted = set(identities)
        found: dict[Identity, StoredPoint] = {}
        for series_id, time_ns, version, *values in rows:
            if (series_id, time_ns) in wanted:
                stored = tuple(
                    sorted(
                        (column.name, value)
                        for column, value in zip(measure_columns, values, strict=True)
                        if value is not None
                    )
                )
                found[(series_id, time_ns)] = StoredPoint(version, stored)
        return found

    def _apply(self, state: TableState, plan: WritePlan) -> None:
        schema = plan.schema
        connection = self._connection
        only_inserts = not (plan.new_columns or plan.changed_measures or plan.new_series)
        if only_inserts and not plan.deletes:
            # The common case, appending points to known series: group-committed.
            state.pending.extend(plan.inserts)
            self._pending_records += len(plan.inserts)
            self._remember(state, plan)
            if self._commit_delay <= 0 or self._pending_records >= GROUP_COMMIT_RECORDS:
                self._commit_pending()
            else:
                self._flush_wanted.set()
            return
        self._commit_pending()
        with self._transaction():
            if plan.new_columns:
                first = len(state.schema.columns)
                for offset, column in enumerate(plan.new_columns):
                    connection.execute(
                        f"ALTER TABLE {schema.storage_table} ADD COLUMN {quote(column.name)}"
                        f" {STORAGE_TYPES[column.type]}"
                    )
                    connection.execute(
                        f"INSERT INTO {META_SCHEMA}.columns VALUES (?, ?, ?, ?, ?)",
                        [
                            schema.table_id,
                            first + offset,
                            column.name,
                            column.category,
                            column.type,
                        ],
                    )
                connection.execute(schema.view_ddl())
            for measure in plan.changed_measures:
                connection.execute(
                    f"DELETE FROM {META_SCHEMA}.measures WHERE table_id = ? AND measure_name = ?",
                    [schema.table_id, measure.name],
                )
                connection.execute(
                    f"INSERT INTO {META_SCHEMA}.measures VALUES (?, ?, ?, ?)",
                    [schema.table_id, measure.name, measure.data_type, list(measure.dimensions)],
                )
            if plan.new_series:
                connection.execute(
                    f"INSERT INTO {META_SCHEMA}.series SELECT ?, unnest(?), unnest(?)",
                    [
                        schema.table_id,
                        [series_id for series_id, _ in plan.new_series],
                        [encode_series_key(key) for _, key in plan.new_series],
                    ],
                )
            if plan.deletes:
                connection.execute(
                    f"DELETE FROM {schema.storage_table} AS stored USING (SELECT"
                    " unnest($1) AS series_id, make_timestamp_ns(unnest($2)) AS time) AS replaced"
                    " WHERE stored.__series = replaced.series_id AND stored.time = replaced.time",
                    [
                        [series_id for series_id, _ in plan.deletes],
                        [time_ns for _, time_ns in plan.deletes],
                    ],
                )
            if plan.inserts:
                self._insert(schema, plan.inserts)
        self._remember(state, plan)

    @staticmethod
    def _remember(state: TableState, plan: WritePlan) -> None:
        state.schema = plan.schema
        for series_id, key in plan.new_series:
            state.series[key] = series_id
        for series_id, record in plan.inserts:
            if record.time_ns > state.latest_time.get(series_id, -1):
                state.latest_time[series_id] = record.time_ns

    def flush(self) -> None:
        """Commit pending appends now (queries and close do this themselves)."""
        if not self._pending_records:
            return  # nothing acknowledged is pending: no need to wait for running writes
        with self._write_lock:
            if not self._closed:
                self._commit_pending()

    def _commit_pending(self) -> None:
        """Commit every table's pending appends, one INSERT per table (under the write lock)."""
        if not self._pending_records:
            return
        for state in self._tables.values():
            if state.pending:
                self._insert(state.schema, state.pending)
                state.pending = []
        self._pending_records = 0

    def _flush_in_background(self) -> None:
        while True:
            self._flush_wanted.wait()
            if self._closed:
                return
            time.sleep(self._commit_delay)
            with self._write_lock:
                self._flush_wanted.clear()
                if self._closed:
                    return
                try:
                    self._commit_pending()
                except Exception:
                    logger.exception("Group commit of time-series appends failed")

    def _insert(self, schema: TableSchema, inserts: list[tuple[int, Record]]) -> None:
        """One INSERT of column lists (DuckDB converts each list once; no per-row statement)."""
        columns: dict[str, list[Any]] = {}
        timestamp_columns: set[str] = set()
        count = len(inserts)
        for row, (_, record) in enumerate(inserts):
            for name, value in record.dimensions:
                columns.setdefault(name, [None] * count)[row] = value
            for measure in record.measures:
                if not record.multi:
                    name = f"measure_value::{measure.type.lower()}"
                    columns.setdefault(name, [None] * count)[row] = measure.value
                elif measure.type == "TIMESTAMP":
                    timestamp_columns.add(measure.name)
                    columns.setdefault(measure.name, [None] * count)[row] = measure.value
                else:
                    columns.setdefault(measure.name, [None] * count)[row] = measure.value
        names = ["__series", "__version", "measure_name", "time", *columns]
        values: list[list[Any]] = [
            [series_id for series_id, _ in inserts],
            [record.version for _, record in inserts],
            [record.measure_name for _, record in inserts],
            [record.time_ns for _, record in inserts],
            *columns.values(),
        ]
        selected = ", ".join(
            f"make_timestamp_ns(unnest(${index + 1}))"
            if name == "time" or name in timestamp_columns
            else f"unnest(${index + 1})"
            for index, name in enumerate(names)
        )
        self._connection.execute(
            f"INSERT INTO {schema.storage_table} ({', '.join(quote(n) for n in names)})"
            f" SELECT {selected}",
            values,
        )

    # -- queries ----------------------------------------------------------------------------

    def query(
        self,
        query_string: str,
        *,
        can_read: CanRead,
        max_rows: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        """Run (or continue) a Timestream query; returns the Query response as a dict.

        Same as :meth:`query_json`, decoded; resolvers should prefer :meth:`query_json`.
        """
        result: dict[str, Any] = json.loads(
            self.query_json(
                query_string, can_read=can_read, max_rows=max_rows, next_token=next_token
            )
        )
        return result

    def query_json(
        self,
        query_string: str,
        *,
        can_read: CanRead,
        max_rows: int | None = None,
        next_token: str | None = None,
    ) -> str:
        """Run (or continue) a Timestream query; returns the Query response as JSON text.

        ``can_read(database_name, table_name)`` decides access to every table the query
        touches (also filters SHOW output). ``max_rows`` is 1..1000 (``None``: pages of
        about 1 MB). Raises :class:`QueryValidationError` (bad SQL, unsupported construct,
        bad or expired ``next_token``) or :class:`TimestreamAccessDenied`.
        """
        self._check_open()
        if not isinstance(query_string, str) or not 1 <= len(query_string) <= MAX_QUERY_CHARS:
            raise QueryValidationError(
                f"QueryString must be 1 to {MAX_QUERY_CHARS} characters long."
            )
        if max_rows is not None and (
            isinstance(max_rows, bool)
            or not isinstance(max_rows, int)
            or not 1 <= max_rows <= MAX_ROWS_LIMIT
        ):
            raise QueryValidationError(f"MaxRows must be from 1 to {MAX_ROWS_LIMIT}.")
        if next_token is not None:
            if not isinstance(next_token, str) or not 1 <= len(next_token) <= MAX_TOKEN_CHARS:
                raise QueryValidationError("Invalid pagination token.")
            return self._queries.next_page(next_token, query_string, self._access_check(can_read))
        self.flush()  # a query sees every acknowledged write
        tokens = tokenize(query_string)
        statement = parse_metadata_statement(query_string, tokens, tokenize)
        if statement is not None:
            run = self._metadata_run(query_string, statement, can_read, max_rows)
        else:
            run = self._select_run(query_string, can_read, max_rows)
        return self._queries.first_page(run)

    def _access_check(self, can_read: CanRead) -> Callable[[Sequence[TableRef]], None]:
        def check(tables: Sequence[TableRef]) -> None:
            for table in tables:
                if not can_read(table.database_name, table.table_name):
                    raise TimestreamAccessDenied(
                        f'Access denied to "{table.database_name}"."{table.table_name}".'
                    )

        return check

    def _resolver(self, can_read: CanRead) -> Callable[[str, str], str]:
        def resolve(database_name: str, table_name: str) -> str:
            return self._readable_schema(database_name, table_name, can_read).view

        return resolve

    def _readable_schema(
        self, database_name: str, table_name: str, can_read: CanRead
    ) -> TableSchema:
        # The access check comes first: a denied caller never learns whether a table exists.
        if not can_read(database_name, table_name):
            raise TimestreamAccessDenied(f'Access denied to "{database_name}"."{table_name}".')
        state = self._tables.get((database_name, table_name))
        if state is None:
            raise QueryValidationError(f'Table "{database_name}"."{table_name}" does not exist.')
        return state.schema

    def _select_run(self, query_string: str, can_read: CanRead, max_rows: int | None) -> QueryRun:
        translation = translate(
            query_string, self._resolver(can_read), column_types=self._column_types
        )
        public_names = {
            self._tables[(t.database_name, t.table_name)].schema.view: (
                f'"{t.database_name}"."{t.table_name}"'
            )
            for t in translation.tables
            if (t.database_name, t.table_name) in self._tables
        }
        return select_run(self._connection, query_string, translation, public_names, max_rows)

    def _column_types(self, relation: str) -> dict[str, str]:
        """Timestream types of a resolved relation's columns (for the function families)."""
        for state in self._tables.values():
            if state.schema.view == relation:
                return {name: type_ for name, type_, _ in state.schema.visible_columns()}
        return {}

    def _metadata_run(
        self,
        query_string: str,
        statement: MetadataStatement,
        can_read: CanRead,
        max_rows: int | None,
    ) -> QueryRun:
        if statement.kind in ("DATABASES", "TABLES"):
            readable = [name for name in list(self._tables) if can_read(*name)]
            return catalog_listing_run(query_string, statement, readable, max_rows)
        assert statement.database_name is not None
        assert statement.table_name is not None
        schema = self._readable_schema(statement.database_name, statement.table_name, can_read)
        return table_metadata_run(query_string, statement, schema, max_rows)

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Commit pending appends, checkpoint and release the DuckDB file (idempotent)."""
        with self._write_lock:
            if self._closed:
                return
            try:
                self._commit_pending()
            finally:
                self._closed = True
                self._flush_wanted.set()  # wakes the group-commit thread, which then exits
            self._queries.close()
            try:
                self._connection.execute("CHECKPOINT")
            finally:
                self._connection.close()
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join(timeout=5)

    def __enter__(self) -> TimestreamEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise TimestreamError("The time-series engine is closed.")

    def _load_state(self, schema: TableSchema) -> TableState:
        state = TableState(schema)
        for series_id, key in self._connection.execute(
            f"SELECT series_id, series_key FROM {META_SCHEMA}.series WHERE table_id = ?",
            [schema.table_id],
        ).fetchall():
            state.series[decode_series_key(key)] = series_id
        for series_id, latest in self._connection.execute(
            f"SELECT __series, epoch_ns(max(time)) FROM {schema.storage_table} GROUP BY __series"
        ).fetchall():
            state.latest_time[series_id] = latest
        return state

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection)


class _Transaction:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        if exc_type is None:
            self._connection.execute("COMMIT")
        else:
            self._connection.execute("ROLLBACK")
