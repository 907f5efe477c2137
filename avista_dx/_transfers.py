"""The I/O-free rules and the local-file side of presigned transfers (docs/protocol.md §3, §5).

Both clients use these pieces; they only differ in how the HTTP bytes move.
"""

from __future__ import annotations

import ntpath
import os
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import httpx

from ._constants import TRANSFER_CHUNK_BYTES
from ._download_sinks import DownloadSink, DownloadTarget, is_writable_stream
from ._upload_sources import UploadSource, local_name, upload_content_type, upload_source
from ._validation import (
    local_name_problem,
    optional_text,
    require_local_path,
    require_text,
    shown,
    unencodable_index,
)
from .errors import (
    ConfigurationError,
    DownloadError,
    DxError,
    InvalidInputError,
    TransferError,
    UploadError,
)

if TYPE_CHECKING:
    from .types import DataStoreFile

ProgressCallback = Callable[[int, "int | None"], None]
"""Called with (bytes transferred so far, total bytes or None when unknown)."""

ProgressOption = ProgressCallback | bool | None

_MD5_HEX = re.compile(r"[0-9a-f]{32}")


def split_file_name(file_name: str) -> tuple[str, str]:
    """`name` is everything before the first `.`, `fileExtension` everything after it
    (docs/protocol.md §5.1)."""
    name, _, extension = file_name.partition(".")
    return name, extension


def cloud_file_name(name: str, extension: str | None) -> str:
    return f"{name}.{extension}" if extension else name


@dataclass(frozen=True, slots=True)
class UploadPlan:
    source: UploadSource
    file_name: str
    """The whole name (a data store splits it into `name` and `extension`)."""
    content_type: str | None
    """Sent as the PUT's `Content-Type`; None sends none (S3's default type)."""

    @property
    def name(self) -> str:
        return split_file_name(self.file_name)[0]

    @property
    def extension(self) -> str:
        return split_file_name(self.file_name)[1]

    @property
    def size(self) -> int:
        return self.source.size


def plan_upload(
    content: Any,
    name: str | None,
    content_type: Any = None,
    *,
    content_argument: str = "localPath",
    name_argument: str = "name",
) -> UploadPlan:
    """Checks what to upload (a path, bytes or a binary file object) and derives the file
    name and content type, before any request. Every argument is checked before a stream
    that cannot seek is read (a caller's mistake must not consume it)."""
    optional_text(name_argument, name, allow_empty=True)
    file_name = name if name is not None else local_name(content, content_argument)
    if file_name is None:
        raise InvalidInputError(
            f"{name_argument} is needed to upload bytes or an unnamed file object"
        )
    if not file_name:
        raise InvalidInputError("the file name is empty")
    # A POSIX name with undecodable bytes holds surrogate escapes: no text to send.
    require_text("the file name", file_name)
    checked_type = upload_content_type(content_type, file_name)
    return UploadPlan(upload_source(content, content_argument), file_name, checked_type)


def check_download_arguments(write_location: Any, progress: Any) -> None:
    """The caller's `writeLocation` (a path or a binary file object) and `progress`, checked
    before any request."""
    if not is_writable_stream(write_location):
        check_download_path(write_location, progress)
    check_progress(progress)


def check_download_path(write_location: Any, progress: Any) -> None:
    """The caller's `writeLocation` (a path only) and `progress`, checked before any
    request."""
    require_local_path("writeLocation", write_location)
    check_progress(progress)


def names_directory(write_location: str | os.PathLike[str]) -> bool:
    """Whether a download to `write_location` goes inside it, under the cloud name: an
    existing directory, or a path ending in a separator (created when the download starts)."""
    text = os.fspath(write_location)
    return _ends_in_separator(text) or os.path.isdir(text)


def download_destination(write_location: Any, cloud_name: str) -> DownloadTarget:
    """Where a download goes: the caller's binary file object, or a local path as
    `resolve_download_target` finds it."""
    if is_writable_stream(write_location):
        stream: IO[bytes] = write_location
        return stream
    return resolve_download_target(write_location, cloud_name)


def resolve_download_target(write_location: Any, cloud_name: str) -> Path:
    """The local path of a download (docs/protocol.md §5.2). A path that is an existing
    directory, or that ends in a separator (`downloads/`, created with its parents if
    missing), is a directory: the file goes inside under its cloud name, which never escapes
    it."""
    location = require_local_path("writeLocation", write_location)
    try:
        if _ends_in_separator(os.fspath(write_location)):
            location.mkdir(parents=True, exist_ok=True)
        return _download_target(location, cloud_name)
    except (OSError, RuntimeError) as exc:  # no permission to look, a symlink loop, ...
        raise InvalidInputError(
            f"cannot download to {str(location)!r}: {type(exc).__name__}: {exc}"
        ) from exc


def _ends_in_separator(text: str) -> bool:
    separators = tuple(sep for sep in (os.sep, os.altsep, "/") if sep)
    return text.endswith(separators)


def _download_target(location: Path, cloud_name: str) -> Path:
    if location.is_dir():
        base = ntpath.basename(cloud_name.replace("\\", "/").rstrip("/"))
        # Surrogates are refused even where the OS would take them as escaped bytes: the
        # exchange's name is text, and a lone surrogate is not.
        unusable = local_name_problem(base) is not None or unencodable_index(base) is not None
        if base in ("", ".", "..") or "/" in base or unusable:
            raise DownloadError(
                f"the file name {shown(cloud_name)} is not a safe local file name; "
                "pass a file path as writeLocation"
            )
        target = location / base
        if target.resolve().parent != location.resolve():
            raise DownloadError(f"the file name {cloud_name!r} would leave {str(location)!r}")
        return target
    if not location.parent.is_dir():
        raise InvalidInputError(f"the directory of {str(location)!r} does not exist")
    return location


def check_progress(progress: Any) -> None:
    if not (progress is None or isinstance(progress, bool) or callable(progress)):
        raise InvalidInputError("progress must be a callable (done, total), True or None")


def progress_callback(
    progress: ProgressOption, description: str, *, unit: str = "B"
) -> ProgressCallback | None:
    """A callable for `progress`: the caller's, a tqdm bar for True, or None. `unit` "B"
    counts bytes (shown in KiB, MiB, ...); another unit counts items of that name."""
    check_progress(progress)
    if progress is None or progress is False:
        return None
    if progress is True:
        return _tqdm_callback(description, unit)
    return progress


def _tqdm_callback(description: str, unit: str) -> ProgressCallback:
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ConfigurationError(
            "progress=True needs tqdm: pip install 'avista-dx[progress]'"
        ) from exc
    bars: list[Any] = []  # created on the first call, when the total is known

    def update(done: int, total: int | None) -> None:
        if not bars:
            bars.append(
                tqdm(
                    total=total,
                    unit=unit,
                    unit_scale=True,
                    unit_divisor=1024 if unit == "B" else 1000,
                    desc=description,
                )
            )
        bar = bars[0]
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    return update


class UploadBody:
    """What a presigned PUT streams: exactly `size` bytes of an `UploadPlan`'s source in
    chunks, from its start on every attempt, reporting progress (sync and async)."""

    def __init__(self, plan: UploadPlan, progress: ProgressCallback | None) -> None:
        self._plan = plan
        self._progress = progress

    def _read(self, handle: IO[bytes], sent: int) -> bytes:
        chunk = handle.read(min(TRANSFER_CHUNK_BYTES, self._plan.size - sent))
        if not chunk or not isinstance(chunk, bytes):
            description = self._plan.source.description
            raise InvalidInputError(f"{description} shrank (or gave no bytes) during the upload")
        return chunk

    def _open(self) -> IO[bytes]:
        return self._plan.source.open()

    def _close(self, handle: IO[bytes]) -> None:
        if self._plan.source.closes:
            handle.close()

    def _report(self, sent: int) -> None:
        if self._progress:
            self._progress(sent, self._plan.size)

    def sync_chunks(self) -> Iterator[bytes]:
        handle = self._open()
        try:
            sent = 0
            self._report(sent)
            while sent < self._plan.size:
                chunk = self._read(handle, sent)
                sent += len(chunk)
                self._report(sent)
                yield chunk
        finally:
            self._close(handle)

    async def async_chunks(self) -> AsyncIterator[bytes]:
        import anyio.to_thread  # only async transfers need it

        # Disk reads run in a worker thread so the event loop never waits on the disk;
        # progress is still reported from the loop.
        handle = await anyio.to_thread.run_sync(self._open)
        try:
            sent = 0
            self._report(sent)
            while sent < self._plan.size:
                chunk = await anyio.to_thread.run_sync(self._read, handle, sent)
                sent += len(chunk)
                self._report(sent)
                yield chunk
        finally:
            self._close(handle)

    @property
    def headers(self) -> dict[str, str]:
        # S3 presigned PUTs reject chunked encoding: the length must be declared.
        headers = {"Content-Length": str(self._plan.size)}
        if self._plan.content_type is not None:
            headers["Content-Type"] = self._plan.content_type
        return headers


def etag_md5(etag: str | None) -> str | None:
    """The MD5 hex an S3 `ETag` states, or None: only a single-PUT object's ETag is its MD5
    (a multipart upload's reads `"<hex>-<parts>"`)."""
    if etag is None:
        return None
    value = etag.strip().removeprefix("W/").strip('"').lower()
    return value if _MD5_HEX.fullmatch(value) else None


def status_is_transient(status_code: int) -> bool:
    return status_code in (408, 429) or status_code >= 500


def check_transfer_status(response: httpx.Response, error_type: type[TransferError]) -> None:
    """S3 answers errors as 4xx/5xx XML bodies: never write those to the target."""
    if not response.is_success:
        raise error_type(
            f"the presigned {response.request.method} answered HTTP {response.status_code}",
            transient=status_is_transient(response.status_code),
        )


def transfer_failure(exc: BaseException, error_type: type[TransferError]) -> BaseException:
    """What to raise (or retry) for `exc` raised while moving bytes to or from storage."""
    if isinstance(exc, TransferError):
        return exc
    if isinstance(exc, httpx.TransportError):  # connection trouble and timeouts
        return error_type(f"transfer failed: {type(exc).__name__}: {exc}", transient=True)
    if isinstance(exc, httpx.HTTPError | OSError | DxError):
        return error_type(f"transfer failed: {type(exc).__name__}: {exc}")
    return exc  # KeyboardInterrupt, CancelledError, bugs: propagate unchanged


def expected_size(meta: DataStoreFile) -> int | None:
    """`storageSizeBytes` when usable (it is a 32-bit Int on the exchange)."""
    size = meta.storageSizeBytes
    return size if size is not None and size >= 0 else None


def download_failure(exc: BaseException, sink: DownloadSink, operation: str) -> BaseException:
    """Discards the partial file and returns what to raise (or retry) for `exc`."""
    rewindable = sink.rewindable
    sink.discard()
    failure = transfer_failure(exc, DownloadError)
    if isinstance(failure, DownloadError):
        failure.operation = failure.operation or operation
        if not rewindable:  # the bytes already in the caller's stream cannot be taken back
            failure.transient = False
    return failure


def upload_failure(
    exc: Exception, rollback_error: DxError | None, operation: str = "uploadFileToDataStore"
) -> UploadError:
    """The `UploadError` to raise for `exc` once the file record was rolled back.

    It keeps whether the cause was transient (the retries were spent on a storage fault), so
    callers can decide to try the whole upload again later.
    """
    message = exc.message if isinstance(exc, UploadError) else f"upload failed: {exc}"
    return UploadError(
        message,
        operation=operation,
        transient=isinstance(exc, TransferError) and exc.transient,
        rollback_error=rollback_error,
    )


def content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    return int(value) if value and value.isdigit() else None


def checked_presigned_url(url: str, error_type: type[TransferError]) -> httpx.URL:
    """A presigned URL must be an absolute http(s) URL; anything else never gets requested."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise error_type(f"the exchange returned an invalid presigned URL: {exc}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise error_type("the exchange returned a presigned URL that is not absolute http(s)")
    return parsed


def strip_credentials(request: httpx.Request) -> httpx.Request:
    """Presigned URLs are self-signed: never send the exchange token along."""
    request.headers.pop("Authorization", None)
    return request
