"""Rules of the repository itself: self-contained, no symlinks, generated/ stamped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import codegen

ROOT = Path(__file__).resolve().parents[1]
# Citations of documents that live outside the repository (the project's own docs say it all).
OUTSIDE_POINTERS = ("exchange-api", "shared/spec", "../shared", "/work/", "codegen-notes")


def _tracked_files() -> list[tuple[str, str]]:
    """(mode, path) of every file git tracks; skips outside a git checkout."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-s", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    entries = []
    for entry in filter(None, out.split("\0")):
        meta, path = entry.split("\t", 1)
        entries.append((meta.split()[0], path))
    return entries


def test_no_tracked_file_is_a_symlink() -> None:
    # Checkouts without symlinks (Windows) must work: the wheel gets copies instead.
    assert [path for mode, path in _tracked_files() if mode == "120000"] == []


def test_nothing_points_outside_the_repository() -> None:
    offenders = []
    for _, path in _tracked_files():
        if path.startswith("generated/") or path == "tests/test_repo.py":
            continue
        file = ROOT / path
        try:
            text = file.read_text("utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        offenders += [f"{path}: {word}" for word in OUTSIDE_POINTERS if word in text]
    assert offenders == []


def test_the_codegen_stamp_matches_schema_and_queries() -> None:
    """A fast first warning; `make codegen-check` compares the generated code itself."""
    script = codegen
    stamped = (ROOT / "generated" / script.STAMP_NAME).read_text("utf-8").splitlines()
    hashes = [line for line in stamped if " sha256=" in line]
    assert len(hashes) == 3  # schema, queries, codegen plugins
    expected = [line for line in script.stamp(ROOT).splitlines() if " sha256=" in line]
    assert hashes == expected, "generated/ is stale: run `make codegen`"


def test_the_stamp_changes_with_the_queries(tmp_path: Path) -> None:
    script = codegen
    (tmp_path / "queries").mkdir()
    for plugin in script.PLUGINS:
        (tmp_path / plugin).parent.mkdir(exist_ok=True)
        (tmp_path / plugin).write_text("# a plugin\n")
    (tmp_path / "schema.graphql").write_text("type Query { a: Int }\n")
    (tmp_path / "queries" / "a.graphql").write_text("query a { a }\n")
    before = script.stamp(tmp_path)
    (tmp_path / "queries" / "a.graphql").write_text("query a { a }\r\n")
    assert script.stamp(tmp_path) == before  # line endings do not count
    (tmp_path / "queries" / "b.graphql").write_text("query b { a }\n")
    assert script.stamp(tmp_path) != before
