"""Produces the sync client, avista_dx/_sync/, from its hand-written source, avista_dx/_async/.

    python -m scripts.unasync           # rewrite avista_dx/_sync/ (`make unasync`)
    python -m scripts.unasync --check   # exit 1 when avista_dx/_sync/ is not what it would write

Modelled on encode/httpcore's scripts/unasync.py: whole-word substitutions, line by line, then
ruff (import order and format, with the project's settings) so that the produced files pass
`make lint` like hand-written ones. Every substitution must be used at least once, so that a
stale rule cannot hide. The only code that really differs between the clients is in
avista_dx/_backends.py, which is hand-written and which the substitutions point at.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from ._subprocess import run_tool

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "avista_dx" / "_async"
TARGET = ROOT / "avista_dx" / "_sync"

# (regex, replacement), applied in this order to every line; each must match somewhere.
SUBSTITUTIONS = [
    # The project's own pairs, before the generic `Async<Name>` rule.
    (r"AsyncAPIClient", "SyncAPIClient"),
    (r"AsyncAPIResource", "SyncAPIResource"),
    (r"AsyncResourceHost", "SyncResourceHost"),
    (r"AsyncBackend", "SyncBackend"),
    (r"avista_dx_graphql\.async_client", "avista_dx_graphql.client"),
    # The generic rules (httpcore's).
    (r"AsyncIterator", "Iterator"),
    (r"Async([A-Z][A-Za-z0-9_]*)", r"\1"),  # AsyncAvistaDigitalExchange, httpx.AsyncClient...
    (r"Awaitable\[([A-Za-z_][A-Za-z0-9_]*)\]", r"\1"),
    (r"async def", "def"),
    (r"await ", ""),
    (r"aclose", "close"),
    (r"aiter_raw", "iter_raw"),
    (r"__aenter__", "__enter__"),
    (r"__aexit__", "__exit__"),
]


def _whole_words(regex: str) -> re.Pattern[str]:
    # Never inside a longer name: `await ` must not hit `__await__`, `aclose` not `_aclose_it`.
    end = r"(?!\w)" if regex[-1].isalnum() or regex[-1] == "_" else ""
    return re.compile(r"(?<!\w)" + regex + end)


COMPILED = [(_whole_words(regex), repl) for regex, repl in SUBSTITUTIONS]


def banner(source: Path) -> str:
    relative = source.relative_to(ROOT).as_posix()
    return f"# Produced by scripts/unasync.py from {relative}: do not edit.\n"


def unasync_text(text: str, used: set[int]) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        for index, (regex, repl) in enumerate(COMPILED):
            new = regex.sub(repl, line)
            if new != line:
                used.add(index)
            line = new
        lines.append(line)
    return "".join(lines)


def ruff(arguments: list[str], text: str, path: Path) -> str:
    command = [sys.executable, "-m", "ruff", *arguments, "--stdin-filename", str(path), "-"]
    return run_tool(command, cwd=ROOT, stdin=text)


def produce(source: Path, target: Path, used: set[int]) -> str:
    text = banner(source) + unasync_text(source.read_text(encoding="utf-8"), used)
    text = ruff(["check", "--fix", "--select", "I,F401", "--quiet"], text, target)
    return ruff(["format", "--quiet"], text, target)


def main() -> int:
    check = "--check" in sys.argv[1:]
    used: set[int] = set()
    expected: dict[Path, str] = {}
    for source in sorted(SOURCE.rglob("*.py")):
        target = TARGET / source.relative_to(SOURCE)
        expected[target] = produce(source, target, used)
    stale = []
    for target, text in expected.items():
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(target)
        if check:
            diff = difflib.unified_diff(
                (current or "").splitlines(keepends=True),
                text.splitlines(keepends=True),
                str(target.relative_to(ROOT)),
                "expected",
            )
            sys.stdout.writelines(diff)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    extra = [p for p in TARGET.rglob("*.py") if p not in expected]
    for path in extra:
        if check:
            print(f"{path.relative_to(ROOT)} has no source in {SOURCE.relative_to(ROOT)}")
        else:
            path.unlink()
    unused = [SUBSTITUTIONS[i] for i in range(len(SUBSTITUTIONS)) if i not in used]
    if unused:
        print(f"unused substitutions (remove them): {unused}")
        return 1
    if check and (stale or extra):
        print("avista_dx/_sync/ is stale: run `make unasync`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
