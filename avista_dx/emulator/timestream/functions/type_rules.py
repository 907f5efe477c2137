"""``typeof`` and the type rules of expressions (CASE and UNION branches must agree)."""

from __future__ import annotations

from sqlglot import exp

from ..errors import QueryValidationError
from .registry import Function, function, macro
from .static_types import is_numeric, mark, static_type

# DuckDB's type text -> Trino's name (Timestream has no decimal or hugeint: both are shown
# as their Timestream types).
_BASE = (
    "CASE WHEN base IN ('INTEGER') THEN 'integer' WHEN base IN ('BIGINT', 'HUGEINT') THEN"
    " 'bigint' WHEN base IN ('SMALLINT') THEN 'smallint' WHEN base IN ('TINYINT') THEN 'tinyint'"
    " WHEN base IN ('DOUBLE', 'FLOAT') OR starts_with(base, 'DECIMAL') THEN 'double'"
    " WHEN base = 'VARCHAR' THEN 'varchar' WHEN base = 'BOOLEAN' THEN 'boolean'"
    " WHEN base = 'DATE' THEN 'date' WHEN starts_with(base, 'TIMESTAMP') THEN 'timestamp'"
    " WHEN starts_with(base, 'TIME') THEN 'time' WHEN base = 'INTERVAL'"
    " THEN 'interval day to second' WHEN base = '\"NULL\"' THEN 'unknown'"
    " WHEN starts_with(base, 'STRUCT(') OR starts_with(base, 'TUPLE(') THEN 'row(' ||"
    " lower(regexp_replace(regexp_replace(regexp_replace(substr(base, strpos(base, '(') + 1,"
    " length(base) - strpos(base, '(') - 1), 'TIMESTAMP[_A-Z ]*', 'timestamp', 'g'),"
    " 'DECIMAL\\(\\d+,\\d+\\)|DOUBLE|FLOAT', 'double', 'g'), 'HUGEINT', 'bigint', 'g')) || ')'"
    " ELSE lower(base) END"
)

MACROS: dict[str, str] = {
    "trino_base_type(base)": _BASE,
    "trino_type(t)": (
        "CASE WHEN regexp_full_match(t,"
        ' \'STRUCT\\("?time"? TIMESTAMP[_A-Z ]*, "?value"? .*\\)\\[\\]\')'
        " THEN 'timeseries(' || ts_fn.trino_base_type(regexp_extract(t,"
        " 'STRUCT\\(\"?time\"? TIMESTAMP[_A-Z ]*, \"?value\"? (.*)\\)\\[\\]', 1)) || ')'"
        " ELSE repeat('array(', (length(t) - length(rtrim(t, '[]'))) // 2)"
        " || ts_fn.trino_base_type(rtrim(t, '[]'))"
        " || repeat(')', (length(t) - length(rtrim(t, '[]'))) // 2) END"
    ),
    "typeof(x)": "ts_fn.trino_type(typeof(x))",
}


def _typeof(args: list[exp.Expr]) -> exp.Expr:
    # DuckDB has one INTERVAL type; the translator knows which literals are year-to-month.
    argument = args[0]
    unit = argument.unit if isinstance(argument, exp.Interval) else None
    if unit is not None and unit.name.upper() in ("MONTH", "YEAR"):
        return mark(exp.Literal.string("interval year to month"), "varchar")
    return mark(macro("typeof", argument), "varchar")


FUNCTIONS: tuple[Function, ...] = (function("typeof", [1], "typeof(T) varchar", _typeof),)

_GROUPS = {
    "integer": "number",
    "bigint": "number",
    "double": "number",
    "smallint": "number",
    "tinyint": "number",
    "varchar": "varchar",
    "boolean": "boolean",
    "date": "time",
    "timestamp": "time",
    "time": "clock",
    "interval": "interval",
    "array": "array",
}


def _incompatible(types: list[str | None]) -> bool:
    groups = {_GROUPS.get(t or "") for t in types if t not in (None, "unknown")}
    groups.discard(None)
    return len(groups) > 1


def check_case(node: exp.Case) -> None:
    """Trino refuses CASE results of unrelated types (``1`` and ``'a'``); so does the emulator
    when the query text decides the types."""
    results = [branch.args.get("true") for branch in node.args.get("ifs", [])]
    if node.args.get("default") is not None:
        results.append(node.args["default"])
    types = [static_type(result) for result in results if result is not None]
    if _incompatible(types):
        known = sorted({t for t in types if t}, key=types.index)
        raise QueryValidationError(
            "All CASE results must be the same type or coercible to a common type. Cannot find"
            f" common type between {known[0]} and {known[1]}, all types (without duplicates):"
            f" [{', '.join(known)}]"
        )


def case_type(node: exp.Case) -> str | None:
    results = [branch.args.get("true") for branch in node.args.get("ifs", [])]
    if node.args.get("default") is not None:
        results.append(node.args["default"])
    types = {static_type(result) for result in results if result is not None}
    types.discard("unknown")
    if len(types) == 1:
        return types.pop()
    if types and all(is_numeric(t) for t in types):
        return "double" if "double" in types else None
    return None


def check_union(node: exp.SetOperation) -> None:
    """Columns of UNION/INTERSECT/EXCEPT branches must have compatible types."""
    left, right = node.left, node.right
    if not (isinstance(left, exp.Select) and isinstance(right, exp.Select)):
        return
    if any(isinstance(p, exp.Star) for p in (*left.expressions, *right.expressions)):
        return
    for position, (a, b) in enumerate(zip(left.expressions, right.expressions, strict=False)):
        types = [static_type(a.unalias()), static_type(b.unalias())]
        if _incompatible(types):
            raise QueryValidationError(
                f"column {position + 1} in {node.key.upper()} query has incompatible types:"
                f" {types[0]}, {types[1]}"
            )
