"""dx.dataCapture beyond 1.2.1 (captures, data models, attachments, exports, the capture's token,
the sample, the capture events) on the fake exchange, sync and async.

One tests/sdk/operation_table.Case row per method, run by test_sdk_operation_tables: the
variables that must go out (unset optionals absent; every `update*` flag of
`dataCapture_updateCapture` sent), a canned answer and what the result must hold.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from avista_dx import InvalidInputError
from avista_dx.errors import NotFoundError, PaginationError, UploadError
from avista_dx.types import UploadCompleteResponse
from avista_dx.types_data_capture import (
    AuthenticationToken,
    DataCapture,
    DataCaptureAttachment,
    DataCaptureDataExport,
    DataCaptureDataModel,
    DataCaptureDataModelInput,
)

from .conftest import ClientFactory, attach_realtime
from .driver import Driver
from .fake_exchange import S3, FakeExchange
from .operation_table import BadCall, Case, answering
from .test_sdk_iot import next_events, sent

CAPTURE = {
    "captureId": "captureId.2",
    "captureType": "STANDARD",
    "displayName": "Line 4",
    "description": None,
    "ownerUserId": "userId.1",
    "state": "CONFIGURATION_ERROR",
    "dateCreated": "2026-01-01T00:00:00.000Z",
    "dateUpdated": "2026-01-01T00:00:00.000Z",
    "timeSettings": {
        "actualStartTime": None,
        "actualStopTime": None,
        "scheduledStartTime": None,
        "scheduledStopTime": None,
        "startTimeType": "MANUAL",
        "stopTimeType": "MANUAL",
        "errors": [],
        "state": "GOOD",
    },
    "stateHistory": [
        {"dateCreated": "2026-01-01T00:00:00.000Z", "message": "created",
         "newState": "CONFIGURATION_ERROR"},
    ],
}  # fmt: skip
ASSETS = [
    {
        "userDefinedId": "press",
        "displayName": "Press",
        "description": None,
        "attributes": [
            {"userDefinedId": "force", "displayName": "Force", "description": None,
             "attributeType": "TELEMETRY", "schemaType": "double", "unit": "kN"},
        ],
    }
]  # fmt: skip
MODEL = {
    "dateCreated": "2026-01-01T00:00:00.000Z",
    "dateUpdated": "2026-01-01T00:00:00.000Z",
    "errors": [],
    "state": "GOOD",
    "version": 2,
    "items": ASSETS,
}
MODEL_INPUT = {
    "assets": [
        {
            "userDefinedId": "press",
            "displayName": "Press",
            "attributes": [
                {"userDefinedId": "force", "displayName": "Force", "schemaType": "double",
                 "unit": "kN"},
            ],
        }
    ]
}  # fmt: skip
WIRE_MODEL = {
    "assets": [
        {
            "userDefinedId": "press",
            "displayName": "Press",
            "attributes": [
                {"userDefinedId": "force", "displayName": "Force", "schemaType": "double",
                 "attributeType": "TELEMETRY", "unit": "kN"},
            ],
        }
    ]
}  # fmt: skip
ATTACHMENT = {
    "attachmentId": "attachmentId.1",
    "attachmentType": "FILE",
    "dateCreated": "2026-01-01T00:00:00.000Z",
    "dateUpdated": "2026-01-01T00:00:00.000Z",
    "description": None,
    "error": None,
    "name": "notes.txt",
    "ownerUserId": "userId.1",
}
EXPORT = {
    "dateCompleted": "2026-01-01T00:00:01.000Z",
    "dateStarted": "2026-01-01T00:00:00.000Z",
    "exportType": "FULL_EXPORT",
    "logs": ["3 rows exported"],
    "name": "captureId.2-full.csv",
    "state": "COMPLETE",
    "url": f"{S3}/get?key=export.1",
}
TOKEN_ROW = {
    "tokenId": "token.9",
    "name": "captureId.2 publisher",
    "userId": "userId.1",
    "dateCreated": "2026-01-01T00:00:00Z",
    "dateExpires": "2036-01-01T00:00:00Z",
    "lastActive": None,
    "scope": ["captureId.2"],
    "tokenType": "DATA_CAPTURE_READ_WRITE",
    "tokenValue": "capture-secret",
}
UNFLAGGED = {
    "updateDisplayName": False,
    "updateDescription": False,
    "updateStartTimeType": False,
    "updateScheduledStartTime": False,
    "updateStopTimeType": False,
    "updateScheduledStopTime": False,
}
C = {"captureId": "captureId.2"}
CA = {"captureId": "captureId.2", "attachmentId": "attachmentId.1"}

CASES = [
    Case("dataCapture.createCapture", ("Line 4",), {}, "dataCapture_createCapture",
         {"captureType": "STANDARD", "displayName": "Line 4"}, CAPTURE,
         ("state", "CONFIGURATION_ERROR"), result_type=DataCapture),
    Case("dataCapture.getCapture", ("captureId.2",), {"includeDataModel": True},
         "dataCapture_getCapture", {**C, "includeDataModel": True},
         {**CAPTURE, "dataModel": MODEL}, ("displayName", "Line 4")),
    Case("dataCapture.updateCapture", ("captureId.2",),
         {"displayName": "Line 5", "stopTimeType": "SCHEDULED",
          "scheduledStopTime": dt.datetime(2026, 3, 1, 12, 0, 0, 250_000, dt.timezone.utc),
          "clear": ["description"]},
         "dataCapture_updateCapture",
         {**C, **UNFLAGGED, "updateDisplayName": True, "displayName": "Line 5",
          "updateDescription": True, "description": None,
          "updateStopTimeType": True, "stopTimeType": "SCHEDULED",
          "updateScheduledStopTime": True, "scheduledStopTime": "2026-03-01T12:00:00.250Z"},
         CAPTURE),
    Case("dataCapture.deleteCapture", ("captureId.2",), {}, "dataCapture_deleteCapture", C,
         {**CAPTURE, "state": "DELETING"}, ("state", "DELETING")),
    Case("dataCapture.getDataModel", ("captureId.2",), {}, "dataCapture_getDataModel", C, MODEL,
         ("version", 2), result_type=DataCaptureDataModel),
    Case("dataCapture.updateDataModel", ("captureId.2", MODEL_INPUT), {},
         "dataCapture_updateDataModel", {**C, "dataModel": WIRE_MODEL}, MODEL, ("state", "GOOD")),
    Case("dataCapture.getDataModelExport", ("captureId.2",), {},
         "dataCapture_getDataModelExport", C,
         {"captureId": "captureId.2", "fileName": "m.json", "contents": "{}"},
         ("fileName", "m.json")),
    Case("dataCapture.listAttachments", ("captureId.2",), {"limit": 10},
         "dataCapture_listAttachments", {**C, "limit": 10}, [ATTACHMENT, None]),
    Case("dataCapture.getFileAttachmentDownloadUrl", ("captureId.2", "attachmentId.1"), {},
         "dataCapture_getFileAttachmentDownloadUrl", CA,
         {"itemId": "attachmentId.1", "url": f"{S3}/get?key=a"}),
    Case("dataCapture.deleteAttachment", ("captureId.2", "attachmentId.1"), {},
         "dataCapture_deleteAttachment", CA, ATTACHMENT, ("name", "notes.txt"),
         result_type=DataCaptureAttachment),
    Case("dataCapture.getActiveCaptureDataExportDownloadUrl", ("captureId.2",), {},
         "dataCapture_getActiveCaptureDataExportDownloadUrl", C,
         {**EXPORT, "exportType": "ACTIVE_CAPTURE_EXPORT"},
         ("exportType", "ACTIVE_CAPTURE_EXPORT")),
    Case("dataCapture.getDataExportDownloadUrl", ("captureId.2",), {},
         "dataCapture_getDataExportDownloadUrl", C, EXPORT, ("state", "COMPLETE"),
         result_type=DataCaptureDataExport),
    Case("dataCapture.getCaptureAuthenticationToken", ("captureId.2",), {},
         "dataCapture_getCaptureAuthenticationToken", C, TOKEN_ROW,
         ("tokenValue", "capture-secret"), result_type=AuthenticationToken),
    Case("dataCapture.regenerateAuthenticationToken", ("captureId.2",), {},
         "dataCapture_regenerateAuthenticationToken", C, TOKEN_ROW, ("scope", ["captureId.2"])),
    Case("dataCapture.getPythonSDKSample", ("captureId.2",), {},
         "dataCapture_getPythonSDKSample", C, "print('sample')", returns="print('sample')"),
]  # fmt: skip


def test_every_operation_of_the_capture_documents_has_a_row_or_a_test() -> None:
    import re

    queries = Path(__file__).resolve().parents[2] / "queries" / "data_capture_management.graphql"
    operations = set(re.findall(r"^(?:query|mutation) ([A-Za-z_]+)", queries.read_text(), re.M))
    tested_below = {"dataCapture_listCaptures", "dataCapture_attachFile"}
    assert operations - tested_below == {case.root for case in CASES}


def test_a_data_model_input_model_is_sent_like_its_dict(dx: Driver, fake: FakeExchange) -> None:
    answering(fake, "dataCapture_updateDataModel", MODEL)
    model = DataCaptureDataModelInput.model_validate(MODEL_INPUT)
    dx.dataCapture.updateDataModel("captureId.2", model)
    assert sent(fake, "dataCapture_updateDataModel")[0]["dataModel"] == WIRE_MODEL


# -- listCaptures follows every page --------------------------------------------------------------


def test_list_captures_follows_next_token(dx: Driver, fake: FakeExchange) -> None:
    pages = {
        None: {"captures": [CAPTURE, None], "nextToken": "p2"},
        "p2": {"captures": [{**CAPTURE, "captureId": "captureId.3"}], "nextToken": None},
    }
    fake.extra_roots["dataCapture_listCaptures"] = lambda info, **args: pages[args.get("nextToken")]
    captures = dx.dataCapture.listCaptures(includeDataModels=False)
    assert [c.captureId for c in captures] == ["captureId.2", "captureId.3"]
    assert sent(fake, "dataCapture_listCaptures") == [
        {"includeDataModels": False},
        {"includeDataModels": False, "nextToken": "p2"},
    ]


def test_a_repeated_next_token_raises(dx: Driver, fake: FakeExchange) -> None:
    answering(fake, "dataCapture_listCaptures", {"captures": [CAPTURE], "nextToken": "same"})
    with pytest.raises(PaginationError):
        dx.dataCapture.listCaptures()


# -- attachments: uploads of paths, bytes and file objects, downloads -----------------------------


def attachment_roots(fake: FakeExchange) -> None:
    """attachFile registers `attachmentId.1` (a PUT URL of the fake S3); listing shows it."""
    fake.files["attachmentId.1"] = {}  # where the fake S3 records the size of a PUT
    answering(
        fake,
        "dataCapture_attachFile",
        {"itemId": "attachmentId.1", "uploadId": "u.1", "url": f"{S3}/put?key=attachmentId.1"},
    )
    answering(fake, "dataCapture_listAttachments", [ATTACHMENT])
    answering(
        fake,
        "dataCapture_getFileAttachmentDownloadUrl",
        {"itemId": "attachmentId.1", "url": f"{S3}/get?key=attachmentId.1"},
    )


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


@pytest.mark.parametrize("kind", ["path", "bytes", "seekable", "unseekable"])
def test_attach_file_puts_the_bytes_and_returns_the_attachment(
    dx: Driver, fake: FakeExchange, tmp_path: Path, kind: str
) -> None:
    attachment_roots(fake)
    content = b"line one\nline two\n" * 100
    source: Any
    if kind == "path":
        source = tmp_path / "notes.txt"
        source.write_bytes(content)
    elif kind == "bytes":
        source = content
    elif kind == "seekable":
        source = io.BytesIO(b"skipped" + content)
        source.read(7)  # read from the current position
    else:
        source = Unseekable(content)
    name = None if kind == "path" else "notes.txt"
    attachment = dx.dataCapture.attachFile(
        "captureId.2", source, fileName=name, description="shift notes"
    )
    assert isinstance(attachment, DataCaptureAttachment)
    assert attachment.attachmentId == "attachmentId.1"
    assert sent(fake, "dataCapture_attachFile") == [
        {"captureId": "captureId.2", "fileName": "notes.txt", "description": "shift notes"}
    ]
    assert fake.blobs["attachmentId.1"] == content
    (put,) = fake.s3_requests
    if kind != "path":
        assert put.headers["content-type"] == "text/plain"


def test_a_failed_attachment_upload_is_deleted_again(
    dx: Driver, fake: FakeExchange, sleeps: list[float]
) -> None:
    attachment_roots(fake)
    deleted = answering(fake, "dataCapture_deleteAttachment", ATTACHMENT)
    fake.s3_faults.append(lambda request: httpx.Response(403))
    with pytest.raises(UploadError) as raised:
        dx.dataCapture.attachFile("captureId.2", b"abc", fileName="a.bin")
    assert raised.value.operation == "attachFile"
    assert raised.value.rollback_error is None
    assert deleted == [{"captureId": "captureId.2", "attachmentId": "attachmentId.1"}]


def test_an_uploaded_attachment_missing_from_the_listing_is_kept(
    dx: Driver, fake: FakeExchange
) -> None:
    attachment_roots(fake)
    answering(fake, "dataCapture_listAttachments", [{**ATTACHMENT, "attachmentId": "other"}])
    deleted = answering(fake, "dataCapture_deleteAttachment", ATTACHMENT)
    attachment = dx.dataCapture.attachFile("captureId.2", b"abc", fileName="a.csv")
    assert (attachment.attachmentId, attachment.name) == ("attachmentId.1", "a.csv")
    assert deleted == []
    assert fake.s3_requests[0].headers["content-type"] == "text/csv"


def test_an_attachment_of_unknown_type_sends_no_content_type_unless_given(
    dx: Driver, fake: FakeExchange
) -> None:
    """The data stores' rule: nothing known, no header (S3 records `binary/octet-stream`)."""
    attachment_roots(fake)
    dx.dataCapture.attachFile("captureId.2", b"\x00\x01", fileName="dump.bin")
    dx.dataCapture.attachFile(
        "captureId.2", b"%PDF", fileName="a.bin", content_type="application/pdf"
    )
    unknown, given = fake.s3_requests
    assert "content-type" not in unknown.headers
    assert given.headers["content-type"] == "application/pdf"


def test_a_refused_attachment_leaves_a_stream_that_cannot_seek_unread(
    dx: Driver, fake: FakeExchange
) -> None:
    stream = Unseekable(b"precious")
    for bad in ({}, {"fileName": "a.txt", "progress": 3}, {"fileName": "a", "content_type": "x"}):
        with pytest.raises(InvalidInputError):
            dx.dataCapture.attachFile("captureId.2", stream, **bad)
    assert stream.read() == b"precious"
    assert fake.requests == []


def test_download_attachment_to_a_path_ending_in_a_separator_makes_the_directory(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    attachment_roots(fake)
    fake.blobs["attachmentId.1"] = b"bytes"
    target = dx.dataCapture.downloadAttachment(
        "captureId.2", "attachmentId.1", f"{tmp_path / 'downloads'}/"
    )
    assert target == tmp_path / "downloads" / "notes.txt"
    assert target.read_bytes() == b"bytes"


def test_download_attachment_to_a_directory_keeps_its_name(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    attachment_roots(fake)
    fake.blobs["attachmentId.1"] = b"\x00\x01binary\xff"
    target = dx.dataCapture.downloadAttachment("captureId.2", "attachmentId.1", tmp_path)
    assert target == tmp_path / "notes.txt"
    assert target.read_bytes() == b"\x00\x01binary\xff"
    other = dx.dataCapture.downloadAttachment(
        "captureId.2", "attachmentId.1", tmp_path / "copy.bin"
    )
    assert other.read_bytes() == b"\x00\x01binary\xff"
    assert len(sent(fake, "dataCapture_listAttachments")) == 1  # a file path needs no name


def test_download_attachment_of_an_unknown_attachment_is_not_found(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    answering(fake, "dataCapture_listAttachments", [])
    with pytest.raises(NotFoundError):
        dx.dataCapture.downloadAttachment("captureId.2", "attachmentId.9", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_download_data_export_writes_the_csv(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    answering(fake, "dataCapture_getDataExportDownloadUrl", EXPORT)
    fake.blobs["export.1"] = b"timestamp,force\n1,2.5\n"
    export = dx.dataCapture.downloadDataExport("captureId.2", tmp_path)
    assert (tmp_path / "captureId.2-full.csv").read_bytes() == b"timestamp,force\n1,2.5\n"
    assert export.state == "COMPLETE"
    assert "export.1" not in repr(export)  # a presigned URL grants access


def test_an_export_that_is_not_complete_is_not_downloaded(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    answering(
        fake,
        "dataCapture_getActiveCaptureDataExportDownloadUrl",
        {**EXPORT, "state": "IN_PROGRESS", "url": None},
    )
    with pytest.raises(NotFoundError, match="IN_PROGRESS"):
        dx.dataCapture.downloadDataExport("captureId.2", tmp_path, active=True)
    assert fake.s3_requests == []


def test_the_capture_token_stays_out_of_reprs_and_logs(
    make_dx: ClientFactory, fake: FakeExchange, caplog: pytest.LogCaptureFixture
) -> None:
    answering(fake, "dataCapture_getCaptureAuthenticationToken", TOKEN_ROW)
    answering(fake, "dataCapture_regenerateAuthenticationToken", TOKEN_ROW)
    with caplog.at_level(logging.DEBUG, logger="avista_dx"):
        dx = make_dx(debug=True)
        tokens = [
            dx.dataCapture.getCaptureAuthenticationToken("captureId.2"),
            dx.dataCapture.regenerateAuthenticationToken("captureId.2"),
        ]
    for token in tokens:
        assert token.tokenValue == "capture-secret"
        assert "capture-secret" not in repr(token)
        assert "capture-secret" not in str(token)
    assert "capture-secret" not in caplog.text


# -- the capture events ---------------------------------------------------------------------------


@pytest.mark.parametrize("root", ["onStartCapture", "onStopCapture", "onNotifyCaptureComplete"])
def test_capture_events_are_typed_captures(
    dx: Driver, fake: FakeExchange, realtime: Any, root: str
) -> None:
    attach_realtime(dx, realtime)

    def trigger() -> None:
        realtime.wait_subscribed(root)
        fake.emit(root, {"captureId": "captureId.2"}, {**CAPTURE, "state": "CAPTURING"})

    (event,) = next_events(
        dx, lambda: getattr(dx.client.dataCapture, root)("captureId.2"), 1, trigger
    )
    assert isinstance(event, DataCapture)
    assert (event.captureId, event.state) == ("captureId.2", "CAPTURING")
    assert event.stateHistory is not None
    assert event.stateHistory[0].newState == "CONFIGURATION_ERROR"
    assert realtime.subscriptions == {}


def test_stop_and_await_completion_subscribes_before_it_stops(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    complete = {**CAPTURE, "state": "COMPLETE"}

    def stop(info: Any, captureId: str) -> dict[str, Any]:
        # The subscription was acknowledged before the stop was sent.
        assert [s.field for s in realtime.subscriptions.values()] == ["onNotifyCaptureComplete"]
        fake.emit("onNotifyCaptureComplete", {"captureId": captureId}, complete)
        return {**CAPTURE, "state": "FINISHING"}

    fake.extra_roots["dataCapture_stopCapture"] = stop
    answering(fake, "dataCapture_getCapture", complete)
    capture = dx.dataCapture.stopCaptureAndAwaitCompletion("captureId.2")
    assert capture.state == "COMPLETE"
    assert realtime.subscriptions == {}


def test_a_failed_completion_is_returned_without_waiting_for_an_event(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    answering(fake, "dataCapture_stopCapture", {**CAPTURE, "state": "FINISHING"})
    answering(fake, "dataCapture_getCapture", {**CAPTURE, "state": "COMPLETION_ERROR"})
    capture = dx.dataCapture.stopCaptureAndAwaitCompletion("captureId.2")
    assert capture.state == "COMPLETION_ERROR"


def test_upload_notices_are_typed(dx: Driver, fake: FakeExchange, realtime: Any) -> None:
    attach_realtime(dx, realtime)
    notice = {"uploadId": "u.1", "httpStatusCode": 404, "errorMessage": "no bytes yet"}

    def trigger() -> None:
        realtime.wait_subscribed("onNotifyUploadComplete")
        fake.emit("onNotifyUploadComplete", {"uploadId": "u.1"}, notice)

    (event,) = next_events(
        dx, lambda: dx.client.dataStores.onNotifyUploadComplete("u.1"), 1, trigger
    )
    assert isinstance(event, UploadCompleteResponse)
    assert (event.uploadId, event.httpStatusCode, event.errorMessage) == (
        "u.1",
        404,
        "no bytes yet",
    )


# -- bad input: refused before any request (run by test_sdk_operation_tables) ----------------------

NAIVE = dt.datetime(2026, 3, 1, 12, 0)
CLOSED = io.BytesIO(b"gone")
CLOSED.close()
BAD_CALLS: list[BadCall] = [
    ("dataCapture.createCapture", ("",), {}),
    ("dataCapture.createCapture", ("x",), {"captureType": "FANCY"}),
    ("dataCapture.getCapture", ("captureId.2",), {"includeDataModel": "yes"}),
    ("dataCapture.updateCapture", ("captureId.2",), {}),  # nothing to change
    ("dataCapture.updateCapture", ("captureId.2",), {"description": "d", "clear": ["description"]}),
    ("dataCapture.updateCapture", ("captureId.2",), {"clear": ["displayName"]}),
    ("dataCapture.updateCapture", ("captureId.2",), {"startTimeType": "SOMETIMES"}),
    ("dataCapture.updateCapture", ("captureId.2",), {"scheduledStartTime": NAIVE}),
    ("dataCapture.updateCapture", ("captureId.2",), {"scheduledStartTime": "2026-03-01T12:00"}),
    ("dataCapture.updateCapture", ("captureId.2",), {"scheduledStartTime": "noon"}),
    ("dataCapture.updateDataModel", ("captureId.2", [MODEL_INPUT]), {}),
    ("dataCapture.updateDataModel", ("captureId.2", {"assets": [{"userDefinedId": "a"}]}), {}),
    ("dataCapture.updateDataModel", ("captureId.2", {"assets": [], "extra": 1}), {}),
    ("dataCapture.updateDataModel", ("captureId.2", {"assets": [{
        "userDefinedId": "a", "displayName": "A", "attributes": [
            {"userDefinedId": "t", "displayName": "T", "schemaType": "float"}]}]}), {}),
    ("dataCapture.attachFile", ("captureId.2", b"abc"), {}),  # bytes need a fileName
    ("dataCapture.attachFile", ("captureId.2", io.StringIO("text")), {"fileName": "a.txt"}),
    ("dataCapture.attachFile", ("captureId.2", 42), {"fileName": "a.txt"}),
    ("dataCapture.attachFile", ("captureId.2", CLOSED), {"fileName": "a.txt"}),
    ("dataCapture.attachFile", ("captureId.2", b"abc"), {"fileName": "a", "progress": 3}),
    ("dataCapture.attachFile", ("captureId.2", b"abc"), {"fileName": "a", "content_type": "csv"}),
    ("dataCapture.listAttachments", ("captureId.2",), {"limit": 0}),
    ("dataCapture.listAttachments", ("captureId.2",), {"nextToken": ""}),
    ("dataCapture.deleteAttachment", ("captureId.2", " "), {}),
    ("dataCapture.getCaptureAuthenticationToken", ("",), {}),
    ("dataCapture.onStartCapture", ("",), {}),
    ("dataStores.onNotifyUploadComplete", (None,), {}),
]  # fmt: skip


def test_the_callers_data_model_is_not_changed(dx: Driver, fake: FakeExchange) -> None:
    import copy

    answering(fake, "dataCapture_updateDataModel", MODEL)
    before = copy.deepcopy(MODEL_INPUT)
    dx.dataCapture.updateDataModel("captureId.2", MODEL_INPUT)
    assert before == MODEL_INPUT
