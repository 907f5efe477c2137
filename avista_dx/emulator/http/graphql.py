"""``POST /graphql``: the AppSync-style endpoint."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from ..api import GraphQLExecutor, GraphQLRequest, MalformedRequestError
from ..disconnects import client_gone
from ..errors import ErrorType
from .numbers import parse_decimal
from .responses import error_body, error_response, json_response, json_text

logger = logging.getLogger(__name__)

_DISCONNECT_POLL_SECONDS = 0.2
# Bodies up to this size are decoded on the event loop (tens of microseconds); larger ones,
# such as a publish of many records, in the request thread with the rest of their work.
_SMALL_BODY_BYTES = 16 * 1024
_MAX_ORIGINS = 64  # distinct (scheme, server, root path, Host) kept with their base URL


class _BodyTooLargeError(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = parse_decimal(request.headers.get("content-length"))
    if declared is not None and declared > limit:
        raise _BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


class GraphQLEndpoint:
    def __init__(
        self,
        executor: GraphQLExecutor,
        max_request_bytes: int,
        max_json_depth: int,
        request_threads: int,
    ) -> None:
        self._executor = executor
        self._limit = max_request_bytes
        self._max_json_depth = max_json_depth
        # Its own threads: more than time-series queries may hold while they wait or run
        # (QueryLimits), so other requests always find one.
        self._threads = anyio.CapacityLimiter(request_threads)
        self._base_urls: dict[tuple[object, ...], str] = {}

    async def handle(self, request: Request) -> Response:
        try:
            body = await _read_body(request, self._limit)
        except _BodyTooLargeError:
            return error_response(
                413,
                ErrorType.REQUEST_ENTITY_TOO_LARGE,
                f"The request body exceeds {self._limit} bytes",
            )
        token, base_url = request.headers.get("authorization"), self._base_url(request)
        if len(body) > _SMALL_BODY_BYTES:  # decoded in the request thread too
            status, text = await self._execute(
                request, functools.partial(self._answer, body, token, base_url)
            )
            return json_response(status, text)
        try:
            graphql_request = GraphQLRequest.from_body(body, self._max_json_depth)
        except MalformedRequestError as error:
            return error_response(400, ErrorType.MALFORMED_HTTP_REQUEST, str(error))
        if self._executor.reads_metadata_only(graphql_request):
            # Quick reads run here: a thread hop would cost more than the request itself.
            status, text = self._run(graphql_request, token, base_url)
        else:
            status, text = await self._execute(
                request, functools.partial(self._run, graphql_request, token, base_url)
            )
        return json_response(status, text)

    def _base_url(self, request: Request) -> str:
        """``request.base_url`` as text, built once per distinct origin (Starlette builds and
        parses a URL for it: a tenth of a small request's work)."""
        scope = request.scope
        server = scope.get("server")
        origin = (
            scope["scheme"],
            None if server is None else tuple(server),  # a list in some ASGI servers
            scope.get("app_root_path", scope.get("root_path", "")),
            request.headers.get("host"),
        )
        found = self._base_urls.get(origin)
        if found is None:
            if len(self._base_urls) >= _MAX_ORIGINS:
                self._base_urls.clear()
            found = self._base_urls[origin] = str(request.base_url)
        return found

    def _answer(self, body: bytes, token: str | None, base_url: str) -> tuple[int, str]:
        """A large request's whole work in its thread: decode, execute, encode (the event
        loop, which serves every connection, only moves bytes)."""
        try:
            graphql_request = GraphQLRequest.from_body(body, self._max_json_depth)
        except MalformedRequestError as error:
            return 400, json_text(error_body(ErrorType.MALFORMED_HTTP_REQUEST, str(error)))
        return self._run(graphql_request, token, base_url)

    def _run(
        self, graphql_request: GraphQLRequest, token: str | None, base_url: str
    ) -> tuple[int, str]:
        result = self._executor.run(graphql_request, token, base_url)
        return result.status, json_text(result.body)

    async def _execute(
        self, request: Request, run: Callable[[], tuple[int, str]]
    ) -> tuple[int, str]:
        """``run`` in a request thread; if the client disconnects meanwhile, long work in it
        (a time-series query) is told through ``client_gone`` and stops.

        The watch starts only once the work has run for a poll interval: most requests end
        sooner, and a task per request cost a third of a small request's CPU.
        """
        gone = threading.Event()
        client_gone.set(gone)  # copied into the worker thread's context
        loop = asyncio.get_running_loop()
        watcher: asyncio.Task[None] | None = None

        async def watch() -> None:
            try:
                while not await request.is_disconnected():
                    await asyncio.sleep(_DISCONNECT_POLL_SECONDS)
            except Exception:  # a broken connection: the answer will fail on its own
                logger.debug("disconnect watch ended", exc_info=True)
                return
            gone.set()

        def start_watching() -> None:
            nonlocal watcher
            watcher = loop.create_task(watch())

        timer = loop.call_later(_DISCONNECT_POLL_SECONDS, start_watching)
        try:
            return await anyio.to_thread.run_sync(run, limiter=self._threads)
        finally:
            timer.cancel()
            if watcher is not None:
                watcher.cancel()
