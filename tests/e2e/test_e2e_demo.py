"""`make demo`: the demo runner starts an emulator and runs examples/quickstart.py against it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_METHODS = 21


def run_demo(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "avista_dx.emulator.demo", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def test_quickstart_runs_every_documented_method() -> None:
    completed = run_demo(ROOT / "examples" / "quickstart.py")
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith(
        "avista-dx demo: in-memory emulator with the demo seed at http://"
    )
    # Every step is headed by the documented method's number; 12-14 share a heading.
    numbers: set[int] = set()
    for first, last in re.findall(r"^== (\d+)\.(?:-(\d+)\.)? ", output, flags=re.MULTILINE):
        numbers.update(range(int(first), int(last or first) + 1))
    assert numbers == set(range(1, DOCUMENTED_METHODS + 1))
    for line in (
        "     readings/",
        "         january.csv (74 bytes)",
        "   progress: 0/64 bytes -> 64/64 bytes",
        "   name 'quickstart notes' + extension 'v1.txt' (split at the first dot)",
        "   quickstart notes.v1.txt deleted again",
        "   asset quickstart-demo (Quickstart demo asset): 7 records written",
        "   Northwind Energy [APPROVED]: Walter Writer (READ_WRITE), Rita Reader (READ_ONLY)",
        "Every documented method ran; the exchange is as it was (bar the published records).",
    ):
        assert line in output.splitlines(), line
    assert "   Olivia Owner of Avista Utilities (userId." in output
    typed_rows = re.findall(r"^   time=\S+\+00:00, voltage=23\d\.0$", output, flags=re.MULTILINE)
    assert len(typed_rows) == 5


def test_the_scripts_exit_code_is_the_demos(tmp_path: Path) -> None:
    script = tmp_path / "fails.py"
    script.write_text(
        "import os, sys\n"
        "assert os.environ['AVISTA_DX_ENDPOINT'].endswith('/graphql')\n"
        "assert os.environ['AVISTA_DX_TOKEN']\n"
        "sys.exit(3)\n"
    )
    assert run_demo(script).returncode == 3
    missing = run_demo(tmp_path / "missing.py")
    assert missing.returncode == 2
    assert "no such script" in missing.stderr
