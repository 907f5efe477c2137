"""Where downloaded bytes go: a local file (through a temporary file renamed into place) or a
caller's binary file object. Both check the size and report progress the same way."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import DownloadError, InvalidInputError

if TYPE_CHECKING:
    from ._transfers import ProgressCallback

DownloadTarget = Path | IO[bytes]
"""A local file path, or a writable binary file object."""

_TEMP_NAME_TRIES = 100


def is_writable_stream(value: Any) -> bool:
    """Whether `value` is a file object to write into (not a path)."""
    if isinstance(value, str | bytes | os.PathLike):
        return False
    if not callable(getattr(value, "write", None)):
        return False
    if isinstance(value, io.TextIOBase) or "b" not in getattr(value, "mode", "b"):
        raise InvalidInputError("a file object to download into must be binary ('wb')")
    return True


class DownloadSink:
    """Counts the bytes, reports progress and checks the size; subclasses store them."""

    def __init__(self, expected_size: int | None, progress: ProgressCallback | None) -> None:
        self._expected = expected_size
        self._progress = progress
        self._received = 0

    @property
    def rewindable(self) -> bool:
        """Whether a failed attempt can be undone, so that the download may be tried again."""
        return True

    def open(self, content_length: int | None) -> None:
        if self._expected is None:
            self._expected = content_length
        self._received = 0
        if self._progress:
            self._progress(0, self._expected)

    def write(self, chunk: bytes) -> None:
        self.write_bytes(chunk)
        self.advance(len(chunk))

    def write_bytes(self, chunk: bytes) -> None:
        """The disk part of `write` (the async client runs it in a worker thread)."""
        raise NotImplementedError

    def advance(self, size: int) -> None:
        """The bookkeeping part of `write`: the byte count and the progress callback."""
        self._received += size
        if self._progress:
            self._progress(self._received, self._expected)

    def _check_size(self) -> None:
        if self._expected is not None and self._received != self._expected:
            raise DownloadError(
                f"received {self._received} bytes, expected {self._expected} (storageSizeBytes)"
            )

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError


class FileSink(DownloadSink):
    """A temporary file next to the target, renamed into place only when complete. It is
    created with mode 0o666 so that the umask decides the mode, as for any new file."""

    def __init__(
        self, target: Path, expected_size: int | None, progress: ProgressCallback | None
    ) -> None:
        super().__init__(expected_size, progress)
        self._target = target
        self._handle: IO[bytes] | None = None
        self._temp_path: Path | None = None

    def open(self, content_length: int | None) -> None:
        fd, self._temp_path = _create_temporary(self._target)
        self._handle = os.fdopen(fd, "wb")
        super().open(content_length)

    def write_bytes(self, chunk: bytes) -> None:
        assert self._handle is not None
        self._handle.write(chunk)

    def commit(self) -> None:
        assert self._handle is not None
        assert self._temp_path is not None
        self._check_size()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._temp_path, self._target)
        self._temp_path = None

    def discard(self) -> None:
        if self._handle is not None and not self._handle.closed:
            self._handle.close()
        if self._temp_path is not None:
            with contextlib.suppress(FileNotFoundError):
                self._temp_path.unlink()
            self._temp_path = None


class StreamSink(DownloadSink):
    """The caller's binary file object: written as the bytes come, flushed, never closed. A
    failed attempt is undone (seek back, truncate) when the object can seek; otherwise the
    download is not tried again, since the bytes written cannot be taken back."""

    def __init__(
        self, stream: IO[bytes], expected_size: int | None, progress: ProgressCallback | None
    ) -> None:
        super().__init__(expected_size, progress)
        self._stream = stream
        self._start: int | None = None

    @property
    def rewindable(self) -> bool:
        return self._start is not None or self._received == 0

    def open(self, content_length: int | None) -> None:
        try:
            self._start = self._stream.tell() if self._stream.seekable() else None
        except (AttributeError, OSError, ValueError):
            self._start = None
        super().open(content_length)

    def write_bytes(self, chunk: bytes) -> None:
        self._stream.write(chunk)

    def commit(self) -> None:
        self._check_size()
        self._stream.flush()

    def discard(self) -> None:
        if self._start is not None and self._received:
            self._stream.seek(self._start)
            self._stream.truncate()


def download_sink(
    target: DownloadTarget, expected_size: int | None, progress: ProgressCallback | None
) -> DownloadSink:
    if isinstance(target, Path):
        return FileSink(target, expected_size, progress)
    return StreamSink(target, expected_size, progress)


def _create_temporary(target: Path) -> tuple[int, Path]:
    """An exclusive new file next to `target`; unlike `mkstemp` (0o600), the mode is 0o666
    less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_NAME_TRIES):
        candidate = target.parent / f".{target.name[:64]}.{secrets.token_hex(6)}.part"
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {str(target)!r}")
