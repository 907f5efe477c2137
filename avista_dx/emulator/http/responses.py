"""JSON answers in the error contract's shape, including the last resort for a bug."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import ErrorType

logger = logging.getLogger(__name__)


def json_text(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


def json_response(status: int, body: dict[str, Any] | str) -> Response:
    """A JSON answer; ``body`` may be encoded already (:func:`json_text`, off the event loop)."""
    text = body if isinstance(body, str) else json_text(body)
    return Response(text, status_code=status, media_type="application/json")


def error_body(error_type: str, message: str) -> dict[str, Any]:
    return {"errors": [{"errorType": error_type, "message": message}]}


def error_response(status: int, error_type: str, message: str) -> Response:
    return json_response(status, error_body(error_type, message))


async def internal_failure(request: Request, error: Exception) -> Response:
    """Any unexpected exception: logged with its traceback, answered without it (JSON 500)."""
    logger.error("internal failure in %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, ErrorType.INTERNAL_FAILURE, "An internal failure occurred.")
