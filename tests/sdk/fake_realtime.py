"""A fake of the exchange's real-time endpoint for the SDK's unit tests (docs/protocol.md §6).

A websockets server on 127.0.0.1 in a thread of its own: it speaks AppSync's `graphql-ws`
messages, validates each subscription document against schema.graphql and, when the fake
exchange emits an event, executes the subscriber's document over it (graphql-core), so that an
event has exactly the subscription's selection. Clients reach it through `open_socket`, the
seam of `RealtimeConnection`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from graphql import graphql_sync, parse, validate
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from .fake_exchange import SCHEMA, TOKEN


@dataclass
class Started:
    socket: ServerConnection
    id: str
    field: str
    query: str
    variables: dict[str, Any]


class FakeRealtime:
    def __init__(self) -> None:
        self.subscriptions: dict[str, Started] = {}
        self.sockets_opened = 0
        self.stops: list[str] = []
        self.before_close: list[Any] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

        async def start() -> Any:
            return await serve(self._serve, "127.0.0.1", 0, subprotocols=["graphql-ws"])

        self._server = self._run(start())
        self.port = self._server.sockets[0].getsockname()[1]

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    def close(self) -> None:
        for close in self.before_close:  # the clients' connections, on their own loops
            close()
        self._server.close()
        self._run(self._server.wait_closed())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def open_socket(self, url: str, **options: Any) -> Any:
        """`RealtimeConnection(open_socket=...)`: the client's URL, served here."""
        query = url.split("?", 1)[1]
        for ignored in ("ssl", "proxy"):
            options.pop(ignored, None)
        return connect(f"ws://127.0.0.1:{self.port}/graphql?{query}", **options)

    def wait_subscribed(self, field: str, count: int = 1, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while sum(s.field == field for s in list(self.subscriptions.values())) < count:
            assert time.monotonic() < deadline, f"no {field} subscription"
            time.sleep(0.005)

    def emit(self, field: str, arguments: dict[str, Any], value: Any) -> None:
        """Pushes `value` (the mutation's result) to every `field` subscriber of those
        arguments, and waits until it is sent."""
        self._run(self._emit(field, arguments, value))

    async def _emit(self, field: str, arguments: dict[str, Any], value: Any) -> None:
        for started in list(self.subscriptions.values()):
            if started.field != field or started.variables != arguments:
                continue
            result = graphql_sync(
                SCHEMA,
                started.query,
                root_value={field: lambda info, **_: value},
                variable_values=started.variables,
            )
            assert not result.errors, result.errors
            payload = {"data": result.data}
            await started.socket.send(
                json.dumps({"type": "data", "id": started.id, "payload": payload})
            )

    async def _serve(self, socket: ServerConnection) -> None:
        self.sockets_opened += 1
        async for text in socket:
            message = json.loads(text)
            kind, subscription_id = message.get("type"), message.get("id")
            if kind == "connection_init":
                ack = {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
                await socket.send(json.dumps(ack))
            elif kind == "start":
                await self._start(socket, subscription_id, message["payload"])
            elif kind == "stop":
                self.stops.append(subscription_id)
                self.subscriptions.pop(subscription_id, None)
                await socket.send(json.dumps({"type": "complete", "id": subscription_id}))

    async def _start(self, socket: ServerConnection, subscription_id: str, payload: Any) -> None:
        request = json.loads(payload["data"])  # a JSON string, not an object
        authorization = payload["extensions"]["authorization"]["Authorization"]
        document = parse(request["query"])
        problems = validate(SCHEMA, document)
        if authorization != TOKEN or problems:
            error = {
                "errorType": "UnauthorizedException" if problems == [] else "ValidationError",
                "message": problems[0].message if problems else "Unauthorized",
            }
            await socket.send(
                json.dumps({"type": "error", "id": subscription_id, "payload": {"errors": [error]}})
            )
            return
        (operation,) = document.definitions
        field = operation.selection_set.selections[0].name.value  # type: ignore[attr-defined]
        self.subscriptions[subscription_id] = Started(
            socket, subscription_id, field, request["query"], request.get("variables") or {}
        )
        await socket.send(json.dumps({"type": "start_ack", "id": subscription_id}))
