"""The sync face of the real-time connection: an event loop in one daemon thread, and
iterators that block on it.

The async ``RealtimeConnection`` runs on that loop; every call here hands it a coroutine and
waits for the result, so the sync and async clients share one implementation.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

from ..errors import RealtimeConnectionError
from ._connection import RealtimeConnection, Subscription

T = TypeVar("T")


class SyncSubscription(Iterator[dict[str, Any]]):
    """Blocking iteration over a started subscription; ``close()`` (or ``with``) stops it."""

    def __init__(self, owner: SyncRealtimeConnection, subscription: Subscription) -> None:
        self._owner = owner
        self._subscription = subscription

    def __repr__(self) -> str:
        return f"<SyncSubscription {self._subscription.operation} {self._subscription.id}>"

    @property
    def id(self) -> str:
        return self._subscription.id

    def __iter__(self) -> SyncSubscription:
        return self

    def __next__(self) -> dict[str, Any]:
        try:
            return self._owner._call(self._subscription.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def close(self) -> None:
        self._owner._call(self._subscription.aclose())

    def __enter__(self) -> SyncSubscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class SyncRealtimeConnection:
    """``RealtimeConnection`` for sync code; same arguments. Its thread starts on first use."""

    def __init__(self, graphql_url: str, token: str, **options: Any) -> None:
        self._arguments = (graphql_url, token, options)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._connection: RealtimeConnection | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"<SyncRealtimeConnection {self._connection!r}>"

    def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        operation: str | None = None,
    ) -> SyncSubscription:
        """Returns after ``start_ack``, like ``RealtimeConnection.subscribe``."""
        connection = self._started()
        subscription = self._call(
            connection.subscribe(
                query, variables, operation_name=operation_name, operation=operation
            )
        )
        return SyncSubscription(self, subscription)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            loop, thread, connection = self._loop, self._thread, self._connection
            self._loop = self._thread = self._connection = None
        if loop is None or thread is None or connection is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(connection.close(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()

    def __enter__(self) -> SyncRealtimeConnection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _started(self) -> RealtimeConnection:
        with self._lock:
            if self._closed:
                raise RealtimeConnectionError(
                    "the real-time connection is closed", request_sent=False
                )
            if self._connection is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="avista-dx-realtime", daemon=True
                )
                thread.start()
                graphql_url, token, options = self._arguments

                async def build() -> RealtimeConnection:  # its asyncio objects bind to `loop`
                    return RealtimeConnection(graphql_url, token, **options)

                self._connection = asyncio.run_coroutine_threadsafe(build(), loop).result()
                self._loop, self._thread = loop, thread
            return self._connection

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        loop = self._loop
        if loop is None:
            coroutine.close()
            raise RealtimeConnectionError("the real-time connection is closed", request_sent=False)
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()  # Ctrl-C while waiting: do not leave the coroutine running
            raise
