"""Bounds on queries: time, memory, concurrency and open results, and the slots queries run in.

Queries run in a small number of execution slots, shared fairly between callers: a caller
never holds every slot, and a free slot goes to the waiting caller with the fewest running
queries. A query that waits past its deadline is cancelled as if it had run past it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import QueryTimeoutError, ThrottlingError, TimestreamError

# Timestream's Query API times out after 60 seconds.
DEFAULT_QUERY_TIME_LIMIT = 60.0


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How far one query, and the queries of one caller, may go."""

    # Seconds from a query's arrival to its cancellation (waiting for a slot included).
    time_limit_seconds: float = DEFAULT_QUERY_TIME_LIMIT
    # Queries executing at once (each uses DuckDB's threads); a caller gets at most all but one.
    concurrency: int = 4
    # Queries waiting for a slot, server-wide; beyond that a query is throttled at once, so
    # query requests never occupy every request thread.
    max_waiting: int = 48
    # DuckDB's memory bound for everything it does; beyond it, it spills to the temp directory.
    memory_limit: str = "1GiB"
    max_temp_directory_size: str = "8GiB"
    # Paginated queries kept open for their NextToken, per caller and server-wide.
    max_open_queries_per_user: int = 16
    max_open_queries: int = 256
    # The rendered result of one query; an open query keeps up to `spool_memory_bytes` of it
    # in memory and the rest in a temporary file.
    max_result_bytes: int = 256 * 1024 * 1024
    spool_memory_bytes: int = 256 * 1024

    def __post_init__(self) -> None:
        if not self.time_limit_seconds > 0:
            raise ValueError("time_limit_seconds must be positive")
        for name in ("concurrency", "max_open_queries_per_user", "max_open_queries"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_waiting < 0 or self.max_result_bytes < 1 or self.spool_memory_bytes < 0:
            raise ValueError("max_waiting, max_result_bytes and spool_memory_bytes are sizes")

    @property
    def running_per_user(self) -> int:
        return max(1, self.concurrency - 1)


def timeout_error(limits: QueryLimits) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"Query timed out: it did not finish within the {limits.time_limit_seconds:g} s"
        " query time limit and was cancelled."
    )


@dataclass(eq=False, slots=True)
class _Ticket:
    principal: str
    order: int


class QuerySlots:
    """Fair admission of queries to ``limits.concurrency`` execution slots."""

    def __init__(self, limits: QueryLimits) -> None:
        self._limits = limits
        self._condition = threading.Condition()
        self._running: Counter[str] = Counter()
        self._total = 0
        self._waiting: list[_Ticket] = []
        self._order = itertools.count()
        self._closed = False

    @contextmanager
    def slot(self, principal: str, deadline: float) -> Iterator[None]:
        """Holds a slot for ``principal`` until the block ends.

        Raises :class:`ThrottlingError` when too many queries wait already,
        :class:`QueryTimeoutError` at ``deadline`` (``time.monotonic``), and
        :class:`TimestreamError` once the engine closes.
        """
        with self._condition:
            self._check_open()
            if len(self._waiting) >= self._limits.max_waiting and not self._may_start_now(
                principal
            ):
                raise ThrottlingError(
                    "Rate exceeded: too many queries are running or waiting; retry later."
                )
            ticket = _Ticket(principal, next(self._order))
            self._waiting.append(ticket)
            try:
                while self._next() is not ticket:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise timeout_error(self._limits)
                    self._condition.wait(remaining)
                    self._check_open()
            finally:
                self._waiting.remove(ticket)
                self._condition.notify_all()
            self._running[principal] += 1
            self._total += 1
        try:
            yield
        finally:
            with self._condition:
                self._running[principal] -= 1
                self._total -= 1
                self._condition.notify_all()

    def _may_start_now(self, principal: str) -> bool:
        return (
            self._total < self._limits.concurrency
            and self._running[principal] < self._limits.running_per_user
        )

    def _next(self) -> _Ticket | None:
        """The waiting ticket that may take a free slot now, if any."""
        if self._total >= self._limits.concurrency:
            return None
        eligible = [
            t for t in self._waiting if self._running[t.principal] < self._limits.running_per_user
        ]
        if not eligible:
            return None
        return min(eligible, key=lambda t: (self._running[t.principal], t.order))

    def close(self) -> None:
        """Refuse new queries and wake the waiting ones (which then fail)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _check_open(self) -> None:
        if self._closed:
            raise TimestreamError("The query was cancelled: the time-series engine is closing.")
