"""A capture's ownership: removing it with everything it owns, or handing it to another user
(used by the capture's own deletion and by the platform admin's user offboarding)."""

from __future__ import annotations

import dataclasses

from .. import _clock
from ..persistence import MetadataTransaction
from ..persistence.models import TokenRecord
from ..services.access import delete_shares
from .records import (
    AttachmentRecord,
    CaptureRecord,
    CaptureTokenRecord,
    DataExportRecord,
    DataModelRecord,
    StateChangeRecord,
)


def hand_over_capture(
    tx: MetadataTransaction, record: CaptureRecord, owner_user_id: str
) -> CaptureRecord:
    """Makes ``owner_user_id`` the owner of the capture and of its token, in ``tx``."""
    token = tx.get(TokenRecord, record.token_id)
    if token is not None:
        tx.put(dataclasses.replace(token, user_id=owner_user_id))
    moved = dataclasses.replace(record, owner_user_id=owner_user_id, date_updated=_clock.now_iso())
    tx.put(moved)
    return moved


def remove_capture(tx: MetadataTransaction, record: CaptureRecord) -> list[str]:
    """Deletes the capture and everything it owns in ``tx``; returns the keys of its blobs,
    deleted (with its table) only after the commit."""
    blobs = []
    for attachment in tx.find(AttachmentRecord, capture_id=record.capture_id):
        tx.delete(AttachmentRecord, attachment.key)
        blobs.append(attachment.attachment_id)
    for export in tx.find(DataExportRecord, capture_id=record.capture_id):
        tx.delete(DataExportRecord, export.key)
        blobs.append(export.blob_key)
    for change in tx.find(StateChangeRecord, capture_id=record.capture_id):
        tx.delete(StateChangeRecord, change.key)
    tx.delete(TokenRecord, record.token_id)
    tx.delete(CaptureTokenRecord, record.token_id)
    tx.delete(DataModelRecord, record.capture_id)
    delete_shares(tx, record.capture_id)
    tx.delete(CaptureRecord, record.capture_id)
    return blobs
