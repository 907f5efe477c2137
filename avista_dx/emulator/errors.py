"""Errors the emulator's backends raise; each carries AppSync's ``errorType``.

The GraphQL layer turns them into ``errors[]`` entries (see ``docs/emulator.md`` and the error
contract): the backends never build responses themselves.
"""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """Base class: ``error_type`` becomes ``errorType``, ``message`` the error's message."""

    error_type = "InternalFailure"

    def __init__(self, message: str, *, error_info: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_info = error_info


class UnauthorizedError(EmulatorError):
    """Permission denied, or the object does not exist: a denial never reveals existence."""

    error_type = "Unauthorized"

    def __init__(self) -> None:
        super().__init__("Unauthorized")


class BadRequestError(EmulatorError):
    """An argument value is invalid, or the operation conflicts with the current state."""

    error_type = "BadRequestException"


class InvalidTimestreamRequestError(EmulatorError):
    """A Timestream write or query request is invalid as a whole."""

    error_type = "ValidationException"


class RecordsRejectedError(EmulatorError):
    """A publish had rejected records; nothing of it was written."""

    error_type = "RejectedRecordsException"

    def __init__(self, message: str, rejected_records: list[dict[str, Any]]) -> None:
        super().__init__(message, error_info={"RejectedRecords": rejected_records})


class NotImplementedFieldError(EmulatorError):
    """A root field of the schema that the emulator does not serve."""

    error_type = "NotImplemented"

    def __init__(self, field_name: str, detail: str | None = None) -> None:
        message = f"{field_name} is not implemented by the avista-dx emulator"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.field_name = field_name


class AuthenticationError(Exception):
    """Missing, unknown or expired token: answered with HTTP 401 before any resolver runs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
