"""What a command line costs: `avista-dx` processes against an emulator, beside a baseline
measured in the same run (a fresh interpreter importing the SDK and making the same request
with the SDK's client), so the ratio is the CLI's own overhead (Typer, rich, parsing, output).

python -m bench.cli_startup
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from avista_dx.emulator import run_emulator

RUNS = 7
CONSOLE_SCRIPT = Path(sys.executable).with_name("avista-dx")
BASELINE = (
    "import os; from avista_dx import AvistaDigitalExchange;"
    "dx = AvistaDigitalExchange(os.environ['AVISTA_DX_TOKEN']); print(dx.listDataStores())"
)


def median_ms(command: list[str], env: dict[str, str]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    with run_emulator(seed="demo") as emulator:
        env = {**os.environ, "AVISTA_DX_ENDPOINT": emulator.url}
        env["AVISTA_DX_TOKEN"] = emulator.tokens["owner"]
        baseline = median_ms([sys.executable, "-c", BASELINE], env)
        print(f"{'baseline: python -c (SDK import + listDataStores)':<52} {baseline:8.1f} ms")
        for args in (["--version"], ["ls"], ["ls", "--json"], ["db", "ls"]):
            took = median_ms([str(CONSOLE_SCRIPT), *args], env)
            label = "avista-dx " + " ".join(args)
            print(f"{label:<52} {took:8.1f} ms  ({took / baseline:.2f}x baseline)")
    print(f"(medians of {RUNS} fresh processes each)")


if __name__ == "__main__":
    main()
