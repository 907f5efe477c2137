"""dx.dataCapture end to end against the emulator, sync and async: a capture's whole life
(data model, start, publish with a subscriber, attachments, stop with its completion event,
exports, tokens, deletion), and dx.dataStores' upload notices.

Subscribers are started before the call that triggers their event; the trigger waits for the
emulator's broker to register the subscription (`subscription_count`), never for a delay.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("websockets", reason="the realtime extra is not installed")

from sdk.driver import Driver

from avista_dx import AuthenticationError, DxTypes
from avista_dx.emulator.runner import EmulatorHandle
from avista_dx.errors import APIError
from avista_dx.types import UploadCompleteResponse
from avista_dx.types_data_capture import DataCapture

from .conftest import ClientFactory, unique

EVENT_TIMEOUT = 10.0
DATA_MODEL = {
    "assets": [
        {
            "userDefinedId": "press-1",
            "displayName": "Press 1",
            "attributes": [
                {"userDefinedId": "force", "displayName": "Force", "schemaType": "double",
                 "unit": "kN"},
                {"userDefinedId": "running", "displayName": "Running", "schemaType": "boolean"},
            ],
        }
    ]
}  # fmt: skip


def one_event(
    dx: Driver,
    handle: EmulatorHandle,
    subscribe: Callable[[Any], Any],
    trigger: Callable[[Any], Any],
) -> tuple[Any, Any]:
    """(the first event of `subscribe(client)`, what `trigger(client)` returned): the
    trigger runs once the emulator's broker holds the new subscription."""
    broker = handle.emulator.events
    before = broker.subscription_count()

    def registered() -> bool:
        assert time.monotonic() < deadline, "the subscription never registered"
        return broker.subscription_count() > before

    deadline = time.monotonic() + EVENT_TIMEOUT
    if dx.is_async:

        async def scenario() -> tuple[Any, Any]:
            events = subscribe(dx.client)
            first = asyncio.ensure_future(events.__anext__())
            while not registered():
                await asyncio.sleep(0.005)  # polls the broker's count; the loop runs meanwhile
            result = await trigger(dx.client)
            event = await asyncio.wait_for(first, EVENT_TIMEOUT)
            await events.aclose()
            return event, result

        return dx.run(scenario())  # type: ignore[no-any-return]
    events = subscribe(dx.client)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(next, events)
        while not registered():
            time.sleep(0.005)  # polls the broker's count
        result = trigger(dx.client)
        event = first.result(EVENT_TIMEOUT)
    events.close()
    return event, result


def ready_capture(dx: Driver) -> DataCapture:
    capture = dx.dataCapture.createCapture(unique("e2e capture"), description="line 4")
    assert capture.state == "CONFIGURATION_ERROR"
    model = dx.dataCapture.updateDataModel(capture.captureId, DATA_MODEL)
    assert (model.state, [asset.userDefinedId for asset in model.items]) == ("GOOD", ["press-1"])
    ready = dx.dataCapture.getCapture(capture.captureId)
    assert ready.state == "READY"
    return ready


def test_a_capture_from_creation_to_deletion(
    dx: Driver, make_dx: ClientFactory, dx_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    capture = ready_capture(dx)
    capture_id = capture.captureId
    dc = dx.dataCapture

    # -- configuration ----------------------------------------------------------------------
    changed = dc.updateCapture(capture_id, displayName="Line 4 press", clear=["description"])
    assert (changed.displayName, changed.description) == ("Line 4 press", None)
    assert capture_id in [c.captureId for c in dc.listCaptures()]
    detailed = dc.getCapture(capture_id, includeDataModel=True)
    assert detailed.dataModel is not None
    assert [a.userDefinedId for a in detailed.dataModel.items[0].attributes] == [
        "force",
        "running",
    ]
    exported = dc.getDataModelExport(capture_id)
    assert json.loads(exported.contents)["assets"][0]["userDefinedId"] == "press-1"
    assert capture_id in dc.getPythonSDKSample(capture_id)

    # -- start (its event), publish (subscribeToData receives it) ------------------------------
    started, _ = one_event(
        dx,
        dx_emulator,
        lambda client: client.dataCapture.onStartCapture(capture_id),
        lambda client: client.dataCapture.startCapture(capture_id),
    )
    assert (started.captureId, started.state) == (capture_id, "CAPTURING")
    now_ms = int(time.time() * 1000)
    records = [
        DxTypes.CaptureDataRecordInput(
            timestamp=str(now_ms), attributeValues={"force": 2.5, "running": True}
        ),
        {"timestamp": now_ms + 1, "attributeValues": {"force": "3.25"}},
    ]
    event, published = one_event(
        dx,
        dx_emulator,
        lambda client: client.dataCapture.subscribeToData(captureId=capture_id),
        lambda client: client.dataCapture.publishData(capture_id, records),
    )
    assert published.success is True
    written = [(r.timestamp, r.attributeId, r.attributeValue) for r in event.recordsWritten]
    assert written == [
        (str(now_ms), "force", "2.5"),
        (str(now_ms), "running", "true"),
        (str(now_ms + 1), "force", "3.25"),
    ]
    active = dc.downloadDataExport(capture_id, tmp_path / "active.csv", active=True)
    assert active.exportType == "ACTIVE_CAPTURE_EXPORT"
    assert len(read_csv(tmp_path / "active.csv")) == 2

    # -- attachments, byte for byte -----------------------------------------------------------
    binary = os.urandom(300_000)  # more than one transfer chunk
    (tmp_path / "photo.jpg").write_bytes(binary)
    from_path = dc.attachFile(capture_id, tmp_path / "photo.jpg", description="before the run")
    from_bytes = dc.attachFile(capture_id, b"operator: Ada\n", fileName="notes.txt")
    from_stream = dc.attachFile(capture_id, io.BytesIO(binary[:1000]), fileName="head.bin")
    listed = dc.listAttachments(capture_id)
    assert [(a.attachmentId, a.name, a.error) for a in listed] == [
        (from_path.attachmentId, "photo.jpg", None),
        (from_bytes.attachmentId, "notes.txt", None),
        (from_stream.attachmentId, "head.bin", None),
    ]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    assert dc.downloadAttachment(capture_id, from_path.attachmentId, downloads).read_bytes() == (
        binary
    )
    copy = dc.downloadAttachment(capture_id, from_bytes.attachmentId, tmp_path / "copy.txt")
    assert copy.read_bytes() == b"operator: Ada\n"
    assert dc.getFileAttachmentDownloadUrl(capture_id, from_stream.attachmentId).startswith("http")
    assert dc.deleteAttachment(capture_id, from_stream.attachmentId).name == "head.bin"
    assert [a.name for a in dc.listAttachments(capture_id)] == ["photo.jpg", "notes.txt"]

    # -- stop with the completion event, the full export ----------------------------------------
    assert dc.getDataExportDownloadUrl(capture_id).state == "NOT_CREATED"
    completed = dc.stopCaptureAndAwaitCompletion(capture_id)
    assert (completed.captureId, completed.state) == (capture_id, "COMPLETE")
    assert completed.timeSettings is not None
    assert completed.timeSettings.actualStopTime is not None
    export = dc.downloadDataExport(capture_id, tmp_path)
    assert export.state == "COMPLETE"
    assert export.name is not None
    rows = read_csv(tmp_path / export.name)
    assert rows == [
        {"timestamp": str(now_ms), "force": "2.5", "running": "true"},
        {"timestamp": str(now_ms + 1), "force": "3.25", "running": ""},
    ]

    # -- the capture's token: usable, secret, replaceable ---------------------------------------
    token = dc.getCaptureAuthenticationToken(capture_id)
    assert token.tokenType == "DATA_CAPTURE_READ_WRITE"
    assert token.tokenValue
    assert token.tokenValue not in repr(token)
    publisher = make_dx(token=token.tokenValue)
    assert publisher.dataCapture.getCapture(capture_id).state == "COMPLETE"
    renewed = dc.regenerateAuthenticationToken(capture_id)
    assert renewed.tokenValue not in (None, token.tokenValue)
    with pytest.raises(AuthenticationError):
        make_dx(token=token.tokenValue).dataCapture.getCapture(capture_id)
    assert make_dx(token=renewed.tokenValue).dataCapture.getDataModel(capture_id).version == 2

    # -- deletion ---------------------------------------------------------------------------
    assert dc.deleteCapture(capture_id).state == "DELETING"
    with pytest.raises(APIError):
        dc.getCapture(capture_id)
    assert capture_id not in [c.captureId for c in dc.listCaptures()]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_stop_event_carries_the_finishing_capture(
    dx: Driver, dx_emulator: EmulatorHandle
) -> None:
    capture_id = ready_capture(dx).captureId
    dx.dataCapture.startCapture(capture_id)
    stopped, result = one_event(
        dx,
        dx_emulator,
        lambda client: client.dataCapture.onStopCapture(capture_id),
        lambda client: client.dataCapture.stopCapture(capture_id),
    )
    assert result.capture.state == "FINISHING"
    assert (stopped.captureId, stopped.state) == (capture_id, "FINISHING")
    assert dx.dataCapture.deleteCapture(capture_id).captureId == capture_id


def test_an_upload_notice_reaches_the_data_store_subscriber(
    dx: Driver, dx_emulator: EmulatorHandle
) -> None:
    seed = dx_emulator.seed
    assert seed is not None
    created = dx.graphql(
        "mutation($s: ID!, $d: ID!, $n: String!) { storage_createDataStoreFile("
        'dataStoreId: $s, dataStoreDirectoryId: $d, name: $n, fileExtension: "txt")'
        " { itemId uploadId } }",
        {"s": seed.ids["dataStore"], "d": seed.ids["homeDirectory"], "n": unique("notice")},
    )["storage_createDataStoreFile"]
    upload_id = created["uploadId"]

    notice, _ = one_event(
        dx,
        dx_emulator,
        lambda client: client.dataStores.onNotifyUploadComplete(upload_id),
        # What the exchange itself does when an upload ends (an internal mutation).
        lambda client: client.graphql(
            "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u) { uploadId } }",
            {"u": upload_id},
        ),
    )
    assert isinstance(notice, UploadCompleteResponse)
    assert (notice.uploadId, notice.httpStatusCode) == (upload_id, 404)  # no bytes were PUT
    assert notice.errorMessage
    dx.dataStores.deleteDataStoreFile(created["itemId"])
