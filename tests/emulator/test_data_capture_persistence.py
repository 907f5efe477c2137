# ruff: noqa: E501  (GraphQL documents read best on one line)
"""Restarts keep captures, their data, tokens, attachments and exports; a capture stopped but
not yet complete when the emulator went down is completed when it comes back."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import httpx

from avista_dx.emulator import run_emulator
from avista_dx.emulator.data_capture.records import CaptureRecord

from . import capture_helpers as ch
from .test_persistence import call

ATTACH = 'mutation($c: ID!) { dataCapture_attachFile(captureId: $c, fileName: "log.txt") { url itemId } }'
DOWNLOAD = (
    "query($c: ID!, $a: ID!) { dataCapture_getFileAttachmentDownloadUrl(captureId: $c, "
    "attachmentId: $a) { url } }"
)


def _publish(url: str, token: str, capture_id: str, time_ms: int, value: str) -> Any:
    record = {"timestamp": str(time_ms), "attributeValues": [{"userDefinedId": "temperature", "value": value}]}  # fmt: skip
    return call(url, token, ch.PUBLISH, c=capture_id, d=[record])


def test_restart_keeps_captures_and_their_data(tmp_path: Path) -> None:
    t = ch.now_ms()
    with run_emulator(seed="demo", data_dir=tmp_path) as first:
        owner = first.tokens["owner"]
        assert first.seed is not None
        capture_id = first.seed.ids["capture"]
        capture_token = call(first.url, owner, ch.TOKEN, c=capture_id)["tokenValue"]
        assert _publish(first.url, capture_token, capture_id, t, "61.5")["failedRecords"] == []
        attachment = call(first.url, owner, ATTACH, c=capture_id)
        assert httpx.put(attachment["url"], content=b"kept bytes").status_code == 200
        before = call(first.url, owner, ch.GET, c=capture_id)

    with run_emulator(seed="demo", data_dir=tmp_path) as second:
        assert second.seed is not None
        assert second.seed.ids["capture"] == capture_id  # the seed ran once
        assert call(second.url, owner, ch.GET, c=capture_id) == before
        again = _publish(second.url, capture_token, capture_id, t, "1")  # the token still works
        assert [f["errorType"] for f in again["failedRecords"]] == ["RecordExists"]
        url = call(second.url, owner, DOWNLOAD, c=capture_id, a=attachment["itemId"])["url"]
        assert httpx.get(url).content == b"kept bytes"
        stopped = call(second.url, capture_token, ch.STOP, c=capture_id)
        assert (
            stopped["timeSettings"]["actualStartTime"] == before["timeSettings"]["actualStartTime"]
        )
        export = call(second.url, owner, ch.FULL_EXPORT, c=capture_id)

    with run_emulator(seed="demo", data_dir=tmp_path) as third:
        assert call(third.url, owner, ch.GET, c=capture_id)["state"] == "COMPLETE"
        fresh = call(third.url, owner, ch.FULL_EXPORT, c=capture_id)
        assert fresh["dateCompleted"] == export["dateCompleted"]
        rows = list(csv.reader(io.StringIO(httpx.get(fresh["url"]).text)))
        assert rows[0] == ["timestamp", "temperature", "pressure", "running"]
        assert rows[-1] == [str(t), "61.5", "", ""]
        assert len(rows) == 12  # ten seeded readings and the one published


def test_a_capture_left_finishing_is_completed_at_start(tmp_path: Path) -> None:
    with run_emulator(seed="demo", data_dir=tmp_path) as first:
        assert first.seed is not None
        capture_id = first.seed.ids["capture"]
        with first.emulator.metadata.transaction() as tx:  # as a crash after the stop would
            record = tx.get(CaptureRecord, capture_id)
            assert record is not None
            tx.put(dataclasses.replace(record, state="FINISHING"))
    with run_emulator(seed="demo", data_dir=tmp_path) as second:
        owner = second.tokens["owner"]
        assert call(second.url, owner, ch.GET, c=capture_id)["state"] == "COMPLETE"
        assert call(second.url, owner, ch.FULL_EXPORT, c=capture_id)["state"] == "COMPLETE"
