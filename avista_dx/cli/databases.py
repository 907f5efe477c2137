"""`avista-dx db ls|create|rm`: time series databases (dx.timeSeries)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .failures import CliError, ExitCode
from .session import Session, command

if TYPE_CHECKING:
    from ..types import TimeSeriesDb

app = typer.Typer(help="Time series databases: list, create, delete.", no_args_is_help=True)

COLUMNS = (
    ("name", "NAME"),
    ("timeSeriesDbId", "ID"),
    ("databaseName", "DATABASE"),
    ("tableName", "TABLE"),
    ("description", "DESCRIPTION"),
)
ID_PREFIX = "timeSeriesDbId."
DbOption = Annotated[
    str, typer.Option("--db", help="The database: its name (one you own) or its id.")
]
DbArgument = Annotated[str, typer.Argument(help="The database: its name or its id.")]


def resolve_database(session: Session, name_or_id: str) -> TimeSeriesDb:
    """The database with this id, or the one you own with this name (exactly one)."""
    if name_or_id.startswith(ID_PREFIX):
        return session.client.timeSeries.getDatabase(
            session.expect("time series database", name_or_id)
        )
    matches = [db for db in session.client.timeSeries.listDatabases() if db.name == name_or_id]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(
            f"no time series database named {name_or_id!r}",
            code=ExitCode.NOT_FOUND,
            hint="`avista-dx db ls` lists yours; a shared one is named by its id",
        )
    raise CliError(
        f"{len(matches)} databases are named {name_or_id!r}",
        hint="name it by its id: " + ", ".join(db.timeSeriesDbId for db in matches),
    )


@app.command("ls")
@command
def list_databases(session: Session) -> None:
    """The databases you own (dx.timeSeries.listDatabases)."""
    session.out.emit(session.client.timeSeries.listDatabases(), COLUMNS)


@app.command("create")
@command
def create_database(
    session: Session,
    name: Annotated[str, typer.Argument(help="The new database's name.")],
    description: Annotated[str | None, typer.Option(help="Its description.")] = None,
) -> None:
    """Creates a database (dx.timeSeries.createDatabase)."""
    created = session.client.timeSeries.createDatabase(name, description=description)
    session.out.emit(created, COLUMNS)


@app.command("rm")
@command
def delete_database(
    session: Session,
    database: DbArgument,
) -> None:
    """Deletes a database and all its records (dx.timeSeries.deleteDatabase)."""
    target = resolve_database(session, database)
    session.out.emit(session.client.timeSeries.deleteDatabase(target.timeSeriesDbId), COLUMNS)
