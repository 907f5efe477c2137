# ruff: noqa: E501  (GraphQL documents read best on one line)
"""Capture attachments through presigned PUT and GET, and their listing and deletion."""

from __future__ import annotations

from typing import Any

from . import capture_helpers as ch
from .conftest import Harness

ATTACH = 'mutation($c: ID!, $n: String!) { dataCapture_attachFile(captureId: $c, fileName: $n, description: "d") { url itemId uploadId } }'
LIST = "query($c: ID!, $l: Int, $t: String) { dataCapture_listAttachments(captureId: $c, limit: $l, nextToken: $t) { attachmentId attachmentType name description error ownerUserId } }"
DOWNLOAD = "query($c: ID!, $a: ID!) { dataCapture_getFileAttachmentDownloadUrl(captureId: $c, attachmentId: $a) { url itemId } }"
DELETE = "mutation($c: ID!, $a: ID!) { dataCapture_deleteAttachment(captureId: $c, attachmentId: $a) { attachmentId name } }"


def _attach(
    h: Harness, capture_id: str, name: str = "notes.txt", role: str = "writer"
) -> dict[str, Any]:
    result: dict[str, Any] = h.data(role, ATTACH, c=capture_id, n=name)
    return result


def test_attachment_round_trip(harness: Harness) -> None:
    capture_id = harness.ids["capture"]
    presigned = _attach(harness, capture_id)
    attachment_id = presigned["itemId"]
    assert attachment_id.startswith("attachmentId.")
    (listed,) = harness.data("reader", LIST, c=capture_id, l=None, t=None)
    assert listed["error"] == "FILE_UPLOAD_INCOMPLETE"
    url = harness.data("reader", DOWNLOAD, c=capture_id, a=attachment_id)["url"]
    assert harness.client.get(url).status_code == 404  # no bytes yet

    put = harness.client.put(
        presigned["url"], content=b"\x00bytes\xff", headers={"Content-Type": "application/pdf"}
    )
    assert put.status_code == 200, put.text
    assert harness.client.put(presigned["url"], content=b"again").status_code == 403  # single use
    (listed,) = harness.data("reader", LIST, c=capture_id, l=None, t=None)
    assert listed == {
        "attachmentId": attachment_id, "attachmentType": "FILE", "name": "notes.txt",
        "description": "d", "error": None, "ownerUserId": harness.ids["writer"],
    }  # fmt: skip
    got = harness.client.get(url)
    assert got.status_code == 200
    assert got.content == b"\x00bytes\xff"
    assert got.headers["content-type"] == "application/pdf"
    ranged = harness.client.get(url, headers={"Range": "bytes=1-5"})
    assert (ranged.status_code, ranged.content) == (206, b"bytes")

    deleted = harness.data("writer", DELETE, c=capture_id, a=attachment_id)
    assert deleted == {"attachmentId": attachment_id, "name": "notes.txt"}
    assert harness.client.get(url).status_code == 404
    assert harness.data("reader", LIST, c=capture_id, l=None, t=None) == []
    assert harness.error_type("writer", DELETE, c=capture_id, a=attachment_id) == "Unauthorized"


def test_an_attachment_belongs_to_its_capture(harness: Harness) -> None:
    attachment_id = _attach(harness, harness.ids["capture"])["itemId"]
    other = ch.new_capture(harness)
    assert harness.error_type("owner", DOWNLOAD, c=other, a=attachment_id) == "Unauthorized"
    assert harness.error_type("owner", DELETE, c=other, a=attachment_id) == "Unauthorized"


def test_a_tampered_url_uploads_nothing(harness: Harness) -> None:
    capture_id = harness.ids["capture"]
    presigned = _attach(harness, capture_id)
    tampered = presigned["url"].replace("X-Dx-Signature=", "X-Dx-Signature=x")
    assert harness.client.put(tampered, content=b"evil").status_code == 403
    (listed,) = harness.data("reader", LIST, c=capture_id, l=None, t=None)
    assert listed["error"] == "FILE_UPLOAD_INCOMPLETE"


def test_listing_pages_by_attachment_id(harness: Harness) -> None:
    capture_id = harness.ids["capture"]
    ids = [_attach(harness, capture_id, f"file{i}.txt")["itemId"] for i in range(5)]
    first = harness.data("reader", LIST, c=capture_id, l=2, t=None)
    assert [a["attachmentId"] for a in first] == ids[:2]
    rest = harness.data("reader", LIST, c=capture_id, l=None, t=ids[1])
    assert [a["attachmentId"] for a in rest] == ids[2:]
    body = harness.gql("reader", LIST, c=capture_id, l=None, t="attachmentId.unknown")
    assert body["errors"][0]["errorType"] == "BadRequestException"
    body = harness.gql("reader", LIST, c=capture_id, l=0, t=None)
    assert body["errors"][0]["errorType"] == "BadRequestException"


def test_bad_file_names_are_refused(harness: Harness) -> None:
    for name in ("", "a/b", "x" * 300, "tab\there"):
        body = harness.gql("writer", ATTACH, c=harness.ids["capture"], n=name)
        assert body["errors"][0]["errorType"] == "BadRequestException", name
    assert harness.data("reader", LIST, c=harness.ids["capture"], l=None, t=None) == []
