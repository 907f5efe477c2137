"""The rows of an executed query, kept for its later pages: in memory up to a bound, then in
an anonymous temporary file, so open paginated queries never hold large results in memory."""

from __future__ import annotations

import os
import struct
import tempfile
from typing import IO

_LENGTH = struct.Struct(">I")


class RowSpool:
    """A FIFO of rendered rows; ``memory_bytes`` of them stay in memory, the rest spill."""

    def __init__(self, memory_bytes: int, directory: str | None) -> None:
        self._memory_bytes = memory_bytes
        self._directory = directory
        self._rows: list[str] = []
        self._in_memory = 0
        self._file: IO[bytes] | None = None
        self._read_offset = 0
        self._write_offset = 0
        self.size = 0  # bytes of row text held (memory and file)

    def append(self, rows: list[str]) -> None:
        for row in rows:
            self.size += len(row)
        if self._file is None and self._in_memory + sum(map(len, rows)) <= self._memory_bytes:
            self._rows.extend(rows)
            self._in_memory += sum(map(len, rows))
            return
        if self._file is None:
            if self._directory is not None:
                # Shared with DuckDB's spill files, which creates and removes it as it needs.
                os.makedirs(self._directory, exist_ok=True)
            # Deleted on close (or at once, where the platform allows): nothing is left behind.
            self._file = tempfile.TemporaryFile(  # noqa: SIM115 (closed by close())
                prefix="avista-dx-rows-", dir=self._directory
            )
        self._file.seek(self._write_offset)
        for row in rows:
            data = row.encode()
            self._file.write(_LENGTH.pack(len(data)))
            self._file.write(data)
        self._write_offset = self._file.tell()

    def fetch(self, count: int) -> list[str]:
        taken = self._rows[:count]
        del self._rows[:count]
        self._in_memory -= sum(map(len, taken))
        if len(taken) < count and self._file is not None:
            self._file.seek(self._read_offset)
            while len(taken) < count and self._read_offset < self._write_offset:
                (length,) = _LENGTH.unpack(self._file.read(_LENGTH.size))
                taken.append(self._file.read(length).decode())
                self._read_offset += _LENGTH.size + length
        return taken

    def close(self) -> None:
        self._rows = []
        if self._file is not None:
            self._file.close()
            self._file = None
