"""The local side of directory transfers: reading a local tree and changing it."""

from __future__ import annotations

import hashlib
import os
import stat as file_mode
from pathlib import Path

from ._constants import TRANSFER_CHUNK_BYTES
from ._tree_plan import LocalFile, LocalTree
from ._validation import require_text
from .errors import InvalidInputError, LocalFileNotFoundError


def local_directory(root: Path) -> bool:
    """Whether `root` is an existing directory; False when it does not exist.

    Raises:
        InvalidInputError: `root` exists but is not a directory.
    """
    if root.is_dir():
        return True
    if root.exists():
        raise InvalidInputError(f"{str(root)!r} is not a directory")
    return False


def scan_local_tree(root: Path, must_exist: bool) -> LocalTree:
    """The regular files and directories below `root`; symbolic links to directories are not
    followed (as `os.walk`), links to files are read as the files.

    Raises:
        LocalFileNotFoundError: `must_exist` and `root` is not a directory.
        InvalidInputError: a local name cannot be sent as text (undecodable bytes).
    """
    if not local_directory(root):
        if must_exist:
            raise LocalFileNotFoundError(f"{str(root)!r} is not a directory")
        return LocalTree(str(root), frozenset(), {})
    directories: set[str] = set()
    files: dict[str, LocalFile] = {}
    for current, dir_names, file_names in os.walk(root):
        base = Path(current).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        dir_names[:] = [d for d in dir_names if not os.path.islink(os.path.join(current, d))]
        directories.update(prefix + name for name in dir_names)
        for name in file_names:
            full = os.path.join(current, name)
            try:
                status = os.stat(full)
            except OSError:
                continue  # a dangling link, or gone since the listing
            if not file_mode.S_ISREG(status.st_mode):
                continue  # sockets, pipes, devices
            relative = require_text("a local file name", prefix + name)
            files[relative] = LocalFile(relative, status.st_size, status.st_mtime)
    for relative in directories:
        require_text("a local directory name", relative)
    return LocalTree(str(root), frozenset(directories), files)


def make_local_directories(root: Path, relatives: tuple[str, ...]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative in relatives:
        (root / relative).mkdir(exist_ok=True)


def remove_local(root: Path, files: list[str], directories: list[str]) -> None:
    """Deletes files, then (now empty) directories, deepest first as given."""
    for relative in files:
        (root / relative).unlink(missing_ok=True)
    for relative in directories:
        (root / relative).rmdir()


def local_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(TRANSFER_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
