"""``python -m bench`` (``make bench``): every figure, each benchmark in its own process.

The SDK benchmarks run against an emulator CLI started here (demo seed, on-disk data), so the
SDK's figures and their raw-httpx baselines come from the same run against the same server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from ._env import DEMO_OWNER_TOKEN, running_emulator

SELF_CONTAINED = [
    "timestream_engine",
    "emulator_graphql_overhead",
    "emulator_http",
    "emulator_publish",
    "emulator_zip",
    "emulator_reset",
    "realtime_latency",
    "emulator_iot",
    "sdk_tree",  # seeds and serves its own emulator (1,000 directories, 10,000 files)
    "cli_startup",  # serves its own demo emulator
]
AGAINST_AN_EMULATOR = ["sdk"]  # runs every sdk_* script


def _run(module: str, env: dict[str, str] | None = None) -> None:
    print(f"== bench.{module}", flush=True)
    subprocess.run([sys.executable, "-m", f"bench.{module}"], check=True, env=env)


def main() -> int:
    for module in SELF_CONTAINED:
        _run(module)
    with (
        tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir,
        running_emulator(data_dir) as (_, url),
    ):
        env = {**os.environ, "AVISTA_DX_ENDPOINT": url, "AVISTA_DX_TOKEN": DEMO_OWNER_TOKEN}
        for module in AGAINST_AN_EMULATOR:
            _run(module, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
