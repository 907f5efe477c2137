"""Blob stores: file bytes by key, written through a staging area and committed atomically.

``DiskBlobStore`` streams to a temporary file and renames it into place (so a crash mid-upload
leaves no partial blob); ``MemoryBlobStore`` keeps bytes in memory for tests. Both keep the same
contract (``tests/emulator/test_storage_contract.py``).
"""

from __future__ import annotations

import os
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

READ_CHUNK_BYTES = 1024 * 1024


class StagedBlob(ABC):
    """Bytes being received; invisible until :meth:`BlobStore.commit`."""

    size = 0

    @abstractmethod
    def write(self, chunk: bytes) -> None: ...

    @abstractmethod
    def seal(self) -> None:
        """Makes the bytes durable ahead of :meth:`BlobStore.commit` (slow: call it unlocked)."""


class BlobStore(ABC):
    @abstractmethod
    def stage(self) -> StagedBlob: ...

    @abstractmethod
    def commit(self, staged: StagedBlob, key: str) -> None:
        """Make the staged bytes the blob ``key`` (replacing any), atomically and durably."""

    @abstractmethod
    def discard(self, staged: StagedBlob) -> None: ...

    @abstractmethod
    def size(self, key: str) -> int | None:
        """The blob's size, or None when there is no such blob."""

    @abstractmethod
    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes ``[start, end)`` of the blob in chunks; KeyError when it does not exist."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob if present."""

    @abstractmethod
    def keys(self) -> list[str]: ...

    def reset(self) -> None:
        """Deletes every blob (uploads in flight are left to finish or fail on their own)."""
        for key in self.keys():
            self.delete(key)


class _DiskStaged(StagedBlob):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("xb")

    def write(self, chunk: bytes) -> None:
        self.handle.write(chunk)
        self.size += len(chunk)

    def seal(self) -> None:
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()


class DiskBlobStore(BlobStore):
    """``<root>/blobs/<key>`` plus ``<root>/staging/`` for uploads in flight."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._blobs = Path(root) / "blobs"
        self._staging = Path(root) / "staging"
        self._blobs.mkdir(parents=True, exist_ok=True)
        self._staging.mkdir(parents=True, exist_ok=True)
        # Anything left in staging is an upload that never finished (a crash): drop it.
        for leftover in self._staging.iterdir():
            leftover.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"invalid blob key {key!r}")
        return self._blobs / key

    def stage(self) -> StagedBlob:
        return _DiskStaged(self._staging / f"{uuid.uuid4().hex}.part")

    def commit(self, staged: StagedBlob, key: str) -> None:
        assert isinstance(staged, _DiskStaged)
        staged.seal()
        os.replace(staged.path, self._path(key))
        _fsync_directory(self._blobs)

    def discard(self, staged: StagedBlob) -> None:
        assert isinstance(staged, _DiskStaged)
        staged.handle.close()
        staged.path.unlink(missing_ok=True)

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        try:
            handle = self._path(key).open("rb")
        except FileNotFoundError:
            raise KeyError(key) from None
        return _read_range(handle, start, end)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        return sorted(path.name for path in self._blobs.iterdir())


def _read_range(handle: BinaryIO, start: int, end: int | None) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        remaining = None if end is None else max(0, end - start)
        while remaining is None or remaining > 0:
            want = READ_CHUNK_BYTES if remaining is None else min(READ_CHUNK_BYTES, remaining)
            chunk = handle.read(want)
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def _fsync_directory(path: Path) -> None:
    # Makes the rename itself durable (POSIX); not possible on Windows, where it is a no-op.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _MemoryStaged(StagedBlob):
    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self.chunks.append(bytes(chunk))
        self.size += len(chunk)

    def seal(self) -> None:
        return None  # memory is as durable as it gets


class MemoryBlobStore(BlobStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blobs: dict[str, bytes] = {}

    def stage(self) -> StagedBlob:
        return _MemoryStaged()

    def commit(self, staged: StagedBlob, key: str) -> None:
        assert isinstance(staged, _MemoryStaged)
        with self._lock:
            self._blobs[key] = b"".join(staged.chunks)
        staged.chunks.clear()

    def discard(self, staged: StagedBlob) -> None:
        assert isinstance(staged, _MemoryStaged)
        staged.chunks.clear()

    def size(self, key: str) -> int | None:
        with self._lock:
            blob = self._blobs.get(key)
        return None if blob is None else len(blob)

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        with self._lock:
            if key not in self._blobs:
                raise KeyError(key)
            view = memoryview(self._blobs[key])[start:end]
        return (
            bytes(view[i : i + READ_CHUNK_BYTES]) for i in range(0, len(view), READ_CHUNK_BYTES)
        )

    def delete(self, key: str) -> None:
        with self._lock:
            self._blobs.pop(key, None)

    def keys(self) -> list[str]:
        with self._lock:
            return sorted(self._blobs)
