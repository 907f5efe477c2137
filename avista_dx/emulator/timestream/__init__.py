"""Timestream-compatible time-series storage and SQL for the emulator (DuckDB + sqlglot).

The emulator's services talk only to :class:`TimestreamEngine`, :class:`QueryLimits` and the
errors below (``services/timeseries.py`` maps them to the exchange's errors).
"""

from .engine import TimestreamEngine
from .errors import (
    ConflictError,
    QueryTimeoutError,
    QueryValidationError,
    RejectedRecordsError,
    ResourceNotFoundError,
    ThrottlingError,
    TimestreamAccessDenied,
    TimestreamError,
    TimestreamValidationError,
)
from .limits import QueryLimits

__all__ = [
    "ConflictError",
    "QueryLimits",
    "QueryTimeoutError",
    "QueryValidationError",
    "RejectedRecordsError",
    "ResourceNotFoundError",
    "ThrottlingError",
    "TimestreamAccessDenied",
    "TimestreamEngine",
    "TimestreamError",
    "TimestreamValidationError",
]
