"""One emulator per data directory: an advisory lock on the directory itself (POSIX).

The lock is taken on the directory, not only on ``<data-dir>/.lock``: a deleted ``.lock``
file would otherwise let a second process in, which would then clear the first one's staged
uploads. ``.lock`` still records the holder's pid, for people.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; documented as one process per directory
    fcntl = None  # type: ignore[assignment]


class DataDirectoryInUseError(RuntimeError):
    """Another emulator process holds the data directory."""


class DataDirectoryLock:
    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._path = directory / ".lock"
        self._directory_fd: int | None = None
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Takes the lock before anything in the directory is touched; refuses at once."""
        if fcntl is not None:
            fd = os.open(self._directory, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise DataDirectoryInUseError(
                    f"{self._directory} is in use by another emulator process"
                    f"{self._holder()}: stop it, or choose another --data-dir"
                ) from None
            self._directory_fd = fd
        handle = self._path.open("a+", encoding="utf-8")
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def _holder(self) -> str:
        try:
            pid = self._path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
        return f" (pid {pid})" if pid.isascii() and pid.isdigit() else ""

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._directory_fd is not None:
            os.close(self._directory_fd)  # closing drops the lock
            self._directory_fd = None
