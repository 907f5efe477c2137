"""Capture records → dicts shaped like the schema's ``DataCapture*`` types."""

from __future__ import annotations

from typing import Any

from ..persistence import MetadataView
from . import lifecycle
from .records import (
    AttachmentRecord,
    CaptureRecord,
    DataExportRecord,
    DataModelRecord,
    StateChangeRecord,
)

View = dict[str, Any]


def time_settings(record: CaptureRecord) -> View:
    errors = lifecycle.time_errors(record)
    return {
        "startTimeType": record.start_time_type,
        "stopTimeType": record.stop_time_type,
        "scheduledStartTime": record.scheduled_start_time,
        "scheduledStopTime": record.scheduled_stop_time,
        "actualStartTime": record.actual_start_time,
        "actualStopTime": record.actual_stop_time,
        "state": "ERROR" if errors else "GOOD",
        "errors": errors,
    }


def data_model(record: DataModelRecord) -> View:
    return {
        "version": record.version,
        "dateCreated": record.date_created,
        "dateUpdated": record.date_updated,
        "items": [dict(asset) for asset in record.assets],
        "state": record.state,
        "errors": list(record.errors),
    }


def capture(view: MetadataView, record: CaptureRecord, *, include_model: bool) -> View:
    model = view.get(DataModelRecord, record.capture_id) if include_model else None
    history = view.find(StateChangeRecord, capture_id=record.capture_id)
    return {
        "captureId": record.capture_id,
        "captureType": record.capture_type,
        "displayName": record.display_name,
        "description": record.description,
        "ownerUserId": record.owner_user_id,
        "state": record.state,
        "dateCreated": record.date_created,
        "dateUpdated": record.date_updated,
        "stateHistory": [
            {"newState": c.new_state, "dateCreated": c.date_created, "message": c.message}
            for c in history
        ],
        "timeSettings": time_settings(record),
        "dataModel": None if model is None else data_model(model),
    }


def attachment(record: AttachmentRecord) -> View:
    return {
        "attachmentId": record.attachment_id,
        "attachmentType": "FILE",
        "name": record.name,
        "description": record.description,
        "ownerUserId": record.owner_user_id,
        "dateCreated": record.date_created,
        "dateUpdated": record.date_updated,
        "error": None if record.uploaded else "FILE_UPLOAD_INCOMPLETE",
    }


def data_export(record: DataExportRecord | None, export_type: str, url: str | None) -> View:
    if record is None:
        return {
            "exportType": export_type,
            "state": "NOT_CREATED",
            "name": None,
            "dateStarted": None,
            "dateCompleted": None,
            "logs": [],
            "url": None,
        }
    return {
        "exportType": record.export_type,
        "state": record.state,
        "name": record.name,
        "dateStarted": record.date_started,
        "dateCompleted": record.date_completed,
        "logs": list(record.logs),
        "url": url,
    }
