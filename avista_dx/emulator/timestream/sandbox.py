"""Running a translated query where it can neither write nor run away.

Defence in depth behind the translator's allow-lists: DuckDB's own parser must see exactly
one SELECT, the query runs in a READ ONLY transaction that is always rolled back, DuckDB's
memory is bounded (it spills to a temporary directory), and a watchdog interrupts the query at
its deadline, when its HTTP client disconnects, or when the engine closes. The whole result
is rendered at once (as Timestream computes a result before its first page) into a
:class:`RowSpool`, so nothing of DuckDB stays open between pages.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from typing import Any

import duckdb

from ..disconnects import client_gone
from .errors import QueryValidationError, TimestreamError
from .limits import QueryLimits, QuerySlots, timeout_error
from .messages import public_message
from .result_format import column_type, row_sql
from .spool import RowSpool
from .translate import Translation

logger = logging.getLogger(__name__)

_FETCH_CHUNK = 1000


# How often the watchdog looks at running queries (deadline, disconnected client, closing);
# it interrupts again on every look until the query stops, as an interrupt that lands between
# two statements is lost.
_WATCH_INTERVAL_SECONDS = 0.05


class _Watch:
    """One running query: its cursor, deadline and client, and why it was interrupted."""

    def __init__(self, cursor: Any, deadline: float) -> None:
        self.cursor = cursor
        self.deadline = deadline
        self.client_gone = client_gone.get()
        self.reason: str | None = None  # "timeout", "disconnected" or "closing"
        self._lock = threading.Lock()
        self._active = True

    def look(self, now: float) -> None:
        if self.reason is None:
            if now >= self.deadline:
                self.interrupt("timeout")
            elif self.client_gone is not None and self.client_gone.is_set():
                self.interrupt("disconnected")
        else:
            self.interrupt(self.reason)

    def interrupt(self, reason: str) -> None:
        with self._lock:
            if not self._active:
                return
            if self.reason is None:
                self.reason = reason
            self.cursor.interrupt()

    def check(self) -> None:
        """Raise as DuckDB would if the query was interrupted between statements."""
        if self.reason is not None:
            raise duckdb.InterruptException("interrupted")

    def finish(self) -> None:
        with self._lock:
            self._active = False


class QuerySandbox:
    """Executes translated queries on cursors of ``connection`` within ``limits``."""

    def __init__(self, connection: Any, limits: QueryLimits, spool_directory: str | None) -> None:
        self._connection = connection
        self._limits = limits
        self._spool_directory = spool_directory
        self._slots = QuerySlots(limits)
        self._watches: set[_Watch] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closed = threading.Event()
        self._watchdog = threading.Thread(
            target=self._watch_queries, name="timestream-query-watchdog", daemon=True
        )
        self._watchdog.start()

    @property
    def limits(self) -> QueryLimits:
        return self._limits

    def execute(
        self, translation: Translation, query_string: str, principal: str, deadline: float
    ) -> tuple[str, RowSpool]:
        """Run ``translation`` to completion: its ``ColumnInfo`` JSON and its rendered rows."""
        with self._slots.slot(principal, deadline):
            if time.monotonic() >= deadline:
                raise timeout_error(self._limits)
            cursor = self._connection.cursor()
            watch = _Watch(cursor, deadline)
            with self._lock:
                self._watches.add(watch)
            try:
                return self._run(cursor, watch, translation)
            except duckdb.InterruptException:
                if watch.reason == "timeout":
                    raise timeout_error(self._limits) from None
                if watch.reason == "disconnected":
                    raise QueryValidationError(
                        "The query was cancelled: the client left."
                    ) from None
                raise TimestreamError(
                    "The query was cancelled: the time-series engine is closing."
                ) from None
            except (duckdb.InternalException, duckdb.FatalException) as error:
                logger.error("DuckDB internal error while running a query: %s", error)
                raise TimestreamError("Internal error while running the query.") from None
            except duckdb.Error as error:
                raise QueryValidationError(public_message(error, query_string)) from None
            finally:
                watch.finish()
                with contextlib.suppress(duckdb.Error):  # closing the cursor rolls back too
                    cursor.execute("ROLLBACK")
                cursor.close()
                with self._lock:
                    self._watches.discard(watch)
                    self._idle.notify_all()

    def _run(self, cursor: Any, watch: _Watch, translation: Translation) -> tuple[str, RowSpool]:
        statements = cursor.extract_statements(translation.sql)
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            # The translator let a non-query through: refuse rather than run it.
            logger.error("refused a translated statement that is not one SELECT")
            raise QueryValidationError("Only SELECT, SHOW and DESCRIBE statements are supported.")
        cursor.execute("BEGIN TRANSACTION READ ONLY")
        watch.check()
        relation = cursor.sql(translation.sql)
        names, types = relation.columns, relation.types
        column_info = [
            {"Name": name, "Type": column_type(t, index in translation.year_to_month_columns)}
            for index, (name, t) in enumerate(zip(names, types, strict=True))
        ]
        # Positional aliases: result names may repeat, the rendering must not care.
        aliases = ", ".join(f"__c{index}" for index in range(len(names)))
        rendered = row_sql([(f"__q.__c{index}", t) for index, t in enumerate(types)])
        watch.check()
        cursor.execute(f"SELECT {rendered} FROM ({translation.sql}) AS __q({aliases})")
        spool = RowSpool(self._limits.spool_memory_bytes, self._spool_directory)
        try:
            while rows := cursor.fetchmany(_FETCH_CHUNK):
                watch.check()
                spool.append([row[0] for row in rows])
                if spool.size > self._limits.max_result_bytes:
                    raise QueryValidationError(
                        "Query aborted: its result exceeds the emulator's limit of"
                        f" {self._limits.max_result_bytes} bytes."
                    )
        except BaseException:
            spool.close()
            raise
        return json.dumps(column_info, separators=(",", ":")), spool

    def _watch_queries(self) -> None:
        while not self._closed.wait(_WATCH_INTERVAL_SECONDS):
            with self._lock:
                watches = list(self._watches)
            now = time.monotonic()
            for watch in watches:
                watch.look(now)

    def close(self, wait_seconds: float = 5.0) -> None:
        """Cancel every running and waiting query (they fail at once), refuse new ones, and
        wait up to ``wait_seconds`` for the running ones to let go of their cursors."""
        self._slots.close()
        with self._lock:
            watches = list(self._watches)
        for watch in watches:
            watch.interrupt("closing")
        deadline = time.monotonic() + wait_seconds
        with self._lock:
            while self._watches and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
        if wait_seconds > 0:
            self._closed.set()  # the watchdog stops once nothing runs any more
