"""``ClientToken`` idempotency of first Query calls, with Timestream's windows.

Timestream's Query reference: a ClientToken "makes the call to Query idempotent"; a call with a
ClientToken and no NextToken is a new query run, and repeating it within the 5-minute
idempotency window returns the same result (same ``QueryId``, same first page, whose NextToken
continues the same run). The same token with other parameters inside the window, or again
after the window, fails; after 4 hours the token counts as new. Tokens belong to the caller
that used them.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .errors import QueryValidationError

logger = logging.getLogger(__name__)

IDEMPOTENCY_WINDOW_SECONDS = 5 * 60.0
TOKEN_REUSE_SECONDS = 4 * 3600.0
# First pages kept for replays (the 5-minute window); beyond it, the oldest are dropped.
DEFAULT_PAGE_BUDGET_BYTES = 64 * 1024 * 1024
MAX_TOKENS = 100_000


@dataclass(slots=True)
class _Use:
    parameters: bytes
    used_at: float
    page: str | None


class ClientTokens:
    """First pages by ``(principal, ClientToken)``; bounded in count and in page bytes."""

    def __init__(
        self,
        *,
        page_budget_bytes: int = DEFAULT_PAGE_BUDGET_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._budget = page_budget_bytes
        self._clock = clock
        self._uses: OrderedDict[tuple[str, str], _Use] = OrderedDict()
        self._paged: OrderedDict[tuple[str, str], None] = OrderedDict()  # uses with a page
        self._page_bytes = 0
        self._lock = threading.Lock()

    def replay(
        self, principal: str, token: str, query_string: str, max_rows: int | None
    ) -> str | None:
        """The first page this token already produced, or None for a new run; raises
        :class:`QueryValidationError` for a reuse Timestream refuses."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            use = self._uses.get((principal, token))
            if use is None:
                return None
            if now - use.used_at > IDEMPOTENCY_WINDOW_SECONDS:
                raise QueryValidationError(
                    "The ClientToken was used more than 5 minutes ago (outside the idempotency"
                    " window): send a new ClientToken to run the query again."
                )
            if use.parameters != _parameters(query_string, max_rows):
                raise QueryValidationError(
                    "The ClientToken was used with other parameters within the 5-minute"
                    " idempotency window: send a new ClientToken for a different query."
                )
            if use.page is None:
                logger.info("replayed first page no longer kept: running the query again")
            return use.page

    def remember(
        self, principal: str, token: str, query_string: str, max_rows: int | None, page: str
    ) -> None:
        now = self._clock()
        with self._lock:
            key = (principal, token)
            self._forget(key)
            self._uses[key] = _Use(_parameters(query_string, max_rows), now, page)
            self._paged[key] = None
            self._page_bytes += len(page)
            self._expire(now)

    def _forget(self, key: tuple[str, str]) -> None:
        use = self._uses.pop(key, None)
        if use is not None and use.page is not None:
            self._page_bytes -= len(use.page)
            del self._paged[key]

    def _expire(self, now: float) -> None:
        """Forget tokens after 4 hours, pages after the window or over budget (under lock)."""
        while self._uses:
            key, oldest = next(iter(self._uses.items()))
            if now - oldest.used_at <= TOKEN_REUSE_SECONDS and len(self._uses) <= MAX_TOKENS:
                break
            self._forget(key)
        while self._paged:
            key = next(iter(self._paged))
            use = self._uses[key]
            assert use.page is not None
            if now - use.used_at <= IDEMPOTENCY_WINDOW_SECONDS and self._page_bytes <= self._budget:
                break
            del self._paged[key]
            self._page_bytes -= len(use.page)
            use.page = None


def _parameters(query_string: str, max_rows: int | None) -> bytes:
    return hashlib.sha256(f"{max_rows}\x00{query_string}".encode()).digest()
