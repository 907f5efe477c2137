"""`avista-dx whoami` and `avista-dx configure`."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer

from .failures import CliError
from .profiles import DEFAULT_PROFILE, PROFILE_ENV, Profile, config_path, load_profile, save_profile
from .session import JSON_HELP, Session, command


def register(app: typer.Typer) -> None:
    app.command("whoami")(whoami)
    app.command("configure")(configure)


@command
def whoami(session: Session) -> None:
    """Who the token belongs to, and where the endpoint and token come from
    (dx.getUserInfo)."""
    user = session.client.getUserInfo()
    settings = session.settings
    result = {
        "userId": user.userId,
        "name": f"{user.firstName} {user.lastName}".strip(),
        "email": user.email,
        "organization": user.organization.name if user.organization else None,
        "organizationId": user.organization.organizationId if user.organization else None,
        "userRoles": user.userRoles,
        "endpoint": settings.endpoint,
        "endpointFrom": settings.endpoint_source,
        "tokenFrom": settings.token_source,
    }
    session.out.emit(result)


def configure(
    profile: Annotated[
        str | None,
        typer.Option(help=f"The profile to write (default: ${PROFILE_ENV} or 'default')."),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(help="The GraphQL URL to store (asked for when not given)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Writes a profile (endpoint and token) into the config file, mode 0600. Asks for the
    token without echoing it; from a pipe, reads the endpoint and token lines from stdin."""
    name = profile or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    path = config_path(os.environ)
    current = load_profile(path, name) or Profile(name)
    interactive = sys.stdin.isatty()
    if endpoint is None:
        endpoint = _ask("Endpoint (GraphQL URL)", current.endpoint, interactive=interactive)
    keep = " (Enter keeps the current one)" if current.token else ""
    token = _ask(f"Token{keep}", None, hidden=True, interactive=interactive) or current.token or ""
    token = token.strip()
    if token.lower().startswith("bearer "):
        raise CliError(
            "the token starts with 'Bearer '",
            hint="the exchange wants the token alone: paste it without the 'Bearer ' prefix",
        )
    if endpoint:
        from .._config import validate_endpoint
        from ..errors import ConfigurationError

        try:
            endpoint = validate_endpoint(endpoint)
        except ConfigurationError as error:
            raise CliError(str(error)) from None
    save_profile(path, Profile(name, endpoint or None, token or None))
    if json_output:
        typer.echo(json.dumps({"profile": name, "path": str(path), "endpoint": endpoint or None}))
    else:
        typer.echo(f"profile {name!r} written to {path}", err=True)


def _ask(label: str, current: str | None, *, interactive: bool, hidden: bool = False) -> str:
    if interactive:
        answer: str = typer.prompt(
            label,
            default=current or "",
            hide_input=hidden,
            show_default=bool(current) and not hidden,
        )
        return answer
    line = sys.stdin.readline()
    return line.rstrip("\r\n") or (current or "")
