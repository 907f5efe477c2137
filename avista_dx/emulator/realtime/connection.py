"""One real-time WebSocket connection: handshake, ``connection_init``, keep-alive, start/stop.

The socket is uvicorn's (its ``websockets`` or ``wsproto`` implementation, through Starlette);
nothing here frames bytes. All writes go through one queue drained by one task, so ``ka``,
acknowledgements and events never interleave mid-message; events arrive from publishing
threads through ``Subscription.deliver``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSchema
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..api.resolvers import SCOPED_TOKEN_FIELDS
from ..errors import TokenRejectedError
from ..services import Caller
from . import messages
from .broker import EventBroker, Subscription
from .documents import Prepare, StartRejectedError, SubscriptionDocument, parse_start
from .messages import ClientMessage, MessageError

logger = logging.getLogger(__name__)

# A connection whose client reads slower than events arrive is closed past this backlog.
MAX_PENDING_MESSAGES = 100_000
POLICY_VIOLATION = 1008


@dataclass(frozen=True, slots=True)
class RealtimeSettings:
    connection_timeout_ms: int
    keep_alive_seconds: float
    max_subscriptions_per_connection: int
    max_connection_seconds: float


class RealtimeEndpoint:
    """The WebSocket route on the GraphQL path."""

    def __init__(
        self,
        schema: GraphQLSchema,
        prepare: Prepare,
        authenticate: Callable[[str | None], Caller],
        broker: EventBroker,
        settings: RealtimeSettings,
    ) -> None:
        self.schema = schema
        self.prepare = prepare
        self.broker = broker
        self.settings = settings
        self._authenticate = authenticate

    def caller_of(self, token: str | None) -> Caller | None:
        """Blocking (the token store): call it from a worker thread."""
        try:
            return self._authenticate(token)
        except TokenRejectedError as failure:
            logger.info("real-time authorization rejected: %s", failure.reason)
            return None

    async def handle(self, websocket: WebSocket) -> None:
        if messages.SUBPROTOCOL not in websocket.scope.get("subprotocols", []):
            # Closing before accepting refuses the upgrade (HTTP 403).
            logger.info("real-time upgrade without subprotocol %s refused", messages.SUBPROTOCOL)
            await websocket.close(code=POLICY_VIOLATION)
            return
        await websocket.accept(subprotocol=messages.SUBPROTOCOL)
        await _Connection(self, websocket).run()


class _Connection:
    def __init__(self, endpoint: RealtimeEndpoint, websocket: WebSocket) -> None:
        self._endpoint = endpoint
        self._settings = endpoint.settings
        self._websocket = websocket
        self._loop = asyncio.get_running_loop()
        self._outbox: asyncio.Queue[tuple[Subscription | None, str] | None] = asyncio.Queue()
        self._live: dict[str, Subscription] = {}
        self._overflowed = False

    # --- writing (every write goes through the outbox)

    def deliver(self, subscription: Subscription | None, text: str) -> None:
        """Queues a message; safe from any thread."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: the connection is gone
            self._loop.call_soon_threadsafe(self._enqueue, subscription, text)

    def _enqueue(self, subscription: Subscription | None, text: str) -> None:
        if self._overflowed:
            return
        if self._outbox.qsize() >= MAX_PENDING_MESSAGES:
            logger.warning(
                "real-time client too slow: closing after %d pending messages",
                MAX_PENDING_MESSAGES,
            )
            self._overflowed = True
            self._release_subscriptions()
            self._outbox.put_nowait(None)
            return
        self._outbox.put_nowait((subscription, text))

    async def _send_loop(self) -> None:
        while (item := await self._outbox.get()) is not None:
            subscription, text = item
            if subscription is not None and self._live.get(subscription.id) is not subscription:
                continue  # stopped: nothing more arrives for its id
            await self._websocket.send_text(text)
        if self._overflowed:
            await self._websocket.close(code=POLICY_VIOLATION)

    async def _keep_alive(self) -> None:
        """``ka`` now and every interval; closes the connection at its maximum age."""
        loop = asyncio.get_running_loop()
        end = loop.time() + self._settings.max_connection_seconds
        while (remaining := end - loop.time()) > 0:
            self.deliver(None, messages.KEEP_ALIVE)
            await asyncio.sleep(min(self._settings.keep_alive_seconds, remaining))
        logger.info("real-time connection reached its maximum duration; closing")
        self._release_subscriptions()
        self._outbox.put_nowait(None)
        await self._websocket.close()

    # --- reading

    async def _receive(self) -> str | None:
        """The next text message; None when the client has gone."""
        message = await self._websocket.receive()
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        if text is None:
            return ""  # a binary frame: not a protocol message (answered as unreadable)
        return str(text)

    async def run(self) -> None:
        token = messages.authorization_token(
            messages.decode_header_parameter(self._websocket.query_params.get("header"))
        )
        caller = await run_in_threadpool(self._endpoint.caller_of, token)
        try:
            if not await self._initialise(caller):
                return
            sender = asyncio.create_task(self._send_loop())
            keep_alive = asyncio.create_task(self._keep_alive())
            try:
                while (text := await self._receive()) is not None and not sender.done():
                    await self._handle(text)
            finally:
                keep_alive.cancel()
                self._release_subscriptions()
                if not sender.done():
                    self._outbox.put_nowait(None)
                with contextlib.suppress(Exception):
                    await sender
        except WebSocketDisconnect:
            pass
        finally:
            self._release_subscriptions()

    async def _initialise(self, caller: Caller | None) -> bool:
        """Waits for ``connection_init`` (other messages before it are ignored), then answers
        ``connection_ack``, or ``connection_error`` and closes for a rejected header."""
        timeout = self._settings.connection_timeout_ms / 1000
        while True:
            try:
                text = await asyncio.wait_for(self._receive(), timeout)
            except asyncio.TimeoutError:  # not the builtin TimeoutError before 3.11
                logger.info("real-time client sent no connection_init; closing")
                await self._websocket.close()
                return False
            if text is None:
                return False
            try:
                message_type = ClientMessage.parse(text).type
            except MessageError:
                message_type = None
            if message_type == "connection_init":
                break
            logger.info("ignoring a real-time message sent before connection_init")
        if caller is None:
            await self._websocket.send_text(
                messages.connection_error([{**messages.UNAUTHORIZED, "errorCode": 401}])
            )
            await self._websocket.close()
            return False
        await self._websocket.send_text(
            messages.connection_ack(self._settings.connection_timeout_ms)
        )
        return True

    async def _handle(self, text: str) -> None:
        try:
            message = ClientMessage.parse(text)
            if message.type == "start":
                await self._start(message)
            elif message.type == "stop":
                self._stop(message)
            else:
                raise MessageError(
                    "UnsupportedOperation",
                    f"Message type '{message.type}' is not supported through the real-time channel",
                    message.id,
                )
        except MessageError as failure:
            self.deliver(None, messages.error(failure.subscription_id, [failure.entry]))

    async def _start(self, message: ClientMessage) -> None:
        subscription_id = message.id
        if subscription_id is None:
            raise MessageError("BadRequestException", "A start message needs an 'id'")
        if subscription_id in self._live:
            raise MessageError(
                "DuplicatedOperationError",
                f"Duplicated operation with id {subscription_id}",
                subscription_id,
            )
        limit = self._settings.max_subscriptions_per_connection
        if len(self._live) >= limit:
            raise MessageError(
                "MaxSubscriptionsReachedError",
                f"Max number of {limit} subscriptions reached",
                subscription_id,
            )
        try:
            caller, document = await run_in_threadpool(self._authorize, message.payload)
        except StartRejectedError as rejected:
            self.deliver(None, messages.error(subscription_id, rejected.errors))
            return
        subscription = Subscription(
            id=subscription_id,
            field=document.field,
            arguments=document.arguments,
            caller=caller,
            render_key=document.key,
            render=document.render,
            deliver=self.deliver,
        )
        self._live[subscription_id] = subscription
        self._endpoint.broker.subscribe(subscription, messages.start_ack(subscription_id))

    def _authorize(self, payload: Any) -> tuple[Caller, SubscriptionDocument]:
        """Blocking: the start's own ``extensions.authorization``, then its document."""
        extensions = payload.get("extensions") if isinstance(payload, dict) else None
        headers = extensions.get("authorization") if isinstance(extensions, dict) else None
        caller = self._endpoint.caller_of(messages.authorization_token(headers))
        if caller is None:
            raise StartRejectedError([dict(messages.UNAUTHORIZED)])
        data = payload.get("data") if isinstance(payload, dict) else None
        document = parse_start(self._endpoint.schema, self._endpoint.prepare, data)
        if caller.scope is not None and document.field not in SCOPED_TOKEN_FIELDS.get(
            caller.token_type, ()
        ):
            # A scoped token (a capture's, an endpoint's) subscribes only to its object's fields.
            raise StartRejectedError([dict(messages.UNAUTHORIZED)])
        return caller, document

    def _stop(self, message: ClientMessage) -> None:
        if message.id is None:
            raise MessageError("BadRequestException", "A stop message needs an 'id'")
        subscription = self._live.pop(message.id, None)
        if subscription is not None:
            self._endpoint.broker.unsubscribe(subscription)
        self.deliver(None, messages.complete(message.id))

    def _release_subscriptions(self) -> None:
        for subscription in self._live.values():
            self._endpoint.broker.unsubscribe(subscription)
        self._live.clear()
