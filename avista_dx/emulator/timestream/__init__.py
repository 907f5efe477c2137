"""Timestream-compatible time-series storage and SQL for the emulator (DuckDB + sqlglot).

The emulator's GraphQL resolvers talk only to :class:`TimestreamEngine` and the errors below.
"""

from .engine import TimestreamEngine
from .errors import (
    ConflictError,
    QueryValidationError,
    RejectedRecordsError,
    ResourceNotFoundError,
    TimestreamAccessDenied,
    TimestreamError,
    TimestreamValidationError,
)

__all__ = [
    "ConflictError",
    "QueryValidationError",
    "RejectedRecordsError",
    "ResourceNotFoundError",
    "TimestreamAccessDenied",
    "TimestreamEngine",
    "TimestreamError",
    "TimestreamValidationError",
]
