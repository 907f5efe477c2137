"""The Timestream function catalogue, one module per family (see ``dispatch``)."""

from .datetime import nanosecond_duration
from .dispatch import (
    ALLOWED_NODES,
    CATALOGUE,
    TimestreamDialect,
    function_error_message,
    macro_statements,
    rewrite,
)

__all__ = [
    "ALLOWED_NODES",
    "CATALOGUE",
    "TimestreamDialect",
    "function_error_message",
    "macro_statements",
    "nanosecond_duration",
    "rewrite",
]
