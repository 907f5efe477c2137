"""What an upload reads: a local path, `bytes`, or a binary file-like object; and the
`Content-Type` it is sent with. Nothing is read before an upload starts but a path's status
and a stream that cannot seek (copied once: S3 needs the length before the bytes)."""

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
from pathlib import Path
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


def local_name(content: Any, argument: str = "localPath") -> str | None:
    """The name `content` has locally (a path's last component, a file object's `name`), or
    None (`bytes`, a nameless stream); read nothing, so a caller's mistake is reported
    before a stream is consumed.

    Raises:
        InvalidInputError: `content` is not a path, bytes or a file object.
    """
    if isinstance(content, bytes | bytearray | memoryview):
        return None
    if isinstance(content, str | os.PathLike):
        return _last_component(require_local_path(argument, content))
    if callable(getattr(content, "read", None)):
        name = getattr(content, "name", None)
        return _last_component(name) if isinstance(name, str) and name else None
    raise InvalidInputError(
        f"{argument} must be a path, bytes or a binary file object, not {type(content).__name__}"
    )


def upload_source(content: Any, argument: str = "localPath") -> UploadSource:
    """The `UploadSource` of what a caller uploads: a path, bytes or a binary file object.

    Raises:
        LocalFileNotFoundError: a path that is not a regular file.
        InvalidInputError: anything else, a closed or text-mode file object.
    """
    local_name(content, argument)  # the type check
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        return UploadSource("the bytes", len(data), lambda: io.BytesIO(data), True)
    if isinstance(content, str | os.PathLike):
        return _path_source(require_local_path(argument, content))
    return _stream_source(content)


def _path_source(path: Path) -> UploadSource:
    try:
        status = path.stat()
    except OSError as exc:
        raise LocalFileNotFoundError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if not path.is_file():
        raise LocalFileNotFoundError(f"{str(path)!r} is not a regular file")
    return UploadSource(repr(str(path)), status.st_size, lambda: path.open("rb"), True)


def _stream_source(stream: IO[bytes]) -> UploadSource:
    if isinstance(stream, io.TextIOBase) or "b" not in getattr(stream, "mode", "b"):
        raise InvalidInputError("a file object to upload must be opened in binary mode ('rb')")
    if getattr(stream, "closed", False) is True:
        raise InvalidInputError("the file object to upload is closed")
    try:
        if not _seekable(stream):
            spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
            shutil.copyfileobj(stream, spool)
            stream = spool
            stream.seek(0)
        start = stream.tell()
        size = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)
    except (OSError, ValueError, TypeError) as exc:  # unreadable, or gives text, not bytes
        raise InvalidInputError(f"cannot read the file object: {exc}") from exc

    def rewound() -> IO[bytes]:
        stream.seek(start)
        return stream

    return UploadSource("the file object", size, rewound, False)


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
