"""`avista-dx emulator`, listed here for `--help`; `avista_dx._cli` runs it (argparse), so that
it works with only the `emulator` extra installed."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command(
        "emulator",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(emulator)


def emulator(ctx: typer.Context) -> None:
    """Runs a local emulator of the exchange (`avista-dx emulator --help` for its options)."""
    from .._cli import emulator_main

    raise typer.Exit(emulator_main(["emulator", *ctx.args]))
