"""The documentation site's Getting started page: its examples run as written against a demo
emulator, configured as the page says (two environment variables)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from avista_dx.emulator import EmulatorHandle, run_emulator

PAGE = Path(__file__).resolve().parents[2] / "docs" / "getting-started.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), flags=re.DOTALL)


@pytest.fixture(scope="module")
def demo() -> Iterator[EmulatorHandle]:
    """A demo emulator of this module's own: the examples take the first store and database."""
    with run_emulator(seed="demo") as emulator:
        yield emulator


@pytest.fixture
def configured(
    demo: EmulatorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> EmulatorHandle:
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", demo.url)
    monkeypatch.setenv("AVISTA_DX_TOKEN", "dx-demo-owner-token")  # as the page says
    monkeypatch.chdir(tmp_path)
    return demo


def run(example: str) -> None:
    exec(compile(example, str(PAGE), "exec"), {"__name__": "__getting_started__"})


def test_the_page_has_the_three_examples() -> None:
    assert len(EXAMPLES) == 3
    assert "AvistaDigitalExchange()" in EXAMPLES[0]
    assert "AsyncAvistaDigitalExchange()" in EXAMPLES[1]
    assert "run_emulator(" in EXAMPLES[2]


def test_the_sync_example(configured: EmulatorHandle, capsys: pytest.CaptureFixture[str]) -> None:
    Path("report.csv").write_text("time,kwh\n")
    Path("downloads").mkdir()
    run(EXAMPLES[0])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Olivia Avista Utilities"
    assert "README.md 60" in printed
    assert Path("downloads/report.csv").read_text() == "time,kwh\n"
    assert len([line for line in printed if line.startswith("20")]) == 5  # five rows: time kwh


def test_the_async_example(configured: EmulatorHandle, capsys: pytest.CaptureFixture[str]) -> None:
    run(EXAMPLES[1])
    assert capsys.readouterr().out.splitlines() == ["24"]  # one page: a day of hourly readings


def test_the_emulator_example(capsys: pytest.CaptureFixture[str]) -> None:
    run(EXAMPLES[2])
    assert capsys.readouterr().out.splitlines() == ["['Demo data store']"]
