"""Errors of the time-series engine, named after the Timestream exceptions they stand for.

The engine knows nothing of the exchange's error contract: the services layer maps these to
the GraphQL errors (``services/timeseries.py``, one table). ``code`` is the AWS exception name::

    TimestreamError                 InternalServerException   (internal fault, no details)
    ├── TimestreamValidationError   ValidationException       (malformed write request or record)
    │   └── ConflictError           ConflictException         (the table already exists)
    ├── ResourceNotFoundError       ResourceNotFoundException (unknown table)
    ├── QueryValidationError        ValidationException       (bad SQL, unsupported, bad NextToken)
    ├── QueryTimeoutError           QueryExecutionException   (the query ran past its time limit)
    ├── ThrottlingError             ThrottlingException       (too many queries at once)
    ├── TimestreamAccessDenied      AccessDeniedException     (can_read refused a table)
    └── RejectedRecordsError        RejectedRecordsException  (``rejected_records``)

Messages name only what the caller wrote (its identifiers, its record indexes), never the
engine's internals.
"""

from __future__ import annotations

from typing import Any


class TimestreamError(Exception):
    """Base class: ``code`` is the AWS exception name (``ValidationException``, ...)."""

    code = "InternalServerException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TimestreamValidationError(TimestreamError):
    """A WriteRecords request is malformed as a whole (too many records, bad shape)."""

    code = "ValidationException"


class ConflictError(TimestreamValidationError):
    """The request conflicts with existing state (the table already exists)."""

    code = "ConflictException"


class ResourceNotFoundError(TimestreamError):
    """The database or table named by a create/drop/publish call does not exist."""

    code = "ResourceNotFoundException"


class QueryValidationError(TimestreamError):
    """A query is malformed, unsupported, or its NextToken is unknown or expired."""

    code = "ValidationException"


class QueryTimeoutError(TimestreamError):
    """A query ran (or waited to run) past the engine's query time limit and was cancelled."""

    code = "QueryExecutionException"


class ThrottlingError(TimestreamError):
    """The caller has too many queries running or waiting; retry later."""

    code = "ThrottlingException"


class TimestreamAccessDenied(TimestreamError):  # noqa: N818 (the published interface name)
    """A query touches a table the caller may not read."""

    code = "AccessDeniedException"


class RejectedRecordsError(TimestreamError):
    """Some records were rejected; nothing of the request was written.

    ``rejected_records`` holds Timestream's ``RejectedRecords`` entries:
    ``{"RecordIndex": int, "Reason": str, "ExistingVersion"?: int}``.
    """

    code = "RejectedRecordsException"

    def __init__(self, rejected_records: list[dict[str, Any]]) -> None:
        super().__init__("One or more records have been rejected. See RejectedRecords for details.")
        self.rejected_records = rejected_records
