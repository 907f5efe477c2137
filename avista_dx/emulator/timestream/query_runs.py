"""Query runs: executing a translated SELECT, or answering SHOW/DESCRIBE from the catalog."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .catalog import TableSchema
from .errors import QueryValidationError
from .pagination import ListRows, QueryRun, new_query_id
from .sandbox import QuerySandbox
from .statements import (
    MetadataStatement,
    describe_result,
    like_matches,
    measures_result,
    names_result,
)
from .translate import TableRef, Translation


def select_run(
    sandbox: QuerySandbox,
    query_string: str,
    translation: Translation,
    max_rows: int | None,
    principal: str,
    deadline: float,
) -> QueryRun:
    """Execute ``translation`` once, within the sandbox's limits; pages read the kept rows."""
    column_info, rows = sandbox.execute(translation, query_string, principal, deadline)
    return QueryRun(
        query_id=new_query_id(),
        query_string=query_string,
        column_info=column_info,
        source=rows,
        tables=translation.tables,
        max_rows=max_rows,
        principal=principal,
    )


def catalog_listing_run(
    query_string: str,
    statement: MetadataStatement,
    readable_tables: Sequence[tuple[str, str]],
    max_rows: int | None,
    principal: str,
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
    return _list_run(query_string, columns, rows, (), max_rows, principal)


def table_metadata_run(
    query_string: str,
    statement: MetadataStatement,
    schema: TableSchema,
    max_rows: int | None,
    principal: str,
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
    return _list_run(query_string, columns, rows, tables, max_rows, principal)


def _list_run(
    query_string: str,
    columns: list[dict[str, Any]],
    rows: list[str],
    tables: tuple[TableRef, ...],
    max_rows: int | None,
    principal: str,
) -> QueryRun:
    return QueryRun(
        query_id=new_query_id(),
        query_string=query_string,
        column_info=json.dumps(columns, separators=(",", ":")),
        source=ListRows(rows),
        tables=tables,
        max_rows=max_rows,
        principal=principal,
    )
