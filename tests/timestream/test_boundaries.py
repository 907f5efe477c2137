"""The engine stays inside the emulator: it never imports the SDK or its generated client."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_neither_the_sdk_client_nor_generated_code() -> None:
    code = (
        "import sys, avista_dx.emulator.timestream as t; "
        "t.TimestreamEngine().close(); "
        "bad = [m for m in sys.modules if m.startswith('avista_dx_graphql') "
        "or (m.startswith('avista_dx.') and not m.startswith('avista_dx.emulator'))]; "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
