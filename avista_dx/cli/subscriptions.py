"""`avista-dx subscribe iot|capture ID`: events printed as they happen, until Ctrl-C (exit
130) or `--count` events. Needs the `realtime` extra, as the SDK's subscriptions do."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer

from .failures import ExitCode
from .output import json_text
from .session import Session, command

app = typer.Typer(
    help="Print events live (one line each; JSON lines with --json) until Ctrl-C.",
    no_args_is_help=True,
)
CountOption = Annotated[
    int | None, typer.Option(min=1, help="Stop after this many events (default: until Ctrl-C).")
]


def _print_events(session: Session, events: Iterable[Any], count: int | None, line: Any) -> None:
    iterator: Iterator[Any] = iter(events)
    seen = 0
    try:
        for event in iterator:
            text = json_text(event) if session.out.json_mode else line(event)
            session.out.console.print(text, markup=False, soft_wrap=True)
            session.out.console.file.flush()
            seen += 1
            if count is not None and seen >= count:
                break
    except KeyboardInterrupt:
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # stops the subscription


def _iot_line(event: Any) -> str:
    records = [
        f"{record.timestamp} " + " ".join(f"{a.name}={a.value}" for a in record.attributes)
        for record in event.recordsWritten
    ]
    failed = f" ({len(event.failedRecords)} refused)" if event.failedRecords else ""
    return f"{event.iotEndpointId}: " + "; ".join(records) + failed


def _capture_line(event: Any) -> str:
    values = " ".join(f"{r.attributeId}={r.attributeValue}" for r in event.recordsWritten or [])
    failed = f" ({len(event.recordsFailed)} refused)" if event.recordsFailed else ""
    return f"{event.captureId}: {values}{failed}"


@app.command("iot")
@command
def iot(
    session: Session,
    endpoint: Annotated[str, typer.Argument(help="The endpoint's id (iotEndpointId.…).")],
    count: CountOption = None,
) -> None:
    """Each publish of an IoT endpoint (dx.iot.subscribeToEndpoint)."""
    events = session.client.iot.subscribeToEndpoint(session.expect("IoT endpoint", endpoint))
    _print_events(session, events, count, _iot_line)


@app.command("capture")
@command
def capture(
    session: Session,
    capture: Annotated[str, typer.Argument(help="The capture's id (captureId.…).")],
    count: CountOption = None,
) -> None:
    """Each publish to a data capture (dx.dataCapture.subscribeToData)."""
    events = session.client.dataCapture.subscribeToData(session.expect("data capture", capture))
    _print_events(session, events, count, _capture_line)
