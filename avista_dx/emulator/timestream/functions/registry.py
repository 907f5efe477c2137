"""The pieces every function family shares: a function's specification and SQL builders.

A family module lists :class:`Function` entries (the Trino name, accepted argument counts, the
signature Timestream reports in errors, and a builder from the parsed arguments to DuckDB
syntax) and the DuckDB macros its builders call (``MACROS``: ``"name(params)": body``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlglot import exp

from ..errors import QueryValidationError
from ..sql_functions import FUNCTION_SCHEMA

Builder = Callable[[list[exp.Expr]], exp.Expr]


@dataclass(frozen=True, slots=True)
class Function:
    """One Timestream function: ``arities`` are the accepted argument counts."""

    name: str
    arities: frozenset[int]
    signature: str
    build: Builder


def function(name: str, arities: Sequence[int], signature: str, build: Builder) -> Function:
    return Function(name, frozenset(arities), signature, build)


def macro(name: str, *arguments: exp.Expr) -> exp.Anonymous:
    """A call of the engine macro ``ts_fn.<name>``."""
    return exp.Anonymous(this=f"{FUNCTION_SCHEMA}.{name}", expressions=list(arguments))


def calls(name: str) -> Builder:
    """A builder passing every argument on to the macro ``name``."""

    def build(arguments: list[exp.Expr]) -> exp.Expr:
        return macro(name, *arguments)

    return build


def string_literal(argument: exp.Expr, what: str) -> str:
    """The text of a string literal argument; other arguments are refused by name."""
    if isinstance(argument, exp.Literal) and argument.is_string:
        return str(argument.this)
    raise QueryValidationError(f"The {what} must be a string literal in the emulator.")


def integer_literal(argument: exp.Expr) -> int | None:
    """The value of an integer literal (also negated), else None."""
    if isinstance(argument, exp.Neg):
        inner = integer_literal(argument.this)
        return None if inner is None else -inner
    if isinstance(argument, exp.Literal) and not argument.is_string and argument.this.isdigit():
        return int(argument.this)
    return None


def cast(argument: exp.Expr, type_name: str) -> exp.Cast:
    return exp.Cast(this=argument, to=exp.DataType.build(type_name, dialect="duckdb"))


def as_timestamp(argument: exp.Expr) -> exp.Expr:
    """A varchar literal where a timestamp is expected is read as one, as Timestream does."""
    if isinstance(argument, exp.Literal) and argument.is_string:
        return cast(argument, "TIMESTAMP_NS")
    return argument


def typed_call(
    name: str,
    arities: Sequence[int],
    signature: str,
    returns: str | None,
    *,
    macro_name: str | None = None,
    temporal: bool = False,
) -> Function:
    """A function that calls one macro with its arguments and returns a known type.

    ``temporal``: the first argument is a timestamp (a varchar literal is read as one).
    """
    from .static_types import mark  # static_types does not import the registry

    target = macro_name or name

    def build(arguments: list[exp.Expr]) -> exp.Expr:
        if temporal:
            arguments = [as_timestamp(arguments[0]), *arguments[1:]]
        return mark(macro(target, *arguments), returns)

    return function(name, arities, signature, build)
