# ruff: noqa: E501  (GraphQL documents read best on one line)
"""The capture's state machine, time settings and data model, through GraphQL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from avista_dx.emulator.data_capture.records import CAPTURE_RECORD_TYPES

from . import capture_helpers as ch
from .conftest import Harness

CREATE = (
    "mutation($n: String!) { dataCapture_createCapture(captureType: STANDARD, displayName: $n) "
    f"{ch.CAPTURE_FIELDS} }}"
)
UPDATE_MODEL = (
    "mutation($c: ID!, $m: DataCaptureDataModelInput!) { dataCapture_updateDataModel("
    "captureId: $c, dataModel: $m) { version state errors items { userDefinedId } } }"
)
UPDATE = (
    "mutation($c: ID!, $start: DataCaptureTimeConfigType, $stop: DataCaptureTimeConfigType,"
    " $startAt: String, $stopAt: String) { dataCapture_updateCapture(captureId: $c,"
    " startTimeType: $start, stopTimeType: $stop, scheduledStartTime: $startAt,"
    " scheduledStopTime: $stopAt, updateDisplayName: false, updateDescription: false,"
    " updateStartTimeType: true, updateStopTimeType: true, updateScheduledStartTime: true,"
    f" updateScheduledStopTime: true) {ch.CAPTURE_FIELDS} }}"
)


def _bad_request(h: Harness, query: str, **variables: Any) -> str:
    body = h.gql("owner", query, **variables)
    (error,) = body["errors"]
    assert error["errorType"] == "BadRequestException", body
    assert body["data"] == {error["path"][0]: None}
    message: str = error["message"]
    return message


def test_a_new_capture_needs_a_good_data_model_to_be_ready(harness: Harness) -> None:
    capture = harness.data("owner", CREATE, n="Run 1")
    assert capture["state"] == "CONFIGURATION_ERROR"
    assert capture["timeSettings"]["startTimeType"] == "MANUAL"
    assert capture["timeSettings"]["state"] == "GOOD"
    capture_id = capture["captureId"]
    assert "not READY" in _bad_request(harness, ch.START, c=capture_id)

    duplicated = {"assets": [ch.MODEL["assets"][0], ch.MODEL["assets"][0]]}
    model = harness.data("owner", UPDATE_MODEL, c=capture_id, m=duplicated)
    assert model["state"] == "ERROR"
    assert model["version"] == 2
    assert any("used twice" in error for error in model["errors"])
    assert harness.data("owner", ch.GET, c=capture_id)["state"] == "CONFIGURATION_ERROR"

    model = harness.data("owner", UPDATE_MODEL, c=capture_id, m=ch.MODEL)
    assert (model["state"], model["errors"], model["version"]) == ("GOOD", [], 3)
    assert harness.data("owner", ch.GET, c=capture_id)["state"] == "READY"

    empty = harness.data("owner", UPDATE_MODEL, c=capture_id, m={"assets": []})
    assert empty["errors"] == ["the data model has no assets"]
    assert harness.data("owner", ch.GET, c=capture_id)["state"] == "CONFIGURATION_ERROR"


def test_bad_model_text_is_a_bad_request_and_changes_nothing(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    bad = {"assets": [{**ch.MODEL["assets"][0], "displayName": "   "}]}
    assert "displayName" in _bad_request(harness, UPDATE_MODEL, c=capture_id, m=bad)
    model = harness.data("owner", "query($c: ID!) { dataCapture_getDataModel(captureId: $c) { version } }", c=capture_id)  # fmt: skip
    assert model["version"] == 2


def test_start_stop_and_completion(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    assert "not CAPTURING" in _bad_request(harness, ch.STOP, c=capture_id)  # stop a READY one
    started = harness.data("writer", ch.START, c=capture_id)
    assert started["state"] == "CAPTURING"
    assert started["timeSettings"]["actualStartTime"].endswith("Z")
    assert started["timeSettings"]["actualStopTime"] is None
    assert "it is CAPTURING, not READY" in _bad_request(harness, ch.START, c=capture_id)
    assert harness.data("owner", ch.GET, c=capture_id)["timeSettings"] == started["timeSettings"]
    assert "not READY or CONFIGURATION_ERROR" in _bad_request(
        harness, UPDATE_MODEL, c=capture_id, m=ch.MODEL
    )
    export = harness.data("owner", ch.FULL_EXPORT, c=capture_id)
    assert (export["state"], export["url"]) == ("NOT_CREATED", None)

    stopped = harness.data("writer", ch.STOP, c=capture_id)
    assert stopped["state"] == "FINISHING"
    assert stopped["timeSettings"]["actualStopTime"] >= started["timeSettings"]["actualStartTime"]
    final = harness.data("owner", ch.GET, c=capture_id)
    assert final["state"] == "COMPLETE"
    assert [change["newState"] for change in final["stateHistory"]] == [
        "CONFIGURATION_ERROR", "READY", "CAPTURING", "FINISHING", "COMPLETE",
    ]  # fmt: skip
    assert "not CAPTURING" in _bad_request(harness, ch.STOP, c=capture_id)
    assert "not READY" in _bad_request(harness, ch.START, c=capture_id)
    record = {"timestamp": str(ch.now_ms()), "attributeValues": [{"userDefinedId": "temp", "value": "1"}]}  # fmt: skip
    assert "publish to" in _bad_request(harness, ch.PUBLISH, c=capture_id, d=[record])
    export = harness.data("owner", ch.FULL_EXPORT, c=capture_id)
    assert export["state"] == "COMPLETE"
    assert export["url"]


def test_publishing_to_a_capture_that_is_not_capturing_is_refused(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    record = {"timestamp": str(ch.now_ms()), "attributeValues": [{"userDefinedId": "temp", "value": "1"}]}  # fmt: skip
    message = _bad_request(harness, ch.PUBLISH, c=capture_id, d=[record])
    assert message.endswith("it is READY, not CAPTURING")


def test_completion_mutations_need_their_states(harness: Harness) -> None:
    ready = ch.new_capture(harness)
    handle = "mutation($c: ID!) { dataCapture_handleCompletion(captureId: $c) { state } }"
    notify = "mutation($c: ID!) { dataCapture_notifyCaptureComplete(captureId: $c) { state } }"
    assert "FINISHING or COMPLETION_ERROR" in _bad_request(harness, handle, c=ready)
    assert "not COMPLETE" in _bad_request(harness, notify, c=ready)
    finishing = ch.finishing(harness)
    assert harness.data("owner", handle, c=finishing) == {"state": "COMPLETE"}
    assert "FINISHING or COMPLETION_ERROR" in _bad_request(harness, handle, c=finishing)
    assert harness.data("owner", notify, c=finishing) == {"state": "COMPLETE"}


def test_a_failed_completion_is_reported_and_retried(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture_id = ch.capturing(harness)
    files = harness.emulator.services.capture_files
    real = files._store.export_csv

    def broken(*args: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(files._store, "export_csv", broken)
    harness.data("owner", ch.STOP, c=capture_id)
    failed = harness.data("owner", ch.GET, c=capture_id)
    assert failed["state"] == "COMPLETION_ERROR"
    assert failed["stateHistory"][-1]["message"] == "the export failed: OSError"
    export = harness.data("owner", ch.FULL_EXPORT, c=capture_id)
    assert (export["state"], export["url"]) == ("FAILED", None)
    monkeypatch.setattr(files._store, "export_csv", real)
    handle = "mutation($c: ID!) { dataCapture_handleCompletion(captureId: $c) { state } }"
    assert harness.data("owner", handle, c=capture_id) == {"state": "COMPLETE"}
    assert harness.data("owner", ch.FULL_EXPORT, c=capture_id)["state"] == "COMPLETE"


def test_time_settings(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    scheduled = harness.data(
        "owner",
        UPDATE,
        c=capture_id,
        start="SCHEDULED",
        stop="SCHEDULED",
        startAt=None,
        stopAt=None,
    )
    assert scheduled["state"] == "CONFIGURATION_ERROR"
    assert scheduled["timeSettings"]["state"] == "ERROR"
    assert len(scheduled["timeSettings"]["errors"]) == 2
    backwards = harness.data(
        "owner", UPDATE, c=capture_id, start="SCHEDULED", stop="SCHEDULED",
        startAt="2030-01-02T00:00:00+01:00", stopAt="2030-01-01T00:00:00Z",
    )  # fmt: skip
    assert backwards["timeSettings"]["errors"] == [
        "scheduledStopTime must be after scheduledStartTime"
    ]
    assert backwards["timeSettings"]["scheduledStartTime"] == "2030-01-01T23:00:00.000Z"
    good = harness.data(
        "owner", UPDATE, c=capture_id, start="SCHEDULED", stop="MANUAL",
        startAt="2030-01-01T00:00:00Z", stopAt=None,
    )  # fmt: skip
    assert good["state"] == "READY"
    assert good["timeSettings"]["state"] == "GOOD"
    assert "ISO-8601" in _bad_request(
        harness,
        UPDATE,
        c=capture_id,
        start="MANUAL",
        stop="MANUAL",
        startAt="tomorrow",
        stopAt=None,
    )
    harness.data("owner", ch.START, c=capture_id)
    assert "change the start settings" in _bad_request(
        harness, UPDATE, c=capture_id, start="MANUAL", stop="MANUAL", startAt=None, stopAt=None
    )


def test_update_flags_decide_what_changes(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    flags = (
        "updateScheduledStartTime: false, updateScheduledStopTime: false,"
        " updateStartTimeType: false, updateStopTimeType: false"
    )
    query = (
        "mutation($c: ID!, $n: String, $d: String, $un: Boolean!, $ud: Boolean!) {"
        " dataCapture_updateCapture(captureId: $c, displayName: $n, description: $d,"
        f" updateDisplayName: $un, updateDescription: $ud, {flags}) {{ displayName description }} }}"
    )
    changed = harness.data("owner", query, c=capture_id, n="New", d="text", un=True, ud=True)
    assert changed == {"displayName": "New", "description": "text"}
    kept = harness.data("owner", query, c=capture_id, n="Ignored", d=None, un=False, ud=True)
    assert kept == {"displayName": "New", "description": None}
    assert "displayName" in _bad_request(
        harness, query, c=capture_id, n=None, d=None, un=True, ud=False
    )


def test_list_captures_pages_through_the_callers_own(harness: Harness) -> None:
    for index in range(3):
        harness.data("owner", CREATE, n=f"Run {index}")
    query = (
        "query($l: Int, $t: String) { dataCapture_listCaptures(limit: $l, nextToken: $t,"
        " includeDataModels: true) { captures { displayName dataModel { version } } nextToken } }"
    )
    names, token = [], None
    while True:
        page = harness.data("owner", query, l=2, t=token)
        names += [c["displayName"] for c in page["captures"]]
        token = page["nextToken"]
        if token is None:
            break
    assert names == ["Demo capture", "Run 0", "Run 1", "Run 2"]
    assert harness.data("writer", query, l=None, t=None) == {"captures": [], "nextToken": None}
    assert "nextToken" in _bad_request(harness, query, l=2, t="bogus")
    assert "limit" in _bad_request(harness, query, l=0, t=None)


def test_delete_answers_deleting_and_removes_everything(harness: Harness) -> None:
    capture_id = ch.capturing(harness)
    token = ch.token_of(harness, capture_id)
    attachment_id = ch.attachment(harness, capture_id)
    assert attachment_id in harness.emulator.blobs.keys()  # noqa: SIM118 (a BlobStore)
    deleted = harness.data(
        "owner", "mutation($c: ID!) { dataCapture_deleteCapture(captureId: $c) { captureId state } }",
        c=capture_id,
    )  # fmt: skip
    assert deleted == {"captureId": capture_id, "state": "DELETING"}
    assert harness.error_type("owner", ch.GET, c=capture_id) == "Unauthorized"
    assert harness.post(token, ch.GET, c=capture_id).status_code == 401
    assert attachment_id not in harness.emulator.blobs.keys()  # noqa: SIM118 (a BlobStore)
    with harness.emulator.metadata.view() as view:
        for kind in CAPTURE_RECORD_TYPES:
            assert all(capture_id not in repr(r) for r in view.find(kind)), kind


def test_data_model_export(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    export = harness.data(
        "reader", "query($c: ID!) { dataCapture_getDataModelExport(captureId: $c) { captureId fileName contents } }",
        c=capture_id,
    )  # fmt: skip
    assert export["fileName"] == f"{capture_id}-data-model.json"
    document = json.loads(export["contents"])
    assert document["captureId"] == capture_id
    assert [a["userDefinedId"] for a in document["assets"][0]["attributes"]] == [
        "temp", "count", "on", "note",
    ]  # fmt: skip


def test_a_users_captures_are_handed_over_or_deleted_with_their_services(harness: Harness) -> None:
    capture_id = harness.ids["capture"]
    token = ch.token_of(harness, capture_id)
    moved = harness.data(
        "admin",
        "mutation($a: ID!, $b: ID!) { platformAdmin_migrateUsersServicesOwnership(currentOwnerUserId: $a, transferToUserId: $b) { serviceId serviceType dataCapture { ownerUserId } } }",
        a=harness.ids["owner"],
        b=harness.ids["writer"],
    )
    (capture,) = [s for s in moved if s["serviceType"] == "DATA_CAPTURE"]
    assert capture == {
        "serviceId": capture_id,
        "serviceType": "DATA_CAPTURE",
        "dataCapture": {"ownerUserId": harness.ids["writer"]},
    }
    assert harness.data("writer", ch.TOKEN, c=capture_id)["userId"] == harness.ids["writer"]
    assert harness.error_type("owner", ch.TOKEN, c=capture_id) == "Unauthorized"
    assert harness.data(token, ch.GET, c=capture_id)["captureId"] == capture_id  # still valid

    attachment_id = ch.attachment(harness, capture_id)
    deleted = harness.data(
        "admin",
        "mutation($u: ID!) { platformAdmin_deleteUsersServices(userId: $u) { serviceId serviceType } }",
        u=harness.ids["writer"],
    )
    assert {"serviceId": capture_id, "serviceType": "DATA_CAPTURE"} in deleted
    assert harness.error_type("writer", ch.GET, c=capture_id) == "Unauthorized"
    assert harness.post(token, ch.GET, c=capture_id).status_code == 401
    assert attachment_id not in harness.emulator.blobs.keys()  # noqa: SIM118 (a BlobStore)
    store = harness.emulator.services.data_capture._store
    assert store.tables()  # the deleted capture's table, until the next start or reset
    harness.emulator.services.data_capture.drop_orphan_tables()
    assert store.tables() == []
