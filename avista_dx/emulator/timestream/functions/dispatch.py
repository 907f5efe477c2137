"""The translation hook: Timestream functions and operators rewritten on the syntax tree.

The Trino parser is told to keep every catalogue function as a plain call (``Dialect``), so
each family module sees its arguments exactly as written; then one bottom-up pass over the
tree replaces calls and the operators whose meaning depends on Trino's types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any, ClassVar

from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.parsers.trino import TrinoParser
from sqlglot.tokenizer_core import Token, TokenType

from ..errors import QueryValidationError
from ..sql_functions import TIMESTREAM_MACROS
from . import aggregates, arrays, numeric, strings, temporal, timeseries, type_rules
from .registry import Function
from .static_types import mark, mark_table_columns, static_type

_FAMILIES = (temporal, numeric, strings, arrays, aggregates, timeseries, type_rules)
CATALOGUE: dict[str, Function] = {
    entry.name: entry for family in _FAMILIES for entry in family.FUNCTIONS
}
# Documented by AWS but not emulated: refused by name (not "not registered").
UNSUPPORTED = frozenset(
    {
        "interpolate_spline_cubic",
        "approx_set",
        "merge",
        "cardinality_hll",
        "map_agg",
        "histogram",
        "checksum",
        "array_sort_by",
    }
)
# sqlglot nodes the family builders emit besides ts_fn macro calls.
ALLOWED_NODES: frozenset[type[exp.Func]] = frozenset({exp.Try, exp.Exists, exp.Sign})


def _plain_call(name: str) -> Any:
    def build(args: list[exp.Expr]) -> exp.Anonymous:
        return exp.Anonymous(this=name, expressions=args)

    return build


class TimestreamDialect(Trino):
    """Trino, with every catalogue function parsed as a plain call of its own name."""

    class Parser(TrinoParser):
        FUNCTIONS: ClassVar[dict[str, Any]] = {
            **TrinoParser.FUNCTIONS,
            **{name.upper(): _plain_call(name) for name in CATALOGUE},
        }
        FUNCTION_PARSERS: ClassVar[dict[str, Any]] = {
            name: parser
            for name, parser in TrinoParser.FUNCTION_PARSERS.items()
            if name.lower() not in CATALOGUE
        }


def _family_macros() -> dict[str, str]:
    merged: dict[str, str] = {}
    for family in _FAMILIES:
        merged.update(family.MACROS)
    return merged


# Argument errors raised by the macros start with this character, so the engine can tell
# them (already in Timestream's words) from DuckDB's own errors.
FUNCTION_ERROR_MARK = "\x1f"
_RAISE = re.compile(r"\berror\(")


def macro_statements() -> dict[str, str]:
    """Every family's macros (``"name(params)": body``), dependencies first, and the
    NULL-returning twins used inside try()."""
    merged = _family_macros()
    every = {**merged, **aggregates.null_on_error_variants(merged)}
    return {signature: _RAISE.sub("error(chr(31) || ", body) for signature, body in every.items()}


# DuckDB's integer overflow, e.g. "Overflow in addition of INT64 (9223372036854775807 + 1)!".
_OVERFLOW = re.compile(
    r"Overflow in (?P<operation>addition|subtraction|multiplication) of"
    r" INT(?P<bits>32|64) \((?P<operands>[^()]*)\)!"
)
_INTEGER_NAMES = {"32": "integer", "64": "bigint"}


def function_error_message(text: str) -> str | None:
    """The Timestream message of an argument error raised by a catalogue macro, or of an
    integer overflow (Trino: ``bigint addition overflow: 9223372036854775807 + 1``); None
    for other errors."""
    if FUNCTION_ERROR_MARK in text:
        return text.split(FUNCTION_ERROR_MARK, 1)[1].split("\n", 1)[0].strip()
    overflow = _OVERFLOW.search(text)
    if overflow is not None:
        return (
            f"{_INTEGER_NAMES[overflow['bits']]} {overflow['operation']} overflow:"
            f" {overflow['operands']}"
        )
    return None


_TRY_VARIANTS = aggregates.try_variant_names(_family_macros())


def rewrite(
    tree: exp.Expr,
    query: str,
    tokens: Sequence[Token],
    column_types: Callable[[str], Mapping[str, str]] | None = None,
) -> None:
    """Rewrite Timestream functions and typed operators in ``tree`` (children first).

    ``column_types(relation)`` gives the types of the (resolved) tables' columns.
    """
    if column_types is not None:
        mark_table_columns(tree, column_types)
    for node in reversed(list(tree.find_all(exp.Expr))):
        replacement = _rewrite(node, query, tokens)
        if replacement is not None and replacement is not node:
            node.replace(replacement)
    temporal.refuse_nanosecond_durations(tree)


def _rewrite(node: exp.Expr, query: str, tokens: Sequence[Token]) -> exp.Expr | None:
    if isinstance(node, exp.Anonymous):
        return _call(node, query, tokens)
    if isinstance(node, exp.Extract):
        return temporal.extract(node)
    if isinstance(node, exp.Cast):
        return numeric.integral_cast(node)
    if isinstance(node, exp.DPipe):
        return arrays.concat_pair(node.this, node.expression)
    if isinstance(node, exp.Div | exp.Mod):
        return numeric.division(node)
    if isinstance(node, exp.Add | exp.Sub):
        return temporal.date_arithmetic(node)
    if isinstance(node, exp.Bracket):
        return arrays.subscript(node)
    if isinstance(node, exp.Case):
        type_rules.check_case(node)
        mark(node, type_rules.case_type(node))
        return None
    if isinstance(node, exp.SetOperation):
        type_rules.check_union(node)
        return None
    if isinstance(node, exp.Unnest):
        return _unnest_without_alias(node)

    if isinstance(node, exp.DateAdd | exp.TimestampTrunc | exp.DateTrunc):
        return temporal.date_function(node)
    if isinstance(node, exp.CurrentTime):
        return temporal.current_time()
    if isinstance(node, _TEMPORAL_ARGUMENTS):
        temporal.read_varchar_timestamps(node)
    return None


# sqlglot nodes of Trino date functions whose timestamp arguments may be varchar literals.
_TEMPORAL_ARGUMENTS = (exp.DateDiff, exp.TimeToUnix)


def _call(node: exp.Anonymous, query: str, tokens: Sequence[Token]) -> exp.Expr | None:
    name = str(node.this).lower()
    entry = CATALOGUE.get(name)
    if entry is None:
        if (
            name in TIMESTREAM_MACROS
            or name.startswith(("ts_fn.", "__"))
            or name
            in (
                "parse_duration",
                "date_sub",
            )
        ):
            return None
        if name in UNSUPPORTED:
            raise QueryValidationError(f"Function {name} is not supported by the emulator.")
        raise QueryValidationError(
            f"{_position(name, query, tokens)}Function '{name}' not registered"
        )
    arguments = list(node.expressions)
    if len(arguments) not in entry.arities:
        given = ", ".join(static_type(argument) or "unknown" for argument in arguments)
        raise QueryValidationError(
            f"{_position(name, query, tokens)}Unexpected parameters ({given}) for function"
            f" {name}. Expected: {entry.signature}"
        )
    built = entry.build(arguments)
    if isinstance(built, exp.Try):
        aggregates.use_null_on_error_variants(built, _TRY_VARIANTS)
    return built


def _position(name: str, query: str, tokens: Sequence[Token]) -> str:
    """``line L:C: `` of the first call of ``name`` (Trino's error prefix), or nothing."""
    for token, following in pairwise(tokens):
        if token.text.lower() == name and following.token_type == TokenType.L_PAREN:
            column = token.start - (query.rfind("\n", 0, token.start) + 1) + 1
            return f"line {token.line}:{column}: "
    return ""


def _unnest_without_alias(node: exp.Unnest) -> exp.Expr | None:
    # `CROSS JOIN UNNEST(ts)`: AWS documents the columns `time` and `value` (the row fields).
    if node.args.get("alias") is not None or len(node.expressions) != 1:
        return None
    if not isinstance(node.parent, exp.Join | exp.From):
        return None
    expand = exp.Explode(
        this=node.expressions[0],
        expressions=[
            exp.PropertyEQ(this=exp.to_identifier("max_depth"), expression=exp.Literal.number(2))
        ],
    )
    return exp.Subquery(
        this=exp.select(expand),
        alias=exp.TableAlias(this=exp.to_identifier("__unnest", quoted=True)),
    )
