"""The `avista-dx` application: global options, the command groups, and `run`, which turns
every failure into one line on stderr and a documented exit code."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .failures import CliError, ExitCode, describe
from .session import (
    ENDPOINT_HELP,
    JSON_HELP,
    PROFILE_HELP,
    GlobalOptions,
    current_session,
    forget_sessions,
)

TRACEBACK_ENV = "AVISTA_DX_CLI_TRACEBACK"
HELP = """The Avista Digital Exchange from the shell: files, time series, collaboratives, IoT,
data capture and tokens, over the avista-dx SDK. Exit codes: 0 ok, 1 exchange error,
2 usage or input, 3 not found, 4 token missing or rejected, 5 exchange unreachable,
130 interrupted (docs/cli.md)."""


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"avista-dx {version('avista-dx')}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    from . import (
        account,
        capture,
        collaboratives,
        databases,
        emulator,
        files,
        iot,
        publishing,
        querying,
        raw,
        subscriptions,
        tokens,
        transfers,
    )

    app = typer.Typer(
        name="avista-dx",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def main(
        ctx: typer.Context,
        json_output: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
        profile: Annotated[str | None, typer.Option(help=PROFILE_HELP)] = None,
        endpoint: Annotated[str | None, typer.Option(help=ENDPOINT_HELP)] = None,
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version, is_eager=True, help="Print the version and exit."
            ),
        ] = False,
    ) -> None:
        ctx.obj = GlobalOptions(json_output, profile, endpoint)

    for module in (account, files, transfers, querying, publishing, raw, emulator):
        module.register(app)
    app.add_typer(databases.app, name="db")
    app.add_typer(collaboratives.app, name="collab")
    app.add_typer(tokens.app, name="tokens")
    app.add_typer(iot.app, name="iot")
    app.add_typer(capture.app, name="capture")
    app.add_typer(subscriptions.app, name="subscribe")
    return app


def run(args: list[str]) -> int:
    """Runs one command line; returns its exit code."""
    from ..errors import DxError

    forget_sessions()
    app = build_app()
    try:
        code = app(args=args, prog_name="avista-dx", standalone_mode=False)
    except CliError as error:
        return _report(error)
    except DxError as error:
        session = current_session()
        endpoint = session.settings.endpoint if session is not None else "?"
        expected = session.expected_ids if session is not None else []
        return _report(describe(error, endpoint=endpoint, expected_ids=expected))
    except typer.TyperException as error:  # Click's usage errors
        if not error.format_message():  # a group without its command: the help was printed
            return ExitCode.USAGE
        return _report(CliError(error.format_message(), hint=_usage_hint(error)))
    except typer.Abort:
        return _report(CliError("aborted", code=ExitCode.INTERRUPTED))
    except KeyboardInterrupt:
        return _report(CliError("interrupted", code=ExitCode.INTERRUPTED))
    except BrokenPipeError:
        return ExitCode.OK  # `avista-dx … | head`: the reader has what it wanted
    except OSError as error:  # a local file or folder the command could not use
        return _report(CliError(str(error), code=ExitCode.EXCHANGE))
    except Exception as error:  # a bug: still one line, unless asked for the traceback
        if os.environ.get(TRACEBACK_ENV):
            raise
        return _report(
            CliError(
                f"internal error: {type(error).__name__}: {error}",
                code=ExitCode.EXCHANGE,
                hint=f"please report it; {TRACEBACK_ENV}=1 shows the traceback",
            )
        )
    return int(code or 0)


def _usage_hint(error: typer.TyperException) -> str:
    ctx = getattr(error, "ctx", None)
    path = getattr(ctx, "command_path", None) or "avista-dx"
    return f"see `{path} --help`"


def _report(error: CliError) -> int:
    message = " ".join(error.message.split()) or "failed"
    line = f"avista-dx: error: {message}"
    if error.hint:
        line += f" (hint: {error.hint})"
    session = current_session()
    token = session.known_token if session is not None else None
    if token:
        line = line.replace(token, "***")
    sys.stderr.write(line + "\n")
    return int(error.code)
