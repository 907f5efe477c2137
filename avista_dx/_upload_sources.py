"""What an upload reads: a local path, `bytes`, or a binary file-like object; and the
`Content-Type` it is sent with (I/O-free but for the local file's status)."""

from __future__ import annotations

import io
import mimetypes
import ntpath
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, Union

from ._validation import require_local_path, require_text, shown
from .errors import InvalidInputError, LocalFileNotFoundError

UploadContent = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
"""A path to a local file, the bytes themselves, or a readable binary file object."""

# Compressed files get the compression's type, not that of what is inside (`.tar.gz`).
_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}
# type "/" subtype, optional parameters; no control characters (it becomes a header).
_CONTENT_TYPE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(;[ -~]*)?")
# A stream that cannot seek is copied here first (S3 needs the length before the bytes).
_SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class UploadSource:
    """Opens the bytes to send, once per attempt (a retry starts again from the start)."""

    description: str
    """How messages name it: the path, or "the bytes" / "the file object"."""
    size: int
    open: Callable[[], IO[bytes]]
    closes: bool
    """Whether the opened object is the SDK's to close (not the caller's stream)."""
    local_name: str | None
    """The name the content has locally (a path's last component, a file object's name)."""


def upload_source(content: Any) -> UploadSource:
    """The `UploadSource` of a caller's `localPath`: a path, bytes or a binary file object.

    Raises:
        LocalFileNotFoundError: a path that is not a regular file.
        InvalidInputError: anything else, or a text-mode file object.
    """
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        return UploadSource("the bytes", len(data), lambda: io.BytesIO(data), True, None)
    if isinstance(content, str | os.PathLike):
        return _path_source(content)
    if callable(getattr(content, "read", None)):
        return _stream_source(content)
    raise InvalidInputError(
        f"localPath must be a path, bytes or a binary file object, not {type(content).__name__}"
    )


def _path_source(content: str | os.PathLike[str]) -> UploadSource:
    path = require_local_path("localPath", content)
    try:
        status = path.stat()
    except OSError as exc:
        raise LocalFileNotFoundError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if not path.is_file():
        raise LocalFileNotFoundError(f"{str(path)!r} is not a regular file")
    return UploadSource(
        repr(str(path)), status.st_size, lambda: path.open("rb"), True, _last_component(path)
    )


def _stream_source(stream: IO[bytes]) -> UploadSource:
    if isinstance(stream, io.TextIOBase) or "b" not in getattr(stream, "mode", "b"):
        raise InvalidInputError("a file object to upload must be opened in binary mode ('rb')")
    name = getattr(stream, "name", None)
    local_name = _last_component(name) if isinstance(name, str) and name else None
    if not _seekable(stream):
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
        shutil.copyfileobj(stream, spool)
        stream = spool
        stream.seek(0)
    start = stream.tell()
    size = stream.seek(0, io.SEEK_END) - start
    stream.seek(start)

    def rewound() -> IO[bytes]:
        stream.seek(start)
        return stream

    return UploadSource("the file object", size, rewound, False, local_name)


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _last_component(local_path: str | os.PathLike[str]) -> str:
    """The last path component, split on every separator this platform knows."""
    text = os.fspath(local_path)
    return ntpath.basename(text) if os.name == "nt" else os.path.basename(text)


def guessed_content_type(file_name: str) -> str | None:
    """The MIME type of a name by its extension (`mimetypes`), or None when unknown (then no
    header is sent and S3 records its default, `binary/octet-stream`; a guessed
    `application/octet-stream` says no more than that)."""
    content_type, encoding = mimetypes.guess_type(file_name, strict=False)
    if encoding is not None:
        return _ENCODING_TYPES.get(encoding)
    return None if content_type == "application/octet-stream" else content_type


def upload_content_type(content_type: Any, file_name: str) -> str | None:
    """The caller's `content_type`, checked, or the one guessed from `file_name`."""
    if content_type is None:
        return guessed_content_type(file_name)
    text = require_text("content_type", content_type)
    if not _CONTENT_TYPE.fullmatch(text):
        raise InvalidInputError(f"content_type {shown(text)} is not a MIME type (type/subtype)")
    return text
