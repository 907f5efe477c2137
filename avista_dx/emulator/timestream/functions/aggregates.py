"""Aggregates and conditional expressions Trino has and DuckDB names differently."""

from __future__ import annotations

from sqlglot import exp

from .registry import Function, function, macro, typed_call
from .static_types import mark

MACROS: dict[str, str] = {
    "null_error(message)": "NULL",
    "every(x)": "bool_and(x)",
    "geometric_mean(x)": "exp(avg(ln(CAST(x AS DOUBLE))))",
    "bitwise_and_agg(x)": "CAST(bit_and(CAST(x AS BIGINT)) AS BIGINT)",
    "bitwise_or_agg(x)": "CAST(bit_or(CAST(x AS BIGINT)) AS BIGINT)",
    "regr_intercept(y, x)": "regr_intercept(CAST(y AS DOUBLE), CAST(x AS DOUBLE))",
    "regr_slope(y, x)": "regr_slope(CAST(y AS DOUBLE), CAST(x AS DOUBLE))",
    "skewness(x)": "skewness(CAST(x AS DOUBLE))",
    "kurtosis(x)": "kurtosis(CAST(x AS DOUBLE))",
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
    typed_call("regr_intercept", [2], "regr_intercept(double, double) double", "double"),
    typed_call("regr_slope", [2], "regr_slope(double, double) double", "double"),
    _aggregate("skewness", "skewness(double) double", "double"),
    _aggregate("kurtosis", "kurtosis(double) double", "double"),
)


def null_on_error_variants(macros: dict[str, str]) -> dict[str, str]:
    """``try_<name>`` twins of the macros that raise argument errors, returning NULL instead.

    DuckDB's TRY() refuses volatile functions such as error(), so inside ``try(…)`` the
    translator calls these twins (the checks become NULLs, which try() would return anyway).
    """
    raising = {signature.split("(", 1)[0] for signature, body in macros.items() if "error(" in body}
    changed = True
    while changed:  # a macro calling a raising macro raises too
        changed = False
        for signature, body in macros.items():
            name = signature.split("(", 1)[0]
            if name not in raising and any(f"ts_fn.{other}(" in body for other in raising):
                raising.add(name)
                changed = True
    variants: dict[str, str] = {}
    for signature, body in macros.items():
        name = signature.split("(", 1)[0]
        if name not in raising:
            continue
        twin = body.replace("error(", "ts_fn.null_error(")
        for other in raising:
            twin = twin.replace(f"ts_fn.{other}(", f"ts_fn.try_{other}(")
        variants["try_" + signature] = twin
    return variants


def try_variant_names(macros: dict[str, str]) -> frozenset[str]:
    return frozenset(s.split("(", 1)[0] for s in null_on_error_variants(macros))


def use_null_on_error_variants(node: exp.Try, names: frozenset[str]) -> None:
    for call in node.find_all(exp.Anonymous):
        name = str(call.this)
        if name.startswith("ts_fn.") and "try_" + name.removeprefix("ts_fn.") in names:
            call.set("this", "ts_fn.try_" + name.removeprefix("ts_fn."))
