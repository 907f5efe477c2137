"""`avista-dx graphql DOCUMENT`: the raw door, a user's document sent through dx.graphql."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .failures import CliError
from .session import Session, command


def register(app: typer.Typer) -> None:
    app.command("graphql")(graphql)


def read_document(document: str) -> str:
    if document == "-":
        return sys.stdin.read()
    path = Path(document)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(
            f"{document}: no such file", hint="DOCUMENT is a .graphql file, or - to read stdin"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read {document}: {error}") from None


def parse_variables(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        variables = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"--variables is not JSON: {error}") from None
    if not isinstance(variables, dict):
        raise CliError("--variables must be a JSON object", hint='e.g. \'{"id": "..."}\'')
    return variables


@command
def graphql(
    session: Session,
    document: Annotated[
        str, typer.Argument(help="A file holding a query or mutation, or - to read it from stdin.")
    ],
    variables: Annotated[
        str | None, typer.Option(help='The variables, as a JSON object (\'{"id": "..."}\').')
    ] = None,
    operation_name: Annotated[
        str | None, typer.Option(help="Which operation to run, if DOCUMENT holds several.")
    ] = None,
) -> None:
    """Runs any query or mutation of the exchange and prints its data as JSON (dx.graphql)."""
    text = read_document(document)
    data = session.client.graphql(text, parse_variables(variables), operation_name=operation_name)
    session.out.print_json(data)
