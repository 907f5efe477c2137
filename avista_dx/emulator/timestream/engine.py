"""The engine's public surface: a Timestream "account" of databases and tables in DuckDB."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import duckdb

from .asset_data import asset_data
from .catalog import META_DDL, TableSchema, load_schemas
from .errors import (
    ConflictError,
    QueryValidationError,
    ResourceNotFoundError,
    TimestreamAccessDenied,
    TimestreamError,
    TimestreamValidationError,
)
from .group_commit import Turns
from .idempotency import ClientTokens
from .limits import QueryLimits
from .metering import TableSizes
from .pagination import QueryRun, QueryStore
from .query_runs import catalog_listing_run, select_run, table_metadata_run
from .records import current_time_ns, validate_records
from .retention import RetentionPolicy
from .sandbox import QuerySandbox
from .sql_functions import macro_statements
from .statements import MetadataStatement, parse_metadata_statement
from .table_writes import TableWriter
from .translate import TableRef, tokenize, translate
from .writer import TableState, plan_write

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 262_144
MAX_TOKEN_CHARS = 2048
MAX_ROWS_LIMIT = 1000
# Group commit: appends wait at most this long before one INSERT commits them together;
# queries and other writes commit them first (see table_writes).
DEFAULT_COMMIT_DELAY = 0.02
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
        limits: QueryLimits | None = None,
        retention: RetentionPolicy | None = None,
    ) -> None:
        self._limits = limits if limits is not None else QueryLimits()
        # Every table's retention: the exchange's API has none to set (see retention.py).
        self._retention = retention if retention is not None else RetentionPolicy()
        # DuckDB spills there, and open query results beyond their memory share go there.
        self._own_temp_directory = path is None
        temp_directory = (
            tempfile.mkdtemp(prefix="avista-dx-timeseries-")
            if path is None
            else os.fspath(path) + ".tmp"
        )
        self._temp_directory = temp_directory
        self._connection = duckdb.connect(":memory:" if path is None else os.fspath(path))
        for setting in ("SET GLOBAL TimeZone = 'UTC'", "SET GLOBAL integer_division = true"):
            self._connection.execute(setting)
        for statement in (*META_DDL, *macro_statements()):
            self._connection.execute(statement)
        self._connection.execute("SET temp_directory = ?", [temp_directory])
        self._connection.execute("SET memory_limit = ?", [self._limits.memory_limit])
        self._connection.execute(
            "SET max_temp_directory_size = ?", [self._limits.max_temp_directory_size]
        )
        # Queries must never reach files or change settings.
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")
        self._tables: dict[tuple[str, str], TableState] = {}
        self._writer = TableWriter(self._connection, self._tables, commit_delay)
        self._write_lock = self._writer.lock
        self._turns = Turns()  # after_commit follow-ups, in commit order
        for schema in load_schemas(self._connection):
            self._tables[(schema.database_name, schema.table_name)] = self._writer.load_state(
                schema
            )
        self._sandbox = QuerySandbox(self._connection, self._limits, temp_directory)
        self._sizes = TableSizes()
        self._client_tokens = ClientTokens()
        self._queries = QueryStore(
            max_open=self._limits.max_open_queries,
            max_open_per_user=self._limits.max_open_queries_per_user,
        )
        self._closed = False

    @property
    def limits(self) -> QueryLimits:
        return self._limits

    @property
    def retention(self) -> RetentionPolicy:
        return self._retention

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
            self._writer.create_table(schema)
            self._tables[(database_name, table_name)] = TableState(schema)

    def drop_table(self, database_name: str, table_name: str) -> None:
        """Drop a table and all its records (its database too when left empty)."""
        with self._write_lock:
            self._check_open()
            state = self._tables.get((database_name, table_name))
            if state is None:
                raise ResourceNotFoundError(f"Table {database_name}.{table_name} does not exist.")
            self._writer.drop_table(state.schema)
            del self._tables[(database_name, table_name)]
            self._sizes.forget(state.schema.table_id)

    def table_exists(self, database_name: str, table_name: str) -> bool:
        return (database_name, table_name) in self._tables

    def reset(self) -> None:
        """Drops every table, as in a new engine (the emulator's ``POST /_emulator/reset``)."""
        for database_name, table_name in list(self._tables):
            self.drop_table(database_name, table_name)

    # -- writes -----------------------------------------------------------------------------

    def publish(
        self,
        database_name: str,
        table_name: str,
        asset_id: str,
        records: Sequence[Mapping[str, Any]],
        *,
        after_commit: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> list[dict[str, Any]]:
        """WriteRecords for one asset (at most 100 records, atomic).

        ``records`` are ``TimeSeriesDbRecordInput`` dicts with Timestream's capitalised keys.
        Returns ``[TimeSeriesDbAssetData]`` dicts (``assetId``, ``name``, ``attributes``) once
        the records are committed (with ``commit_delay``: once they are accepted); concurrent
        requests share a commit (:mod:`.group_commit`). ``after_commit(result)`` runs before
        that, in commit order across requests (the real-time fan-out). Raises
        :class:`TimestreamValidationError` for a malformed request or record (nothing
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
                lambda identities: self._writer.fetch_existing(state, identities),
                self._retention,
            )
            number = self._writer.apply(state, plan)
        follow_up = None
        try:
            result = [asset_data(asset_id, validated)]
            if self._writer.durable:
                self._writer.sequence.wait_committed(number, self._commit_waiting)
            if after_commit is not None:
                follow_up = functools.partial(after_commit, result)
        finally:
            self._turns.run_in_turn(number, follow_up)
        return result

    def _commit_waiting(self) -> None:
        """Commits every pending append: run by one of the requests waiting for a commit."""
        self._check_open()  # close() committed what was pending
        try:
            self._writer.commit_group()
        except TimestreamError:
            raise  # closed meanwhile
        except Exception:  # every waiting request is told (CommitFailedError)
            logger.exception("Commit of time-series appends failed")

    @property
    def commit_count(self) -> int:
        """DuckDB commits of appends so far: concurrent requests share one (group commit)."""
        return self._writer.sequence.commits

    def flush(self) -> None:
        """Commit pending appends now (queries and close do this themselves)."""
        if not self._writer.has_pending:
            return  # nothing acknowledged is pending: no need to wait for running writes
        with self._write_lock:
            if not self._closed:
                self._writer.commit_pending()

    # -- queries ----------------------------------------------------------------------------

    def query(
        self,
        query_string: str,
        *,
        can_read: CanRead,
        max_rows: int | None = None,
        next_token: str | None = None,
        principal: str = "",
        client_token: str | None = None,
    ) -> dict[str, Any]:
        """Run (or continue) a Timestream query; returns the Query response as a dict.

        Same as :meth:`query_json`, decoded; resolvers should prefer :meth:`query_json`.
        """
        result: dict[str, Any] = json.loads(
            self.query_json(
                query_string,
                can_read=can_read,
                max_rows=max_rows,
                next_token=next_token,
                principal=principal,
                client_token=client_token,
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
        principal: str = "",
        client_token: str | None = None,
    ) -> str:
        """Run (or continue) a Timestream query; returns the Query response as JSON text.

        ``can_read(database_name, table_name)`` decides access to every table the query
        touches (also filters SHOW output). ``max_rows`` is 1..1000 (``None``: pages of
        about 1 MB). ``principal`` identifies the caller: its NextTokens serve it alone, and
        its running and open queries are budgeted (see :class:`QueryLimits`). A first call
        (no ``next_token``) with a ``client_token`` is idempotent: repeated within 5 minutes it
        answers the same QueryId and page (see :mod:`.idempotency`). Raises
        :class:`QueryValidationError` (bad SQL, unsupported construct, bad or expired
        ``next_token``), :class:`TimestreamAccessDenied`, :class:`QueryTimeoutError` and
        :class:`ThrottlingError`.
        """
        deadline = time.monotonic() + self._limits.time_limit_seconds
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
            return self._queries.next_page(
                next_token, query_string, principal, self._access_check(can_read)
            )
        if client_token is not None:
            if not isinstance(client_token, str) or not 1 <= len(client_token) <= MAX_TOKEN_CHARS:
                raise QueryValidationError("Invalid ClientToken.")
            replayed = self._client_tokens.replay(principal, client_token, query_string, max_rows)
            if replayed is not None:
                return replayed
        page = self._first_page(query_string, can_read, max_rows, principal, deadline)
        if client_token is not None:
            self._client_tokens.remember(principal, client_token, query_string, max_rows, page)
        return page

    def _first_page(
        self,
        query_string: str,
        can_read: CanRead,
        max_rows: int | None,
        principal: str,
        deadline: float,
    ) -> str:
        self.flush()  # a query sees every acknowledged write
        tokens = tokenize(query_string)
        statement = parse_metadata_statement(query_string, tokens, tokenize)
        if statement is not None:
            run = self._metadata_run(query_string, statement, can_read, max_rows, principal)
        else:
            translation = translate(
                query_string, self._resolver(can_read), column_types=self._column_types
            )
            run = select_run(
                self._sandbox, query_string, translation, max_rows, principal, deadline
            )
            run.bytes_scanned = self._scanned_bytes(translation.tables)
        return self._queries.first_page(run)

    def _scanned_bytes(self, tables: Sequence[TableRef]) -> int:
        schemas = [
            state.schema
            for state in (self._tables.get((t.database_name, t.table_name)) for t in set(tables))
            if state is not None
        ]
        if not schemas:
            return 0
        cursor = self._connection.cursor()
        try:
            return self._sizes.scanned_bytes(cursor, schemas)
        finally:
            cursor.close()

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
        # Access first: whether a denied table exists is not the engine's to tell either way.
        if not can_read(database_name, table_name):
            raise TimestreamAccessDenied(f'Access denied to "{database_name}"."{table_name}".')
        state = self._tables.get((database_name, table_name))
        if state is None:
            raise QueryValidationError(f'Table "{database_name}"."{table_name}" does not exist.')
        return state.schema

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
        principal: str,
    ) -> QueryRun:
        if statement.kind in ("DATABASES", "TABLES"):
            readable = [name for name in list(self._tables) if can_read(*name)]
            return catalog_listing_run(query_string, statement, readable, max_rows, principal)
        assert statement.database_name is not None
        assert statement.table_name is not None
        schema = self._readable_schema(statement.database_name, statement.table_name, can_read)
        return table_metadata_run(query_string, statement, schema, max_rows, principal)

    # -- lifecycle --------------------------------------------------------------------------

    def cancel_queries(self) -> None:
        """Cancel every running and waiting query and refuse new ones (shutdown begins)."""
        self._sandbox.close(wait_seconds=0)

    def close(self) -> None:
        """Cancel queries, commit pending appends, checkpoint and release the DuckDB file
        (idempotent)."""
        self._sandbox.close()
        with self._write_lock:
            if self._closed:
                return
            try:
                self._writer.close()
            finally:
                self._closed = True
            self._queries.close()
            try:
                self._connection.execute("CHECKPOINT")
            finally:
                self._connection.close()
                if self._own_temp_directory:
                    shutil.rmtree(self._temp_directory, ignore_errors=True)
        self._writer.join()

    def __enter__(self) -> TimestreamEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise TimestreamError("The time-series engine is closed.")
