"""One emulator per data directory: an advisory lock on ``<data-dir>/.lock`` (POSIX)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; documented as one process per directory
    fcntl = None  # type: ignore[assignment]


class DataDirectoryInUseError(RuntimeError):
    pass


class DataDirectoryLock:
    def __init__(self, directory: Path) -> None:
        self._path = directory / ".lock"
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = self._path.open("a+", encoding="utf-8")
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise DataDirectoryInUseError(
                    f"{self._path.parent} is in use by another emulator process"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None
