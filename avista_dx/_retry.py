"""Retry decisions and back-off, I/O-free: the clients only sleep for the returned delay."""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from ._logs import logger
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    DxError,
    InvalidResponseError,
    RateLimitError,
    ServerError,
    TransferError,
)


class RetrySafety(enum.Enum):
    """When repeating a request cannot change what happened on the exchange."""

    IDEMPOTENT = "idempotent"
    """Reads: repeating them has no effect, so any transient failure may be retried."""

    UNSENT_ONLY = "unsent_only"
    """Writes: retried only when the failure proves the exchange did not act on the request
    (the connection was never made, or it answered 429 "throttled")."""


def is_transient(error: DxError) -> bool:
    """A failure that a later identical request may not meet."""
    if isinstance(error, APIConnectionError | RateLimitError):
        return True
    if isinstance(error, ServerError):
        return True
    if isinstance(error, TransferError):
        return error.transient
    if isinstance(error, APIStatusError):
        return error.status_code == 408
    # A 2xx body that is not JSON is a broken proxy or a cut connection, not the exchange's answer.
    return isinstance(error, InvalidResponseError) and error.unparseable


def proves_unsent(error: DxError) -> bool:
    """The exchange certainly did not act on the request."""
    if isinstance(error, RateLimitError):
        return True
    # A read timeout or reset may follow a request the exchange already executed.
    return isinstance(error, APIConnectionError) and not error.request_sent


def should_retry(error: DxError, safety: RetrySafety) -> bool:
    if safety is RetrySafety.IDEMPOTENT:
        return is_transient(error)
    return proves_unsent(error)


class RetryPolicy:
    """Jittered exponential back-off that honours a server's Retry-After."""

    def __init__(
        self,
        max_retries: int,
        *,
        initial_delay: float = INITIAL_RETRY_DELAY,
        max_delay: float = MAX_RETRY_DELAY,
        random_fraction: Callable[[], float] = random.random,
    ) -> None:
        self.max_retries = max_retries
        self.initial_delay = initial_delay
        self.max_delay = max_delay
        self._random = random_fraction

    def delay(self, error: DxError, retries_done: int) -> float:
        """Seconds to wait before retry number `retries_done + 1`."""
        retry_after = error.retry_after if isinstance(error, APIError) else None
        if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
            return retry_after
        backoff = min(self.max_delay, self.initial_delay * 2.0**retries_done)
        # Jitter in [0.75, 1.0] x backoff: clients that failed together do not return together.
        return backoff * (1.0 - 0.25 * self._random())

    def start(self, operation: str, safety: RetrySafety) -> Attempts:
        return Attempts(self, operation, safety)


class Attempts:
    """The retry state of one logical call; logs the outcome with the duration."""

    def __init__(self, policy: RetryPolicy, operation: str, safety: RetrySafety) -> None:
        self._policy = policy
        self._operation = operation
        self._safety = safety
        self._retries = 0
        self._started = time.perf_counter()

    @property
    def retries(self) -> int:
        return self._retries

    def next_delay(self, error: DxError) -> float | None:
        """Delay before retrying after `error`, or None when the error must be raised."""
        if self._retries < self._policy.max_retries and should_retry(error, self._safety):
            delay = self._policy.delay(error, self._retries)
            self._retries += 1
            logger.info(
                "%s failed (%s), retry %d/%d in %.2fs",
                self._operation,
                type(error).__name__,
                self._retries,
                self._policy.max_retries,
                delay,
            )
            return delay
        logger.debug(
            "%s failed after %.1f ms: %s",
            self._operation,
            self._elapsed_ms(),
            type(error).__name__,
        )
        return None

    def delay_or_raise(self, error: BaseException, raised: BaseException) -> float:
        """Delay before retrying after `error`, what the caught `raised` maps to; raises `error`
        (chained to `raised` when they differ) when it must not be retried.

        Only a `DxError` is ever retried: anything else (KeyboardInterrupt, cancellation,
        bugs) propagates at once.
        """
        delay = self.next_delay(error) if isinstance(error, DxError) else None
        if delay is None:
            if error is raised:
                raise raised
            raise error from raised
        return delay

    def succeeded(self) -> None:
        logger.debug(
            "%s ok in %.1f ms (%d retries)", self._operation, self._elapsed_ms(), self._retries
        )

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self._started) * 1000.0
