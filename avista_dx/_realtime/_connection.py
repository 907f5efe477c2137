"""One shared real-time WebSocket per client, on the maintained ``websockets`` library.

``RealtimeConnection.subscribe`` opens the socket on first use (``connection_init``, then waits
for ``connection_ack``), sends ``start`` and returns only after ``start_ack``, so an action that
triggers the event can follow at once. One reader task dispatches every message; with nothing
received for ``connectionTimeoutMs`` (or when the socket drops) the connection reconnects with
jittered exponential back-off and starts every live subscription again (events published while
it was away are lost, as with AppSync). Closing a subscription sends ``stop`` and waits for
``complete``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import ssl as ssl_module
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from .._error_mapping import from_graphql_errors
from .._logs import logger
from .._retry import RetryPolicy
from ..errors import AuthenticationError, DxError, RealtimeConnectionError
from . import _protocol
from ._protocol import ClientProtocol, State, SubscriptionRequest
from ._url import api_host, realtime_url

try:
    from websockets.asyncio.client import ClientConnection, connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
    from websockets.typing import Subprotocol
except ImportError as missing:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "real-time subscriptions need the 'realtime' extra: pip install 'avista-dx[realtime]'"
    ) from missing

DEFAULT_OPEN_TIMEOUT = 10.0  # seconds: TCP, TLS and the WebSocket upgrade
DEFAULT_ACK_TIMEOUT = 10.0  # seconds to wait for connection_ack and for each start_ack
DEFAULT_STOP_TIMEOUT = 5.0  # seconds to wait for complete after stop
DEFAULT_RECONNECT_ATTEMPTS = 8

_END = object()  # queued after the last event of a subscription


class _RedactHeader(logging.Filter):
    """The ``header`` query parameter and every ``start`` message carry the token: never let
    them reach a log. websockets logs a frame as its head and tail (``> TEXT '{"id"...}}}}'
    [630 bytes]``), and the tail of a ``start`` is the token, so the text of every frame the
    client sends is left out (its size stays); received frames never hold the token."""

    _PATTERN = re.compile(r"header=[^&\s]*")
    _SENT_TEXT = re.compile(r"^> TEXT .*?( \[\d+ bytes\])?$", re.S)

    def filter(self, record: logging.LogRecord) -> bool:
        message = self._PATTERN.sub("header=<redacted>", record.getMessage())
        message = self._SENT_TEXT.sub(lambda m: f"> TEXT <redacted>{m.group(1) or ''}", message)
        record.msg, record.args = message, None
        return True


_wire_logger = logging.getLogger("avista_dx.realtime.websocket")
_wire_logger.addFilter(_RedactHeader())


class Subscription(AsyncIterator[dict[str, Any]]):
    """A started subscription: iterate for each event's ``data``; ``aclose()`` stops it.

    Also an async context manager (``async with await connection.subscribe(...) as events``).
    """

    def __init__(self, connection: RealtimeConnection, subscription_id: str, operation: str):
        self.id = subscription_id
        self.operation = operation
        self._connection = connection
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._started: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._completed = asyncio.Event()
        self._closed = False

    def __repr__(self) -> str:
        return f"<Subscription {self.operation} {self.id}>"

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self._closed and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is _END:
            self._closed = True
            raise StopAsyncIteration
        if isinstance(item, DxError):
            self._closed = True
            raise item
        data: dict[str, Any] = item
        return data

    async def aclose(self) -> None:
        """Sends ``stop`` and waits (briefly) for ``complete``; nothing arrives afterwards."""
        if not self._closed:
            self._closed = True
            await self._connection._stop(self)
            self._queue.put_nowait(_END)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    # --- called by the connection

    def _on_started(self) -> None:
        if not self._started.done():
            self._started.set_result(None)

    def _on_data(self, payload: Mapping[str, Any]) -> None:
        data = payload.get("data")
        errors = payload.get("errors")
        if errors and not data:
            self._on_failed(
                from_graphql_errors(errors, None, operation=self.operation, status_code=None)
            )
        elif isinstance(data, dict):
            self._queue.put_nowait(data)

    def _on_failed(self, error: DxError) -> None:
        if not self._started.done():
            self._started.set_exception(error)
        else:
            self._queue.put_nowait(error)
        self._completed.set()

    def _on_completed(self) -> None:
        self._completed.set()
        self._queue.put_nowait(_END)


class RealtimeConnection:
    """Any number of subscriptions over one WebSocket (async; one per client and event loop).

    ``graphql_url`` is the client's GraphQL endpoint; the WebSocket URL is derived from it.
    """

    def __init__(
        self,
        graphql_url: str,
        token: str,
        *,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
        ack_timeout: float = DEFAULT_ACK_TIMEOUT,
        reconnect_attempts: int = DEFAULT_RECONNECT_ATTEMPTS,
        reconnect_policy: RetryPolicy | None = None,
        ssl: ssl_module.SSLContext | None = None,
        proxy: str | None = None,
        open_socket: Callable[..., Any] = connect,
    ) -> None:
        host = api_host(graphql_url)
        self._url = realtime_url(graphql_url)
        self._header = _protocol.encode_header(host, token)
        self._protocol = ClientProtocol(host, token, ack_timeout=ack_timeout)
        self._open_timeout = open_timeout
        self._ack_timeout = ack_timeout
        self._policy = reconnect_policy or RetryPolicy(reconnect_attempts)
        self._ssl = ssl
        # websockets' default (True) follows the proxy environment variables, as httpx does.
        self._proxy: str | bool = True if proxy is None else proxy
        self._open_socket = open_socket
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._opening = asyncio.Lock()
        self._subscriptions: dict[str, Subscription] = {}
        self._closing = False
        self._closed = False

    def __repr__(self) -> str:  # never the URL's header (it holds the token)
        state, count = self._protocol.state.value, len(self._subscriptions)
        return f"<RealtimeConnection {state}, {count} subscriptions>"

    async def __aenter__(self) -> RealtimeConnection:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    # --- the public surface

    async def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        operation: str | None = None,
    ) -> Subscription:
        """Starts a subscription and returns once the server has acknowledged it.

        ``operation`` names it in errors (default: ``operation_name`` or ``"subscription"``).
        Raises ``AuthenticationError`` for a rejected token, ``BadRequestError`` for a document
        the server rejects, ``RealtimeConnectionError`` when the socket cannot be opened.
        """
        if self._closing:
            raise RealtimeConnectionError("the real-time connection is closed", request_sent=False)
        name = operation or operation_name or "subscription"
        request = SubscriptionRequest(query, dict(variables or {}), operation_name)
        await self._ensure_open(name)
        subscription = Subscription(self, str(uuid.uuid4()), name)
        self._subscriptions[subscription.id] = subscription
        try:
            await self._send(self._protocol.start(subscription.id, request))
            await asyncio.wait_for(asyncio.shield(subscription._started), self._ack_timeout)
        except asyncio.TimeoutError:
            self._forget(subscription.id)
            raise RealtimeConnectionError(
                f"no start_ack within {self._ack_timeout} s", operation=name
            ) from None
        except BaseException:
            self._forget(subscription.id)
            raise
        logger.debug("real-time: %s started (%s)", name, subscription.id)
        return subscription

    async def close(self) -> None:
        """Stops every subscription, then closes the socket."""
        if self._closing:
            return
        self._closing = True  # no new subscriptions; the reader still takes the completes
        for subscription in list(self._subscriptions.values()):
            with contextlib.suppress(DxError):
                await subscription.aclose()
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        await self._close_socket()

    # --- opening and reconnecting

    async def _ensure_open(self, operation: str) -> None:
        async with self._opening:
            if self._protocol.state is State.READY and self._socket is not None:
                return
            await self._open(operation)
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read_loop(), name="avista-dx-realtime")

    async def _open(self, operation: str) -> None:
        """Socket, connection_init, connection_ack; the reader is not running yet."""
        # websockets refuses ssl= for ws:// and ssl=None for wss://: only a context is passed.
        tls = {} if self._ssl is None else {"ssl": self._ssl}
        try:
            socket = await self._open_socket(
                f"{self._url}?header={self._header}&payload=e30=",
                subprotocols=[Subprotocol(_protocol.SUBPROTOCOL)],
                open_timeout=self._open_timeout,
                ping_interval=None,  # AppSync's keep-alive is its `ka` message
                proxy=self._proxy,
                max_size=None,
                logger=_wire_logger,
                **tls,
            )
        except InvalidURI:
            raise RealtimeConnectionError(
                "the real-time URL is not valid", operation=operation, request_sent=False
            ) from None
        except (OSError, ValueError, InvalidHandshake, asyncio.TimeoutError) as error:
            raise RealtimeConnectionError(
                f"cannot open the real-time WebSocket: {type(error).__name__}: {error}",
                operation=operation,
                request_sent=False,
            ) from None
        self._socket = socket
        loop = asyncio.get_running_loop()
        try:
            await socket.send(self._protocol.initialise(loop.time()))
            while self._protocol.state is State.INITIALISING:
                text = await asyncio.wait_for(
                    socket.recv(), self._protocol.deadline() - loop.time()
                )
                event = self._protocol.receive(str(text), loop.time())
                if isinstance(event, _protocol.ConnectionRejected):
                    raise from_graphql_errors(
                        event.errors, None, operation=operation, status_code=None
                    )
        except asyncio.TimeoutError:
            await self._close_socket()
            raise RealtimeConnectionError(
                f"no connection_ack within {self._ack_timeout} s", operation=operation
            ) from None
        except ConnectionClosed:
            await self._close_socket()
            raise RealtimeConnectionError(
                "the real-time WebSocket closed before connection_ack", operation=operation
            ) from None
        except BaseException:
            await self._close_socket()
            raise

    async def _reconnect(self) -> bool:
        """Reopens the socket and starts the live subscriptions again; False when it gave up."""
        pending = self._protocol.connection_lost()
        await self._close_socket()
        attempt = 0
        while not self._closed:
            last_error: DxError = RealtimeConnectionError("the real-time WebSocket was lost")
            delay = self._policy.delay(last_error, attempt)
            logger.info("real-time: connection lost, reconnecting in %.2f s", delay)
            await asyncio.sleep(delay)
            try:
                async with self._opening:  # a concurrent subscribe() may have reopened it
                    if self._socket is None or self._protocol.state is not State.READY:
                        await self._open("reconnect")
            except AuthenticationError as rejected:
                self._fail_all(rejected)
                return False
            except RealtimeConnectionError as error:
                attempt += 1
                if attempt > self._policy.max_retries:
                    self._fail_all(error)
                    return False
                continue
            for subscription_id, request in pending:
                if subscription_id in self._subscriptions:
                    await self._send(self._protocol.start(subscription_id, request))
                else:
                    self._protocol.forget(subscription_id)
            logger.info("real-time: reconnected, %d subscriptions restarted", len(pending))
            return True
        return False

    # --- reading

    async def _read_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._closed:
            socket = self._socket
            if socket is None:
                return
            try:
                timeout = max(0.0, self._protocol.deadline() - loop.time())
                text = await asyncio.wait_for(socket.recv(), timeout)
            except (asyncio.TimeoutError, ConnectionClosed, OSError):
                if self._closed or not await self._reconnect():
                    return
                continue
            self._dispatch(self._protocol.receive(str(text), loop.time()))

    def _dispatch(self, event: _protocol.Event | None) -> None:
        if event is None:
            return
        if isinstance(event, _protocol.ServerError):
            logger.warning("real-time: server error: %s", event.errors)
            return
        subscription = self._subscriptions.get(getattr(event, "id", ""))
        if subscription is None:
            return
        if isinstance(event, _protocol.Started):
            subscription._on_started()
        elif isinstance(event, _protocol.Data):
            subscription._on_data(event.payload)
        elif isinstance(event, _protocol.Failed):
            self._subscriptions.pop(event.id, None)
            subscription._on_failed(
                from_graphql_errors(
                    event.errors, None, operation=subscription.operation, status_code=None
                )
            )
        elif isinstance(event, _protocol.Completed):
            self._subscriptions.pop(event.id, None)
            subscription._on_completed()

    # --- helpers

    async def _stop(self, subscription: Subscription) -> None:
        message = self._protocol.stop(subscription.id)
        if message is not None and self._socket is not None:
            with contextlib.suppress(ConnectionClosed, OSError):
                await self._send(message)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(subscription._completed.wait(), DEFAULT_STOP_TIMEOUT)
        self._forget(subscription.id)

    async def _send(self, text: str) -> None:
        if self._socket is None:
            raise RealtimeConnectionError("the real-time WebSocket is not open")
        await self._socket.send(text)

    def _forget(self, subscription_id: str) -> None:
        self._subscriptions.pop(subscription_id, None)
        self._protocol.forget(subscription_id)

    def _fail_all(self, error: DxError) -> None:
        for subscription in list(self._subscriptions.values()):
            subscription._on_failed(error)
            self._forget(subscription.id)

    async def _close_socket(self) -> None:
        socket, self._socket = self._socket, None
        if socket is not None:
            with contextlib.suppress(Exception):
                await socket.close()
