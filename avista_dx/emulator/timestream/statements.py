"""Timestream's metadata statements: SHOW DATABASES | TABLES | MEASURES and DESCRIBE.

They are recognised on sqlglot tokens and answered from the catalog, in the result shapes
captured from the real service.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlglot.tokenizer_core import Token, TokenType

from .errors import QueryValidationError

_NAME_TOKENS = {TokenType.VAR, TokenType.IDENTIFIER}
_VARCHAR = {"ScalarType": "VARCHAR"}


@dataclass(frozen=True, slots=True)
class MetadataStatement:
    """``kind`` is DATABASES, TABLES, MEASURES or DESCRIBE."""

    kind: str
    database_name: str | None = None
    table_name: str | None = None
    like: str | None = None


def parse_metadata_statement(
    query: str, tokens: Sequence[Token], tokenize: Callable[[str], list[Token]]
) -> MetadataStatement | None:
    """The statement if ``tokens`` are SHOW … or DESCRIBE …, else None (a SELECT)."""
    words = [t for t in tokens if t.token_type != TokenType.SEMICOLON]
    if not words:
        raise QueryValidationError("The query string is empty.")
    first = words[0].text.upper()
    if first == "SHOW":
        # sqlglot keeps the rest of a SHOW command as one token: tokenize that rest again.
        words = [words[0]] + [
            t for t in tokenize(query[words[0].end + 1 :]) if t.token_type != TokenType.SEMICOLON
        ]
    if first == "DESCRIBE":
        database, table, rest = _qualified_name(words[1:], "DESCRIBE")
        _expect_end(rest)
        return MetadataStatement("DESCRIBE", database, table)
    if first != "SHOW":
        return None
    if len(words) < 2:
        raise QueryValidationError("SHOW must be followed by DATABASES, TABLES or MEASURES.")
    kind = words[1].text.upper()
    rest = words[2:]
    if kind == "DATABASES":
        like, rest = _like(rest)
        _expect_end(rest)
        return MetadataStatement("DATABASES", like=like)
    if kind == "TABLES" and (not rest or rest[0].text.upper() not in ("FROM", "IN")):
        # AWS documents `SHOW TABLES [LIKE pattern]` without FROM: tables of every database.
        like, rest = _like(rest)
        _expect_end(rest)
        return MetadataStatement("TABLES", like=like)
    if kind in ("TABLES", "MEASURES"):
        if not rest or rest[0].text.upper() not in ("FROM", "IN"):
            raise QueryValidationError(f"SHOW {kind} needs FROM <database>.")
        if kind == "TABLES":
            if len(rest) < 2 or rest[1].token_type not in _NAME_TOKENS:
                raise QueryValidationError("SHOW TABLES FROM expects a database name.")
            database = rest[1].text
            like, rest = _like(rest[2:])
            _expect_end(rest)
            return MetadataStatement("TABLES", database, like=like)
        database, table, rest = _qualified_name(rest[1:], "SHOW MEASURES FROM")
        like, rest = _like(rest)
        _expect_end(rest)
        return MetadataStatement("MEASURES", database, table, like)
    raise QueryValidationError(f"SHOW {words[1].text} is not supported.")


def _qualified_name(tokens: Sequence[Token], what: str) -> tuple[str, str, Sequence[Token]]:
    if (
        len(tokens) >= 3
        and tokens[0].token_type in _NAME_TOKENS
        and tokens[1].token_type == TokenType.DOT
        and tokens[2].token_type in _NAME_TOKENS
    ):
        return tokens[0].text, tokens[2].text, tokens[3:]
    raise QueryValidationError(f'{what} expects "database"."table".')


def _like(tokens: Sequence[Token]) -> tuple[str | None, Sequence[Token]]:
    if tokens and tokens[0].token_type == TokenType.LIKE:
        if len(tokens) < 2 or tokens[1].token_type != TokenType.STRING:
            raise QueryValidationError("LIKE expects a string pattern.")
        return tokens[1].text, tokens[2:]
    return None, tokens


def _expect_end(tokens: Sequence[Token]) -> None:
    if tokens:
        raise QueryValidationError(f"Unexpected {tokens[0].text!r} in the statement.")


def like_matches(pattern: str | None, text: str) -> bool:
    """SQL LIKE (``%`` any run, ``_`` one character), case-sensitive."""
    if pattern is None:
        return True
    expression = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern
    )
    return re.fullmatch(expression, text, flags=re.DOTALL) is not None


def _scalar(text: str) -> dict[str, Any]:
    return {"ScalarValue": text}


def row_json(data: list[dict[str, Any]]) -> str:
    return json.dumps({"Data": data}, separators=(",", ":"), ensure_ascii=False)


def names_result(column: str, names: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """SHOW DATABASES / SHOW TABLES: one VARCHAR column."""
    return [{"Name": column, "Type": _VARCHAR}], [row_json([_scalar(n)]) for n in names]


def measures_result(
    measures: list[tuple[str, str, list[str]]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """SHOW MEASURES: ``measure_name``, ``data_type``, ``dimensions`` (array of rows)."""
    dimension_row = {
        "RowColumnInfo": [
            {"Name": "dimension_name", "Type": _VARCHAR},
            {"Name": "data_type", "Type": _VARCHAR},
        ]
    }
    columns = [
        {"Name": "measure_name", "Type": _VARCHAR},
        {"Name": "data_type", "Type": _VARCHAR},
        {"Name": "dimensions", "Type": {"ArrayColumnInfo": {"Type": dimension_row}}},
    ]
    rows = [
        row_json(
            [
                _scalar(name),
                _scalar(data_type),
                {
                    "ArrayValue": [
                        {"RowValue": {"Data": [_scalar(d), _scalar("varchar")]}} for d in dimensions
                    ]
                },
            ]
        )
        for name, data_type, dimensions in measures
    ]
    return columns, rows


def describe_result(
    columns: list[tuple[str, str, str]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """DESCRIBE: ``Column``, ``Type``, ``Column Category``."""
    info = [
        {"Name": "Column", "Type": _VARCHAR},
        {"Name": "Type", "Type": _VARCHAR},
        {"Name": "Column Category", "Type": _VARCHAR},
    ]
    return info, [row_json([_scalar(n), _scalar(t), _scalar(c)]) for n, t, c in columns]
