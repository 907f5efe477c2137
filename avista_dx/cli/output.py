"""What commands print: rich tables for people, JSON for scripts (`--json`)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

Columns = Sequence[tuple[str, str]]  # (field, header)


def jsonable(value: Any) -> Any:
    """`value` as plain JSON types: models by their documented field names."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def json_text(value: Any) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, BaseModel | Mapping):
        return json_text(value)
    return str(jsonable(value))


class Output:
    """Writes results to stdout (as JSON with `--json`) and notes to stderr."""

    def __init__(self, json_mode: bool) -> None:
        self.json_mode = json_mode
        # No markup or highlighting: names and values print as they are. Into a pipe, rows
        # are never folded at 80 columns (a script reads whole ids).
        wide = None if sys.stdout.isatty() else 100_000
        self.console = Console(highlight=False, soft_wrap=False, width=wide)
        self.errors = Console(stderr=True, highlight=False)

    def emit(self, value: Any, columns: Columns = (), *, title: str | None = None) -> None:
        """One result: a list as a table of `columns`, one object as a field/value table."""
        if self.json_mode:
            self.print_json(value)
        elif isinstance(value, list):
            self.table([_fields(v) for v in value], columns, title=title)
        else:
            self.record(_fields(value), columns)

    def print_json(self, value: Any) -> None:
        sys.stdout.write(json.dumps(jsonable(value), ensure_ascii=False, indent=2) + "\n")

    def table(
        self, rows: Iterable[Mapping[str, Any]], columns: Columns, *, title: str | None = None
    ) -> None:
        table = Table(title=title, box=None, header_style="bold", pad_edge=False)
        for _, header in columns:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(cell(row.get(name)) for name, _ in columns), style=None)
        self.console.print(table, markup=False)

    def record(self, fields: Mapping[str, Any], columns: Columns = ()) -> None:
        names = [(name, header) for name, header in columns] or [(k, k) for k in fields]
        table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for name, header in names:
            table.add_row(header, cell(fields.get(name)))
        self.console.print(table, markup=False)

    def line(self, text: str) -> None:
        """A line for people (nothing with --json: the JSON result is the output)."""
        if not self.json_mode:
            self.console.print(text, markup=False)

    def note(self, text: str) -> None:
        """A note on stderr, so it never mixes with the output a script reads."""
        self.errors.print(text, markup=False)


def _fields(value: Any) -> Mapping[str, Any]:
    if isinstance(value, BaseModel):
        return {name: getattr(value, name) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        return value
    return {"value": value}
