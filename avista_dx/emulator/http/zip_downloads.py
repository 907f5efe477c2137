"""``GET /_presigned/zip/{zip_id}``: zip downloads, with the file GETs' signing, expiry and
Range rules and S3-style XML errors."""

from __future__ import annotations

from email.utils import format_datetime

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .. import _clock
from ..services.transfers import TransferDeniedError, UrlSigner
from ..services.zip_downloads import ZIP_CONTENT_TYPE, ZipDownloadService
from .transfers import parse_range, s3_error


class ZipDownloadEndpoint:
    def __init__(self, signer: UrlSigner, archives: ZipDownloadService) -> None:
        self._signer = signer
        self._archives = archives

    async def download(self, request: Request) -> Response:
        zip_id = request.path_params["zip_id"]
        size = 0
        try:
            self._signer.verify("GET", zip_id, dict(request.query_params))
            archive = await run_in_threadpool(self._archives.open_archive, zip_id)
            size = archive.size
            byte_range = parse_range(request.headers.get("range"), size)
        except TransferDeniedError as denied:
            headers = {"Content-Range": f"bytes */{size}"} if denied.status == 416 else None
            return s3_error(denied, headers)
        start, end = byte_range or (0, size)
        headers = {
            "Content-Length": str(end - start),
            "Accept-Ranges": "bytes",
            "ETag": f'"{zip_id}"',
            "Last-Modified": format_datetime(_clock.parse_iso(archive.record.created), usegmt=True),
        }
        if byte_range is not None:
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        return StreamingResponse(
            iterate_in_threadpool(self._archives.read(archive, start, end)),
            status_code=206 if byte_range is not None else 200,
            media_type=ZIP_CONTENT_TYPE,
            headers=headers,
        )
