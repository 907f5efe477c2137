"""Timestream result shapes from DuckDB result types: ``ColumnInfo`` and per-row ``Datum`` JSON.

Rows are rendered to JSON text inside DuckDB (one VARCHAR per row), so paging a large result
never builds Python objects per value. ``column_info`` and ``datum_sql`` walk the same type.
"""

from __future__ import annotations

import itertools
from typing import Any

from .errors import QueryValidationError
from .sql_functions import FUNCTION_SCHEMA

NULL_DATUM = '{"NullValue":true}'
TIMESTAMP_FORMAT = "'%Y-%m-%d %H:%M:%S.%n'"

_INTEGER_IDS = {"tinyint", "smallint", "integer", "utinyint", "usmallint"}
_BIGINT_IDS = {"bigint", "hugeint", "ubigint", "uinteger", "uhugeint"}
_DOUBLE_IDS = {"float", "double", "decimal"}
_TIMESTAMP_IDS = {
    "timestamp",
    "timestamp_ns",
    "timestamp_ms",
    "timestamp_s",
    "timestamp with time zone",
}
_VARCHAR_IDS = {"varchar", "uuid", "enum", "bit", "blob"}
_lambda_names = (f"__e{n}" for n in itertools.count())


def _children(duck_type: Any) -> list[tuple[str, Any]]:
    return list(duck_type.children)


def is_time_series(duck_type: Any) -> bool:
    """A ``LIST(STRUCT(time TIMESTAMP…, value …))``: what ``create_time_series`` builds."""
    if duck_type.id != "list":
        return False
    element = _children(duck_type)[0][1]
    if element.id != "struct":
        return False
    fields = _children(element)
    return [name for name, _ in fields] == ["time", "value"] and fields[0][1].id in _TIMESTAMP_IDS


def scalar_type_name(duck_type: Any, year_to_month: bool = False) -> str | None:
    type_id = duck_type.id
    if type_id in _INTEGER_IDS:
        return "INTEGER"
    if type_id in _BIGINT_IDS:
        return "BIGINT"
    if type_id in _DOUBLE_IDS:
        return "DOUBLE"
    if type_id in _TIMESTAMP_IDS:
        return "TIMESTAMP"
    if type_id in _VARCHAR_IDS:
        return "VARCHAR"
    if type_id == "boolean":
        return "BOOLEAN"
    if type_id == "date":
        return "DATE"
    if type_id in ("time", "time with time zone"):
        return "TIME"
    if type_id == "interval":
        return "INTERVAL_YEAR_TO_MONTH" if year_to_month else "INTERVAL_DAY_TO_SECOND"
    if type_id == "null":
        return "UNKNOWN"
    return None


def column_type(duck_type: Any, year_to_month: bool = False) -> dict[str, Any]:
    """The Timestream ``Type`` of a DuckDB type (raises for types Timestream cannot return)."""
    if is_time_series(duck_type):
        value_type = _children(_children(duck_type)[0][1])[1][1]
        return {"TimeSeriesMeasureValueColumnInfo": {"Type": column_type(value_type)}}
    if duck_type.id in ("list", "array"):
        return {"ArrayColumnInfo": {"Type": column_type(_children(duck_type)[0][1])}}
    if duck_type.id == "struct":
        return {
            "RowColumnInfo": [
                {"Name": name, "Type": column_type(child)} for name, child in _children(duck_type)
            ]
        }
    name = scalar_type_name(duck_type, year_to_month)
    if name is None:
        raise QueryValidationError(f"The result type {duck_type} is not supported by Timestream.")
    return {"ScalarType": name}


def datum_sql(expression: str, duck_type: Any) -> str:
    """SQL rendering ``expression`` (of ``duck_type``) as the JSON text of one Datum."""
    return f"COALESCE({_datum_body(expression, duck_type)}, '{NULL_DATUM}')"


def row_sql(columns: list[tuple[str, Any]]) -> str:
    """SQL rendering one result row as ``{"Data":[…]}`` JSON text."""
    parts = " || ',' || ".join(datum_sql(expression, t) for expression, t in columns)
    return "'{\"Data\":[' || " + parts + " || ']}'"


def _scalar(text_sql: str) -> str:
    return '\'{"ScalarValue":"\' || ' + text_sql + " || '\"}'"


def _timestamp_text(expression: str, type_id: str) -> str:
    if type_id == "timestamp with time zone":
        expression = f"CAST({expression} AS TIMESTAMP)"
    elif type_id in ("timestamp_ms", "timestamp_s"):
        expression = f"CAST({expression} AS TIMESTAMP_NS)"
    return f"strftime({expression}, {TIMESTAMP_FORMAT})"


def _datum_body(expression: str, duck_type: Any) -> str:
    type_id = duck_type.id
    if is_time_series(duck_type):
        point = next(_lambda_names)
        time_id = _children(_children(duck_type)[0][1])[0][1].id
        value_type = _children(_children(duck_type)[0][1])[1][1]
        rendered = (
            '\'{"Time":"\' || '
            + _timestamp_text(f"{point}.time", time_id)
            + ' || \'","Value":\' || '
            + datum_sql(f"{point}.value", value_type)
            + " || '}'"
        )
        return (
            "'{\"TimeSeriesValue\":[' || array_to_string(list_transform("
            f"{expression}, lambda {point}: {rendered}), ',') || ']}}'"
        )
    if type_id in ("list", "array"):
        element = next(_lambda_names)
        inner = datum_sql(element, _children(duck_type)[0][1])
        return (
            "'{\"ArrayValue\":[' || array_to_string(list_transform("
            f"{expression}, lambda {element}: {inner}), ',') || ']}}'"
        )
    if type_id == "struct":
        fields = [
            datum_sql(f"struct_extract({expression}, {_string_literal(name)})", child)
            for name, child in _children(duck_type)
        ]
        return '\'{"RowValue":{"Data":[\' || ' + " || ',' || ".join(fields) + " || ']}}'"
    if type_id == "varchar":
        return "'{\"ScalarValue\":' || CAST(to_json(" + expression + ") AS VARCHAR) || '}'"
    if type_id in _VARCHAR_IDS:
        return (
            "'{\"ScalarValue\":' || CAST(to_json(CAST("
            + expression
            + " AS VARCHAR)) AS VARCHAR) || '}'"
        )
    if type_id in ("hugeint", "uhugeint"):
        # DuckDB widens integer sums; Trino's BIGINT sum fails when it overflows.
        return _scalar(f"{FUNCTION_SCHEMA}.checked_bigint_text({expression})")
    if type_id in _INTEGER_IDS or type_id in _BIGINT_IDS or type_id == "boolean":
        return _scalar(f"CAST({expression} AS VARCHAR)")
    if type_id in _DOUBLE_IDS:
        return _scalar(f"{FUNCTION_SCHEMA}.java_double(CAST({expression} AS DOUBLE))")
    if type_id in _TIMESTAMP_IDS:
        return _scalar(_timestamp_text(expression, type_id))
    if type_id == "date":
        return _scalar(f"strftime({expression}, '%Y-%m-%d')")
    if type_id in ("time", "time with time zone"):
        return _scalar(f"strftime(DATE '1970-01-01' + CAST({expression} AS TIME), '%H:%M:%S.%n')")
    if type_id == "interval":
        return _scalar(f"{FUNCTION_SCHEMA}.interval_text({expression})")
    if type_id == "null":
        return f"'{NULL_DATUM}'"
    raise QueryValidationError(f"The result type {duck_type} is not supported by Timestream.")


def _string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
