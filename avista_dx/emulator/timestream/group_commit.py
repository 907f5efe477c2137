"""Durable group commit: concurrent writes share one DuckDB commit, none is acknowledged early.

Every accepted write gets a sequence number, in the order the writes were decided (under the
engine's write lock). An append only joins the pending set; the request that carried it then
waits in :meth:`CommitSequence.wait_committed` until a commit covers its number. The first
waiter to find no commit under way leads: it commits everything pending at that moment, the
appends of every request that arrived meanwhile included, and wakes the others. One commit
(one WAL sync) thus serves all the requests that queued while the previous one ran, and a
request still returns only once its own records are on disk.

:class:`Turns` then runs what must follow a commit (the real-time fan-out) in sequence order,
so subscribers see writes in the order they were committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import TimestreamError

# Failed commits remembered for the requests still waiting on them (failures are rare).
_KEPT_FAILURES = 64


class CommitFailedError(TimestreamError):
    """The commit that carried this request's records failed: nothing of it was written."""

    def __init__(self) -> None:
        super().__init__("The time-series write could not be committed; nothing was written.")


class CommitSequence:
    """Sequence numbers of accepted writes and how far they are committed."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._assigned = 0  # the last number handed out (under the engine's write lock)
        self._committed = 0  # every number up to it is committed, or failed
        self._failed: list[tuple[int, int]] = []  # (first, last) numbers of failed commits
        self._leading = False
        self.commits = 0  # commits of pending appends so far (one per group)

    def assign(self) -> int:
        """The next number (call under the engine's write lock, in decision order)."""
        self._assigned += 1
        return self._assigned

    @property
    def uncommitted(self) -> tuple[int, int] | None:
        """The (first, last) numbers not yet committed, or None."""
        if self._committed >= self._assigned:
            return None
        return self._committed + 1, self._assigned

    def mark_committed(self, last: int, *, failed: bool = False, wrote: bool = False) -> None:
        """Numbers up to ``last`` are settled (under the write lock); their waiters wake.
        ``wrote``: a DuckDB commit of pending appends settled them (counted in ``commits``)."""
        with self._changed:
            if failed:
                self._failed = [*self._failed[-_KEPT_FAILURES + 1 :], (self._committed + 1, last)]
            elif wrote:
                self.commits += 1
            self._committed = max(self._committed, last)
            self._changed.notify_all()

    def wait_committed(self, number: int, commit: Callable[[], None]) -> None:
        """Returns once ``number`` is committed; raises :class:`CommitFailedError` if its commit
        failed. ``commit`` commits everything pending; the waiter that finds no commit under way
        runs it (and must take the write lock itself)."""
        while True:
            with self._changed:
                while self._committed < number and self._leading:
                    self._changed.wait()
                if self._committed >= number:
                    if any(first <= number <= last for first, last in self._failed):
                        raise CommitFailedError
                    return
                self._leading = True
            try:
                commit()
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()


class Turns:
    """Runs follow-ups of writes strictly in sequence order, each number exactly once."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._next = 1
        self._done: set[int] = set()

    def run_in_turn(self, number: int, action: Callable[[], None] | None) -> None:
        """Waits for every lower number to be done, runs ``action``, then marks ``number``
        done (also when ``action`` raises). Without ``action`` nothing waits."""
        if action is not None:
            with self._changed:
                while self._next < number:
                    self._changed.wait()
            try:
                action()
            finally:
                self.done(number)
        else:
            self.done(number)

    def done(self, number: int) -> None:
        with self._changed:
            self._done.add(number)
            while self._next in self._done:
                self._done.remove(self._next)
                self._next += 1
            self._changed.notify_all()
