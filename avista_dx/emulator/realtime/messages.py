"""AppSync real-time messages: what the server sends, and the client messages it reads.

Shapes (docs/protocol.md §6, AppSync's real-time protocol over subprotocol ``graphql-ws``): every
error carries ``payload.errors``, a list of ``{"errorType", "message"}`` objects.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ..api.inputs import MalformedRequestError, decode_json_body

SUBPROTOCOL = "graphql-ws"

KEEP_ALIVE = '{"type":"ka"}'

UNAUTHORIZED = {
    "errorType": "UnauthorizedException",
    "message": "You are not authorized to make this call.",
}


def _encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def connection_ack(connection_timeout_ms: int) -> str:
    return _encode(
        {"type": "connection_ack", "payload": {"connectionTimeoutMs": connection_timeout_ms}}
    )


def connection_error(errors: list[dict[str, Any]]) -> str:
    return _encode({"type": "connection_error", "payload": {"errors": errors}})


def start_ack(subscription_id: str) -> str:
    return _encode({"type": "start_ack", "id": subscription_id})


def complete(subscription_id: str) -> str:
    return _encode({"type": "complete", "id": subscription_id})


def error(subscription_id: str | None, errors: list[dict[str, Any]]) -> str:
    """A failed ``start`` (with its id) or a message the server cannot read (without one)."""
    message: dict[str, Any] = {"type": "error", "payload": {"errors": errors}}
    if subscription_id is not None:
        message["id"] = subscription_id
    return _encode(message)


class MessageError(Exception):
    """A client message that is not one of the protocol's: answered with an ``error``."""

    def __init__(self, error_type: str, message: str, subscription_id: str | None = None) -> None:
        super().__init__(message)
        self.entry = {"errorType": error_type, "message": message}
        self.subscription_id = subscription_id


@dataclass(frozen=True, slots=True)
class ClientMessage:
    type: str
    id: str | None
    payload: Any

    @classmethod
    def parse(cls, text: str) -> ClientMessage:
        try:
            message = decode_json_body(text)  # nesting, numbers, unstorable text: as over HTTP
        except MalformedRequestError:
            raise MessageError("BadRequestException", "The message is not valid JSON") from None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise MessageError(
                "BadRequestException", "A message must be a JSON object with a string 'type'"
            )
        subscription_id = message.get("id")
        if subscription_id is not None and (
            not isinstance(subscription_id, str) or not subscription_id
        ):
            raise MessageError("BadRequestException", "'id' must be a non-empty string")
        return cls(message["type"], subscription_id, message.get("payload"))


def authorization_token(headers: object) -> str | None:
    """The ``Authorization`` of a header object (``host`` plus the credentials), or None."""
    if not isinstance(headers, dict):
        return None
    token = headers.get("Authorization", headers.get("authorization"))
    return token if isinstance(token, str) and token else None


def decode_header_parameter(value: str | None) -> object:
    """The ``header`` query parameter: base64 of a JSON object; None when it is not one."""
    if not value:
        return None
    # A raw "+" in the URL arrives as a space; the URL-safe alphabet is accepted too.
    value = value.strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        return json.loads(decoded)
    except (binascii.Error, ValueError):
        return None
