"""What every command shares: the global options, the client, the output, and the decorator
that gives each command `--json`, `--profile` and `--endpoint`."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Concatenate, ParamSpec, cast

import typer

from .output import Output
from .settings import Settings, require_token, resolve_settings

if TYPE_CHECKING:
    from .. import AvistaDigitalExchange

P = ParamSpec("P")

JSON_HELP = "Print the result as JSON (for scripts)."
PROFILE_HELP = "Use this profile of the config file (default: $AVISTA_DX_PROFILE or 'default')."
ENDPOINT_HELP = (
    "The exchange's GraphQL URL (default: $AVISTA_DX_ENDPOINT, the profile's, production)."
)


@dataclass
class GlobalOptions:
    """The options given before the command (`avista-dx --json db ls`)."""

    json_output: bool = False
    profile: str | None = None
    endpoint: str | None = None


class Session:
    """One command's run: its settings, its client (made on first use) and its output."""

    def __init__(self, options: GlobalOptions) -> None:
        self.options = options
        self.out = Output(options.json_output)
        self._settings: Settings | None = None
        self._client: AvistaDigitalExchange | None = None
        # (kind, id) of the ids this command sent, to explain an `Unauthorized`.
        self.expected_ids: list[tuple[str, str]] = []

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = resolve_settings(
                self.options.profile, self.options.endpoint, os.environ
            )
        return self._settings

    @property
    def client(self) -> AvistaDigitalExchange:
        if self._client is None:
            from .. import AvistaDigitalExchange

            settings = self.settings
            self._client = AvistaDigitalExchange(
                require_token(settings), endpoint=settings.endpoint
            )
        return self._client

    @property
    def known_token(self) -> str | None:
        """The token, if settings were resolved (to keep it out of any message)."""
        return self._settings.token if self._settings is not None else None

    def expect(self, kind: str, value: str) -> str:
        """Notes that `value` is sent as the id of a `kind` (failures.ID_PREFIXES)."""
        self.expected_ids.append((kind, value))
        return value

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


# The session of the command being run (one per process: the CLI runs one command).
_current: list[Session] = []


def current_session() -> Session | None:
    return _current[-1] if _current else None


def forget_sessions() -> None:
    """Before a new command line (in-process runs, as in tests, run several)."""
    _current.clear()


def _shared_parameters() -> list[inspect.Parameter]:
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            "shared_json",
            keyword,
            default=None,
            annotation=Annotated[bool | None, typer.Option("--json", help=JSON_HELP)],
        ),
        inspect.Parameter(
            "shared_profile",
            keyword,
            default=None,
            annotation=Annotated[str | None, typer.Option("--profile", help=PROFILE_HELP)],
        ),
        inspect.Parameter(
            "shared_endpoint",
            keyword,
            default=None,
            annotation=Annotated[str | None, typer.Option("--endpoint", help=ENDPOINT_HELP)],
        ),
    ]


def command(function: Callable[Concatenate[Session, P], None]) -> Callable[P, None]:
    """Makes `function(session, ...)` a command with the shared options; its own options
    after the command name override the global ones."""
    signature = inspect.signature(function, eval_str=True)
    own = list(signature.parameters.values())[1:]

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        ctx = cast(typer.Context, kwargs.pop("ctx"))  # Click's own context class
        root = ctx.find_root().obj
        base = root if isinstance(root, GlobalOptions) else GlobalOptions()
        json_output = kwargs.pop("shared_json")
        profile = kwargs.pop("shared_profile")
        endpoint = kwargs.pop("shared_endpoint")
        options = GlobalOptions(
            json_output=bool(base.json_output if json_output is None else json_output),
            profile=base.profile if profile is None else str(profile),
            endpoint=base.endpoint if endpoint is None else str(endpoint),
        )
        session = Session(options)
        _current.append(session)
        try:
            function(session, *args, **kwargs)
        finally:
            session.close()

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*own, *_shared_parameters()]
    )
    run.__annotations__ = {}  # the signature above carries them, evaluated
    return run
