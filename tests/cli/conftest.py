"""The CLI's tests: the real console script in a subprocess (`avista_dx_cli`), or Typer's
CliRunner in-process where no subprocess is needed, against one emulator per test module."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("typer", reason="the cli extra is not installed")
pytest.importorskip("ariadne", reason="the emulator extra is not installed")

from avista_dx.emulator import EmulatorHandle, run_emulator

CONSOLE_SCRIPT = Path(sys.executable).with_name("avista-dx")
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with run_emulator(seed="demo") as handle:
        yield handle


@pytest.fixture
def cli_env(emulator: EmulatorHandle, tmp_path: Path) -> dict[str, str]:
    """The environment of a user signed in as the demo owner, with a config file of their own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVISTA_DX_")}
    env.update(
        AVISTA_DX_ENDPOINT=emulator.url,
        AVISTA_DX_TOKEN=emulator.tokens["owner"],
        AVISTA_DX_CONFIG_FILE=str(tmp_path / "config" / "avista-dx"),
        COLUMNS="200",
    )
    return env


@pytest.fixture
def avista_dx(cli_env: dict[str, str], tmp_path: Path) -> Run:
    """Runs `avista-dx ARGS...` through the installed console script."""

    def run(*args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            capture_output=True,
            text=True,
            input=input,
            env={**cli_env, **env},
            cwd=tmp_path,
            timeout=60,
            check=False,
        )

    return run


class Outcome:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def json(self) -> Any:
        import json

        assert self.code == 0, self.stderr
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Outcome({self.code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


InProcess = Callable[..., Outcome]


@pytest.fixture
def cli(cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InProcess:
    """Runs `avista-dx ARGS...` in-process (`avista_dx.cli.run` in CliRunner's isolation of
    stdin, stdout, stderr and the environment), from `tmp_path`."""
    from typer.testing import CliRunner

    from avista_dx.cli import run

    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("AVISTA_DX_")]:
        monkeypatch.delenv(name)

    def invoke(*args: str, input: str | None = None, **env: str) -> Outcome:
        with CliRunner().isolation(input=input, env={**cli_env, **env}) as (out, err, _):
            code = run(list(args))
            sys.stdout.flush()
            sys.stderr.flush()
            return Outcome(code, out.getvalue().decode(), err.getvalue().decode())

    return invoke
