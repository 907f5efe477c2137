"""The persisted records of data captures (rows of the metadata store, like every other kind).

Captured values themselves live in the Timestream engine (:mod:`.store`), attachment and export
bytes in the blob store; these records say what exists and who owns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..persistence.models import Record


@dataclass(frozen=True, slots=True)
class CaptureRecord(Record):
    """A capture, its lifecycle state and its time settings (ISO-8601 times)."""

    KIND: ClassVar[str] = "data_capture"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    capture_id: str
    capture_type: str
    display_name: str
    owner_user_id: str
    state: str
    date_created: str
    date_updated: str
    table_name: str  # the capture's table in the Timestream engine
    token_id: str  # the capture's DATA_CAPTURE_READ_WRITE token
    description: str | None = None
    start_time_type: str = "MANUAL"
    stop_time_type: str = "MANUAL"
    scheduled_start_time: str | None = None
    scheduled_stop_time: str | None = None
    actual_start_time: str | None = None
    actual_stop_time: str | None = None

    @property
    def key(self) -> str:
        return self.capture_id


@dataclass(frozen=True, slots=True)
class StateChangeRecord(Record):
    """One entry of a capture's ``stateHistory`` (listed in insertion order)."""

    KIND: ClassVar[str] = "data_capture_state_change"
    INDEXED: ClassVar[tuple[str, ...]] = ("capture_id",)
    change_id: str
    capture_id: str
    new_state: str
    date_created: str
    message: str | None = None

    @property
    def key(self) -> str:
        return self.change_id


@dataclass(frozen=True, slots=True)
class DataModelRecord(Record):
    """A capture's data model: ``assets`` as ``DataCaptureAsset`` dicts, and its problems."""

    KIND: ClassVar[str] = "data_capture_model"
    capture_id: str
    version: int
    date_created: str
    date_updated: str
    assets: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.capture_id

    @property
    def state(self) -> str:
        return "ERROR" if self.errors else "GOOD"


@dataclass(frozen=True, slots=True)
class CaptureTokenRecord(Record):
    """The raw value of a capture's token: ``dataCapture_getCaptureAuthenticationToken`` shows
    it again and again (a personal token's value is shown once and kept only as a hash)."""

    KIND: ClassVar[str] = "data_capture_token"
    token_id: str
    capture_id: str
    token_value: str = field(repr=False)

    @property
    def key(self) -> str:
        return self.token_id


@dataclass(frozen=True, slots=True)
class AttachmentRecord(Record):
    """A file attached to a capture; its bytes are the blob named by ``attachment_id``."""

    KIND: ClassVar[str] = "data_capture_attachment"
    INDEXED: ClassVar[tuple[str, ...]] = ("capture_id",)
    attachment_id: str
    capture_id: str
    name: str
    owner_user_id: str
    date_created: str
    date_updated: str
    description: str | None = None
    content_type: str | None = None
    size_bytes: int | None = None
    pending_upload_id: str | None = None  # the one upload its PUT URL may still complete

    @property
    def key(self) -> str:
        return self.attachment_id

    @property
    def uploaded(self) -> bool:
        return self.pending_upload_id is None


@dataclass(frozen=True, slots=True)
class DataExportRecord(Record):
    """A CSV export of a capture's data (one per capture and ``exportType``); its bytes are
    the blob named by ``blob_key`` once ``state`` is COMPLETE."""

    KIND: ClassVar[str] = "data_capture_export"
    INDEXED: ClassVar[tuple[str, ...]] = ("capture_id", "blob_key")
    capture_id: str
    export_type: str
    state: str
    name: str
    date_started: str
    blob_key: str
    date_completed: str | None = None
    logs: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return export_key(self.capture_id, self.export_type)


def export_key(capture_id: str, export_type: str) -> str:
    return f"{capture_id}|{export_type}"


CAPTURE_RECORD_TYPES: tuple[type[Record], ...] = (
    CaptureRecord,
    StateChangeRecord,
    DataModelRecord,
    CaptureTokenRecord,
    AttachmentRecord,
    DataExportRecord,
)
