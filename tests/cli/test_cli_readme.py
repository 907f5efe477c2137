"""README's "The command line" examples, run as written through the console script (in bash,
from a fresh folder, against this module's demo emulator): each `$ ` line's output must match
the lines under it, where `...` stands for any text (a line of only `...`: any lines)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .conftest import CONSOLE_SCRIPT

README = Path(__file__).parents[2] / "README.md"


@dataclass
class Example:
    command: str
    expected: list[str]


def readme_examples(text: str) -> list[Example]:
    section = text.split("\n## The command line\n", 1)[1].split("\n## ", 1)[0]
    examples: list[Example] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append(Example(line[2:], []))
            else:
                examples[-1].expected.append(line)
    return examples


def _pattern(expected: list[str]) -> re.Pattern[str]:
    lines = [
        r"(?:[^\n]*\n)*?"
        if line == "..."
        else ".*?".join(map(re.escape, line.split("..."))) + r"\n"
        for line in expected
    ]
    return re.compile("".join(lines))


def test_readme_has_examples_of_the_commands() -> None:
    examples = readme_examples(README.read_text())
    commands = {m for e in examples for m in re.findall(r"avista-dx ([a-z]+)", e.command)}
    assert {"ls", "cat", "cp", "sync", "query", "publish", "db", "rm", "graphql"} <= commands


def test_readme_cli_examples_run_as_documented(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "PATH": f"{CONSOLE_SCRIPT.parent}:{cli_env['PATH']}"}
    script = ["set -euo pipefail"]
    for index, example in enumerate(readme_examples(README.read_text())):
        script += [f"echo '@@@ {index}'", example.command]
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    outputs = re.split(r"^@@@ \d+\n", done.stdout, flags=re.MULTILINE)[1:]
    examples = readme_examples(README.read_text())
    assert len(outputs) == len(examples), done.stdout
    for example, output in zip(examples, outputs, strict=True):
        actual = "".join(line.rstrip() + "\n" for line in output.splitlines())
        assert _pattern(example.expected).fullmatch(actual), (example.command, actual)
