"""Presigned transfer URLs (HMAC-signed, expiring) and the upload/download rules behind them.

A URL binds one method, one file and (for uploads) one upload id; its signature is an
HMAC-SHA256 over those and the expiry, keyed by a secret kept with the metadata so URLs survive a
restart. Upload URLs are single-use: the upload id is consumed when the bytes are committed.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from .. import _clock
from ..persistence import BlobStore, MetadataStore, StagedBlob
from ..persistence.models import FileRecord

logger = logging.getLogger(__name__)

PRESIGNED_PATH = "/_presigned"
# storageSizeBytes is a 32-bit GraphQL Int: larger objects could not be described.
MAX_OBJECT_BYTES = 2**31 - 1
DEFAULT_CONTENT_TYPE = "binary/octet-stream"  # S3's default when a PUT sends none


class TransferDeniedError(Exception):
    """A presigned request is refused; ``status`` and ``code`` follow S3 (403 AccessDenied...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SignedRequest:
    method: str
    file_id: str
    upload_id: str
    expires: int


class UrlSigner:
    def __init__(
        self, secret: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._ttl = ttl_seconds
        self._clock = clock

    def _signature(self, request: SignedRequest) -> str:
        message = "\n".join(
            (request.method, request.file_id, request.upload_id, str(request.expires))
        )
        digest = hmac.new(self._secret, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def url(self, base_url: str, method: str, file_id: str, upload_id: str = "") -> str:
        request = SignedRequest(method, file_id, upload_id, int(self._clock()) + self._ttl)
        query = {"X-Dx-Expires": str(request.expires), "X-Dx-Signature": self._signature(request)}
        if upload_id:
            query["X-Dx-Upload"] = upload_id
        return f"{base_url.rstrip('/')}{PRESIGNED_PATH}/{file_id}?{urlencode(query)}"

    def verify(self, method: str, file_id: str, query: dict[str, str]) -> SignedRequest:
        """The signed request, or TransferDeniedError (403) when tampered with or expired."""
        try:
            expires = int(query["X-Dx-Expires"])
            signature = query["X-Dx-Signature"]
        except (KeyError, ValueError):
            raise TransferDeniedError(
                403, "AccessDenied", "Query-string authentication required"
            ) from None
        request = SignedRequest(method, file_id, query.get("X-Dx-Upload", ""), expires)
        if not hmac.compare_digest(signature, self._signature(request)):
            raise TransferDeniedError(
                403, "SignatureDoesNotMatch", "The request signature we calculated does not match"
            )
        if self._clock() >= expires:
            raise TransferDeniedError(403, "AccessDenied", "Request has expired")
        return request


@dataclass(frozen=True, slots=True)
class Downloadable:
    """What a presigned GET serves: a blob, its content type and its last-modified time."""

    key: str
    content_type: str
    last_modified: str


# Looks up a blob that is not a data-store file (IoT results...); None when it is not one.
DownloadSource = Callable[[str], "Downloadable | None"]


class TransferService:
    """Commits uploaded bytes and serves downloads for presigned requests."""

    def __init__(self, metadata: MetadataStore, blobs: BlobStore) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._sources: list[DownloadSource] = []

    def add_download_source(self, source: DownloadSource) -> None:
        self._sources.append(source)

    def _downloadable(self, key: str) -> Downloadable | None:
        with self._metadata.view() as view:
            record = view.get(FileRecord, key)
        if record is not None:
            if not record.s3_confirmed_upload:
                return None
            content_type = record.content_type or DEFAULT_CONTENT_TYPE
            return Downloadable(record.data_store_file_id, content_type, record.last_modified)
        return next((found for source in self._sources if (found := source(key))), None)

    def is_referenced(self, key: str) -> bool:
        """Whether a blob belongs to something (else it is an orphan, dropped at start)."""
        return self._downloadable(key) is not None

    def _pending_file(self, file_id: str, upload_id: str) -> FileRecord:
        with self._metadata.view() as view:
            record = view.get(FileRecord, file_id)
        if record is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        if not upload_id or record.pending_upload_id != upload_id:
            raise TransferDeniedError(403, "AccessDenied", "This upload URL has already been used")
        return record

    def check_upload(self, file_id: str, upload_id: str, content_length: int | None) -> None:
        self._pending_file(file_id, upload_id)
        if content_length is not None and content_length > MAX_OBJECT_BYTES:
            raise TransferDeniedError(
                400, "EntityTooLarge", f"Objects are limited to {MAX_OBJECT_BYTES} bytes"
            )

    def stage(self) -> StagedBlob:
        return self._blobs.stage()

    def discard(self, staged: StagedBlob) -> None:
        self._blobs.discard(staged)

    def commit_upload(
        self, file_id: str, upload_id: str, staged: StagedBlob, content_type: str | None
    ) -> FileRecord:
        """Blob first, then the record: a crash in between leaves bytes no record claims."""
        staged.seal()  # the long fsync happens before taking the metadata lock
        with self._metadata.transaction() as tx:
            record = tx.get(FileRecord, file_id)
            if record is None or record.pending_upload_id != upload_id:
                # Deleted, or completed by a concurrent PUT of the same URL, while streaming.
                self._blobs.discard(staged)
                raise TransferDeniedError(403, "AccessDenied", "This upload URL is no longer valid")
            self._blobs.commit(staged, file_id)
            updated = dataclasses.replace(
                record,
                storage_size_bytes=staged.size,
                content_type=content_type or DEFAULT_CONTENT_TYPE,
                last_modified=_clock.now_iso(),
                s3_confirmed_upload=True,
                pending_upload_id=None,
            )
            tx.put(updated)
        logger.info("upload committed: %s (%d bytes)", file_id, staged.size)
        return updated

    def open_download(self, file_id: str) -> tuple[Downloadable, int]:
        found = self._downloadable(file_id)
        size = self._blobs.size(file_id)
        if found is None or size is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        return found, size

    def read(self, file_id: str, start: int, end: int) -> Iterator[bytes]:
        return self._blobs.read(file_id, start, end)
