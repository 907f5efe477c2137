"""`avista-dx capture …`: everyday data capture tasks (dx.dataCapture)."""

from __future__ import annotations

from typing import Annotated

import typer

from .arguments import TIME_HELP, assignments, timestamp
from .session import Session, command

app = typer.Typer(
    help="Data captures: list, show, start, stop, publish data.", no_args_is_help=True
)

CaptureArgument = Annotated[str, typer.Argument(help="The capture's id (captureId.…).")]
RESULT_COLUMNS = (("captureId", "CAPTURE"), ("success", "SUCCESS"), ("error", "ERROR"))
CAPTURE_COLUMNS = (
    ("displayName", "NAME"),
    ("captureId", "ID"),
    ("state", "STATE"),
    ("dateUpdated", "UPDATED"),
    ("description", "DESCRIPTION"),
)
ATTRIBUTE_COLUMNS = (
    ("asset", "ASSET"),
    ("userDefinedId", "ATTRIBUTE"),
    ("schemaType", "TYPE"),
    ("unit", "UNIT"),
    ("displayName", "NAME"),
)


@app.command("ls")
@command
def list_captures(session: Session) -> None:
    """The captures you own (dx.dataCapture.listCaptures)."""
    session.out.emit(session.client.dataCapture.listCaptures(), CAPTURE_COLUMNS)


@app.command("get")
@command
def get_capture(session: Session, capture: CaptureArgument) -> None:
    """A capture, with its data model (dx.dataCapture.getCapture)."""
    found = session.client.dataCapture.getCapture(
        session.expect("data capture", capture), includeDataModel=True
    )
    if session.out.json_mode:
        session.out.print_json(found)
        return
    session.out.record(found.model_dump(), CAPTURE_COLUMNS)
    assets = found.dataModel.items if found.dataModel else []
    session.out.table(
        [
            {"asset": asset.userDefinedId, **attribute.model_dump()}
            for asset in assets
            for attribute in asset.attributes or []
        ],
        ATTRIBUTE_COLUMNS,
        title="data model",
    )


@app.command("start")
@command
def start(session: Session, capture: CaptureArgument) -> None:
    """Starts a READY capture (dx.dataCapture.startCapture)."""
    result = session.client.dataCapture.startCapture(session.expect("data capture", capture))
    session.out.emit(result, (*RESULT_COLUMNS, ("startedAt", "STARTED")))


@app.command("stop")
@command
def stop(session: Session, capture: CaptureArgument) -> None:
    """Stops a CAPTURING capture (dx.dataCapture.stopCapture)."""
    result = session.client.dataCapture.stopCapture(session.expect("data capture", capture))
    session.out.emit(result, (*RESULT_COLUMNS, ("stoppedAt", "STOPPED")))


@app.command("publish")
@command
def publish(
    session: Session,
    capture: CaptureArgument,
    values: Annotated[
        list[str], typer.Argument(help="ATTRIBUTE=VALUE pairs (the attributes' own ids).")
    ],
    at: Annotated[str | None, typer.Option("--time", help=TIME_HELP)] = None,
) -> None:
    """Publishes one record to a CAPTURING capture (dx.dataCapture.publishData). Refused
    values are reported, and the exit code is 1."""
    stamp, unit = timestamp(at)
    record = {"timestamp": stamp, "timeUnit": unit, "attributeValues": assignments(values, "value")}
    result = session.client.dataCapture.publishData(
        session.expect("data capture", capture), [record]
    )
    if session.out.json_mode:
        session.out.print_json(result)
    for written in result.recordsWritten or []:
        session.out.line(
            f"written at {written.timestamp}: {written.attributeId}={written.attributeValue}"
        )
    for failed in result.recordsFailed or []:
        session.out.line(
            f"refused: {failed.attributeId}={failed.attributeValue} ({failed.message})"
        )
    if result.error:
        session.out.line(f"error: {result.error}")
    if not result.success:
        raise typer.Exit(1)
