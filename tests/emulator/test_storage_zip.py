"""storage_getDataStoreZipDownloadUrl: a real zip of directories and files, served by a
presigned GET with the file GETs' signing, expiry and Range rules."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.persistence.models import ZipArchiveRecord
from avista_dx.emulator.seed import DEMO_FILES

from .conftest import Harness, make_harness
from .test_presigned import path_of, with_query

ZIP = (
    "query($o: [DataStoreObjectIdInput]!) { storage_getDataStoreZipDownloadUrl("
    "dataStoreObjectIds: $o) { url itemId uploadId } }"
)
CREATE_FILE = (
    "mutation($s: ID!, $d: ID!, $n: String!, $e: String!) { storage_createDataStoreFile("
    "dataStoreId: $s, dataStoreDirectoryId: $d, name: $n, fileExtension: $e) { url itemId } }"
)
CREATE_DIRECTORY = (
    "mutation($s: ID!, $p: ID!, $n: String!) { storage_createDataStoreDirectory(dataStoreId: $s, "
    "parentDirectoryId: $p, name: $n) { dataStoreDirectoryId } }"
)
DELETE_FILE = "mutation($f: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $f) { name } }"


def directory(directory_id: str) -> dict[str, str]:
    return {"objectType": "DIRECTORY", "dataStoreDirectoryId": directory_id}


def file(file_id: str) -> dict[str, str]:
    return {"objectType": "FILE", "dataStoreFileId": file_id}


def upload(h: Harness, parent: str, name: str, extension: str, content: bytes) -> str:
    created = h.data("writer", CREATE_FILE, s=h.ids["dataStore"], d=parent, n=name, e=extension)
    assert h.client.put(path_of(created["url"]), content=content).status_code == 200
    file_id: str = created["itemId"]
    return file_id


def make_directory(h: Harness, parent: str, name: str) -> str:
    created = h.data("writer", CREATE_DIRECTORY, s=h.ids["dataStore"], p=parent, n=name)
    directory_id: str = created["dataStoreDirectoryId"]
    return directory_id


def fetch(h: Harness, objects: list[dict[str, str]], role: str = "reader") -> bytes:
    url = h.data(role, ZIP, o=objects)["url"]
    response = h.client.get(path_of(url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert int(response.headers["content-length"]) == len(response.content)
    return response.content


def test_the_home_directory_zips_the_whole_store(harness: Harness) -> None:
    payload = fetch(harness, [directory(harness.ids["homeDirectory"])])
    archive = zipfile.ZipFile(io.BytesIO(payload))
    assert archive.testzip() is None
    files = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    assert files == {f"Home/{path}": content for path, content in DEMO_FILES.items()}
    folders = {name for name in archive.namelist() if name.endswith("/")}
    assert folders == {"Home/", "Home/readings/", "Home/readings/2024/", "Home/reports/"}


def test_files_and_directories_together_and_empty_folders(harness: Harness) -> None:
    empty = make_directory(harness, harness.ids["homeDirectory"], "empty")
    payload = fetch(harness, [file(harness.ids["file:README.md"]), directory(empty)])
    archive = zipfile.ZipFile(io.BytesIO(payload))
    assert archive.namelist() == ["README.md", "empty/"]
    assert archive.read("README.md") == DEMO_FILES["README.md"]
    assert archive.getinfo("empty/").is_dir()


def test_duplicate_names_are_numbered_in_creation_order(harness: Harness) -> None:
    top = make_directory(harness, harness.ids["homeDirectory"], "dupes")
    make_directory(harness, top, "report.csv")  # a folder named like the files
    upload(harness, top, "report", "csv", b"first")
    upload(harness, top, "report", "csv", b"second")
    upload(harness, top, "report", "csv", b"third")
    upload(harness, top, "Makefile", "", b"no extension")
    upload(harness, top, "Makefile", "", b"no extension either")
    upload(harness, top, "archive", "tar.gz", b"a")
    upload(harness, top, "archive", "tar.gz", b"b")
    archive = zipfile.ZipFile(io.BytesIO(fetch(harness, [directory(top), directory(top)])))
    assert archive.namelist() == [
        "dupes/",
        "dupes/report (2).csv",
        "dupes/report (3).csv",
        "dupes/report (4).csv",
        "dupes/Makefile",
        "dupes/Makefile (2)",
        "dupes/archive.tar.gz",
        "dupes/archive (2).tar.gz",
        "dupes/report.csv/",
    ]
    assert archive.read("dupes/report (2).csv") == b"first"
    assert archive.read("dupes/report (4).csv") == b"third"
    assert archive.read("dupes/archive (2).tar.gz") == b"b"


def test_unconfirmed_files_are_left_out_of_folders(harness: Harness) -> None:
    top = make_directory(harness, harness.ids["homeDirectory"], "pending")
    created = harness.data(
        "writer", CREATE_FILE, s=harness.ids["dataStore"], d=top, n="later", e="bin"
    )
    assert zipfile.ZipFile(io.BytesIO(fetch(harness, [directory(top)]))).namelist() == ["pending/"]
    body = harness.gql("reader", ZIP, o=[file(created["itemId"])])
    assert body["errors"][0]["errorType"] == "BadRequestException"


@pytest.mark.parametrize(
    "objects",
    [
        [],
        [None],
        [{"objectType": "FILE"}],
        [{"objectType": "DIRECTORY", "dataStoreFileId": "dataStoreFileId.x"}],
        [{"objectType": "FILE", "dataStoreFileId": "f", "dataStoreDirectoryId": "d"}],
    ],
)
def test_bad_object_lists_are_bad_requests(harness: Harness, objects: list[object]) -> None:
    before = _archives(harness)
    body = harness.gql("reader", ZIP, o=objects)
    assert body["errors"][0]["errorType"] == "BadRequestException", body
    assert body["data"] == {"storage_getDataStoreZipDownloadUrl": None}
    assert _archives(harness) == before


def test_one_unreadable_object_denies_the_whole_request(harness: Harness) -> None:
    private = harness.data(
        "outsider", 'mutation { storage_createDataStore(name: "mine") { homeDirectoryId } }'
    )
    body = harness.gql(
        "reader",
        ZIP,
        o=[directory(harness.ids["homeDirectory"]), directory(private["homeDirectoryId"])],
    )
    assert body["errors"][0]["errorType"] == "Unauthorized"
    assert _archives(harness) == []


def _archives(h: Harness) -> list[ZipArchiveRecord]:
    with h.emulator.metadata.view() as view:
        return view.find(ZipArchiveRecord)


def test_range_requests_serve_slices_of_the_same_bytes(harness: Harness) -> None:
    upload(harness, harness.ids["homeDirectory"], "big", "bin", bytes(range(256)) * 12_000)
    url = path_of(harness.data("reader", ZIP, o=[directory(harness.ids["homeDirectory"])])["url"])
    whole = harness.client.get(url).content
    size = len(whole)
    for header, (start, end) in {
        "bytes=0-99": (0, 100),
        "bytes=1000000-": (1_000_000, size),
        "bytes=-50": (size - 50, size),
        f"bytes=100-{size + 10}": (100, size),
    }.items():
        response = harness.client.get(url, headers={"Range": header})
        assert response.status_code == 206, header
        assert response.content == whole[start:end], header
        assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{size}"
    unsatisfiable = harness.client.get(url, headers={"Range": f"bytes={size}-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{size}"
    assert harness.client.get(url, headers={"Range": "bytes=5-1"}).content == whole  # ignored


def test_tampered_urls_are_403_and_change_nothing(harness: Harness) -> None:
    url = harness.data("reader", ZIP, o=[file(harness.ids["file:README.md"])])["url"]
    before = _archives(harness)
    for tampered in (
        with_query(url, **{"X-Dx-Signature": "x"}),
        with_query(url, **{"X-Dx-Expires": "99999999999"}),
        url.replace("dataStoreZipId.", "dataStoreZipId.0"),
        url.replace("/_presigned/zip/", "/_presigned/"),  # a zip URL is not a file URL
    ):
        response = harness.client.get(path_of(tampered))
        assert response.status_code in (403, 404), tampered
        assert response.headers["content-type"] == "application/xml"
    assert harness.client.get(path_of(url.split("?")[0])).status_code == 403
    assert _archives(harness) == before


def test_file_urls_do_not_open_zips(harness: Harness) -> None:
    download = harness.data(
        "reader",
        "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }",
        f=harness.ids["file:README.md"],
    )["url"]
    file_id = harness.ids["file:README.md"]
    as_zip = download.replace(f"/_presigned/{file_id}", f"/_presigned/zip/{file_id}")
    assert harness.client.get(path_of(as_zip)).status_code == 404


@pytest.fixture
def expired() -> Iterator[Harness]:
    yield from make_harness(EmulatorConfig(presigned_url_ttl_seconds=0))


def test_expired_urls_are_403(expired: Harness) -> None:
    url = expired.data("reader", ZIP, o=[file(expired.ids["file:README.md"])])["url"]
    response = expired.client.get(path_of(url))
    assert response.status_code == 403
    assert "expired" in response.text


def test_a_member_deleted_since_the_request_is_404(harness: Harness) -> None:
    url = harness.data("reader", ZIP, o=[directory(harness.ids["homeDirectory"])])["url"]
    harness.data("writer", DELETE_FILE, f=harness.ids["file:README.md"])
    response = harness.client.get(path_of(url))
    assert response.status_code == 404
    assert "NoSuchKey" in response.text


def test_later_changes_do_not_show(harness: Harness) -> None:
    url = harness.data("reader", ZIP, o=[directory(harness.ids["homeDirectory"])])["url"]
    first = harness.client.get(path_of(url)).content
    upload(harness, harness.ids["homeDirectory"], "new", "txt", b"new")
    assert harness.client.get(path_of(url)).content == first


def test_many_entries_use_zip64(harness: Harness) -> None:
    from avista_dx.emulator.services.zip_archive import ZipEntry, archive_chunks, archive_size

    entries = [ZipEntry(f"d/{index}.txt", "k", 1, (2024, 1, 1, 0, 0, 0)) for index in range(70_000)]
    payload = b"".join(archive_chunks(entries, lambda key: iter([b"x"])))
    assert len(payload) == archive_size(entries)
    archive = zipfile.ZipFile(io.BytesIO(payload))
    assert len(archive.infolist()) == 70_000
    assert archive.read("d/69999.txt") == b"x"


def test_urls_survive_a_restart(tmp_path: Path) -> None:
    config = EmulatorConfig(data_dir=tmp_path)
    first = make_harness(config)
    harness = next(first)
    url = path_of(harness.data("reader", ZIP, o=[directory(harness.ids["homeDirectory"])])["url"])
    payload = harness.client.get(url).content
    first.close()

    from starlette.testclient import TestClient

    from avista_dx.emulator import build_emulator

    emulator = build_emulator(config)
    try:
        with TestClient(emulator.app, base_url="http://emulator.test") as client:
            again = client.get(url)
            assert again.status_code == 200
            assert again.content == payload
    finally:
        emulator.close()
