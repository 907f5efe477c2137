"""The isolation between tests (the ``dx_reset`` fixture): time of ``EmulatorHandle.reset()``.

``python -m bench.emulator_reset [--rounds 30]``. The session emulator of the pytest plugin
(in memory, demo seed) is changed the way a test would (a data store, a directory, a database
with records) and then reset; the budget is 100 ms per test. The baseline, measured in the
same run, is what a fresh emulator per test would cost: building one and seeding it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from avista_dx.emulator import EmulatorConfig, EmulatorHandle, build_emulator, run_emulator
from avista_dx.emulator.seed import seed_demo

BUDGET_MS = 100.0


def _dirty(handle: EmulatorHandle, round_number: int) -> None:
    """What a test leaves behind: a store with a directory, a database with records."""
    services = handle.emulator.services
    owner = services.users.authenticate(handle.tokens["owner"])
    store = services.data_stores.create_data_store(owner, f"Scratch {round_number}", None)
    services.data_stores.create_directory(
        owner, store["dataStoreId"], store["homeDirectoryId"], "made by a test"
    )
    database = services.time_series.create_database(owner, f"Scratch {round_number}", None)
    record = {"Time": "1700000000000", "MeasureName": "kwh", "MeasureValue": "1.5",
              "MeasureValueType": "DOUBLE", "Dimensions": [], "Version": 1}  # fmt: skip
    services.time_series.publish(owner, database["timeSeriesDbId"], "a", {"records": [record]})


def _fresh_emulator_ms() -> float:
    started = time.perf_counter()
    emulator = build_emulator(EmulatorConfig(data_dir=None, seed="demo"))
    seed_demo(emulator)
    elapsed = (time.perf_counter() - started) * 1000
    emulator.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    resets: list[float] = []
    with run_emulator(seed="demo") as handle:
        for round_number in range(rounds):
            _dirty(handle, round_number)
            started = time.perf_counter()
            handle.reset()
            resets.append((time.perf_counter() - started) * 1000)
    fresh = [_fresh_emulator_ms() for _ in range(max(3, rounds // 5))]
    median, worst = statistics.median(resets), max(resets)
    p90 = statistics.quantiles(resets, n=10)[-1]
    print(f"reset (in memory, demo seed), {rounds} rounds: median {median:.1f} ms, "
          f"p90 {p90:.1f} ms, max {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)")  # fmt: skip
    fresh_median = statistics.median(fresh)
    print(f"baseline, a fresh emulator per test (build + seed): median {fresh_median:.1f} ms")
    print(f"reset / fresh emulator: {median / fresh_median:.2f}x")
    print("within budget" if p90 <= BUDGET_MS else "OVER BUDGET (p90)")


if __name__ == "__main__":
    main()
