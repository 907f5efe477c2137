"""The emulator's side of the AppSync error contract: the ``errorType`` vocabulary and the
errors the services raise.

The GraphQL layer turns an :class:`AppSyncError` into one ``errors[]`` entry (see
``docs/emulator.md``); the services never build responses themselves. The names differ from
the SDK's (``avista_dx.errors``) on purpose: the two sides of the wire are never confused.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorType(StrEnum):
    """Every ``errorType`` the emulator answers with."""

    # In ``errors[]`` of an HTTP 200 answer.
    UNAUTHORIZED = "Unauthorized"  # denied, or does not exist (never which)
    BAD_REQUEST = "BadRequestException"
    VALIDATION = "ValidationException"  # a Timestream request is invalid
    REJECTED_RECORDS = "RejectedRecordsException"
    VALIDATION_ERROR = "ValidationError"  # the GraphQL document or variables are invalid
    NOT_IMPLEMENTED = "NotImplemented"
    LIMIT_EXCEEDED = "LimitExceededException"  # a request limit, while executing
    EXECUTION_TIMEOUT = "ExecutionTimeout"  # the request's time limit
    INTERNAL_FAILURE = "InternalFailure"
    # Of the request as a whole (HTTP 4xx, nothing executed).
    UNAUTHORIZED_EXCEPTION = "UnauthorizedException"  # 401: missing, unknown or expired token
    MALFORMED_HTTP_REQUEST = "MalformedHttpRequestException"  # 400
    REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLarge"  # 413


class AppSyncError(Exception):
    """Base class: ``error_type`` becomes ``errorType``, ``message`` the error's message."""

    error_type: str = ErrorType.INTERNAL_FAILURE

    def __init__(self, message: str, *, error_info: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_info = error_info


class UnauthorizedError(AppSyncError):
    """Permission denied, or the object does not exist: a denial never reveals existence."""

    error_type = ErrorType.UNAUTHORIZED

    def __init__(self) -> None:
        super().__init__("Unauthorized")


class InvalidRequestError(AppSyncError):
    """An argument value is invalid, or the operation conflicts with the current state."""

    error_type = ErrorType.BAD_REQUEST


class InvalidTimestreamRequestError(AppSyncError):
    """A Timestream write or query request is invalid as a whole."""

    error_type = ErrorType.VALIDATION


class PublishRejectedError(AppSyncError):
    """A publish had rejected records (nothing of it was written): ``errorInfo`` lists them."""

    error_type = ErrorType.REJECTED_RECORDS

    def __init__(self, message: str, rejected_records: list[dict[str, Any]]) -> None:
        super().__init__(message, error_info={"RejectedRecords": rejected_records})


class NotImplementedFieldError(AppSyncError):
    """A root field of the schema that the emulator does not serve."""

    error_type = ErrorType.NOT_IMPLEMENTED

    def __init__(self, field_name: str, detail: str | None = None) -> None:
        message = f"{field_name} is not implemented by the avista-dx emulator"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.field_name = field_name


class TokenRejectedError(Exception):
    """Missing, unknown or expired token: answered with HTTP 401 before any resolver runs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
