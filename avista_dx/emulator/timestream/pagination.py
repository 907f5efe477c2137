"""Query results kept between pages: row sources, NextTokens, expiry and page JSON.

A query runs once. Its rows (already rendered as ``{"Data":[…]}`` JSON text) are kept in a
row source (a spool of the executed result, or a list) and read as pages are asked for;
later pages never recompute. Every page carries a fresh NextToken; the token of the page
before stays valid for a retry (and returns the same rows), older ones do not, as on
Timestream. A NextToken serves only the caller that started the query.

Open queries are budgeted per caller: one caller opening more than its share closes its own
oldest, never another caller's; the server-wide bound takes from whoever holds the most.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .errors import QueryValidationError
from .translate import TableRef

TOKEN_LIFETIME_SECONDS = 3600.0
PAGE_BYTES = 1024 * 1024
_FETCH_CHUNK = 1000
# Timestream meters at least 10 MB per query, even for SELECT 1.
_METERED_BYTES = 10_000_000


class RowSource(Protocol):
    def fetch(self, count: int) -> list[str]: ...

    def close(self) -> None: ...


class ListRows:
    """Rows computed in Python (SHOW, DESCRIBE)."""

    def __init__(self, rows: list[str]) -> None:
        self._rows = rows
        self._offset = 0

    def fetch(self, count: int) -> list[str]:
        chunk = self._rows[self._offset : self._offset + count]
        self._offset += len(chunk)
        return chunk

    def close(self) -> None:
        self._rows = []


def new_query_id() -> str:
    return base64.b32encode(secrets.token_bytes(30)).decode().rstrip("=")


def _new_token() -> str:
    return secrets.token_urlsafe(48)


@dataclass(eq=False)
class QueryRun:
    """One executed query and how far its client has read."""

    query_id: str
    query_string: str
    column_info: str
    source: RowSource
    tables: tuple[TableRef, ...]
    max_rows: int | None
    principal: str = ""
    buffered: list[str] = field(default_factory=list)
    exhausted: bool = False
    bytes_returned: int = 0
    token: str | None = None
    previous_token: str | None = None
    previous_page: str | None = None
    expires_at: float = 0.0
    discarded: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, count: int | None) -> list[str]:
        """Up to ``count`` rows (about 1 MB when None), keeping one row of look-ahead."""
        rows: list[str] = []
        size = 0
        while True:
            if not self.buffered and not self.exhausted:
                self.buffered = self.source.fetch(_FETCH_CHUNK)
                if not self.buffered:
                    self.exhausted = True
                    self.source.close()
            if not self.buffered:
                return rows
            wanted = _FETCH_CHUNK if count is None else count - len(rows)
            if wanted <= 0 or (count is None and size >= PAGE_BYTES):
                return rows
            chunk, self.buffered = self.buffered[:wanted], self.buffered[wanted:]
            if count is None:
                for index, row in enumerate(chunk):
                    size += len(row) + 1
                    if size >= PAGE_BYTES:
                        self.buffered = chunk[index + 1 :] + self.buffered
                        chunk = chunk[: index + 1]
                        break
            rows.extend(chunk)

    def has_more(self) -> bool:
        if not self.buffered and not self.exhausted:
            self.buffered = self.source.fetch(_FETCH_CHUNK)
            if not self.buffered:
                self.exhausted = True
                self.source.close()
        return bool(self.buffered)

    def close(self) -> None:
        if not self.exhausted:
            self.exhausted = True
            self.buffered = []
            self.source.close()


def page_json(run: QueryRun, rows: list[str], token: str | None, progress: float) -> str:
    run.bytes_returned += sum(len(row) for row in rows)
    status = json.dumps(
        {
            "ProgressPercentage": progress,
            "CumulativeBytesScanned": run.bytes_returned,
            "CumulativeBytesMetered": _METERED_BYTES,
        },
        separators=(",", ":"),
    )
    next_token = f'"NextToken":{json.dumps(token)},' if token is not None else ""
    return (
        f'{{"QueryId":"{run.query_id}",{next_token}"Rows":[{",".join(rows)}],'
        f'"ColumnInfo":{run.column_info},"QueryStatus":{status}}}'
    )


class QueryStore:
    """Open query runs by NextToken, with expiry and a bound on how many stay open."""

    def __init__(
        self,
        *,
        max_open: int,
        max_open_per_user: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._max_open = max_open
        self._max_open_per_user = max_open_per_user
        self._runs: dict[str, QueryRun] = {}
        self._lock = threading.Lock()

    def first_page(self, run: QueryRun) -> str:
        """The first page of a fresh run (registering the run if more pages follow)."""
        with run.lock:
            if run.max_rows is None:
                rows = run.take(None)
            else:
                rows = run.take(run.max_rows)
                if run.has_more():
                    # As on Timestream: a result larger than MaxRows starts with an empty page.
                    run.buffered = rows + run.buffered
                    rows = []
            if not run.has_more():
                run.close()
                return page_json(run, rows, None, 100.0)
            token = self._register(run)
            return page_json(run, rows, token, 100.0 if rows else 0.0)

    def next_page(
        self,
        token: str,
        query_string: str,
        principal: str,
        check_access: Callable[[Sequence[TableRef]], None],
    ) -> str:
        """The page after the one ``token`` came with; ``check_access`` vets the caller."""
        with self._lock:
            victims = self._expire()
            run = self._runs.get(token)
        self._discard(victims)
        if run is None or run.query_string != query_string or run.principal != principal:
            raise QueryValidationError(
                "Invalid pagination token: it is unknown, expired, superseded by a newer token,"
                " or was issued for another query."
            )
        with run.lock:
            if token == run.previous_token and run.previous_page is not None:
                return run.previous_page  # a retry of the page just served
            if token != run.token:
                raise QueryValidationError("Invalid pagination token: superseded by a newer one.")
            check_access(run.tables)
            rows = run.take(run.max_rows)
            new_token = self._register(run) if run.has_more() else None
            page = page_json(run, rows, new_token, 100.0)
            with self._lock:
                if run.previous_token is not None:
                    self._runs.pop(run.previous_token, None)
            if new_token is None or run.discarded:
                run.close()
            run.previous_token, run.previous_page = token, page
            return page

    def close(self) -> None:
        with self._lock:
            runs = set(self._runs.values())
            self._runs.clear()
        for run in runs:
            with run.lock:
                run.close()

    def _register(self, run: QueryRun) -> str:
        token = _new_token()
        with self._lock:
            run.token = token
            run.expires_at = self._clock() + TOKEN_LIFETIME_SECONDS
            self._runs[token] = run
            victims = self._expire() + self._evict_excess(run.principal)
        self._discard(victims)
        return token

    def _expire(self) -> list[QueryRun]:
        """Drop expired runs from the index (call under ``_lock``); returns them."""
        now = self._clock()
        victims = []
        for token, run in list(self._runs.items()):
            if run.expires_at <= now:
                del self._runs[token]
                victims.append(run)
        return victims

    def _evict_excess(self, principal: str) -> list[QueryRun]:
        """Close runs beyond the budgets (call under ``_lock``): the caller's own oldest
        beyond its share, then, server-wide, the oldest of whoever holds the most."""
        runs = sorted({id(r): r for r in self._runs.values()}.values(), key=lambda r: r.expires_at)
        by_principal: dict[str, list[QueryRun]] = {}
        for run in runs:
            by_principal.setdefault(run.principal, []).append(run)
        own = by_principal.get(principal, [])
        victims = own[: max(0, len(own) - self._max_open_per_user)]
        del own[: len(victims)]
        excess = len(runs) - len(victims) - self._max_open
        while excess > 0:
            largest = max(by_principal.values(), key=len)
            victims.append(largest.pop(0))
            excess -= 1
        doomed = {id(run) for run in victims}
        for token in [t for t, r in self._runs.items() if id(r) in doomed]:
            del self._runs[token]
        return victims

    @staticmethod
    def _discard(victims: list[QueryRun]) -> None:
        # Never wait for a run's lock here (its holder may be waiting for ours): a busy run
        # is closed by its holder when it sees `discarded`.
        for run in victims:
            run.discarded = True
            if run.lock.acquire(blocking=False):
                try:
                    run.close()
                finally:
                    run.lock.release()
