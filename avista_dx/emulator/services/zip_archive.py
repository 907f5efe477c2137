"""Zip archives written as a stream: stdlib ``zipfile`` over a non-seekable sink, in constant
memory.

Entries are stored (no compression) with fixed timestamps and attributes, so the same entries
always give the same bytes: a ranged GET can regenerate the archive and serve a slice of it.
``zipfile`` writes each file's CRC and sizes in a data descriptor after its bytes (the sink
cannot seek back) and switches to zip64 records when the archive needs them (more than 65,535
entries, or offsets past 4 GiB).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ZIP_EPOCH_YEAR = 1980  # the earliest time a zip entry can carry
_FILE_MODE = 0o100644  # regular file, rw-r--r--
_DIRECTORY_MODE = 0o040755  # directory, rwxr-xr-x
_MSDOS_DIRECTORY = 0x10
_ZEROS = bytes(1024 * 1024)

ReadBlob = Callable[[str], Iterator[bytes]]
DateTime = tuple[int, int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One archive member: a file (``blob_key`` set) or a directory (``path`` ends with ``/``)."""

    path: str
    blob_key: str | None
    size: int
    date_time: DateTime

    def to_json(self) -> list[object]:
        return [self.path, self.blob_key, self.size, list(self.date_time)]

    @classmethod
    def from_json(cls, item: list[Any]) -> ZipEntry:
        """An entry back from :meth:`to_json` (a manifest the emulator wrote itself)."""
        path, blob_key, size, (year, month, day, hour, minute, second) = item
        return cls(
            str(path),
            None if blob_key is None else str(blob_key),
            int(size),
            (int(year), int(month), int(day), int(hour), int(minute), int(second)),
        )


def zip_date_time(moment: datetime) -> DateTime:
    """The moment in a zip entry's resolution (2 s), never before 1980."""
    if moment.year < ZIP_EPOCH_YEAR:
        return (ZIP_EPOCH_YEAR, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


class _Sink(io.RawIOBase):
    """A write-only, non-seekable buffer that ``archive_chunks`` empties after every write."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._pending.append(bytes(data))
        return len(data)

    def drain(self) -> Iterator[bytes]:
        pending, self._pending = self._pending, []
        return iter(pending)


class ArchiveContentError(Exception):
    """A member's bytes are not the size the manifest recorded (changed or removed blob)."""


def archive_chunks(entries: list[ZipEntry], read: ReadBlob) -> Generator[bytes, None, None]:
    """The archive's bytes, chunk by chunk; ``read(blob_key)`` yields a file's bytes."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.path, entry.date_time)
            if entry.blob_key is None:
                info.external_attr = (_DIRECTORY_MODE << 16) | _MSDOS_DIRECTORY
                info.CRC = 0
                archive.mkdir(info)
            else:
                info.external_attr = _FILE_MODE << 16
                info.file_size = entry.size
                written = 0
                with archive.open(info, "w") as member:
                    for chunk in read(entry.blob_key):
                        written += len(chunk)
                        member.write(chunk)
                        yield from sink.drain()
                if written != entry.size:
                    raise ArchiveContentError(f"{entry.path}: {written} bytes, not {entry.size}")
            yield from sink.drain()
    yield from sink.drain()


def _zeros(size: int) -> Iterator[bytes]:
    while size > 0:
        chunk = _ZEROS[: min(size, len(_ZEROS))]
        size -= len(chunk)
        yield chunk


def archive_size(entries: list[ZipEntry]) -> int:
    """The exact size of ``archive_chunks(entries, …)``: stored entries' sizes do not depend on
    their contents, so zeros of the same lengths give the same layout."""
    sizes = {entry.blob_key: entry.size for entry in entries if entry.blob_key is not None}
    return sum(len(chunk) for chunk in archive_chunks(entries, lambda key: _zeros(sizes[key])))


def byte_range(chunks: Iterator[bytes], start: int, end: int) -> Iterator[bytes]:
    """Bytes ``[start, end)`` of a chunk stream (the chunks before ``start`` are discarded)."""
    offset = 0
    for chunk in chunks:
        chunk_end = offset + len(chunk)
        if chunk_end > start:
            piece = chunk[max(0, start - offset) : min(len(chunk), end - offset)]
            if piece:
                yield piece
        offset = chunk_end
        if offset >= end:
            return
