"""The ``avista-dx`` console script: ``avista-dx emulator`` (argparse, the `emulator` extra)
here, every other command in `avista_dx.cli` (Typer, the `cli` extra). Nothing is imported
until a command needs it, and a missing extra is one line naming it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SEED_NAMES = ("demo", "admin")  # avista_dx.emulator.seed.SEEDS (not imported: the CLI loads lazily)
RETENTION_DAYS = 20 * 365  # RetentionPolicy's default (a test keeps the two equal)


def _emulator(options: argparse.Namespace) -> int:
    try:
        from avista_dx.emulator._dirlock import DataDirectoryInUseError
        from avista_dx.emulator.config import EmulatorConfig, default_data_dir
        from avista_dx.emulator.runner import listen, prepare, serve, url_of
        from avista_dx.emulator.timestream import RetentionPolicy
    except ImportError as error:
        print(
            f"the emulator needs the 'emulator' extra: pip install 'avista-dx[emulator]' ({error})",
            file=sys.stderr,
        )
        return 2
    data_dir = None if options.in_memory else Path(options.data_dir or default_data_dir())
    try:
        retention = RetentionPolicy(magnetic_store_retention_days=options.timeseries_retention_days)
    except ValueError as error:
        print(f"--timeseries-retention-days: {error}", file=sys.stderr)
        return 2
    config = EmulatorConfig(
        data_dir=data_dir,
        timeseries_commit_delay_seconds=options.group_commit_ms / 1000,
        timeseries_retention=retention,
    )
    # Bind, then open the data directory, and only then announce: every refusal is one line.
    try:
        sock = listen(options.host, options.port)
    except OSError as error:
        reason = error.strerror or str(error)
        print(
            f"avista-dx emulator: cannot listen on {options.host}:{options.port}: {reason}",
            file=sys.stderr,
        )
        return 3
    try:
        try:
            emulator, demo = prepare(options.seed, config)
        except DataDirectoryInUseError as error:
            print(f"avista-dx emulator: {error}", file=sys.stderr)
            return 3
        try:
            print(f"avista-dx emulator: GraphQL at {url_of(options.host, sock)}/graphql")
            print(f"data: {'in memory' if data_dir is None else data_dir}")
            if demo is not None:
                print("demo tokens (send one as the Authorization header):")
                for role, token in demo.tokens.items():
                    print(f"  {role:<9} {token}")
            sys.stdout.flush()
            serve(emulator, sock)
        finally:
            emulator.close()
    finally:
        sock.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="avista-dx")
    commands = parser.add_subparsers(dest="command", required=True)
    emulator = commands.add_parser("emulator", help="run a local emulator of the exchange")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=4000)
    emulator.add_argument("--data-dir", help="where data persists (default: the user data dir)")
    emulator.add_argument("--in-memory", action="store_true", help="keep nothing on disk")
    emulator.add_argument(
        "--group-commit-ms",
        type=float,
        default=0.0,
        metavar="MS",
        help="commit time-series appends in groups within MS milliseconds: faster publishing, "
        "but a hard crash may lose that window (default 0: each publish is durable)",
    )
    emulator.add_argument(
        "--timeseries-retention-days",
        type=int,
        default=RETENTION_DAYS,
        metavar="DAYS",
        help="accept time-series records up to DAYS old (Timestream's magnetic-store retention, "
        f"1 to 73000; default {RETENTION_DAYS}: years of history pass, a 1970 time sent in the "
        "wrong unit is rejected)",
    )
    emulator.add_argument(
        "--seed",
        choices=SEED_NAMES,
        help="demo: a small platform with users, data and tokens; admin: one platform admin "
        "(created once per data directory)",
    )
    emulator.set_defaults(run=_emulator)
    return parser


MISSING_CLI_EXTRA = 'avista-dx: this command needs the "cli" extra: pip install "avista-dx[cli]"'


def emulator_main(argv: list[str]) -> int:
    """``avista-dx emulator ...``: `argv` starts with ``emulator``."""
    options = build_parser().parse_args(argv)
    result: int = options.run(options)
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["emulator"]:
        return emulator_main(args)
    try:
        from avista_dx.cli import run
    except ModuleNotFoundError as error:
        # A module of the package itself missing is a bug, not a missing extra.
        if error.name is None or error.name.partition(".")[0] == "avista_dx":
            raise
        print(MISSING_CLI_EXTRA, file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
