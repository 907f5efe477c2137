"""``python -m avista_dx.emulator.demo SCRIPT [ARGS...]`` (``make demo``).

Starts an in-memory emulator with the demo seed, then runs SCRIPT with this interpreter and
``AVISTA_DX_ENDPOINT`` / ``AVISTA_DX_TOKEN`` (the demo data store owner's token) set.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from .runner import run_emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m avista_dx.emulator.demo", description=__doc__)
    parser.add_argument("script", help="the Python script to run against the emulator")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    options = parser.parse_args(argv)
    if not os.path.isfile(options.script):
        parser.error(f"no such script: {options.script}")
    with run_emulator(seed="demo") as handle:
        print(
            f"avista-dx demo: in-memory emulator with the demo seed at {handle.url}\n"
            f"running {options.script} as the demo data owner (Olivia Owner)",
            file=sys.stderr,  # the script's stdout stays its own
            flush=True,
        )
        environment = {
            **os.environ,
            "AVISTA_DX_ENDPOINT": handle.url,
            "AVISTA_DX_TOKEN": handle.tokens["owner"],
        }
        completed = subprocess.run(
            [sys.executable, options.script, *options.args], env=environment, check=False
        )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
