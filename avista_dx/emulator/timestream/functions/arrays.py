"""Array functions and operators: Trino's element order, NULL rules and range checks."""

from __future__ import annotations

from sqlglot import exp

from ..errors import QueryValidationError
from .registry import Function, as_timestamp, function, macro
from .static_types import mark, static_type

_HAS_NULL = "len(list_filter(x, lambda v: v IS NULL)) > 0"

MACROS: dict[str, str] = {
    # Trino keeps the first occurrence of each value (and one NULL), in order.
    "array_distinct(x)": ("list_filter(x, lambda v, i: list_position(x, v) = i)"),
    "array_intersect(x, y)": (
        "ts_fn.array_distinct(list_filter(x, lambda v: list_position(y, v) IS NOT NULL))"
    ),
    "array_union(x, y)": "ts_fn.array_distinct(list_concat(x, y))",
    "array_except(x, y)": (
        "ts_fn.array_distinct(list_filter(x, lambda v: list_position(y, v) IS NULL))"
    ),
    "array_max(x)": f"CASE WHEN {_HAS_NULL} THEN NULL ELSE list_max(x) END",
    "array_min(x)": f"CASE WHEN {_HAS_NULL} THEN NULL ELSE list_min(x) END",
    "array_position(x, e)": (
        "CASE WHEN e IS NULL THEN CAST(NULL AS BIGINT)"
        " ELSE CAST(COALESCE(list_position(x, e), 0) AS BIGINT) END"
    ),
    "array_remove(x, e)": (
        "CASE WHEN e IS NULL THEN NULL ELSE list_filter(x, lambda v: v IS DISTINCT FROM e) END"
    ),
    "array_sort(x)": "list_sort(x, 'ASC', 'NULLS LAST')",
    "arrays_overlap(x, y)": (
        "CASE WHEN len(list_filter(x, lambda v: v IS NOT NULL"
        " AND list_position(y, v) IS NOT NULL)) > 0 THEN true"
        " WHEN len(list_filter(x, lambda v: v IS NULL)) > 0"
        " OR len(list_filter(y, lambda v: v IS NULL)) > 0 THEN NULL ELSE false END"
    ),
    "repeat(e, n)": (
        "CASE WHEN n < 0"
        " THEN error('count argument of repeat function must be greater than or equal to 0')"
        " WHEN n > 10000"
        " THEN error('count argument of repeat function must be less than or equal to 10000')"
        " ELSE list_transform(range(n), lambda i: e) END"
    ),
    "slice(x, start, length)": (
        "CASE WHEN start = 0 THEN error('SQL array indices start at 1')"
        " WHEN length < 0 THEN error('length must be greater than or equal to 0')"
        " WHEN length = 0 THEN x[1:0]"
        " WHEN start > 0 THEN list_slice(x, start, start + length - 1)"
        " WHEN len(x) + start + 1 < 1 THEN x[1:0]"
        " ELSE list_slice(x, len(x) + start + 1, len(x) + start + length) END"
    ),
    # Rows of anonymous fields, named as the engine names ROW(…) fields (_0, _1, …).
    "zip2(a, b)": (
        "list_transform(range(1, greatest(len(a), len(b)) + 1), lambda i: {'_0': a[i], '_1': b[i]})"
    ),
    "zip3(a, b, c)": (
        "list_transform(range(1, greatest(len(a), len(b), len(c)) + 1),"
        " lambda i: {'_0': a[i], '_1': b[i], '_2': c[i]})"
    ),
    "zip4(a, b, c, d)": (
        "list_transform(range(1, greatest(len(a), len(b), len(c), len(d)) + 1),"
        " lambda i: {'_0': a[i], '_1': b[i], '_2': c[i], '_3': d[i]})"
    ),
    "shuffle(x)": (
        "list_transform(list_sort(list_transform(x, lambda v, i: {'k': random(), 'i': i})),"
        " lambda p: x[p.i])"
    ),
    "array_reverse(x)": "list_reverse(x)",
    "array_concat(a, b)": "list_concat(a, b)",
    "array_append(a, e)": "list_append(a, e)",
    "array_prepend(e, a)": "list_prepend(e, a)",
    "element_at(x, i)": (
        "CASE WHEN i = 0 THEN error('SQL array indices start at 1') ELSE x[i] END"
    ),
    # `x[i]`: out of range is an error in Trino (element_at returns NULL instead).
    "subscript(x, i)": (
        "CASE WHEN i = 0 THEN error('SQL array indices start at 1')"
        " WHEN i < 0 THEN error('Array subscript is negative: ' || i)"
        " WHEN i > len(x) THEN error('Array subscript must be less than or equal to array"
        " length: ' || i || ' > ' || len(x)) ELSE x[i] END"
    ),
    "flatten(x)": "flatten(x)",
    "array_join(x, delimiter)": (
        "array_to_string(list_transform(x, lambda v: ts_fn.to_varchar(v)), delimiter)"
    ),
    "array_join_nulls(x, delimiter, null_text)": (
        "array_to_string(list_transform(x, lambda v:"
        " COALESCE(ts_fn.to_varchar(v), null_text)), delimiter)"
    ),
    "sequence(a, b)": "generate_series(a, b, CASE WHEN a <= b THEN 1 ELSE -1 END)",
    "transform(x, f)": "list_transform(x, f)",
    "any_match(x, f)": "list_bool_or(list_transform(x, f))",
    "all_match(x, f)": "list_bool_and(list_transform(x, f))",
    "none_match(x, f)": "NOT list_bool_or(list_transform(x, f))",
    "reduce(x, initial, f, finish)": "list_transform([list_reduce(x, f, initial)], finish)[1]",
}


def _array(
    name: str, arities: list[int], signature: str, returns: str | None = "array"
) -> Function:
    return function(name, arities, signature, lambda args: mark(macro(name, *args), returns))


def _reverse(args: list[exp.Expr]) -> exp.Expr:
    if static_type(args[0]) == "array":
        return mark(macro("array_reverse", args[0]), "array")
    return mark(exp.Reverse(this=args[0]), static_type(args[0]))


def _concat(args: list[exp.Expr]) -> exp.Expr:
    """concat(…): arrays when any argument is an array, else strings (NULL if any is NULL)."""
    result = args[0]
    for argument in args[1:]:
        result = concat_pair(result, argument)
    return result


def concat_pair(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    """``left || right`` as Trino types it: array ∥ array, array ∥ element, or varchar."""
    left_type, right_type = static_type(left), static_type(right)
    if left_type == "array" and right_type == "array":
        return mark(macro("array_concat", left, right), "array")
    if left_type == "array":
        return mark(macro("array_append", left, right), "array")
    if right_type == "array":
        return mark(macro("array_prepend", left, right), "array")
    return mark(macro("concat_strings", left, right), "varchar")


def _zip(args: list[exp.Expr]) -> exp.Expr:
    if len(args) > 4:
        raise QueryValidationError("zip of more than 4 arrays is not supported by the emulator.")
    return mark(macro(f"zip{len(args)}", *args), "array")


def _sequence(args: list[exp.Expr]) -> exp.Expr:
    if len(args) == 3:
        return exp.GenerateSeries(
            start=as_timestamp(args[0]), end=as_timestamp(args[1]), step=args[2]
        )
    if {static_type(args[0]), static_type(args[1])} & {"date"}:
        step = exp.Interval(this=exp.Literal.string("1"), unit=exp.Var(this="DAY"))
        return exp.GenerateSeries(start=args[0], end=args[1], step=step)
    return mark(macro("sequence", *args), "array")


FUNCTIONS: tuple[Function, ...] = (
    _array("array_distinct", [1], "array_distinct(array(E)) array(E)"),
    _array("array_intersect", [2], "array_intersect(array(E), array(E)) array(E)"),
    _array("array_union", [2], "array_union(array(E), array(E)) array(E)"),
    _array("array_except", [2], "array_except(array(E), array(E)) array(E)"),
    _array("array_max", [1], "array_max(array(T)) T", None),
    _array("array_min", [1], "array_min(array(T)) T", None),
    _array("array_position", [2], "array_position(array(T), T) bigint", "bigint"),
    _array("array_remove", [2], "array_remove(array(E), E) array(E)"),
    _array("array_sort", [1], "array_sort(array(E)) array(E)"),
    _array("arrays_overlap", [2], "arrays_overlap(array(E), array(E)) boolean", "boolean"),
    _array("repeat", [2], "repeat(T, bigint) array(T)"),
    _array("slice", [3], "slice(array(E), bigint, bigint) array(E)"),
    _array("shuffle", [1], "shuffle(array(E)) array(E)"),
    _array("element_at", [2], "element_at(array(E), bigint) E", None),
    _array("transform", [2], "transform(array(T), function(T,U)) array(U)"),
    _array("any_match", [2], "any_match(array(T), function(T,boolean)) boolean", "boolean"),
    _array("all_match", [2], "all_match(array(T), function(T,boolean)) boolean", "boolean"),
    _array("none_match", [2], "none_match(array(T), function(T,boolean)) boolean", "boolean"),
    _array("reduce", [4], "reduce(array(T), S, function(S,T,S), function(S,R)) R", None),
    _array("flatten", [1], "flatten(array(array(T))) array(T)"),
    function(
        "array_join",
        [2, 3],
        "array_join(array(T), varchar) varchar, array_join(array(T), varchar, varchar) varchar",
        lambda args: mark(
            macro("array_join" if len(args) == 2 else "array_join_nulls", *args), "varchar"
        ),
    ),
    function("zip", [2, 3, 4], "zip(array(T1), array(T2), ...) array(row(T1, T2, ...))", _zip),
    function(
        "reverse", [1], "reverse(varchar(x)) varchar(x), reverse(array(E)) array(E)", _reverse
    ),
    function("concat", list(range(1, 255)), "concat(varchar), concat(array(E))", _concat),
    function(
        "sequence",
        [2, 3],
        "sequence(bigint, bigint) array(bigint),"
        " sequence(bigint, bigint, bigint) array(bigint),"
        " sequence(timestamp, timestamp, interval day to second) array(timestamp)",
        _sequence,
    ),
)


def subscript(node: exp.Bracket) -> exp.Expr | None:
    """``array[i]`` with Trino's range errors; None for rows and maps."""
    if len(node.expressions) != 1 or static_type(node.this) != "array":
        return None
    index = node.expressions[0]
    # sqlglot keeps subscripts 0-based inside the tree (Trino's offset 1 is removed).
    one_based = (
        exp.Literal.number(int(index.this) + 1)
        if isinstance(index, exp.Literal)
        and not index.is_string
        and index.this.lstrip("-").isdigit()
        else exp.Add(this=index, expression=exp.Literal.number(1))
    )
    return macro("subscript", node.this, one_based)
