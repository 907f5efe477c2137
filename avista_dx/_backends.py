"""The only code that differs between the two clients: how they sleep, write to disk, stream an
upload body, protect a rollback from cancellation and run publish requests side by side.

`avista_dx/_async/` uses `AsyncBackend`; the sync twin that scripts/unasync.py produces from it
uses `SyncBackend` (the script renames one to the other). Everything else is written once.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ._constants import TRANSFER_CHUNK_BYTES
from ._download_sinks import DownloadSink
from ._transfers import UploadBody

T = TypeVar("T")
_DONE = object()


class AsyncBackend:
    """anyio: worker threads for the disk, a shielded cancel scope, a task group."""

    @staticmethod
    async def sleep(seconds: float) -> None:
        import anyio

        await anyio.sleep(seconds)

    @staticmethod
    async def write_stream(sink: DownloadSink, chunks: AsyncIterator[bytes]) -> None:
        """Network chunks are gathered into buffers of TRANSFER_CHUNK_BYTES, each written by a
        worker thread: the event loop never waits on the disk."""
        import anyio.to_thread

        buffer = bytearray()
        async for chunk in chunks:
            buffer += chunk
            if len(buffer) >= TRANSFER_CHUNK_BYTES:
                await anyio.to_thread.run_sync(sink.write_bytes, bytes(buffer))
                sink.advance(len(buffer))
                buffer.clear()
        if buffer:
            await anyio.to_thread.run_sync(sink.write_bytes, bytes(buffer))
            sink.advance(len(buffer))

    @staticmethod
    async def commit(sink: DownloadSink) -> None:
        import anyio.to_thread

        await anyio.to_thread.run_sync(sink.commit)  # fsync and rename

    @staticmethod
    def upload_content(body: UploadBody) -> AsyncIterator[bytes]:
        return body.async_chunks()

    @staticmethod
    async def in_thread(function: Callable[..., T], *arguments: Any) -> T:
        """Local disk work (scanning or changing a tree) in a worker thread."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(function, *arguments)

    @staticmethod
    def shielded() -> contextlib.AbstractContextManager[object]:
        """A cancelled upload must still delete the record it created."""
        import anyio

        return anyio.CancelScope(shield=True)

    @staticmethod
    async def run_each(
        function: Callable[[T], Awaitable[None]], items: Sequence[T], limit: int
    ) -> None:
        """Runs `function` on every item, at most `limit` at a time, as tasks of one group."""
        import anyio

        limiter = anyio.Semaphore(limit)

        async def limited(item: T) -> None:
            async with limiter:
                await function(item)

        async with anyio.create_task_group() as tasks:
            for item in items:
                tasks.start_soon(limited, item)

    @staticmethod
    def events(events: AsyncIterator[T]) -> AsyncIterator[T]:
        return events


class EventIterator(Iterator[T]):
    """A sync client's subscription: a blocking iterator, which `async for` also accepts (each
    event is waited for in a worker thread), because 1.2.1's only client used `async for`."""

    def __init__(self, events: Iterator[T]) -> None:
        self._events = events

    def __iter__(self) -> EventIterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._events)

    def close(self) -> None:
        """Stops the subscription."""
        close = getattr(self._events, "close", None)
        if close is not None:
            close()

    def __aiter__(self) -> EventIterator[T]:
        return self

    async def __anext__(self) -> T:
        import anyio.to_thread

        event = await anyio.to_thread.run_sync(next, self._events, _DONE)
        if event is _DONE:
            raise StopAsyncIteration
        return event  # type: ignore[return-value]

    async def aclose(self) -> None:
        self.close()


class SyncBackend:
    """The calling thread for everything but concurrent publishing (worker threads)."""

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds)

    @staticmethod
    def write_stream(sink: DownloadSink, chunks: Iterator[bytes]) -> None:
        # The network's own chunks: re-chunking would copy every byte once more.
        for chunk in chunks:
            sink.write(chunk)

    @staticmethod
    def commit(sink: DownloadSink) -> None:
        sink.commit()

    @staticmethod
    def upload_content(body: UploadBody) -> Iterator[bytes]:
        return body.sync_chunks()

    @staticmethod
    def in_thread(function: Callable[..., T], *arguments: Any) -> T:
        return function(*arguments)

    @staticmethod
    def shielded() -> contextlib.AbstractContextManager[object]:
        # Nothing cancels a thread from outside; KeyboardInterrupt reaches the rollback's
        # caller only after the rollback (see uploadFileToDataStore).
        return contextlib.nullcontext()

    @staticmethod
    def events(events: Iterator[T]) -> EventIterator[T]:
        return EventIterator(events)

    @staticmethod
    def run_each(function: Callable[[T], None], items: Sequence[T], limit: int) -> None:
        """Runs `function` on every item, at most `limit` at a time, in worker threads (httpx's
        Client is thread-safe). One item or `limit` 1 runs in the calling thread."""
        if limit == 1 or len(items) <= 1:
            for item in items:
                function(item)
            return
        with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="avista-dx") as pool:
            futures: list[Future[None]] = []
            try:  # Ctrl-C may come while submitting too: what was submitted is cancelled
                futures += (pool.submit(function, item) for item in items)
                for future in futures:
                    future.result()
            except BaseException:
                # An error or Ctrl-C: what has not started yet never starts.
                for future in futures:
                    future.cancel()
                raise
