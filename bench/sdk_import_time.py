"""`import avista_dx` time (target <= 300 ms), and the first client import, in fresh interpreters.

python -m bench.sdk_import_time
"""

from __future__ import annotations

import statistics
import subprocess
import sys

STATEMENTS = {
    "import avista_dx": "import avista_dx",
    "from avista_dx import AvistaDigitalExchange": "from avista_dx import AvistaDigitalExchange",
    "from avista_dx import AsyncAvistaDigitalExchange": (
        "from avista_dx import AsyncAvistaDigitalExchange"
    ),
}
RUNS = 7


def time_statement(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(RUNS)
    ]
    return statistics.median(samples) * 1000


def main() -> None:
    for label, statement in STATEMENTS.items():
        print(f"{label:<50} {time_statement(statement):8.1f} ms (median of {RUNS})")


if __name__ == "__main__":
    main()
