"""AppSync's real-time protocol as an I/O-free state machine (docs/protocol.md §6).

The connection feeds it every received text with the current monotonic time and sends the
texts it returns; the machine keeps the connection's state, the keep-alive deadline (AppSync's
``connectionTimeoutMs`` is in milliseconds) and the subscriptions to re-start after a
reconnection. It never reads a socket or a clock itself.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._logs import logger

SUBPROTOCOL = "graphql-ws"


@dataclass(frozen=True, slots=True)
class SubscriptionRequest:
    query: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    operation_name: str | None = None


# --- what a received message means


@dataclass(frozen=True, slots=True)
class ConnectionAcknowledged:
    connection_timeout_ms: int


@dataclass(frozen=True, slots=True)
class ConnectionRejected:
    errors: list[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Started:
    id: str


@dataclass(frozen=True, slots=True)
class Data:
    id: str
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Failed:
    """A subscription failed to register, or the server ended it."""

    id: str
    errors: list[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Completed:
    id: str


@dataclass(frozen=True, slots=True)
class ServerError:
    """An ``error`` without an id: about the connection or a message the server could not read."""

    errors: list[Mapping[str, Any]]


Event = (
    ConnectionAcknowledged | ConnectionRejected | Started | Data | Failed | Completed | ServerError
)


class State(enum.Enum):
    CLOSED = "closed"  # no socket: new, or lost (subscriptions wait to be re-started)
    INITIALISING = "initialising"  # connection_init sent, waiting for connection_ack
    READY = "ready"


class SubscriptionState(enum.Enum):
    STARTING = "starting"
    ACTIVE = "active"
    STOPPING = "stopping"


def encode_header(host: str, token: str) -> str:
    """The ``header`` query parameter: base64 of ``{"host", "Authorization"}``."""
    header = json.dumps({"host": host, "Authorization": token}, separators=(",", ":"))
    return base64.b64encode(header.encode()).decode()


def _errors_of(payload: object) -> list[Mapping[str, Any]]:
    """``payload.errors`` (a list of objects); tolerates a lone object as some servers send."""
    errors = payload.get("errors") if isinstance(payload, Mapping) else None
    if isinstance(errors, Mapping):
        errors = [errors]
    if not isinstance(errors, list):
        return [{"message": "the server sent an error without details"}]
    return [e if isinstance(e, Mapping) else {"message": str(e)} for e in errors]


class ClientProtocol:
    """The client side of one real-time connection (and of its successors after reconnects)."""

    def __init__(self, host: str, token: str, *, ack_timeout: float) -> None:
        self._authorization = {"host": host, "Authorization": token}
        self._ack_timeout = ack_timeout
        self.state = State.CLOSED
        self.connection_timeout: float | None = None  # seconds, from connection_ack
        self._last_received = 0.0
        self._requests: dict[str, SubscriptionRequest] = {}
        self._states: dict[str, SubscriptionState] = {}

    def __repr__(self) -> str:  # the token never appears in a repr
        return f"<ClientProtocol {self.state.value}, {len(self._requests)} subscriptions>"

    # --- connection

    def initialise(self, now: float) -> str:
        """The first message on a new socket."""
        self.state = State.INITIALISING
        self._last_received = now
        return json.dumps({"type": "connection_init"})

    def deadline(self) -> float:
        """When the connection counts as dead if nothing more is received (monotonic time)."""
        if self.state is State.READY and self.connection_timeout is not None:
            return self._last_received + self.connection_timeout
        return self._last_received + self._ack_timeout

    def connection_lost(self) -> list[tuple[str, SubscriptionRequest]]:
        """The socket is gone: returns the subscriptions to start again on the next one."""
        self.state = State.CLOSED
        for subscription_id, state in list(self._states.items()):
            if state is SubscriptionState.STOPPING:  # its stop is as good as done
                self.forget(subscription_id)
            else:
                self._states[subscription_id] = SubscriptionState.STARTING
        return list(self._requests.items())

    # --- subscriptions

    def start(self, subscription_id: str, request: SubscriptionRequest) -> str:
        if self.state is not State.READY:
            raise RuntimeError("start before connection_ack")
        self._requests[subscription_id] = request
        self._states[subscription_id] = SubscriptionState.STARTING
        data: dict[str, Any] = {"query": request.query, "variables": dict(request.variables)}
        if request.operation_name is not None:
            data["operationName"] = request.operation_name
        return json.dumps(
            {
                "id": subscription_id,
                "type": "start",
                "payload": {
                    "data": json.dumps(data, separators=(",", ":")),
                    "extensions": {"authorization": self._authorization},
                },
            },
            separators=(",", ":"),
        )

    def stop(self, subscription_id: str) -> str | None:
        """The stop message, or None when there is nothing to stop on the server."""
        if subscription_id not in self._states:
            return None
        if self.state is not State.READY:
            self.forget(subscription_id)
            return None
        self._states[subscription_id] = SubscriptionState.STOPPING
        return json.dumps({"type": "stop", "id": subscription_id})

    def forget(self, subscription_id: str) -> None:
        self._requests.pop(subscription_id, None)
        self._states.pop(subscription_id, None)

    @property
    def subscription_ids(self) -> list[str]:
        return list(self._states)

    # --- receiving

    def receive(self, text: str, now: float) -> Event | None:
        """What a received message means; None for keep-alives and messages to ignore."""
        self._last_received = now
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            logger.warning("real-time: ignoring a message that is not JSON")
            return None
        if not isinstance(message, Mapping):
            logger.warning("real-time: ignoring a message that is not a JSON object")
            return None
        kind, subscription_id, payload = (
            message.get("type"),
            message.get("id"),
            message.get("payload"),
        )
        if kind == "ka":
            return None
        if kind == "connection_ack":
            timeout = payload.get("connectionTimeoutMs") if isinstance(payload, Mapping) else None
            if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
                timeout = 300_000  # AppSync's documented value
            self.state = State.READY
            self.connection_timeout = timeout / 1000  # milliseconds, not seconds
            return ConnectionAcknowledged(timeout)
        if kind == "connection_error":
            self.state = State.CLOSED
            return ConnectionRejected(_errors_of(payload))
        if kind == "error" and not isinstance(subscription_id, str):
            return ServerError(_errors_of(payload))
        if not isinstance(subscription_id, str) or subscription_id not in self._states:
            logger.debug("real-time: ignoring %r for no current subscription", kind)
            return None
        if kind == "start_ack":
            if self._states[subscription_id] is SubscriptionState.STARTING:
                self._states[subscription_id] = SubscriptionState.ACTIVE
            return Started(subscription_id)
        if kind == "data":
            if self._states[subscription_id] is SubscriptionState.STOPPING:
                return None
            return Data(subscription_id, payload if isinstance(payload, Mapping) else {})
        if kind == "error":
            self.forget(subscription_id)
            return Failed(subscription_id, _errors_of(payload))
        if kind == "complete":
            self.forget(subscription_id)
            return Completed(subscription_id)
        logger.info("real-time: ignoring a message of unknown type %r", kind)
        return None
