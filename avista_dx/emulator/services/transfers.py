"""Presigned transfer URLs (HMAC-signed, expiring) and the upload/download rules behind them.

A URL binds one method, one file and (for uploads) one upload id; its signature is an
HMAC-SHA256 over those and the expiry, keyed by a secret kept with the metadata so URLs survive a
restart. As on S3, an upload URL accepts repeated PUTs until it expires: the last committed PUT
wins, and the file's size, type, ETag and ``lastModified`` always describe the bytes stored.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from .. import _clock
from ..persistence import BlobStore, MetadataStore, MetadataTransaction, MetadataView, StagedBlob
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

    def expiry(self) -> int:
        """When a URL signed now expires (epoch seconds)."""
        return int(self._clock()) + self._ttl

    def url(
        self,
        base_url: str,
        method: str,
        file_id: str,
        upload_id: str = "",
        path: str = PRESIGNED_PATH,
    ) -> str:
        """A signed URL for ``file_id`` (any object key) under ``path``."""
        request = SignedRequest(method, file_id, upload_id, self.expiry())
        query = {"X-Dx-Expires": str(request.expires), "X-Dx-Signature": self._signature(request)}
        if upload_id:
            query["X-Dx-Upload"] = upload_id
        return f"{base_url.rstrip('/')}{path}/{file_id}?{urlencode(query)}"

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
    content_md5: str | None = None  # known for data-store files; others are hashed when served


# Looks up a blob that is not a data-store file (IoT results...); None when it is not one.
DownloadSource = Callable[[str], "Downloadable | None"]


class UploadTarget(ABC):
    """Objects other than data-store files whose bytes a presigned PUT uploads (capture
    attachments): the same single-use upload ids, and the object confirmed with its bytes."""

    @abstractmethod
    def pending_upload(self, view: MetadataView, key: str) -> tuple[str | None] | None:
        """None when ``key`` is not this target's; else ``(upload id,)`` of the one upload its
        PUT URL may complete (``(None,)`` once it has completed)."""

    @abstractmethod
    def confirm_upload(
        self, tx: MetadataTransaction, key: str, size: int, content_type: str, when: str
    ) -> None:
        """Records, in the upload's transaction, that ``key`` now has its bytes."""


class TransferService:
    """Commits uploaded bytes and serves downloads for presigned requests."""

    def __init__(self, metadata: MetadataStore, blobs: BlobStore) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._sources: list[DownloadSource] = []
        self._targets: list[UploadTarget] = []

    def add_download_source(self, source: DownloadSource) -> None:
        self._sources.append(source)

    def add_upload_target(self, target: UploadTarget) -> None:
        self._targets.append(target)

    def _downloadable(self, key: str) -> Downloadable | None:
        with self._metadata.view() as view:
            record = view.get(FileRecord, key)
        if record is not None:
            if not record.s3_confirmed_upload:
                return None
            content_type = record.content_type or DEFAULT_CONTENT_TYPE
            return Downloadable(
                record.data_store_file_id, content_type, record.last_modified, record.content_md5
            )
        return next((found for source in self._sources if (found := source(key))), None)

    def is_referenced(self, key: str) -> bool:
        """Whether a blob belongs to something (else it is an orphan, dropped at start)."""
        return self._downloadable(key) is not None

    def _pending_target(
        self, view: MetadataView, key: str
    ) -> tuple[UploadTarget, str | None] | None:
        for target in self._targets:
            pending = target.pending_upload(view, key)
            if pending is not None:
                return target, pending[0]
        return None

    def _pending_upload_id(self, file_id: str) -> str | None:
        """The upload the object's PUT URL may still complete; 404 when there is no object."""
        with self._metadata.view() as view:
            record = view.get(FileRecord, file_id)
            if record is not None:
                return record.pending_upload_id
            target = self._pending_target(view, file_id)
        if target is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        return target[1]

    def check_upload(self, file_id: str, upload_id: str, content_length: int | None) -> None:
        if not upload_id or self._pending_upload_id(file_id) != upload_id:
            raise TransferDeniedError(403, "AccessDenied", "This upload URL has already been used")
        if content_length is not None and content_length > MAX_OBJECT_BYTES:
            raise TransferDeniedError(
                400, "EntityTooLarge", f"Objects are limited to {MAX_OBJECT_BYTES} bytes"
            )

    def stage(self) -> StagedBlob:
        return self._blobs.stage()

    def discard(self, staged: StagedBlob) -> None:
        self._blobs.discard(staged)

    def commit_upload(
        self,
        file_id: str,
        upload_id: str,
        staged: StagedBlob,
        content_type: str | None,
        content_md5: str,
    ) -> FileRecord | None:
        """Blob first, then the record: a crash in between leaves bytes no record claims.

        Blob and record change under one metadata transaction, so concurrent PUTs of the same
        URL serialise: the last to commit wins whole (bytes, size, type and ETag together).
        Returns the file's updated record (None for another upload target's object).
        """
        staged.seal()  # the long fsync happens before taking the metadata lock
        with self._metadata.transaction() as tx:
            record = tx.get(FileRecord, file_id)
            target = None if record is not None else self._pending_target(tx, file_id)
            if target is not None and target[1] == upload_id:
                self._blobs.commit(staged, file_id)
                when = _clock.now_iso()
                target[0].confirm_upload(
                    tx, file_id, staged.size, content_type or DEFAULT_CONTENT_TYPE, when
                )
                logger.info("upload committed: %s (%d bytes)", file_id, staged.size)
                return None
            if record is None or record.pending_upload_id != upload_id:
                # Deleted while streaming.
                self._blobs.discard(staged)
                raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
            self._blobs.commit(staged, file_id)
            updated = dataclasses.replace(
                record,
                storage_size_bytes=staged.size,
                content_type=content_type or DEFAULT_CONTENT_TYPE,
                content_md5=content_md5,
                last_modified=_clock.now_iso(),
                s3_confirmed_upload=True,
            )
            tx.put(updated)
        logger.info("upload committed: %s (%d bytes)", file_id, staged.size)
        return updated

    def open_download(self, file_id: str) -> tuple[Downloadable, int, str]:
        """What the GET serves, its size and its MD5 hex (S3's ETag)."""
        found = self._downloadable(file_id)
        size = self._blobs.size(file_id)
        if found is None or size is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        if found.content_md5 is not None:
            return found, size, found.content_md5
        # Uploaded before ETags were kept, or not a data-store file: hash the bytes.
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in self._blobs.read(file_id, 0, size):
            digest.update(chunk)
        return found, size, digest.hexdigest()

    def read(self, file_id: str, start: int, end: int) -> Iterator[bytes]:
        return self._blobs.read(file_id, start, end)
