"""Upload bodies besides a local path's (`_transfers.UploadBody`): `bytes` and binary file-like
objects, streamed to a presigned PUT with their declared length and a content type.

`UploadContent` is what the clients' PUT needs of any body; every attempt of a retried PUT
starts again from the body's first byte.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any, Protocol

from ._constants import TRANSFER_CHUNK_BYTES
from ._transfers import (
    ProgressCallback,
    ProgressOption,
    UploadBody,
    check_progress,
    cloud_file_name,
    plan_upload,
    progress_callback,
)
from ._validation import require_text, shown
from .errors import InvalidInputError

DEFAULT_CONTENT_TYPE = "application/octet-stream"


class UploadContent(Protocol):
    """The bytes of one upload, as the sync and the async PUT stream them."""

    def sync_chunks(self) -> Iterator[bytes]: ...

    def async_chunks(self) -> AsyncIterator[bytes]: ...

    @property
    def headers(self) -> dict[str, str]: ...


def guessed_content_type(file_name: str) -> str:
    """The content type of a file name's extension, `application/octet-stream` if unknown."""
    return mimetypes.guess_type(file_name, strict=False)[0] or DEFAULT_CONTENT_TYPE


class StreamUploadBody:
    """`size` bytes of a seekable binary stream, from the position it had when given."""

    def __init__(
        self,
        stream: IO[bytes],
        size: int,
        content_type: str,
        progress: ProgressCallback | None,
    ) -> None:
        self._stream = stream
        self._start = stream.tell()
        self._size = size
        self._content_type = content_type
        self._progress = progress

    def _rewind(self) -> None:
        self._stream.seek(self._start)
        self._report(0)

    def _read(self, sent: int) -> bytes:
        chunk = self._stream.read(min(TRANSFER_CHUNK_BYTES, self._size - sent))
        if not isinstance(chunk, bytes) or not chunk:
            raise InvalidInputError(
                "the file object shrank (or stopped giving bytes) during the upload"
            )
        return chunk

    def _report(self, sent: int) -> None:
        if self._progress:
            self._progress(sent, self._size)

    def sync_chunks(self) -> Iterator[bytes]:
        self._rewind()
        sent = 0
        while sent < self._size:
            chunk = self._read(sent)
            sent += len(chunk)
            self._report(sent)
            yield chunk

    async def async_chunks(self) -> AsyncIterator[bytes]:
        import anyio.to_thread  # only async transfers need it

        # A file object may read from disk: its reads run in a worker thread.
        await anyio.to_thread.run_sync(self._rewind)
        sent = 0
        while sent < self._size:
            chunk = await anyio.to_thread.run_sync(self._read, sent)
            sent += len(chunk)
            self._report(sent)
            yield chunk

    @property
    def headers(self) -> dict[str, str]:
        # S3 presigned PUTs reject chunked encoding: the length must be declared.
        return {"Content-Length": str(self._size), "Content-Type": self._content_type}


def _stream_of(source: Any) -> tuple[IO[bytes], int]:
    """A seekable stream of a `bytes`-like or a binary file object, and how many bytes it
    has left. A stream that cannot seek is read into memory once (a retry needs the bytes
    again)."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return io.BytesIO(data), len(data)
    if not callable(getattr(source, "read", None)) or isinstance(source, io.TextIOBase):
        raise InvalidInputError(
            f"expected a path, bytes or a binary file object; got {shown(source)}"
        )
    try:
        seekable = getattr(source, "seekable", None)
        if callable(seekable) and seekable():
            start = source.tell()
            end = source.seek(0, os.SEEK_END)
            source.seek(start)
            return source, max(0, end - start)
        data = source.read()
    except (OSError, ValueError) as exc:  # a closed file, a stream that cannot say its size
        raise InvalidInputError(f"cannot read the file object: {exc}") from exc
    if not isinstance(data, bytes):
        raise InvalidInputError("the file object must be opened in binary mode ('rb')")
    return io.BytesIO(data), len(data)


def upload_body_of(
    source: Any, file_name: str | None, progress: ProgressOption
) -> tuple[str, UploadContent]:
    """The cloud file name and the body of a path, `bytes` or binary file object, checked
    before any request.

    A path's name defaults to its file name; a file object's to its `name` attribute's last
    component; `bytes` need `file_name`. `progress` is a callable `(done, total)` or True
    for a tqdm bar.
    """
    check_progress(progress)
    if isinstance(source, str | os.PathLike):
        plan = plan_upload(source, file_name)
        name = cloud_file_name(plan.name, plan.extension)
        return name, UploadBody(plan, progress_callback(progress, name))
    stream, size = _stream_of(source)
    if file_name is None:
        own = getattr(source, "name", None)
        file_name = os.path.basename(own) if isinstance(own, str) else None
    if not file_name:
        raise InvalidInputError("fileName is needed to upload bytes or an unnamed file object")
    name = require_text("fileName", file_name)
    body = StreamUploadBody(
        stream, size, guessed_content_type(name), progress_callback(progress, name)
    )
    return name, body
