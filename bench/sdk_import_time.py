"""`import avista_dx` time (target <= 300 ms), and the first client import, in fresh interpreters.

    python -m bench.sdk_import_time

Each statement runs in a new interpreter with a warm bytecode cache (in a temporary
PYTHONPYCACHEPREFIX, as an installed wheel has its .pyc files, even when the environment sets
PYTHONDONTWRITEBYTECODE), and prints wall time and the process's CPU time (which the other
jobs on a shared machine disturb less). When click, rich and pygments are installed (the `cli`
extra), httpx's own `__init__` imports them for its command line (~80 ms): the second column
hides them, as in an install without that extra.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile

STATEMENTS = {
    "import avista_dx": "import avista_dx",
    "from avista_dx import AvistaDigitalExchange": "from avista_dx import AvistaDigitalExchange",
    "from avista_dx import AsyncAvistaDigitalExchange": (
        "from avista_dx import AsyncAvistaDigitalExchange"
    ),
}
RUNS = 7
# What httpx imports for its CLI when present (httpx/__init__.py tries `from ._main import main`).
HTTPX_CLI_PACKAGES = ("click", "rich", "pygments")

_HIDE = """
import sys
class _Hidden:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {hidden!r}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, _Hidden())
"""
_TIMED = """
import time
wall, cpu = time.perf_counter(), time.process_time()
{statement}
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def time_statement(
    statement: str, env: dict[str, str], hidden: tuple[str, ...]
) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `statement`, each run in a fresh interpreter."""
    code = (_HIDE.format(hidden=set(hidden)) if hidden else "") + _TIMED.format(statement=statement)
    run = [sys.executable, "-c", code]
    subprocess.run(run, env=env, capture_output=True, check=True)  # writes the bytecode cache
    samples = [
        subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
        for _ in range(RUNS)
    ]
    return (
        statistics.median(float(wall) for wall, _ in samples) * 1000,
        statistics.median(float(cpu) for _, cpu in samples) * 1000,
    )


def main() -> None:
    cli_installed = all(importlib.util.find_spec(name) for name in HTTPX_CLI_PACKAGES)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        header = "as installed" + (" (cli extra)" if cli_installed else "")
        print(f"{'':<50} {header:>24}   {'without the cli extra':>24}")
        for label, statement in STATEMENTS.items():
            wall, cpu = time_statement(statement, env, ())
            line = f"{label:<50} {wall:6.1f} ms ({cpu:5.1f} CPU)"
            if cli_installed:
                bare_wall, bare_cpu = time_statement(statement, env, HTTPX_CLI_PACKAGES)
                line += f"   {bare_wall:6.1f} ms ({bare_cpu:5.1f} CPU)"
            print(f"{line}   median of {RUNS}")


if __name__ == "__main__":
    main()
