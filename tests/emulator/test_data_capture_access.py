# ruff: noqa: E501  (the matrix reads best as one case per line)
"""Who may do what with data captures: every ``dataCapture_*`` field × owner, READ_WRITE member,
READ_ONLY member, outsider and platform admin (the demo capture is shared with the demo
collaborative), and the capture's own token (``token``), which reaches its capture alone and
only through the few fields a publisher needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from . import capture_helpers as ch
from .conftest import Harness
from .test_access_matrix import CASES, OWNER, READERS, ROLES, WRITERS, Case, Variables, check_access

TOKEN = "token"
TOKEN_READERS = READERS | {TOKEN}
TOKEN_WRITERS = WRITERS | {TOKEN}

# Act on the caller alone (their own captures): covered in test_data_capture_lifecycle.py.
CAPTURE_CALLER_SCOPED = {"dataCapture_listCaptures", "dataCapture_createCapture"}


def _memo(
    name: str, make: Callable[[Harness], str], **extra: Callable[[Harness, str], str]
) -> Variables:
    """``{"c": <capture>}`` (plus ``extra`` ids), made once per harness so that a case's
    token and its variables name the same capture."""

    def build(h: Harness) -> dict[str, Any]:
        key = f"test:{name}"
        if key not in h.ids:
            h.ids[key] = make(h)
            for arg, factory in extra.items():
                h.ids[f"{key}:{arg}"] = factory(h, h.ids[key])
        return {"c": h.ids[key], **{arg: h.ids[f"{key}:{arg}"] for arg in extra}}

    return build


def _demo(h: Harness) -> str:
    return h.ids["capture"]


DEMO = _memo("demo", _demo)
READY = _memo("ready", ch.new_capture)
FINISHING = _memo("finishing", ch.finishing)
COMPLETE = _memo("complete", ch.completed)
WITH_ATTACHMENT = _memo("attachment", _demo, a=ch.attachment)
MODEL_INPUT = '{assets: [{userDefinedId: "a", displayName: "A", attributes: [{userDefinedId: "x", displayName: "X", attributeType: TELEMETRY, schemaType: double}]}]}'


def _publish_variables(h: Harness) -> dict[str, Any]:
    return {
        **DEMO(h),
        "d": [
            {
                "timestamp": str(ch.now_ms()),
                "attributeValues": [{"userDefinedId": "temperature", "value": "1.5"}],
            }
        ],
    }


CAPTURE_CASES = [
    Case(
        "dataCapture_getCapture",
        "query($c: ID!) { dataCapture_getCapture(captureId: $c, includeDataModel: true) { state dataModel { version } } }",
        TOKEN_READERS,
        DEMO,
    ),
    Case(
        "dataCapture_updateCapture",
        'mutation($c: ID!) { dataCapture_updateCapture(captureId: $c, displayName: "N", updateDisplayName: true, updateDescription: false, updateScheduledStartTime: false, updateScheduledStopTime: false, updateStartTimeType: false, updateStopTimeType: false) { displayName } }',
        OWNER,
        DEMO,
    ),
    Case(
        "dataCapture_deleteCapture",
        "mutation($c: ID!) { dataCapture_deleteCapture(captureId: $c) { state } }",
        OWNER,
        DEMO,
    ),
    Case(
        "dataCapture_getDataModel",
        "query($c: ID!) { dataCapture_getDataModel(captureId: $c) { version items { userDefinedId } } }",
        TOKEN_READERS,
        DEMO,
    ),
    Case(
        "dataCapture_updateDataModel",
        f"mutation($c: ID!) {{ dataCapture_updateDataModel(captureId: $c, dataModel: {MODEL_INPUT}) {{ version }} }}",
        OWNER,
        READY,
    ),
    Case(
        "dataCapture_getDataModelExport",
        "query($c: ID!) { dataCapture_getDataModelExport(captureId: $c) { fileName contents } }",
        READERS,
        DEMO,
    ),
    Case(
        "dataCapture_startCapture",
        "mutation($c: ID!) { dataCapture_startCapture(captureId: $c) { state } }",
        TOKEN_WRITERS,
        READY,
    ),
    Case(
        "dataCapture_stopCapture",
        "mutation($c: ID!) { dataCapture_stopCapture(captureId: $c) { state } }",
        TOKEN_WRITERS,
        DEMO,
    ),
    Case(
        "dataCapture_handleCompletion",
        "mutation($c: ID!) { dataCapture_handleCompletion(captureId: $c) { state } }",
        OWNER,
        FINISHING,
    ),
    Case(
        "dataCapture_notifyCaptureComplete",
        "mutation($c: ID!) { dataCapture_notifyCaptureComplete(captureId: $c) { state } }",
        OWNER,
        COMPLETE,
    ),
    Case("dataCapture_publishData", ch.PUBLISH, TOKEN_WRITERS, _publish_variables),
    Case(
        "dataCapture_getCaptureAuthenticationToken",
        "query($c: ID!) { dataCapture_getCaptureAuthenticationToken(captureId: $c) { tokenId } }",
        OWNER,
        DEMO,
    ),
    Case(
        "dataCapture_regenerateAuthenticationToken",
        "mutation($c: ID!) { dataCapture_regenerateAuthenticationToken(captureId: $c) { tokenId } }",
        OWNER,
        DEMO,
    ),
    Case(
        "dataCapture_getPythonSDKSample",
        "query($c: ID!) { dataCapture_getPythonSDKSample(captureId: $c) }",
        READERS,
        DEMO,
    ),
    Case(
        "dataCapture_attachFile",
        'mutation($c: ID!) { dataCapture_attachFile(captureId: $c, fileName: "f.txt") { url itemId } }',
        WRITERS,
        DEMO,
    ),
    Case(
        "dataCapture_listAttachments",
        "query($c: ID!) { dataCapture_listAttachments(captureId: $c) { attachmentId } }",
        READERS,
        WITH_ATTACHMENT,
    ),
    Case(
        "dataCapture_getFileAttachmentDownloadUrl",
        "query($c: ID!, $a: ID!) { dataCapture_getFileAttachmentDownloadUrl(captureId: $c, attachmentId: $a) { url } }",
        READERS,
        WITH_ATTACHMENT,
    ),
    Case(
        "dataCapture_deleteAttachment",
        "mutation($c: ID!, $a: ID!) { dataCapture_deleteAttachment(captureId: $c, attachmentId: $a) { attachmentId } }",
        WRITERS,
        WITH_ATTACHMENT,
    ),
    Case(
        "dataCapture_getDataExportDownloadUrl",
        "query($c: ID!) { dataCapture_getDataExportDownloadUrl(captureId: $c) { state } }",
        READERS,
        COMPLETE,
    ),
    Case(
        "dataCapture_getActiveCaptureDataExportDownloadUrl",
        "query($c: ID!) { dataCapture_getActiveCaptureDataExportDownloadUrl(captureId: $c) { state url } }",
        READERS,
        DEMO,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CAPTURE_CASES, ids=lambda c: c.field)
def test_capture_access(harness: Harness, case: Case, role: str) -> None:
    check_access(harness, case, role)


@pytest.mark.parametrize("case", CAPTURE_CASES, ids=lambda c: c.field)
def test_the_capture_token(harness: Harness, case: Case) -> None:
    token = ch.token_of(harness, case.variables(harness)["c"])
    check_access(harness, case, TOKEN, token)


@pytest.mark.parametrize("case", CAPTURE_CASES, ids=lambda c: c.field)
def test_another_captures_token_reaches_nothing(harness: Harness, case: Case) -> None:
    other = ch.token_of(harness, ch.new_capture(harness, shared=False))
    check_access(harness, case, "other capture's token", other)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.field)
def test_the_capture_token_reaches_no_other_service(harness: Harness, case: Case) -> None:
    check_access(harness, case, TOKEN, ch.token_of(harness, harness.ids["capture"]))


def test_a_regenerated_token_replaces_the_old_one(harness: Harness) -> None:
    capture_id = harness.ids["capture"]
    old = ch.token_of(harness, capture_id)
    new = harness.data(
        "owner",
        "mutation($c: ID!) { dataCapture_regenerateAuthenticationToken(captureId: $c) { tokenValue tokenType scope } }",
        c=capture_id,
    )
    assert new["tokenType"] == "DATA_CAPTURE_READ_WRITE"
    assert new["scope"] == [capture_id]
    assert new["tokenValue"] != old
    assert harness.post(old, ch.GET, c=capture_id).status_code == 401
    assert harness.data(new["tokenValue"], ch.GET, c=capture_id)["captureId"] == capture_id
    assert harness.data("owner", ch.TOKEN, c=capture_id)["tokenValue"] == new["tokenValue"]


def test_capture_tokens_are_not_personal_tokens(harness: Harness) -> None:
    token = harness.data("owner", ch.TOKEN, c=harness.ids["capture"])
    listed = harness.data("owner", "query { user_listAuthenticationTokens { tokenId tokenType } }")
    assert token["tokenId"] not in [t["tokenId"] for t in listed]
    assert {t["tokenType"] for t in listed} == {"USER_FULL_ACCESS"}
    deleted = harness.gql(
        "owner",
        "mutation($t: ID!) { user_deleteAuthenticationToken(tokenId: $t) { tokenId } }",
        t=token["tokenId"],
    )
    assert [e["errorType"] for e in deleted["errors"]] == ["Unauthorized"]


def test_a_shared_capture_is_a_service_of_the_collaborative(harness: Harness) -> None:
    services = harness.data(
        "reader",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c) { serviceId serviceType dataCapture { captureId displayName state } } }",
        c=harness.ids["collaborative"],
    )
    (capture,) = [s for s in services if s["serviceType"] == "DATA_CAPTURE"]
    assert capture["serviceId"] == harness.ids["capture"]
    assert capture["dataCapture"] == {
        "captureId": harness.ids["capture"],
        "displayName": "Demo capture",
        "state": "CAPTURING",
    }
    removed = harness.data(
        "owner",
        "mutation($c: ID!, $s: ID!) { collaborative_removeServiceFromCollaborative(collaborativeId: $c, serviceType: DATA_CAPTURE, serviceId: $s) { serviceId } }",
        c=harness.ids["collaborative"],
        s=harness.ids["capture"],
    )
    assert removed["serviceId"] == harness.ids["capture"]
    assert harness.error_type("reader", ch.GET, c=harness.ids["capture"]) == "Unauthorized"


def test_a_platform_admins_capture_token_has_no_admin_rights(harness: Harness) -> None:
    admin = ch.caller(harness, "admin")
    capture = harness.emulator.services.data_capture.create_capture(
        admin, "STANDARD", "Admin's", None
    )
    token = ch.token_of_caller(harness, admin, capture["captureId"])
    assert (
        harness.client.post("/_emulator/reset", headers={"Authorization": token}).status_code == 403
    )
    response = harness.client.post(
        "/_emulator/tokens",
        json={"userId": harness.ids["reader"]},
        headers={"Authorization": token},
    )
    assert response.status_code == 403
    assert (
        harness.error_type(token, "query { platformAdmin_listUsers { userId } }") == "Unauthorized"
    )
