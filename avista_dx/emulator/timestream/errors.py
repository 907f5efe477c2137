"""Errors of the time-series engine.

Each carries the AWS Timestream exception name as ``code`` and, for the emulator's GraphQL
layer, the AppSync ``error_type`` of the error contract plus an ``error_info`` object
(``None`` except for rejected records)::

    TimestreamError                 InternalFailure
    ├── TimestreamValidationError   ValidationException   (malformed write request or record)
    │   └── ConflictError           BadRequestException   (table already exists)
    ├── ResourceNotFoundError       Unauthorized          (unknown table: never reveal existence)
    ├── QueryValidationError        ValidationException   (bad SQL, unsupported, bad NextToken)
    ├── TimestreamAccessDenied      Unauthorized          (can_read refused a table)
    └── RejectedRecordsError        RejectedRecordsException, errorInfo {"RejectedRecords": …}
"""

from __future__ import annotations

from typing import Any


class TimestreamError(Exception):
    """Base class: ``code`` is the AWS exception name (``ValidationException``, ...)."""

    code = "InternalServerException"
    error_type = "InternalFailure"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def error_info(self) -> dict[str, Any] | None:
        return None


class TimestreamValidationError(TimestreamError):
    """A WriteRecords request is malformed as a whole (too many records, bad shape)."""

    code = "ValidationException"
    error_type = "ValidationException"


class ConflictError(TimestreamValidationError):
    """The request conflicts with existing state (the table already exists)."""

    code = "ConflictException"
    error_type = "BadRequestException"


class ResourceNotFoundError(TimestreamError):
    """The database or table named by a create/drop/publish call does not exist."""

    code = "ResourceNotFoundException"
    error_type = "Unauthorized"


class QueryValidationError(TimestreamError):
    """A query is malformed, unsupported, or its NextToken is unknown or expired."""

    code = "ValidationException"
    error_type = "ValidationException"


class TimestreamAccessDenied(TimestreamError):  # noqa: N818 (the published interface name)
    """A query touches a table the caller may not read."""

    code = "AccessDeniedException"
    error_type = "Unauthorized"


class RejectedRecordsError(TimestreamError):
    """Some records were rejected; nothing of the request was written.

    ``rejected_records`` holds Timestream's ``RejectedRecords`` entries:
    ``{"RecordIndex": int, "Reason": str, "ExistingVersion"?: int}``.
    """

    code = "RejectedRecordsException"
    error_type = "RejectedRecordsException"

    def __init__(self, rejected_records: list[dict[str, Any]]) -> None:
        super().__init__("One or more records have been rejected. See RejectedRecords for details.")
        self.rejected_records = rejected_records

    @property
    def error_info(self) -> dict[str, Any] | None:
        return {"RejectedRecords": self.rejected_records}
