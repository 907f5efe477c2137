"""Shared set-up of the data-capture tests: captures in a given state, through the services
(the objects under test are reached through GraphQL in the tests themselves)."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from typing import Any

from avista_dx.emulator.data_capture.records import CaptureRecord
from avista_dx.emulator.services import Caller

from .conftest import Harness

MODEL: dict[str, Any] = {
    "assets": [
        {
            "userDefinedId": "pump",
            "displayName": "Pump",
            "attributes": [
                {"userDefinedId": "temp", "displayName": "Temperature",
                 "attributeType": "TELEMETRY", "schemaType": "double"},
                {"userDefinedId": "count", "displayName": "Count",
                 "attributeType": "TELEMETRY", "schemaType": "integer"},
                {"userDefinedId": "on", "displayName": "Running",
                 "attributeType": "TELEMETRY", "schemaType": "boolean"},
                {"userDefinedId": "note", "displayName": "Note",
                 "attributeType": "TELEMETRY", "schemaType": "string"},
            ],
        }
    ]
}  # fmt: skip

CAPTURE_FIELDS = (
    "{ captureId state displayName description "
    "timeSettings { startTimeType stopTimeType scheduledStartTime scheduledStopTime "
    "actualStartTime actualStopTime state errors } stateHistory { newState message } }"
)
PUBLISH = (
    "mutation($c: ID!, $d: [DataCaptureDataRecordInput]!) { dataCapture_publishData("
    "captureId: $c, data: $d) { captureId dataWritten { timestamp userDefinedId value } "
    "failedRecords { recordIndex attributeIndex errorType message } logs { error message } } }"
)
START = f"mutation($c: ID!) {{ dataCapture_startCapture(captureId: $c) {CAPTURE_FIELDS} }}"
STOP = f"mutation($c: ID!) {{ dataCapture_stopCapture(captureId: $c) {CAPTURE_FIELDS} }}"
GET = f"query($c: ID!) {{ dataCapture_getCapture(captureId: $c) {CAPTURE_FIELDS} }}"
TOKEN = (
    "query($c: ID!) { dataCapture_getCaptureAuthenticationToken(captureId: $c) "
    "{ tokenId tokenType tokenValue scope userId } }"
)
FULL_EXPORT = (
    "query($c: ID!) { dataCapture_getDataExportDownloadUrl(captureId: $c) "
    "{ exportType state url name logs dateCompleted } }"
)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def caller(h: Harness, role: str = "owner") -> Caller:
    return h.emulator.services.users.authenticate(h.seed.tokens[role])


def new_capture(h: Harness, *, model: bool = True, shared: bool = True) -> str:
    """A capture of the owner: READY with :data:`MODEL` (CONFIGURATION_ERROR without),
    shared with the demo collaborative (so writer and reader reach it)."""
    owner = caller(h)
    captures = h.emulator.services.data_capture
    capture_id: str = captures.create_capture(owner, "STANDARD", "Test capture", None)["captureId"]
    if model:
        captures.update_data_model(owner, capture_id, MODEL)
    if shared:
        h.emulator.services.collaboratives.add_service(
            owner, h.ids["collaborative"], "DATA_CAPTURE", capture_id
        )
    return capture_id


def capturing(h: Harness) -> str:
    capture_id = new_capture(h)
    h.emulator.services.data_capture.start_capture(caller(h), capture_id)
    return capture_id


def completed(h: Harness) -> str:
    capture_id = capturing(h)
    h.emulator.services.data_capture.stop_capture(caller(h), capture_id)
    return capture_id


def finishing(h: Harness) -> str:
    """A stopped capture whose completion never ran (as a crash would leave it)."""
    capture_id = capturing(h)
    with h.emulator.metadata.transaction() as tx:
        record = tx.get(CaptureRecord, capture_id)
        assert record is not None
        tx.put(dataclasses.replace(record, state="FINISHING"))
    return capture_id


def token_of(h: Harness, capture_id: str) -> str:
    return token_of_caller(h, caller(h), capture_id)


def token_of_caller(h: Harness, owner: Caller, capture_id: str) -> str:
    token = h.emulator.services.data_capture.get_capture_token(owner, capture_id)
    value: str = token["tokenValue"]
    return value


def attachment(h: Harness, capture_id: str, content: bytes | None = b"attached") -> str:
    """An attachment of the capture (its bytes uploaded unless ``content`` is None)."""
    presigned = h.emulator.services.capture_files.attach_file(
        caller(h), "http://test", capture_id, "notes.txt", None
    )
    if content is not None:
        staged = h.emulator.transfers.stage()
        staged.write(content)
        h.emulator.transfers.commit_upload(
            presigned["itemId"],
            presigned["uploadId"],
            staged,
            "text/plain",
            hashlib.md5(content, usedforsecurity=False).hexdigest(),
        )
    item: str = presigned["itemId"]
    return item
