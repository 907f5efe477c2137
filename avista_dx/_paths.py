"""Data-store paths as `DataStore.cd`/`ls` take them (I/O-free): `/` separates names, a
leading `/` starts at the home directory, `.` and `..` as in a shell (`..` stops at home)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import InvalidInputError


def path_parts(path: object) -> tuple[bool, list[str]]:
    """(absolute, names) of `path`; empty names (`a//b`, a trailing `/`) are skipped."""
    if not isinstance(path, str):
        raise InvalidInputError(f"path must be a string, not {type(path).__name__}")
    return path.startswith("/"), [part for part in path.split("/") if part]


def display_path(names: Sequence[str]) -> str:
    """The absolute path of a working directory below home (home itself is `/`)."""
    return "/" + "/".join(names)
