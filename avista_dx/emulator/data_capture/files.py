"""A capture's files: attachments (presigned upload and download) and CSV data exports.

Both are blobs in the emulator's blob store, reached through the same signed, expiring URLs as
data-store files: an attachment is uploaded by a single-use presigned PUT (this class is an
:class:`~..services.transfers.UploadTarget`), and attachments and completed exports are served
by presigned GETs (:meth:`CaptureFiles.downloadable` is a download source).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Final

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, has_kind, new_id
from ..persistence import BlobStore, MetadataStore, MetadataTransaction, MetadataView
from ..services import validation
from ..services.access import Access, Caller
from ..services.transfers import Downloadable, UploadTarget, UrlSigner
from . import lifecycle, views
from .access import require_capture
from .model import attributes_by_id
from .records import AttachmentRecord, CaptureRecord, DataExportRecord, DataModelRecord, export_key
from .store import CaptureDataStore

logger = logging.getLogger(__name__)

FULL_EXPORT: Final = "FULL_EXPORT"
ACTIVE_CAPTURE_EXPORT: Final = "ACTIVE_CAPTURE_EXPORT"
CSV_CONTENT_TYPE: Final = "text/csv"
EXPORT_COMPLETE: Final = "COMPLETE"  # DataCaptureDataExportState
MAX_ATTACHMENTS_PAGE: Final = 1000


def _export_name(record: CaptureRecord, export_type: str) -> str:
    suffix = "full" if export_type == FULL_EXPORT else "active"
    return f"{record.capture_id}-{suffix}.csv"


class CaptureFiles(UploadTarget):
    def __init__(
        self,
        metadata: MetadataStore,
        blobs: BlobStore,
        store: CaptureDataStore,
        signer: UrlSigner,
    ) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._store = store
        self._signer = signer

    # --- the transfer endpoints' side --------------------------------------------------------

    def pending_upload(self, view: MetadataView, key: str) -> tuple[str | None] | None:
        if not has_kind(key, IdKind.CAPTURE_ATTACHMENT):
            return None
        record = view.get(AttachmentRecord, key)
        return None if record is None else (record.pending_upload_id,)

    def confirm_upload(
        self, tx: MetadataTransaction, key: str, size: int, content_type: str, when: str
    ) -> None:
        record = tx.get(AttachmentRecord, key)
        assert record is not None
        tx.put(
            dataclasses.replace(
                record,
                pending_upload_id=None,
                size_bytes=size,
                content_type=content_type,
                date_updated=when,
            )
        )

    def downloadable(self, key: str) -> Downloadable | None:
        """An uploaded attachment, or a completed export, by blob key."""
        with self._metadata.view() as view:
            if has_kind(key, IdKind.CAPTURE_ATTACHMENT):
                attachment = view.get(AttachmentRecord, key)
                if attachment is None or not attachment.uploaded:
                    return None
                assert attachment.content_type is not None
                return Downloadable(key, attachment.content_type, attachment.date_updated)
            if has_kind(key, IdKind.CAPTURE_EXPORT):
                for export in view.find(DataExportRecord, blob_key=key):
                    if export.state == EXPORT_COMPLETE and export.date_completed:
                        return Downloadable(key, CSV_CONTENT_TYPE, export.date_completed)
        return None

    def delete_blobs(self, keys: Sequence[str]) -> None:
        for key in keys:
            self._blobs.delete(key)

    # --- attachments -------------------------------------------------------------------------

    def attach_file(
        self,
        caller: Caller,
        base_url: str,
        capture_id: object,
        file_name: object,
        description: object,
    ) -> views.View:
        """Registers an attachment (owner, READ_WRITE members) and returns a single-use
        presigned PUT ``url`` for its bytes; ``itemId`` is the new ``attachmentId``.

        Until its bytes arrive the attachment is listed with ``error: FILE_UPLOAD_INCOMPLETE``.

        Deviation: as for data-store files, the PUT URL completes exactly one upload.
        """
        name = validation.name(file_name, "fileName")
        text = validation.description(description)
        now = _clock.now_iso()
        upload_id = new_id(IdKind.UPLOAD)
        with self._metadata.transaction() as tx:
            capture = require_capture(tx, caller, capture_id, Access.WRITE)
            record = AttachmentRecord(
                attachment_id=new_id(IdKind.CAPTURE_ATTACHMENT),
                capture_id=capture.capture_id,
                name=name,
                owner_user_id=caller.user_id,
                date_created=now,
                date_updated=now,
                description=text,
                pending_upload_id=upload_id,
            )
            tx.put(record)
        url = self._signer.url(base_url, "PUT", record.attachment_id, upload_id)
        return {"url": url, "uploadId": upload_id, "itemId": record.attachment_id}

    def list_attachments(
        self, caller: Caller, capture_id: object, limit: object, next_token: object
    ) -> list[views.View]:
        """The capture's attachments in the order they were attached (readers).

        Deviation (inferred semantics): the answer is a bare list, so ``nextToken`` is the
        ``attachmentId`` after which to continue (the last one of the previous page) and
        ``limit`` caps the page (1-1000, default all).
        """
        if limit is not None and (
            not isinstance(limit, int)
            or isinstance(limit, bool)
            or not 1 <= limit <= MAX_ATTACHMENTS_PAGE
        ):
            raise InvalidRequestError(f"limit must be between 1 and {MAX_ATTACHMENTS_PAGE}")
        with self._metadata.view() as view:
            capture = require_capture(view, caller, capture_id, Access.READ)
            attachments = view.find(AttachmentRecord, capture_id=capture.capture_id)
        if next_token is not None:
            ids = [a.attachment_id for a in attachments]
            if next_token not in ids:
                raise InvalidRequestError("nextToken is not an attachment of this capture")
            attachments = attachments[ids.index(next_token) + 1 :]
        if limit is not None:
            attachments = attachments[:limit]
        return [views.attachment(record) for record in attachments]

    def _attachment(
        self,
        view: MetadataView,
        caller: Caller,
        capture_id: object,
        attachment_id: object,
        needed: Access,
    ) -> AttachmentRecord:
        capture = require_capture(view, caller, capture_id, needed)
        key = validation.identifier(attachment_id, "attachmentId")
        record = view.get(AttachmentRecord, key)
        if record is None or record.capture_id != capture.capture_id:
            raise UnauthorizedError()
        return record

    def attachment_download_url(
        self, caller: Caller, base_url: str, capture_id: object, attachment_id: object
    ) -> views.View:
        """A presigned GET ``url`` of the attachment's bytes (readers), reusable until it
        expires; for an attachment whose upload never completed, GET answers 404 NoSuchKey."""
        with self._metadata.view() as view:
            record = self._attachment(view, caller, capture_id, attachment_id, Access.READ)
        url = self._signer.url(base_url, "GET", record.attachment_id)
        return {"url": url, "uploadId": None, "itemId": record.attachment_id}

    def delete_attachment(
        self, caller: Caller, capture_id: object, attachment_id: object
    ) -> views.View:
        """Owner and READ_WRITE members: the attachment and its bytes go (an upload in flight
        is cancelled)."""
        with self._metadata.transaction() as tx:
            record = self._attachment(tx, caller, capture_id, attachment_id, Access.WRITE)
            tx.delete(AttachmentRecord, record.attachment_id)
        self._blobs.delete(record.attachment_id)
        return views.attachment(record)

    # --- exports -----------------------------------------------------------------------------

    def begin_full_export(self, tx: MetadataTransaction, record: CaptureRecord, when: str) -> None:
        """Marks the capture's full export IN_PROGRESS (in the stop's transaction)."""
        previous = tx.get(DataExportRecord, export_key(record.capture_id, FULL_EXPORT))
        tx.put(
            DataExportRecord(
                capture_id=record.capture_id,
                export_type=FULL_EXPORT,
                state="IN_PROGRESS",
                name=_export_name(record, FULL_EXPORT),
                date_started=when,
                blob_key=previous.blob_key if previous else new_id(IdKind.CAPTURE_EXPORT),
            )
        )

    def write_full_export(self, record: CaptureRecord, attribute_ids: list[str]) -> str | None:
        """Writes the full export of a FINISHING capture; None on success, else the failure."""
        export = self._write_export(record, FULL_EXPORT, attribute_ids)
        return None if export.state == EXPORT_COMPLETE else "; ".join(export.logs)

    def _write_export(
        self, record: CaptureRecord, export_type: str, attribute_ids: list[str]
    ) -> DataExportRecord:
        key = export_key(record.capture_id, export_type)
        with self._metadata.view() as view:
            previous = view.get(DataExportRecord, key)
        started = _clock.now_iso()
        blob_key = new_id(IdKind.CAPTURE_EXPORT)
        staged = self._blobs.stage()
        try:
            rows = self._store.export_csv(record.table_name, attribute_ids, staged)
            self._blobs.commit(staged, blob_key)
            state, logs = EXPORT_COMPLETE, (f"{rows} rows exported",)
        except Exception as error:  # the export fails; the capture records why
            logger.exception("export of capture %s failed", record.capture_id)
            self._blobs.discard(staged)
            state, logs = "FAILED", (f"the export failed: {type(error).__name__}",)
        export = DataExportRecord(
            capture_id=record.capture_id,
            export_type=export_type,
            state=state,
            name=_export_name(record, export_type),
            date_started=previous.date_started
            if previous and export_type == FULL_EXPORT
            else started,
            blob_key=blob_key,
            date_completed=_clock.now_iso(),
            logs=logs,
        )
        with self._metadata.transaction() as tx:
            if tx.get(CaptureRecord, record.capture_id) is None:  # deleted meanwhile
                self._blobs.delete(blob_key)
                return export
            tx.put(export)
        if previous is not None and previous.blob_key != blob_key:
            self._blobs.delete(previous.blob_key)
        return export

    def data_export_url(self, caller: Caller, base_url: str, capture_id: object) -> views.View:
        """The full export (readers): NOT_CREATED until the capture stops, IN_PROGRESS while it
        finishes, then COMPLETE with a presigned GET ``url`` of the CSV (or FAILED).

        Deviation (inferred semantics): the CSV has a ``timestamp`` column (epoch
        milliseconds) and one column per attribute (its ``userDefinedId``, in data-model
        order), one row per timestamp in time order, empty where an attribute has no value.
        """
        return self._export_view(caller, base_url, capture_id, FULL_EXPORT)

    def active_export_url(self, caller: Caller, base_url: str, capture_id: object) -> views.View:
        """An export of the data captured so far (readers), for a CAPTURING capture; same CSV
        as the full export.

        Deviation (inferred semantics): only a CAPTURING capture has one (another state is a
        BadRequestException); it is written during the request, so the answer is COMPLETE with
        its ``url``, and each call replaces the previous one.
        """
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            lifecycle.require_state(record, "export the active data of", lifecycle.CAPTURING)
            model = view.get(DataModelRecord, record.capture_id)
        assert model is not None
        self._write_export(record, ACTIVE_CAPTURE_EXPORT, list(attributes_by_id(model.assets)))
        return self._export_view(caller, base_url, capture_id, ACTIVE_CAPTURE_EXPORT)

    def _export_view(
        self, caller: Caller, base_url: str, capture_id: object, export_type: str
    ) -> views.View:
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            export = view.get(DataExportRecord, export_key(record.capture_id, export_type))
        url = None
        if export is not None and export.state == EXPORT_COMPLETE:
            url = self._signer.url(base_url, "GET", export.blob_key)
        return views.data_export(export, export_type, url)
