"""`avista-dx tokens ls|create|rm`: your personal authentication tokens (dx.users)."""

from __future__ import annotations

from typing import Annotated

import typer

from .session import Session, command

app = typer.Typer(help="Your authentication tokens: list, create, delete.", no_args_is_help=True)

COLUMNS = (
    ("name", "NAME"),
    ("tokenId", "ID"),
    ("tokenType", "TYPE"),
    ("dateCreated", "CREATED"),
    ("dateExpires", "EXPIRES"),
    ("lastActive", "LAST ACTIVE"),
)


@app.command("ls")
@command
def list_tokens(session: Session) -> None:
    """Your tokens, without their values (dx.users.listAuthenticationTokens)."""
    session.out.emit(session.client.users.listAuthenticationTokens(), COLUMNS)


@app.command("create")
@command
def create_token(
    session: Session,
    name: Annotated[str, typer.Argument(help="A name to recognise the token by.")],
    days: Annotated[int, typer.Option(min=1, help="Days before it expires.")] = 30,
) -> None:
    """Creates a token and prints its value, once: the exchange never shows it again
    (dx.users.createAuthenticationToken)."""
    created = session.client.users.createAuthenticationToken(name, days)
    if session.out.json_mode:
        session.out.print_json(created)
        return
    session.out.record(created.model_dump(), (*COLUMNS[:2], ("dateExpires", "EXPIRES")))
    session.out.note("the token's value (shown only now):")
    session.out.console.print(created.tokenValue or "", markup=False)


@app.command("rm")
@command
def delete_token(
    session: Session,
    token_id: Annotated[str, typer.Argument(help="The token's id (`avista-dx tokens ls`).")],
) -> None:
    """Deletes (revokes) a token (dx.users.deleteAuthenticationToken)."""
    deleted = session.client.users.deleteAuthenticationToken(session.expect("token", token_id))
    session.out.emit(deleted, COLUMNS)
