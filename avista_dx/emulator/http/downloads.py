"""Presigned GETs (data-store files, zip archives, time-series export files): one signing,
expiry and Range rule for all, S3-style XML errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import format_datetime

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .. import _clock
from ..services.time_series_exports import CONTENT_TYPES, TimeSeriesExportService
from ..services.transfers import (
    DEFAULT_CONTENT_TYPE,
    TransferDeniedError,
    TransferService,
    UrlSigner,
)
from ..services.zip_downloads import ZIP_CONTENT_TYPE, ZipDownloadService
from .transfers import parse_range, s3_error


@dataclass(frozen=True, slots=True)
class Download:
    """What a GET serves: ``read(start, end)`` yields bytes ``[start, end)`` of ``size``."""

    size: int
    content_type: str
    last_modified: str  # ISO-8601
    read: Callable[[int, int], Iterator[bytes]]
    md5: str | None = None  # the ETag S3 gives a single-PUT object (else the key's)


# The object behind a verified URL, or TransferDeniedError (404 NoSuchKey...).
OpenDownload = Callable[[str], Download]


def data_store_files(transfers: TransferService) -> OpenDownload:
    def open_download(key: str) -> Download:
        record, size, content_md5 = transfers.open_download(key)
        return Download(
            size,
            record.content_type or DEFAULT_CONTENT_TYPE,
            record.last_modified,
            lambda start, end: transfers.read(key, start, end),
            content_md5,
        )

    return open_download


def zip_archives(service: ZipDownloadService) -> OpenDownload:
    def open_download(key: str) -> Download:
        archive = service.open_archive(key)
        return Download(
            archive.size,
            ZIP_CONTENT_TYPE,
            archive.record.created,
            lambda start, end: service.read(archive, start, end),
        )

    return open_download


def time_series_exports(service: TimeSeriesExportService) -> OpenDownload:
    def open_download(key: str) -> Download:
        export, size = service.open_file(key)
        return Download(
            size,
            CONTENT_TYPES[export.file_format],
            export.created,
            lambda start, end: service.read(key, start, end),
        )

    return open_download


class PresignedDownloadEndpoint:
    """``GET <path>/{key}`` for one kind of generated object."""

    def __init__(self, signer: UrlSigner, open_download: OpenDownload) -> None:
        self._signer = signer
        self._open = open_download

    async def download(self, request: Request) -> Response:
        key = request.path_params["key"]
        size = 0
        try:
            self._signer.verify("GET", key, dict(request.query_params))
            found = await run_in_threadpool(self._open, key)
            size = found.size
            byte_range = parse_range(request.headers.get("range"), size)
        except TransferDeniedError as denied:
            headers = {"Content-Range": f"bytes */{size}"} if denied.status == 416 else None
            return s3_error(denied, headers)
        start, end = byte_range or (0, size)
        headers = {
            "Content-Length": str(end - start),
            "Accept-Ranges": "bytes",
            "ETag": f'"{found.md5 or key}"',
            "Last-Modified": format_datetime(_clock.parse_iso(found.last_modified), usegmt=True),
        }
        if byte_range is not None:
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        return StreamingResponse(
            iterate_in_threadpool(found.read(start, end)),
            status_code=206 if byte_range is not None else 200,
            media_type=found.content_type,
            headers=headers,
        )
