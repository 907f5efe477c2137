"""DuckDB's errors as Timestream-style messages that name only what the caller wrote.

DuckDB's texts hold the translated SQL, internal relation and column names, its own type
names (``HUGEINT``, ``INT64``, ``STRING_LITERAL``) and candidate lists. A message is rebuilt
from a template that takes only the caller's identifiers (checked against the query's own
tokens) and values; anything unrecognised gets a plain message of its kind, and the original
text goes to the log only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import duckdb
from sqlglot.tokenizer_core import Token

from .errors import QueryValidationError
from .functions import function_error_message
from .positions import location
from .translate import tokenize

logger = logging.getLogger(__name__)

# DuckDB type names in its messages -> Timestream's.
_TYPE_NAMES = {
    "INT8": "tinyint",
    "INT16": "smallint",
    "INT32": "integer",
    "INTEGER": "integer",
    "INT64": "bigint",
    "BIGINT": "bigint",
    "INT128": "bigint",
    "HUGEINT": "bigint",
    "INTEGER_LITERAL": "integer",
    "DOUBLE": "double",
    "FLOAT": "double",
    "DECIMAL": "double",
    "VARCHAR": "varchar",
    "STRING_LITERAL": "varchar",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "DATE": "date",
    "TIME": "time",
    "INTERVAL": "interval",
    "NULL": "unknown",
}
_INTERNAL = re.compile(r"(?i)^__|__ts_|ts_data|ts_meta|ts_fn|^[tv]_\d+$|^_col\d+$")

# (DuckDB message pattern, message builder) in order; builders return None to fall through.
_Builder = Callable[["_Context", re.Match[str]], str | None]


class _Context:
    def __init__(self, query: str) -> None:
        self.query = query
        try:
            self.tokens: list[Token] = tokenize(query)
        except QueryValidationError:  # a message is built even for an untokenizable query
            self.tokens = []

    def user_name(self, name: str) -> str | None:
        """``name`` if the caller wrote it (as an identifier), else None."""
        if _INTERNAL.search(name):
            return None
        base = name.split("::", 1)[0].casefold()
        written = any(token.text.casefold() == base for token in self.tokens)
        return name if written else None

    def where(self, name: str) -> str:
        """``line L:C: `` of the caller's first use of ``name`` ('' when not found)."""
        base = name.split("::", 1)[0].split(".")[-1].casefold()
        for token in self.tokens:
            if token.text.casefold() == base:
                return f"{location(self.query, token.start)}: "
        return ""


def _type_list(arguments: str) -> str:
    names = [part.strip() for part in arguments.split(",") if part.strip()]
    return ", ".join(_TYPE_NAMES.get(name.split("(")[0].upper(), "unknown") for name in names)


def _about_column(template: str) -> _Builder:
    """A message about the caller's column ``match["column"]`` (``{column}`` in ``template``)."""

    def build(context: _Context, match: re.Match[str]) -> str | None:
        column = context.user_name(match["column"])
        if column is None:
            return None
        return context.where(column) + template.format(column=column)

    return build


def _qualified_column_missing(context: _Context, match: re.Match[str]) -> str | None:
    column = context.user_name(match["column"])
    if column is None:
        return None
    table = context.user_name(match["table"])
    name = f"{table}.{column}" if table is not None else column
    return f"{context.where(column)}Column '{name}' does not exist"


def _table_missing(context: _Context, match: re.Match[str]) -> str | None:
    table = context.user_name(match["table"])
    if table is None:
        return None
    return f"{context.where(table)}Relation '{table}' is not in the FROM clause"


def _function_arguments(context: _Context, match: re.Match[str]) -> str | None:
    function = context.user_name(match["function"])
    if function is None:
        return "Unexpected parameters for a function of the query"
    return (
        f"{context.where(function)}Unexpected parameters ({_type_list(match['arguments'])})"
        f" for function {function}"
    )


def _cannot_cast(context: _Context, match: re.Match[str]) -> str | None:
    target = _TYPE_NAMES.get(match["type"].upper())
    if target is None:
        return "Cannot cast a value to the type the query needs"
    return f"Cannot cast '{match['value']}' to {target.upper()}"


def _fixed(text: str) -> _Builder:
    return lambda context, match: text


_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = [
    (
        re.compile(r'Referenced column "(?P<column>[^"]+)" not found'),
        _about_column("Column '{column}' does not exist"),
    ),
    (
        re.compile(
            r'(?:Values list|Table|Binding) "(?P<table>[^"]+)" does not have a column named'
            r' "(?P<column>[^"]+)"'
        ),
        _qualified_column_missing,
    ),
    (re.compile(r'Referenced table "(?P<table>[^"]+)" not found'), _table_missing),
    (
        re.compile(r'Ambiguous reference to column name "(?P<column>[^"]+)"'),
        _about_column("Column '{column}' is ambiguous"),
    ),
    (
        re.compile(r'column "(?P<column>[^"]+)" must appear in the GROUP BY'),
        _about_column("'{column}' must be an aggregate expression or appear in GROUP BY clause"),
    ),
    (
        re.compile(
            r"(?:function call|argument types) [\"'](?P<function>[\w.]+)\((?P<arguments>[^)]*)\)"
        ),
        _function_arguments,
    ),
    (
        re.compile(r"Could not convert string '(?P<value>[^']*)' to (?P<type>\w+)"),
        _cannot_cast,
    ),
    (re.compile(r"(?i)division by zero"), _fixed("Division by zero")),
    (re.compile(r"(?i)overflow"), _fixed("Numeric value out of range (overflow)")),
]

# Per DuckDB exception class, when no pattern matched.
_BY_KIND: list[tuple[type[duckdb.Error], str]] = [
    (duckdb.OutOfMemoryException, "The query needs more memory than the emulator allows."),
    (duckdb.ConversionException, "Cannot cast a value to the type the query needs"),
    (duckdb.OutOfRangeException, "A value of the query is out of range"),
    (duckdb.InvalidInputException, "Invalid input to a function or operator of the query"),
    (duckdb.BinderException, "The query uses a column, function or type in a way it cannot be"),
    (duckdb.ParserException, "The query uses a construct the emulator cannot translate"),
]


def public_message(error: duckdb.Error, query: str) -> str:
    """The message a caller sees for ``error`` raised while running its ``query``."""
    text = str(error).strip()
    logger.debug("DuckDB error for a query: %s", text)
    function_message = function_error_message(text)
    if function_message is not None:
        return function_message  # a catalogue function's own argument check, or an overflow
    first_line = text.split("\n", 1)[0]
    context = _Context(query)
    for pattern, build in _PATTERNS:
        match = pattern.search(first_line)
        if match is not None:
            message = build(context, match)
            if message is not None:
                return message
    for kind, message in _BY_KIND:
        if isinstance(error, kind):
            return message
    return "The query could not be executed"
