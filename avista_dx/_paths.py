"""Data-store paths (I/O-free).

Two forms:

- navigation paths, as `DataStore.cd`/`ls` take them: `/` separates names, a leading `/`
  starts at the home directory, `.` and `..` as in a shell (`..` stops at home);
- store paths, as `dx.dataStores.resolve`/`walk`/`mkdir`/... take them:
  `"<store name or id>/<names below the home directory>"`, e.g.
  `"Demo data store/Home/readings/2024/january.csv"`. The first name after the store may be
  the home directory's own name (`Home` above) or already a name inside it. Any component may
  be an id instead of a name (`dataStoreDirectoryId.…`, `dataStoreFileId.…`): that is how an
  entry whose name is shared with others is addressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ._validation import require_text
from .errors import AmbiguousPathError, InvalidInputError, PathNotFoundError
from .types import DataStore, DataStoreDirectory, DataStoreFile

STORE_ID_PREFIX = "dataStoreId."
SEPARATOR = "/"

Entry = DataStoreDirectory | DataStoreFile
_Named = TypeVar("_Named", bound="DataStore | DataStoreDirectory | DataStoreFile")


def path_parts(path: object) -> tuple[bool, list[str]]:
    """(absolute, names) of a navigation path; empty names (`a//b`, a trailing `/`) are
    skipped."""
    if not isinstance(path, str):
        raise InvalidInputError(f"path must be a string, not {type(path).__name__}")
    return path.startswith("/"), [part for part in path.split("/") if part]


def display_path(names: Sequence[str]) -> str:
    """The absolute path of a working directory below home (home itself is `/`)."""
    return "/" + "/".join(names)


@dataclass(frozen=True, slots=True)
class StorePath:
    """A parsed store path."""

    text: str
    """The path as the caller gave it (errors name it)."""
    store: str
    """The store's name or id."""
    names: tuple[str, ...]
    """The components after the store (`.` and empty ones dropped)."""
    trailing_separator: bool
    """Whether the text ends in `/` (a directory is meant)."""


def parse_store_path(path: Any, argument: str = "path") -> StorePath:
    """Splits a store path; `..` is refused (a store path always starts at a store)."""
    text = require_text(argument, path)
    parts = [part for part in text.split(SEPARATOR) if part and part != "."]
    if not parts:
        raise InvalidInputError(f"{argument} {text!r} names no data store")
    if ".." in parts:
        raise InvalidInputError(f"{argument} {text!r}: '..' is not allowed in a data-store path")
    return StorePath(text, parts[0], tuple(parts[1:]), text.endswith(SEPARATOR))


def join_path(parent: str, name: str) -> str:
    return f"{parent.rstrip(SEPARATOR)}{SEPARATOR}{name}" if parent else name


def entry_name(entry: Entry) -> str:
    """The name a path uses for an entry: a directory's name, a file's `name.ext`."""
    return entry.fileName if isinstance(entry, DataStoreFile) else entry.name


def entry_id(entry: DataStore | Entry) -> str:
    if isinstance(entry, DataStore):
        return entry.dataStoreId
    if isinstance(entry, DataStoreFile):
        return entry.dataStoreFileId
    return entry.dataStoreDirectoryId


def match_store(stores: Sequence[DataStore], path: StorePath) -> DataStore:
    """The store a path names: by id, else by a name no other store has."""
    return _one_named(stores, path.store, lambda store: store.name, path.text, parent="")


def match_entry(listing: DataStoreDirectory, name: str, path: str, parent: str) -> Entry:
    """The entry of `listing` that a path component means: the one with that id, else the
    only one with that name.

    Raises:
        PathNotFoundError: nothing of that name or id in `listing`.
        AmbiguousPathError: several entries have that name (their ids are listed).
    """
    entries: list[Entry] = [*listing.directories, *listing.files]
    return _one_named(entries, name, entry_name, path, parent)


def match_home_alias(home: DataStoreDirectory, name: str, path: str, parent: str) -> Entry:
    """The first component after the store: an entry of the home directory, or the home
    directory itself by its name or id. A name meaning both is ambiguous."""
    if name not in (home.name, home.dataStoreDirectoryId):
        return match_entry(home, name, path, parent)
    entries: list[Entry] = [*home.directories, *home.files]
    clashing = [entry_id(e) for e in entries if entry_name(e) == name]
    if clashing and name != home.dataStoreDirectoryId:
        raise AmbiguousPathError(
            f"{path!r}: {name!r} is both the home directory and an entry inside it; use an id "
            f"in its place: {[home.dataStoreDirectoryId, *clashing]}",
            path=path,
            name=name,
            ids=[home.dataStoreDirectoryId, *clashing],
        )
    return home


def _one_named(
    entries: Sequence[_Named], name: str, name_of: Callable[[_Named], str], path: str, parent: str
) -> _Named:
    by_id = [entry for entry in entries if entry_id(entry) == name]
    if by_id:
        return by_id[0]
    matches = [entry for entry in entries if name_of(entry) == name]
    if not matches:
        where = f" in {parent!r}" if parent else " among your data stores"
        raise PathNotFoundError(
            f"{path!r}: no {name!r}{where}", path=path, missing=name, parent=parent
        )
    if len(matches) > 1:
        ids = [entry_id(entry) for entry in matches]
        raise AmbiguousPathError(
            f"{path!r}: {len(matches)} entries are named {name!r}"
            f"{f' in {parent!r}' if parent else ''}; use an id in its place: {ids}",
            path=path,
            name=name,
            ids=ids,
        )
    return matches[0]
