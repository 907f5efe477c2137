"""Applying decided writes to DuckDB: table DDL, inserts, replaced versions, group commit.

The engine decides (``writer.plan_write``); this module only carries a decision out. Every
method runs under :attr:`TableWriter.lock`, the engine's one write lock. Appends are pending
until a commit covers them (:mod:`.group_commit`): at once for durable engines, by the waiting
requests themselves; within ``commit_delay`` otherwise.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from .catalog import META_SCHEMA, STORAGE_TYPES, TableSchema, quote
from .errors import TimestreamError
from .group_commit import CommitSequence
from .records import Record
from .writer import (
    Identity,
    StoredPoint,
    TableState,
    WritePlan,
    decode_series_key,
    encode_series_key,
    record_values,
)

logger = logging.getLogger(__name__)

# Group commit: appends wait at most `commit_delay` (or for GROUP_COMMIT_RECORDS records)
# before one INSERT commits them together; queries and other writes commit them first.
GROUP_COMMIT_RECORDS = 2000


class TableWriter:
    """Writes to the engine's DuckDB connection; ``tables`` is the engine's table state."""

    def __init__(
        self, connection: Any, tables: dict[tuple[str, str], TableState], commit_delay: float
    ) -> None:
        self.lock = threading.Lock()
        self._connection = connection
        # Durable group commits run on their own cursor, their COMMIT outside the write lock.
        self._commit_cursor = connection.cursor()
        self._in_flight = threading.Condition(threading.Lock())
        self._committing = False
        self._tables = tables
        self._commit_delay = commit_delay
        self.sequence = CommitSequence()
        self._pending_records = 0
        self._flush_wanted = threading.Event()
        self._closed = False
        self._flusher: threading.Thread | None = None
        if commit_delay > 0:
            self._flusher = threading.Thread(
                target=self._flush_in_background, name="timestream-group-commit", daemon=True
            )
            self._flusher.start()

    # -- tables -----------------------------------------------------------------------------

    def create_table(self, schema: TableSchema) -> None:
        self._settle()
        with self._transaction():
            self._connection.execute(
                f"INSERT INTO {META_SCHEMA}.tables VALUES (?, ?, ?, now())",
                [schema.table_id, schema.database_name, schema.table_name],
            )
            self._connection.execute(schema.storage_ddl())
            self._connection.execute(schema.view_ddl())

    def drop_table(self, schema: TableSchema) -> None:
        self.commit_pending()
        with self._transaction():
            self._connection.execute(f"DROP VIEW {schema.view}")
            self._connection.execute(f"DROP TABLE {schema.storage_table}")
            for meta in ("tables", "columns", "measures", "series"):
                self._connection.execute(
                    f"DELETE FROM {META_SCHEMA}.{meta} WHERE table_id = ?", [schema.table_id]
                )

    def load_state(self, schema: TableSchema) -> TableState:
        state = TableState(schema)
        for series_id, key in self._connection.execute(
            f"SELECT series_id, series_key FROM {META_SCHEMA}.series WHERE table_id = ?",
            [schema.table_id],
        ).fetchall():
            state.series[decode_series_key(key)] = series_id
        for series_id, first, last in self._connection.execute(
            f"SELECT __series, epoch_ns(min(time)), epoch_ns(max(time))"
            f" FROM {schema.storage_table} GROUP BY __series"
        ).fetchall():
            state.spans.add(series_id, first, last)
        return state

    # -- records ----------------------------------------------------------------------------

    def fetch_existing(
        self, state: TableState, identities: list[Identity]
    ) -> dict[Identity, StoredPoint]:
        """The stored points among ``identities`` (their versions and values), pending appends
        included: looked up where they are, so that an out-of-order write (concurrent
        requests to one series) does not force a commit of the pending group."""
        found: dict[Identity, StoredPoint] = {}
        wanted = set(identities)
        for series_id, record in (*state.pending, *state.committing):
            identity = (series_id, record.time_ns)
            if identity in wanted:
                found[identity] = StoredPoint(record.version, record_values(record))
        if len(found) < len(wanted):
            committed = [identity for identity in identities if identity not in found]
            found.update(self._fetch_committed(state.schema, committed))
        return found

    def _fetch_committed(
        self, schema: TableSchema, identities: list[Identity]
    ) -> dict[Identity, StoredPoint]:
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

    @property
    def durable(self) -> bool:
        """Whether every write is committed before it is acknowledged (no commit window)."""
        return self._commit_delay <= 0

    def apply(self, state: TableState, plan: WritePlan) -> int:
        """Carry out an accepted plan: appends join the pending group, anything else commits at
        once. Returns the write's sequence number (see :mod:`.group_commit`)."""
        schema = plan.schema
        connection = self._connection
        only_inserts = not (plan.new_columns or plan.changed_measures or plan.new_series)
        if only_inserts and not plan.deletes:
            # The common case, appending points to known series: group-committed.
            state.pending.extend(plan.inserts)
            self._pending_records += len(plan.inserts)
            self._remember(state, plan)
            number = self.sequence.assign()
            if not self.durable:
                if self._pending_records >= GROUP_COMMIT_RECORDS:
                    self.commit_pending()
                else:
                    self._flush_wanted.set()
            return number  # durable: the request commits it (with others) once it waits
        self.commit_pending()
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
        number = self.sequence.assign()
        self.sequence.mark_committed(number)
        return number

    @staticmethod
    def _remember(state: TableState, plan: WritePlan) -> None:
        state.schema = plan.schema
        for series_id, key in plan.new_series:
            state.series[key] = series_id
        written: dict[int, tuple[int, int]] = {}
        for series_id, record in plan.inserts:
            span = written.get(series_id)
            time_ns = record.time_ns
            if span is None:
                written[series_id] = (time_ns, time_ns)
            elif not span[0] <= time_ns <= span[1]:
                written[series_id] = (min(span[0], time_ns), max(span[1], time_ns))
        for series_id, (first, last) in written.items():
            state.spans.add(series_id, first, last)

    @property
    def has_pending(self) -> bool:
        return self._pending_records > 0

    def commit_group(self) -> None:
        """The durable group commit, run by one of the requests waiting for it: writes every
        pending append under the write lock, then releases the lock while DuckDB commits
        (syncs its log), so that the requests arriving meanwhile form the next group."""
        with self.lock:
            if self._closed:
                raise TimestreamError("The time-series engine is closed.")
            self._settle()
            uncommitted = self.sequence.uncommitted
            if uncommitted is None:
                return
            last = uncommitted[1]
            if not self._pending_records:
                self.sequence.mark_committed(last)  # only deduplicated repeats
                return
            groups = [(state, state.pending) for state in self._tables.values() if state.pending]
            cursor = self._commit_cursor
            try:
                cursor.execute("BEGIN TRANSACTION")
                for state, inserts in groups:
                    self._insert(state.schema, inserts, cursor)
            except BaseException:
                _rollback(cursor)
                self._drop_pending()
                self.sequence.mark_committed(last, failed=True)
                raise
            for state, inserts in groups:
                state.committing = inserts  # still found by fetch_existing until committed
                state.pending = []
            self._pending_records = 0
            with self._in_flight:
                self._committing = True
        failed = True
        try:
            cursor.execute("COMMIT")
            failed = False
        finally:
            if failed:
                _rollback(cursor)
            with self._in_flight:
                # Settled before the flag drops: a synchronous commit that follows must not
                # mark these numbers committed ahead of a failure.
                self.sequence.mark_committed(last, failed=failed, wrote=not failed)
                for state, _ in groups:
                    state.committing = []
                self._committing = False
                self._in_flight.notify_all()

    def _settle(self) -> None:
        """Waits for a group commit under way (under the write lock): schema changes, deletes
        and synchronous commits need its records in DuckDB first."""
        with self._in_flight:
            while self._committing:
                self._in_flight.wait()

    def commit_pending(self) -> None:
        """Commit every table's pending appends in one transaction, one INSERT per table
        (under the write lock), and wake the requests waiting for them."""
        self._settle()
        uncommitted = self.sequence.uncommitted
        if uncommitted is None:
            return
        last = uncommitted[1]
        if self._pending_records:
            try:
                with self._transaction():
                    for state in self._tables.values():
                        if state.pending:
                            self._insert(state.schema, state.pending)
            except BaseException:
                if self.durable:  # nothing was acknowledged: the waiting requests fail
                    self._drop_pending()
                    self.sequence.mark_committed(last, failed=True)
                raise  # with a commit window the appends stay pending (retried)
            self._drop_pending()
            self.sequence.mark_committed(last, wrote=True)
        else:  # only deduplicated repeats since the last commit: nothing to write
            self.sequence.mark_committed(last)

    def _drop_pending(self) -> None:
        for state in self._tables.values():
            state.pending = []
        self._pending_records = 0

    def _flush_in_background(self) -> None:
        while True:
            self._flush_wanted.wait()
            if self._closed:
                return
            time.sleep(self._commit_delay)
            with self.lock:
                self._flush_wanted.clear()
                if self._closed:
                    return
                try:
                    self.commit_pending()
                except Exception:
                    logger.exception("Group commit of time-series appends failed")

    def _insert(
        self, schema: TableSchema, inserts: list[tuple[int, Record]], cursor: Any = None
    ) -> None:
        """One INSERT of column lists (DuckDB converts each list once; no per-row statement)."""
        columns: dict[str, list[Any]] = {}
        timestamp_columns: set[str] = set()
        count = len(inserts)

        def column_of(name: str) -> list[Any]:
            found = columns.get(name)
            if found is None:
                found = columns[name] = [None] * count
            return found

        for row, (_, record) in enumerate(inserts):
            for name, value in record.dimensions:
                column_of(name)[row] = value
            for measure in record.measures:
                if not record.multi:
                    column_of(f"measure_value::{measure.type.lower()}")[row] = measure.value
                else:
                    if measure.type == "TIMESTAMP":
                        timestamp_columns.add(measure.name)
                    column_of(measure.name)[row] = measure.value
        names = ["__series", "__version", "measure_name", "time", *columns]
        values: list[list[Any]] = [
            [series_id for series_id, _ in inserts],
            [record.version for _, record in inserts],
            [record.measure_name for _, record in inserts],
            [record.time_ns for _, record in inserts],
            *columns.values(),
        ]
        # A column with one value throughout (a request's dimensions, its measure name, the
        # series of a one-series request) is sent as that value: DuckDB converts each list
        # element on its own, and most columns of an append are constant. `time` stays a
        # list, so the SELECT yields one row per record.
        parameters: list[Any] = []
        selected_columns = []
        for name, column in zip(names, values, strict=True):
            parameters.append(column)
            if name != "time" and column.count(column[0]) == count:
                parameters[-1] = column[0]
                expression = f"${len(parameters)}"
            else:
                expression = f"unnest(${len(parameters)})"
            if name == "time" or name in timestamp_columns:
                expression = f"make_timestamp_ns({expression})"
            selected_columns.append(expression)
        selected = ", ".join(selected_columns)
        (self._connection if cursor is None else cursor).execute(
            f"INSERT INTO {schema.storage_table} ({', '.join(quote(n) for n in names)})"
            f" SELECT {selected}",
            parameters,
        )

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Commit pending appends and stop the group-commit thread (under the write lock)."""
        try:
            self.commit_pending()
        finally:
            self._closed = True
            self._flush_wanted.set()  # wakes the group-commit thread, which then exits

    def join(self) -> None:
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join(timeout=5)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection)


def _rollback(cursor: Any) -> None:
    try:
        cursor.execute("ROLLBACK")
    except Exception:  # no transaction left to roll back (DuckDB ended it on the failure)
        logger.debug("nothing to roll back", exc_info=True)


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
