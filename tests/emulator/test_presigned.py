"""Presigned transfers: signed, expiring, single-use uploads; Range downloads; no side effects."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest

from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.persistence.models import FileRecord

from .conftest import Harness, make_harness, make_http_harness

CREATE = (
    "mutation($s: ID!, $d: ID!, $n: String!, $e: String!) { storage_createDataStoreFile("
    "dataStoreId: $s, dataStoreDirectoryId: $d, name: $n, fileExtension: $e) "
    "{ url uploadId itemId } }"
)
META = (
    "query($f: ID!) { storage_getDataStoreFile(dataStoreFileId: $f) "
    "{ storageSizeBytes s3ConfirmedUpload contentType lastModified } }"
)
DOWNLOAD = (
    "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url itemId } }"
)


@pytest.fixture(params=["asgi", "http"])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """These tests run in-process and over real HTTP."""
    yield from (make_harness() if request.param == "asgi" else make_http_harness())


def create_file(h: Harness, role: str = "writer", name: str = "data") -> dict[str, str]:
    result: dict[str, str] = h.data(
        role, CREATE, s=h.ids["dataStore"], d=h.ids["homeDirectory"], n=name, e="bin"
    )
    return result


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return path_of(urlunsplit(parts._replace(query=urlencode(query))))


def record(h: Harness, file_id: str) -> FileRecord | None:
    with h.emulator.metadata.view() as view:
        return view.get(FileRecord, file_id)


def test_upload_then_download(harness: Harness) -> None:
    created = create_file(harness)
    assert created["url"].startswith(str(harness.client.base_url).rstrip("/") + "/_presigned/")
    assert harness.data("writer", META, f=created["itemId"])["s3ConfirmedUpload"] is False
    payload = bytes(range(256)) * 4099  # > one read chunk
    response = harness.client.put(path_of(created["url"]), content=payload)
    assert response.status_code == 200
    meta = harness.data("reader", META, f=created["itemId"])
    assert meta["storageSizeBytes"] == len(payload)
    assert meta["s3ConfirmedUpload"] is True
    assert meta["contentType"] == "binary/octet-stream"
    url = harness.data("reader", DOWNLOAD, f=created["itemId"])["url"]
    download = harness.client.get(path_of(url))
    assert download.status_code == 200
    assert download.content == payload
    assert download.headers["content-length"] == str(len(payload))


def test_upload_keeps_the_content_type_sent(harness: Harness) -> None:
    created = create_file(harness)
    harness.client.put(
        path_of(created["url"]), content=b"a,b\n", headers={"Content-Type": "text/csv"}
    )
    assert harness.data("writer", META, f=created["itemId"])["contentType"] == "text/csv"


def test_urls_need_no_token(harness: Harness) -> None:
    created = create_file(harness)
    response = harness.client.put(path_of(created["url"]), content=b"x", headers={})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        {"X-Dx-Signature": "AAAA"},
        {"X-Dx-Expires": "99999999999"},
        {"X-Dx-Upload": "uploadId.other"},
    ],
)
def test_tampered_upload_url_is_403_without_side_effects(
    harness: Harness, tamper: dict[str, str]
) -> None:
    created = create_file(harness)
    before = record(harness, created["itemId"])
    response = harness.client.put(with_query(created["url"], **tamper), content=b"evil")
    assert response.status_code == 403
    assert "<Code>" in response.text
    assert record(harness, created["itemId"]) == before
    assert harness.emulator.blobs.size(created["itemId"]) is None


def test_url_for_one_file_cannot_write_another(harness: Harness) -> None:
    first, second = create_file(harness, name="a"), create_file(harness, name="b")
    stolen = path_of(first["url"]).replace(first["itemId"], second["itemId"])
    assert harness.client.put(stolen, content=b"x").status_code == 403
    assert record(harness, second["itemId"]) == record(harness, second["itemId"])
    assert harness.emulator.blobs.size(second["itemId"]) is None
    assert harness.emulator.blobs.size(first["itemId"]) is None


def test_upload_url_is_single_use(harness: Harness) -> None:
    created = create_file(harness)
    assert harness.client.put(path_of(created["url"]), content=b"first").status_code == 200
    assert harness.client.put(path_of(created["url"]), content=b"second!").status_code == 403
    url = harness.data("writer", DOWNLOAD, f=created["itemId"])["url"]
    assert harness.client.get(path_of(url)).content == b"first"


def test_upload_to_a_deleted_file_is_refused(harness: Harness) -> None:
    created = create_file(harness)
    harness.data(
        "writer",
        "mutation($f: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $f) { name } }",
        f=created["itemId"],
    )
    assert harness.client.put(path_of(created["url"]), content=b"x").status_code == 404
    assert created["itemId"] not in harness.emulator.blobs.keys()  # noqa: SIM118


@pytest.fixture
def expired() -> Iterator[Harness]:
    yield from make_harness(EmulatorConfig(presigned_url_ttl_seconds=0))


def test_expired_urls_are_403(expired: Harness) -> None:
    created = create_file(expired)
    response = expired.client.put(path_of(created["url"]), content=b"x")
    assert response.status_code == 403
    assert "expired" in response.text
    assert record(expired, created["itemId"]).s3_confirmed_upload is False  # type: ignore[union-attr]
    seeded = expired.ids["file:README.md"]
    url = expired.data("owner", DOWNLOAD, f=seeded)["url"]
    assert expired.client.get(path_of(url)).status_code == 403


def test_download_url_of_another_file_is_403(harness: Harness) -> None:
    url = harness.data("reader", DOWNLOAD, f=harness.ids["file:README.md"])["url"]
    other = harness.ids["file:reports/summary.txt"]
    forged = path_of(url).replace(harness.ids["file:README.md"], other)
    assert harness.client.get(forged).status_code == 403


def test_download_of_an_unconfirmed_file_is_404(harness: Harness) -> None:
    created = create_file(harness)
    url = harness.data("writer", DOWNLOAD, f=created["itemId"])["url"]
    response = harness.client.get(path_of(url))
    assert response.status_code == 404
    assert "NoSuchKey" in response.text


@pytest.mark.parametrize(
    ("header", "status", "expected", "content_range"),
    [
        ("bytes=0-9", 206, slice(0, 10), "bytes 0-9/4096"),
        ("bytes=4000-", 206, slice(4000, 4096), "bytes 4000-4095/4096"),
        ("bytes=-10", 206, slice(4086, 4096), "bytes 4086-4095/4096"),
        ("bytes=4090-99999", 206, slice(4090, 4096), "bytes 4090-4095/4096"),
        ("bytes=5-1", 200, slice(0, 4096), None),
        ("bytes=0-1,5-6", 200, slice(0, 4096), None),
        ("items=0-1", 200, slice(0, 4096), None),
    ],
)
def test_range_downloads(
    harness: Harness, header: str, status: int, expected: slice, content_range: str | None
) -> None:
    file_id = harness.ids["file:archive.tar.gz"]
    content = bytes(range(256)) * 16
    url = harness.data("reader", DOWNLOAD, f=file_id)["url"]
    response = harness.client.get(path_of(url), headers={"Range": header})
    assert response.status_code == status
    assert response.content == content[expected]
    assert response.headers.get("content-range") == content_range


def test_unsatisfiable_range_is_416(harness: Harness) -> None:
    file_id = harness.ids["file:archive.tar.gz"]
    url = harness.data("reader", DOWNLOAD, f=file_id)["url"]
    response = harness.client.get(path_of(url), headers={"Range": "bytes=5000-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */4096"


def test_declared_oversized_upload_is_rejected_before_reading(harness: Harness) -> None:
    created = create_file(harness)
    if str(harness.client.base_url).startswith("http://emulator.test"):
        response = harness.client.put(
            path_of(created["url"]), content=b"x", headers={"Content-Length": str(2**31)}
        )
        status, text = response.status_code, response.text
    else:  # no HTTP client sends fewer bytes than it declares: talk to the socket
        target = urlsplit(created["url"])
        assert target.hostname is not None
        assert target.port is not None
        with socket.create_connection((target.hostname, target.port)) as raw:
            raw.sendall(
                f"PUT {path_of(created['url'])} HTTP/1.1\r\nHost: x\r\n"
                f"Content-Length: {2**31}\r\n\r\n".encode()
            )
            raw.settimeout(10)
            answer = ""
            while "</Error>" not in answer:
                chunk = raw.recv(65536)
                if not chunk:
                    break
                answer += chunk.decode()
        status, text = int(answer.split()[1]), answer
    assert status == 400
    assert "EntityTooLarge" in text
    assert record(harness, created["itemId"]).s3_confirmed_upload is False  # type: ignore[union-attr]


def test_deleting_a_file_removes_its_bytes(harness: Harness) -> None:
    created = create_file(harness)
    harness.client.put(path_of(created["url"]), content=b"bytes")
    assert harness.emulator.blobs.size(created["itemId"]) == 5
    deleted = harness.data(
        "writer",
        "mutation($f: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $f) "
        "{ dataStoreFileId storageSizeBytes } }",
        f=created["itemId"],
    )
    assert deleted == {"dataStoreFileId": created["itemId"], "storageSizeBytes": 5}
    assert harness.emulator.blobs.size(created["itemId"]) is None


def test_an_unreasonable_content_type_is_refused(harness: Harness) -> None:
    created = create_file(harness)
    response = harness.client.put(
        path_of(created["url"]), content=b"x", headers={"Content-Type": "a" * 300}
    )
    assert response.status_code == 400
    assert record(harness, created["itemId"]).s3_confirmed_upload is False  # type: ignore[union-attr]
