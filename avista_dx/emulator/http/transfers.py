"""``PUT``/``GET /_presigned/{file_id}``: presigned transfers, answered like S3 (XML errors)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from email.utils import format_datetime
from xml.sax.saxutils import escape

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from .. import _clock
from ..persistence import StagedBlob
from ..services import TransferDeniedError, TransferService, UrlSigner
from ..services.transfers import MAX_OBJECT_BYTES
from .numbers import parse_decimal

WRITE_BATCH_BYTES = 1024 * 1024  # buffer small network chunks into fewer thread hops
MAX_CONTENT_TYPE_LENGTH = 256


def s3_error(denied: TransferDeniedError, headers: dict[str, str] | None = None) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(denied.code)}</Code><Message>{escape(denied.message)}</Message></Error>"
    )
    return Response(body, status_code=denied.status, media_type="application/xml", headers=headers)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end_exclusive)`` of a single ``bytes=`` range; None means the whole object.

    Like S3, a malformed or multi-range header is ignored; an unsatisfiable one raises 416.
    """
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first_text, dash, last_text = header[len("bytes=") :].strip().partition("-")
    first, last = parse_decimal(first_text), parse_decimal(last_text)
    if not dash or (first_text and first is None) or (last_text and last is None):
        return None  # not ASCII decimals (``bytes=²-``): ignored, as S3 does
    if first is None:
        if last is None:
            return None  # ``bytes=-``
        if last == 0 or size == 0:  # suffix range: the last N bytes
            raise _unsatisfiable()
        return max(0, size - last), size
    if last is not None and last < first:
        return None
    if first >= size:
        raise _unsatisfiable()
    return first, size if last is None else min(size, last + 1)


def _valid_content_type(value: str) -> bool:
    return 0 < len(value) <= MAX_CONTENT_TYPE_LENGTH and value.isprintable()


def _unsatisfiable() -> TransferDeniedError:
    return TransferDeniedError(416, "InvalidRange", "The requested range is not satisfiable")


class TransferEndpoints:
    def __init__(self, signer: UrlSigner, transfers: TransferService) -> None:
        self._signer = signer
        self._transfers = transfers

    async def upload(self, request: Request) -> Response:
        file_id = request.path_params["file_id"]
        declared = request.headers.get("content-length")
        content_type = request.headers.get("content-type")
        try:
            signed = self._signer.verify("PUT", file_id, dict(request.query_params))
            if content_type is not None and not _valid_content_type(content_type):
                raise TransferDeniedError(400, "InvalidArgument", "Invalid Content-Type header")
            length = parse_decimal(declared)
            await run_in_threadpool(self._transfers.check_upload, file_id, signed.upload_id, length)
        except TransferDeniedError as denied:
            return s3_error(denied)
        staged = await run_in_threadpool(self._transfers.stage)
        committed = False
        try:
            await self._receive(request, staged)
            if length is not None and staged.size != length:
                raise TransferDeniedError(400, "IncompleteBody", "Fewer bytes than Content-Length")
            await run_in_threadpool(
                self._transfers.commit_upload,
                file_id,
                signed.upload_id,
                staged,
                content_type,
            )
            committed = True
        except TransferDeniedError as denied:
            return s3_error(denied)
        except ClientDisconnect:
            return Response(status_code=400)
        finally:
            if not committed:
                # Never a thread hop here: this also runs when the request is cancelled.
                with contextlib.suppress(OSError):
                    self._transfers.discard(staged)
        return Response(status_code=200, headers={"ETag": f'"{file_id}"'})

    async def _receive(self, request: Request, staged: StagedBlob) -> None:
        pending: list[bytes] = []
        pending_size = 0
        async for chunk in request.stream():
            if staged.size + pending_size + len(chunk) > MAX_OBJECT_BYTES:
                raise TransferDeniedError(
                    400, "EntityTooLarge", f"Objects are limited to {MAX_OBJECT_BYTES} bytes"
                )
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size >= WRITE_BATCH_BYTES:
                await run_in_threadpool(staged.write, b"".join(pending))
                pending, pending_size = [], 0
        if pending:
            await run_in_threadpool(staged.write, b"".join(pending))

    async def download(self, request: Request) -> Response:
        file_id = request.path_params["file_id"]
        size = 0
        try:
            self._signer.verify("GET", file_id, dict(request.query_params))
            record, size = await run_in_threadpool(self._transfers.open_download, file_id)
            byte_range = parse_range(request.headers.get("range"), size)
        except TransferDeniedError as denied:
            headers = {"Content-Range": f"bytes */{size}"} if denied.status == 416 else None
            return s3_error(denied, headers)
        start, end = byte_range or (0, size)
        headers = {
            "Content-Length": str(end - start),
            "Accept-Ranges": "bytes",
            "ETag": f'"{record.key}"',
            "Last-Modified": format_datetime(_clock.parse_iso(record.last_modified), usegmt=True),
        }
        if byte_range is not None:
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        chunks = await run_in_threadpool(self._transfers.read, file_id, start, end)
        return StreamingResponse(
            _stream(chunks),
            status_code=206 if byte_range is not None else 200,
            media_type=record.content_type,
            headers=headers,
        )


async def _stream(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in iterate_in_threadpool(chunks):
        yield chunk
