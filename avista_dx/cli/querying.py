"""`avista-dx query SQL --db NAME|ID`: a Timestream SQL query, every page, streamed out."""

from __future__ import annotations

import contextlib
import csv
import enum
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from .databases import DbOption, resolve_database
from .failures import CliError
from .output import cell, jsonable
from .session import Session, command

TABLE_PLACEHOLDER = "{table}"
MAX_PAGE_ROWS = 1000  # Timestream's largest MaxRows


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def register(app: typer.Typer) -> None:
    app.command("query")(query)


def import_pyarrow() -> Any:
    """pyarrow and pyarrow.parquet, or a CliError naming the extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ModuleNotFoundError:
        raise CliError(
            "Parquet needs pyarrow, which is not installed",
            hint='pip install "avista-dx[parquet]"',
        ) from None
    return pyarrow


@command
def query(
    session: Session,
    sql: Annotated[
        str,
        typer.Argument(
            help=f"Timestream SQL; {TABLE_PLACEHOLDER} stands for the database's table "
            '("databaseName"."tableName").'
        ),
    ],
    db: DbOption,
    output_format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: table; json with --json)."),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option(min=1, help="Stop after this many rows (default: every row of every page)."),
    ] = None,
    page_size: Annotated[
        int | None, typer.Option(min=1, help="Rows per request (the exchange's maxRows).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (required for parquet)."),
    ] = None,
) -> None:
    """Runs a SQL query, following every page (dx.iterTimeSeriesQuery). csv and json stream
    the rows as pages arrive; table and parquet write them at the end."""
    chosen = output_format or (Format.json if session.out.json_mode else Format.table)
    if chosen is Format.parquet:
        pyarrow = import_pyarrow()
        if output is None:
            raise CliError("--format parquet writes a file", hint="add --output FILE.parquet")
    if chosen is Format.table and output is not None:
        raise CliError("--output writes csv, json or parquet", hint="add --format csv")
    if page_size is None and max_rows is not None and max_rows <= MAX_PAGE_ROWS:
        page_size = max_rows  # fetch no more than is printed
    database = resolve_database(session, db)
    statement = sql.replace(TABLE_PLACEHOLDER, f'"{database.databaseName}"."{database.tableName}"')
    pages = session.client.iterTimeSeriesQuery(
        database.timeSeriesDbId, statement, maxRows=page_size
    )
    columns: list[str] = []
    with _opened(output if chosen is not Format.parquet else None) as stream:

        def rows() -> Iterator[dict[str, Any]]:
            for page in pages:
                columns[:] = columns or page.columns
                yield from page.rows()
                stream.flush()  # what has arrived is out before the next request

        limited = itertools.islice(rows(), max_rows)
        if chosen is Format.parquet:
            assert output is not None
            table = pyarrow.Table.from_pylist(list(limited))
            pyarrow.parquet.write_table(table, output)
            session.out.note(f"{table.num_rows} rows written to {output}")
        elif chosen is Format.table:
            data = list(limited)
            session.out.table(data, [(c, c) for c in columns])
        elif chosen is Format.csv:
            _write_csv(stream, columns, limited)
        else:
            _write_json(stream, limited)


def _write_csv(stream: TextIO, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    first = next(rows, None)  # then the first page has arrived: the columns are known
    writer.writerow(columns)
    for row in itertools.chain([] if first is None else [first], rows):
        writer.writerow([cell(row.get(c)) for c in columns])


def _write_json(stream: TextIO, rows: Iterator[dict[str, Any]]) -> None:
    """A JSON array written row by row, so that it streams and still parses as one value."""
    stream.write("[")
    separator = "\n  "
    for row in rows:
        stream.write(separator + json.dumps(jsonable(row), ensure_ascii=False))
        separator = ",\n  "
    stream.write("]\n" if separator == "\n  " else "\n]\n")


@contextlib.contextmanager
def _opened(path: Path | None) -> Iterator[TextIO]:
    """`path` opened for writing, or stdout (left open)."""
    if path is None:
        yield sys.stdout
        return
    try:
        stream = path.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None
    with stream:
        yield stream
