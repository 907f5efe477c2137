"""Maps whatever a request raised (generated-client, httpx, pydantic) onto the `DxError` tree.

I/O-free: shared by the sync and async clients.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pydantic
from avista_dx_graphql.exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)

from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    DxError,
    GraphQLError,
    InvalidResponseError,
    NotImplementedByServerError,
    PermissionDeniedError,
    RateLimitError,
    RejectedRecordsError,
    ServerError,
)

# The exceptions `map_error` understands; anything else is a bug and propagates unchanged.
MAPPABLE_ERRORS: tuple[type[BaseException], ...] = (
    DxError,
    GraphQLClientError,
    httpx.HTTPError,
    httpx.InvalidURL,
    pydantic.ValidationError,
)

_THROTTLING_TYPES = frozenset(
    {"ThrottlingException", "TooManyRequestsException", "LimitExceededException"}
)
_BAD_REQUEST_TYPES = frozenset(
    {
        "ValidationError",
        "BadRequestException",
        "ValidationException",
        "MalformedHttpRequestException",
    }
)
_MAX_MESSAGE_CHARS = 2000


def map_error(exc: BaseException, operation: str) -> DxError:
    """Returns the `DxError` for `exc`, raised while running `operation`."""
    if isinstance(exc, DxError):
        if exc.operation is None:
            exc.operation = operation
        return exc
    if isinstance(exc, GraphQLClientGraphQLMultiError):
        originals = [e.original or {"message": e.message} for e in exc.errors]
        return from_graphql_errors(originals, exc.data, operation=operation, status_code=200)
    if isinstance(exc, GraphQLClientHttpError):
        response = exc.response
        if isinstance(response, httpx.Response):
            return from_http_status(response, operation)
        return APIStatusError(f"HTTP {exc.status_code}", operation=operation)
    if isinstance(exc, GraphQLClientInvalidResponseError):
        return InvalidResponseError(
            "the response is not a GraphQL JSON object (neither `data` nor `errors`)",
            operation=operation,
            unparseable=True,
        )
    # Connect failures and pool timeouts happen before any byte of the request is sent.
    unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{type(exc).__name__}: {exc}", operation=operation, request_sent=not unsent
        )
    if isinstance(exc, httpx.HTTPError | httpx.InvalidURL):
        return APIConnectionError(
            f"{type(exc).__name__}: {exc}", operation=operation, request_sent=not unsent
        )
    if isinstance(exc, pydantic.ValidationError):
        return InvalidResponseError(_describe_validation_error(exc), operation=operation)
    return DxError(f"{type(exc).__name__}: {exc}", operation=operation)


def from_graphql_errors(
    errors: Sequence[Mapping[str, Any]],
    data: Mapping[str, Any] | None,
    *,
    operation: str,
    status_code: int | None,
    retry_after: float | None = None,
) -> APIError:
    """Classifies a whole `errors[]` list: the most specific meaning found in any entry wins."""
    message = "; ".join(_message_of(e) for e in errors) or "unknown error"
    kwargs: dict[str, Any] = {
        "operation": operation,
        "status_code": status_code,
        "errors": errors,
        "data": data,
        "retry_after": retry_after,
    }
    types = [e.get("errorType") for e in errors]
    for error in errors:
        if error.get("errorType") == "UnauthorizedException":
            return AuthenticationError(message, error_type="UnauthorizedException", **kwargs)
    for error in errors:
        if error.get("errorType") == "RejectedRecordsException":
            info = error.get("errorInfo")
            rejected = info.get("RejectedRecords", []) if isinstance(info, Mapping) else []
            return RejectedRecordsError(
                message,
                error_type="RejectedRecordsException",
                rejected_records=rejected if isinstance(rejected, list) else [],
                **kwargs,
            )
    for error in errors:
        if error.get("message") == "Unauthorized" or error.get("errorType") == "Unauthorized":
            return PermissionDeniedError(message, error_type=error.get("errorType"), **kwargs)
    for error, error_type in zip(errors, types, strict=True):
        if error_type in _BAD_REQUEST_TYPES or _message_of(error).startswith("Validation error"):
            return BadRequestError(message, error_type=error_type, **kwargs)
    for error_type in types:
        if error_type in _THROTTLING_TYPES:
            return RateLimitError(message, error_type=error_type, **kwargs)
    for error_type in types:
        if error_type == "InternalFailure":
            return ServerError(message, error_type=error_type, **kwargs)
    for error_type in types:
        if error_type == "NotImplemented":
            return NotImplementedByServerError(message, error_type=error_type, **kwargs)
    first_type = next((t for t in types if isinstance(t, str)), None)
    return GraphQLError(message, error_type=first_type, **kwargs)


def from_http_status(response: httpx.Response, operation: str) -> APIError:
    """Maps a non-2xx response; a JSON body's `errors[]` refines the class and the message."""
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    errors = _errors_in_body(response)
    if status in (401, 403):
        message = "; ".join(_message_of(e) for e in errors) or f"HTTP {status}"
        return AuthenticationError(
            message,
            operation=operation,
            status_code=status,
            error_type="UnauthorizedException",
            errors=errors,
        )
    if errors:
        mapped = from_graphql_errors(
            errors, None, operation=operation, status_code=status, retry_after=retry_after
        )
        if type(mapped) is not GraphQLError:
            return mapped
    message = _status_message(response, errors)
    kwargs: dict[str, Any] = {
        "operation": operation,
        "status_code": status,
        "errors": errors,
        "retry_after": retry_after,
        "error_type": next((e.get("errorType") for e in errors if e.get("errorType")), None),
    }
    if status == 429:
        return RateLimitError(message, **kwargs)
    if status >= 500:
        return ServerError(message, **kwargs)
    if status in (400, 413):
        return BadRequestError(message, **kwargs)
    return APIStatusError(message, **kwargs)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date), else None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (ValueError, TypeError, IndexError):
            return None
        if parsed.tzinfo is None:  # "-0000": UTC by RFC 5322
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        seconds = parsed.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def _errors_in_body(response: httpx.Response) -> list[Mapping[str, Any]]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, httpx.ResponseNotRead):
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [e for e in errors if isinstance(e, Mapping)]


def _status_message(response: httpx.Response, errors: Sequence[Mapping[str, Any]]) -> str:
    if errors:
        return f"HTTP {response.status_code}: " + "; ".join(_message_of(e) for e in errors)
    reason = response.reason_phrase or "error"
    try:
        text = response.text.strip()
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        text = ""
    snippet = f": {text[:200]}" if text else ""
    return f"HTTP {response.status_code} {reason}{snippet}"


def _message_of(error: Mapping[str, Any]) -> str:
    message = error.get("message")
    if isinstance(message, str) and message:
        return message[:_MAX_MESSAGE_CHARS]
    error_type = error.get("errorType")
    return str(error_type) if error_type else "error without a message"


def _describe_validation_error(exc: pydantic.ValidationError) -> str:
    # Only locations and error kinds: the raw input may hold user data.
    problems = [
        f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
        for err in exc.errors(include_url=False, include_input=False)[:5]
    ]
    more = exc.error_count() - len(problems)
    suffix = f" (+{more} more)" if more > 0 else ""
    return "unexpected response shape: " + "; ".join(problems) + suffix
