"""Server-side notifications: ``notifications_notifyUploadComplete`` and the event it pushes."""

from __future__ import annotations

from ..errors import UnauthorizedError
from ..persistence import MetadataStore, MetadataView
from ..persistence.models import DataStoreRecord, FileRecord
from ..realtime.broker import Event, EventBroker
from ..realtime.sources import ON_NOTIFY_UPLOAD_COMPLETE
from . import validation, views
from .access import Access, Caller, service_access


def _store_access(view: MetadataView, caller: Caller, data_store_id: str) -> Access:
    store = view.get(DataStoreRecord, data_store_id)
    if store is None:
        return Access.NONE
    return service_access(view, caller.user, store.data_store_id, store.owner_user_id)


class NotificationService:
    def __init__(self, metadata: MetadataStore, events: EventBroker) -> None:
        self._metadata = metadata
        self._events = events

    def notify_upload_complete(self, caller: Caller, upload_id: object) -> views.View:
        """Reports how the upload ``uploadId`` (``PresignedUrl.uploadId``) ended and pushes
        ``onNotifyUploadComplete(uploadId)`` to the subscribers who may read its file.

        Deviation (inferred semantics; no published client calls it): the caller must be able
        to write the file's data store (else ``Unauthorized``, as for an unknown upload);
        ``httpStatusCode`` is 200 once the bytes have arrived, 404 with an ``errorMessage``
        while they have not.
        """
        key = validation.identifier(upload_id, "uploadId")

        def report() -> tuple[FileRecord, views.View]:
            with self._metadata.view() as view:
                files = view.find(FileRecord, upload_id=key)
                if not files or _store_access(view, caller, files[0].data_store_id) < Access.WRITE:
                    raise UnauthorizedError()
            record = files[0]
            if record.s3_confirmed_upload:
                return record, {"uploadId": key, "httpStatusCode": 200, "errorMessage": None}
            return record, {
                "uploadId": key,
                "httpStatusCode": 404,
                "errorMessage": "No bytes have been uploaded for this upload yet",
            }

        _, response = self._events.publish_after(
            report,
            lambda reported: Event(
                ON_NOTIFY_UPLOAD_COMPLETE,
                {"uploadId": key},
                reported[1],
                readable_by=lambda reader: self._can_read(reader, reported[0].data_store_id),
            ),
        )
        return response

    def _can_read(self, caller: Caller, data_store_id: str) -> bool:
        with self._metadata.view() as view:
            return _store_access(view, caller, data_store_id) >= Access.READ
