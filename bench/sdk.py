"""All SDK figures in one run: `python -m bench.sdk` (needs AVISTA_DX_ENDPOINT, AVISTA_DX_TOKEN)."""

from __future__ import annotations

import subprocess
import sys

SCRIPTS = [
    "sdk_import_time",
    "sdk_client_cost",
    "sdk_record_checks",
    "sdk_read",
    "sdk_dataframes",
    "sdk_publish_cost",
    "sdk_publish_overlap",
    "sdk_adaptation",
    "sdk_overhead",
    "sdk_transfers",
    "sdk_publish",
]


def main() -> None:
    for script in SCRIPTS:
        print(f"--- bench.{script}", flush=True)
        subprocess.run([sys.executable, "-m", f"bench.{script}"], check=True)


if __name__ == "__main__":
    main()
