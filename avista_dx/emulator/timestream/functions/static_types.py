"""The Timestream type of an expression when the query text alone decides it.

Only what is certain is answered (literals, casts, ``measure_value::x`` columns, results of
the engine's own functions, arithmetic on those); anything else is ``None`` and is left to
DuckDB. Rewrites use this where Trino's meaning depends on a type DuckDB would decide
differently (``DATE + 1d``, ``1e0 / 0``, ``'a' || 1``, ``ARRAY[1] || 2``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlglot import exp

TYPE_META = "ts_type"
# Type names as Trino writes them in errors and typeof().
_INTEGERS = {"integer", "bigint", "smallint", "tinyint"}
_CAST_NAMES = {
    exp.DType.INT: "integer",
    exp.DType.BIGINT: "bigint",
    exp.DType.SMALLINT: "smallint",
    exp.DType.TINYINT: "tinyint",
    exp.DType.DOUBLE: "double",
    exp.DType.FLOAT: "double",
    exp.DType.DECIMAL: "double",
    exp.DType.VARCHAR: "varchar",
    exp.DType.CHAR: "varchar",
    exp.DType.TEXT: "varchar",
    exp.DType.BOOLEAN: "boolean",
    exp.DType.DATE: "date",
    exp.DType.TIMESTAMP: "timestamp",
    exp.DType.TIMESTAMPNTZ: "timestamp",
    exp.DType.TIMESTAMP_NS: "timestamp",
    exp.DType.TIME: "time",
}


def mark_table_columns(tree: exp.Expr, column_types: Callable[[str], Mapping[str, str]]) -> None:
    """Record the types of table columns the query names.

    A name is typed only when every table of the query that has it agrees on its type and the
    query never defines the name itself (an alias, a CTE or derived-table column), so a
    reference can only mean that table column.
    """
    known: dict[str, str | None] = {}
    for table in tree.find_all(exp.Table):
        if not table.db:
            continue
        for name, table_type in column_types(f"{table.db}.{table.name}").items():
            key = name.casefold()
            known[key] = table_type if known.get(key, table_type) == table_type else None
    if not known:
        return
    defined = {alias.alias.casefold() for alias in tree.find_all(exp.Alias)}
    for table_alias in tree.find_all(exp.TableAlias):
        defined.update(column.name.casefold() for column in table_alias.columns)
    for column in tree.find_all(exp.Column):
        key = column.name.casefold()
        column_type = known.get(key)
        if column_type is not None and key not in defined:
            mark(column, column_type)


def mark(node: exp.Expr, type_name: str | None) -> exp.Expr:
    """Record the type of a node built by a rewrite (read back by :func:`static_type`)."""
    if type_name is not None:
        node.meta[TYPE_META] = type_name
    return node


def is_numeric(type_name: str | None) -> bool:
    return type_name in _INTEGERS or type_name == "double"


def is_integral(type_name: str | None) -> bool:
    return type_name in _INTEGERS


def static_type(node: exp.Expr) -> str | None:
    """``integer``, ``bigint``, ``double``, ``varchar``, ``boolean``, ``date``, ``timestamp``,
    ``time``, ``interval``, ``array``, ``unknown`` (a bare NULL), or None when not certain."""
    recorded = node.meta.get(TYPE_META) if node.meta else None
    if isinstance(recorded, str):
        return recorded
    if isinstance(node, exp.Paren):
        return static_type(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return "varchar"
        if any(ch in node.this for ch in ".eE"):
            return "double"
        return "integer" if abs(int(node.this)) <= 2**31 - 1 else "bigint"
    if isinstance(node, exp.Null):
        return "unknown"
    if isinstance(node, exp.Boolean):
        return "boolean"
    if isinstance(node, exp.Cast | exp.TryCast):
        if node.to.is_type(exp.DType.ARRAY):
            return "array"
        return _CAST_NAMES.get(node.to.this)
    if isinstance(node, exp.Array):
        return "array"
    if isinstance(node, exp.Interval):
        return "interval"
    if isinstance(node, exp.CurrentDate):
        return "date"
    if isinstance(node, exp.FromISO8601Date):
        return "date"
    if isinstance(node, exp.Column) and node.name.startswith("measure_value::"):  # no catalogue
        return _CAST_NAMES.get(
            exp.DataType.build(node.name.split("::", 1)[1], dialect="trino").this
        )
    if isinstance(node, exp.Neg | exp.Max | exp.Min | exp.Abs | exp.AnyValue | exp.Round):
        return static_type(node.this)
    if isinstance(node, exp.Avg | exp.Stddev | exp.StddevSamp | exp.StddevPop | exp.Variance):
        return "double"
    if isinstance(node, exp.Sum):
        inner = static_type(node.this)
        return "bigint" if is_integral(inner) else inner
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod):
        left, right = static_type(node.this), static_type(node.expression)
        if (left == "double" and is_numeric(right)) or (right == "double" and is_numeric(left)):
            return "double"
        if is_integral(left) and is_integral(right):
            return "bigint" if "bigint" in (left, right) else "integer"
        if left in ("date", "timestamp") and right == "interval":
            return left
    return None
