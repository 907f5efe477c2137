"""`avista-dx publish FILE.csv|FILE.parquet`: rows of a file as time-series records of one
asset (records_from_rows, then dx.publishToTimeSeriesDatabase), with a progress bar."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .arguments import names
from .databases import DbOption, resolve_database
from .failures import CliError, ExitCode
from .querying import import_pyarrow
from .session import Session, command

if TYPE_CHECKING:
    from ..types import TimeSeriesInputRecord

# Records per publish call: the SDK sends 100 a request, 4 requests at once.
RECORDS_PER_STEP = 400


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


def parse_measure_types(text: str | None) -> dict[str, str]:
    """`kwh=DOUBLE,label=VARCHAR` → {"kwh": "DOUBLE", "label": "VARCHAR"}."""
    types = {}
    for item in names(text):
        name, equals, kind = item.partition("=")
        if not equals or not name.strip() or not kind.strip():
            raise CliError(
                f"--measure-types: {item!r} is not NAME=TYPE", hint="e.g. kwh=DOUBLE,label=VARCHAR"
            )
        types[name.strip()] = kind.strip().upper()
    return types


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a .csv (strings, empty cells skipped later) or .parquet file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    if suffix == ".parquet":
        pyarrow = import_pyarrow()
        try:
            rows: list[dict[str, Any]] = pyarrow.parquet.read_table(path).to_pylist()
        except (OSError, pyarrow.ArrowException) as error:
            raise CliError(f"{path}: not a readable Parquet file ({error})") from None
        return rows
    if suffix != ".csv":
        raise CliError(
            f"{path}: publish reads .csv and .parquet files", hint="rename it or convert it"
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return list(csv.DictReader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CliError(f"{path}: not a readable CSV file ({error})") from None


@command
def publish(
    session: Session,
    file: Annotated[
        Path, typer.Argument(help="A .csv file (with a header row) or a .parquet file.")
    ],
    db: DbOption,
    asset: Annotated[str, typer.Option(help="The asset the records belong to (its id).")],
    time_column: Annotated[
        str, typer.Option(help="The column holding each record's time.")
    ] = "time",
    dimensions: Annotated[
        str | None, typer.Option(help="Comma-separated columns that become dimensions.")
    ] = None,
    measures: Annotated[
        str | None,
        typer.Option(help="Comma-separated measure columns (default: every other column)."),
    ] = None,
    measure_types: Annotated[
        str | None,
        typer.Option(
            help="NAME=TYPE pairs, comma-separated (BIGINT, DOUBLE, BOOLEAN, VARCHAR, "
            "TIMESTAMP); a CSV's measures are text, so each needs one."
        ),
    ] = None,
    measure_name: Annotated[
        str | None,
        typer.Option(help="Publish one MULTI record per row under this name (several measures)."),
    ] = None,
    time_unit: Annotated[
        str | None,
        typer.Option(
            help="The time column's unit: MILLISECONDS (default), SECONDS, MICROSECONDS "
            "or NANOSECONDS."
        ),
    ] = None,
) -> None:
    """Publishes every row of FILE as a record of one asset (records_from_rows, then
    dx.publishToTimeSeriesDatabase). Every row is checked before anything is sent."""
    from .. import records_from_rows

    rows = read_rows(file)
    records = records_from_rows(
        rows,
        time_field=time_column,
        dimension_fields=names(dimensions),
        measure_fields=names(measures) or None,
        measure_name=measure_name,
        measure_types=parse_measure_types(measure_types),
        time_unit=time_unit.upper() if time_unit else None,
    )
    if not records:
        raise CliError(f"{file}: no rows to publish")
    database = resolve_database(session, db)
    written = _publish_with_progress(session, database.timeSeriesDbId, asset, records)
    result = {"file": str(file), "database": database.name, "assetId": asset, "records": written}
    if session.out.json_mode:
        session.out.print_json(result)
    else:
        session.out.line(f"published {written} records of {asset} to {database.name}")


def _publish_with_progress(
    session: Session, database_id: str, asset: str, records: Sequence[TimeSeriesInputRecord]
) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from ..errors import DxError, PartialPublishError

    columns = (TextColumn("publishing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # On stderr, so that --json output stays one document; hidden when stderr is no terminal.
    with Progress(
        *columns,
        console=session.out.errors,
        transient=True,
        disable=not session.out.errors.is_terminal,
    ) as progress:
        task = progress.add_task("publish", total=len(records))
        for start in range(0, len(records), RECORDS_PER_STEP):
            step = records[start : start + RECORDS_PER_STEP]
            try:
                session.client.publishToTimeSeriesDatabase(database_id, asset, step)
            except DxError as error:
                if start == 0 and not isinstance(error, PartialPublishError):
                    raise  # nothing was written
                last = start + len(step) - 1
                raise CliError(
                    f"publishing records {start} to {last} (indexes below count from {start}) "
                    f"failed: {error}",
                    code=ExitCode.EXCHANGE,
                    hint=f"records 0 to {start - 1} were written" if start else "",
                ) from None
            except KeyboardInterrupt as interrupt:
                # The SDK's cause says which of this step's requests were written.
                cause = interrupt.__cause__
                raise CliError(
                    f"interrupted while publishing records {start} to {start + len(step) - 1}"
                    + (f": {cause}" if cause is not None else ""),
                    code=ExitCode.INTERRUPTED,
                    hint=f"records 0 to {start - 1} were written" if start else "",
                ) from None
            progress.advance(task, len(step))
    return len(records)
