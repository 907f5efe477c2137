"""Query runs: executing a translated SELECT, or answering SHOW/DESCRIBE from the catalog."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import duckdb

from .catalog import TableSchema
from .errors import QueryValidationError, TimestreamError
from .functions import function_error_message
from .pagination import CursorRows, ListRows, QueryRun, new_query_id
from .result_format import column_type, row_sql
from .statements import (
    MetadataStatement,
    describe_result,
    like_matches,
    measures_result,
    names_result,
)
from .translate import TableRef, Translation

logger = logging.getLogger(__name__)


def select_run(
    connection: Any,
    query_string: str,
    translation: Translation,
    public_names: dict[str, str],
    max_rows: int | None,
) -> QueryRun:
    """Execute ``translation`` once on a cursor of its own; rows stream out as pages are read.

    ``public_names`` maps internal view names to ``"db"."table"`` for error messages.
    """
    cursor = connection.cursor()
    try:
        relation = cursor.sql(translation.sql)
        names, types = relation.columns, relation.types
        column_info = [
            {"Name": name, "Type": column_type(t, index in translation.year_to_month_columns)}
            for index, (name, t) in enumerate(zip(names, types, strict=True))
        ]
        # Positional aliases: result names may repeat, the rendering must not care.
        aliases = ", ".join(f"__c{index}" for index in range(len(names)))
        rendered = row_sql([(f"__q.__c{index}", t) for index, t in enumerate(types)])
        cursor.execute(f"SELECT {rendered} FROM ({translation.sql}) AS __q({aliases})")
    except duckdb.Error as error:
        cursor.close()
        raise query_error(error, public_names) from None
    except BaseException:
        cursor.close()
        raise
    return QueryRun(
        query_id=new_query_id(),
        query_string=query_string,
        column_info=json.dumps(column_info, separators=(",", ":")),
        source=_CheckedCursorRows(cursor, public_names),
        tables=translation.tables,
        max_rows=max_rows,
    )


def catalog_listing_run(
    query_string: str,
    statement: MetadataStatement,
    readable_tables: Sequence[tuple[str, str]],
    max_rows: int | None,
) -> QueryRun:
    """SHOW DATABASES / SHOW TABLES over the tables the caller may read."""
    if statement.kind == "DATABASES":
        databases = sorted({database for database, _ in readable_tables})
        columns, rows = names_result(
            "Database", [db for db in databases if like_matches(statement.like, db)]
        )
    else:
        names = sorted(
            t
            for db, t in readable_tables
            if statement.database_name is None or db == statement.database_name
        )
        if not names and statement.database_name is not None:
            raise QueryValidationError(f"Database {statement.database_name} does not exist.")
        columns, rows = names_result(
            "Table", [name for name in names if like_matches(statement.like, name)]
        )
    return _list_run(query_string, columns, rows, (), max_rows)


def table_metadata_run(
    query_string: str, statement: MetadataStatement, schema: TableSchema, max_rows: int | None
) -> QueryRun:
    """DESCRIBE / SHOW MEASURES of one (readable) table."""
    if statement.kind == "DESCRIBE":
        columns, rows = describe_result(schema.visible_columns())
    else:
        columns, rows = measures_result(
            [
                (m.name, m.data_type, list(m.dimensions))
                for m in sorted(schema.measures.values(), key=lambda m: m.name)
                if like_matches(statement.like, m.name)
            ]
        )
    tables = (TableRef(schema.database_name, schema.table_name),)
    return _list_run(query_string, columns, rows, tables, max_rows)


def _list_run(
    query_string: str,
    columns: list[dict[str, Any]],
    rows: list[str],
    tables: tuple[TableRef, ...],
    max_rows: int | None,
) -> QueryRun:
    return QueryRun(
        query_id=new_query_id(),
        query_string=query_string,
        column_info=json.dumps(columns, separators=(",", ":")),
        source=ListRows(rows),
        tables=tables,
        max_rows=max_rows,
    )


class _CheckedCursorRows(CursorRows):
    """Cursor rows whose late DuckDB errors (e.g. a failing cast) become query errors."""

    def __init__(self, cursor: Any, public_names: dict[str, str]) -> None:
        super().__init__(cursor)
        self._public_names = public_names

    def fetch(self, count: int) -> list[str]:
        try:
            return super().fetch(count)
        except duckdb.Error as error:
            raise query_error(error, self._public_names) from None


def query_error(error: Exception, public_names: dict[str, str]) -> TimestreamError:
    """A DuckDB error as the client sees it: first paragraph, public table names."""
    function_message = function_error_message(str(error))
    if function_message is not None:
        return QueryValidationError(function_message)  # a function's own argument check
    # DuckDB appends the (translated) SQL and candidate lists after a blank line: drop them.
    message = str(error).strip().split("\n\n", 1)[0].strip()
    for internal, public in public_names.items():
        message = message.replace(internal, public)
    if isinstance(error, duckdb.InternalException | duckdb.FatalException):
        logger.error("DuckDB internal error: %s", message)
        return TimestreamError("Internal error while running the query.")
    return QueryValidationError(message)
