"""Aggregates and conditional expressions Trino has and DuckDB names differently."""

from __future__ import annotations

from sqlglot import exp

from .registry import Function, function, macro
from .static_types import mark

MACROS: dict[str, str] = {
    "every(x)": "bool_and(x)",
    "geometric_mean(x)": "exp(avg(ln(CAST(x AS DOUBLE))))",
    "bitwise_and_agg(x)": "CAST(bit_and(CAST(x AS BIGINT)) AS BIGINT)",
    "bitwise_or_agg(x)": "CAST(bit_or(CAST(x AS BIGINT)) AS BIGINT)",
    "bool_and(x)": "bool_and(x)",
    "bool_or(x)": "bool_or(x)",
}


def _aggregate(name: str, signature: str, returns: str) -> Function:
    return function(name, [1], signature, lambda args: mark(macro(name, *args), returns))


def _try(args: list[exp.Expr]) -> exp.Expr:
    # DuckDB's TRY() turns the same failures into NULL that Trino's try() does (division by
    # zero, invalid casts, out-of-range values, failed argument checks).
    return exp.Try(this=args[0])


FUNCTIONS: tuple[Function, ...] = (
    _aggregate("every", "every(boolean) boolean", "boolean"),
    _aggregate("bool_and", "bool_and(boolean) boolean", "boolean"),
    _aggregate("bool_or", "bool_or(boolean) boolean", "boolean"),
    _aggregate("geometric_mean", "geometric_mean(double) double", "double"),
    _aggregate("bitwise_and_agg", "bitwise_and_agg(bigint) bigint", "bigint"),
    _aggregate("bitwise_or_agg", "bitwise_or_agg(bigint) bigint", "bigint"),
    function("try", [1], "try(T) T", _try),
)
