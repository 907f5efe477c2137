"""The Timestream function catalogue, one module per family (see ``dispatch``)."""

from .dispatch import (
    ALLOWED_NODES,
    CATALOGUE,
    TimestreamDialect,
    function_error_message,
    macro_statements,
    rewrite,
)
from .temporal import nanosecond_duration

__all__ = [
    "ALLOWED_NODES",
    "CATALOGUE",
    "TimestreamDialect",
    "function_error_message",
    "macro_statements",
    "nanosecond_duration",
    "rewrite",
]
