"""`dx://STORE/path/in/store`: the CLI's spelling of the SDK's store paths
(`"STORE/path"`, the store by name or id, any name replaceable by its id)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .failures import CliError

if TYPE_CHECKING:
    from ..types import DataStoreDirectory, DataStoreFile
    from .session import Session

SCHEME = "dx://"
PATH_HELP = "dx://STORE/path (the store by name or id; any name may be an entry's id)."


def is_remote(text: str) -> bool:
    return text.startswith(SCHEME)


def store_path(text: str) -> str:
    """The SDK's store path of `dx://STORE/path` (refused without the scheme)."""
    if not is_remote(text):
        raise CliError(f"{text!r} is not an exchange path", hint=f"write it as {SCHEME}STORE/path")
    path = text[len(SCHEME) :]
    if not path.strip("/"):
        raise CliError(f"{text!r} names no store", hint=f"{SCHEME}STORE/path")
    return path


def shown(path: str) -> str:
    return SCHEME + path


def split_parent(path: str) -> tuple[str, str]:
    """("STORE/a", "b") of "STORE/a/b"; a store itself has no parent."""
    parent, separator, name = path.rstrip("/").rpartition("/")
    if not separator or not name:
        raise CliError(f"{shown(path)!r} is a store, not an entry in one")
    return parent, name


def resolve(session: Session, path: str) -> DataStoreDirectory | DataStoreFile:
    return session.client.dataStores.resolve(path)


def resolve_directory(session: Session, path: str) -> DataStoreDirectory:
    from ..types import DataStoreDirectory

    found = resolve(session, path)
    if not isinstance(found, DataStoreDirectory):
        raise CliError(f"{shown(path)!r} is a file, not a directory")
    return found
