"""Uploads and downloads through the SDK and the emulator's presigned URLs, over real HTTP."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sdk.driver import Driver

from avista_dx import BadRequestError, LocalFileNotFoundError, PermissionDeniedError, UploadError

from .conftest import Admin

MULTI_MB = 5 * 1024 * 1024 + 123  # several network chunks, not a round size


def upload(dx: Driver, admin: Admin, path: Path, **kwargs: object) -> tuple[str, str]:
    """Uploads into a fresh directory of the demo store; returns (directory id, file id)."""
    directory = admin.scratch_directory()
    meta = dx.uploadFileToDataStore(admin.ids["dataStore"], directory, path, **kwargs)
    return directory, meta.dataStoreFileId


@pytest.mark.parametrize(
    ("local_name", "name", "cloud_name", "stem", "extension"),
    [
        ("data.csv", None, "data.csv", "data", "csv"),
        ("archive.tar.gz", None, "archive.tar.gz", "archive", "tar.gz"),
        ("no_extension", None, "no_extension", "no_extension", ""),
        ("local.bin", "report v2.final.json", "report v2.final.json", "report v2", "final.json"),
        ("plain.txt", 'say "hi".txt', 'say "hi".txt', 'say "hi"', "txt"),
    ],
)
def test_names_round_trip(
    dx: Driver,
    admin: Admin,
    tmp_path: Path,
    local_name: str,
    name: str | None,
    cloud_name: str,
    stem: str,
    extension: str,
) -> None:
    local = tmp_path / local_name
    local.write_bytes(b"x" * 10)
    _, file_id = upload(dx, admin, local, name=name)
    meta = dx.getDataStoreFileMeta(file_id)
    assert (meta.name, meta.fileExtension or "", meta.fileName) == (stem, extension, cloud_name)

    target = tmp_path / "downloads"
    target.mkdir()
    dx.downloadDataStoreFile(file_id, target)
    assert [p.name for p in target.iterdir()] == [cloud_name]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("two\nlines.txt", "control"), ("back\\slash.txt", "'/' or"), ("a/b.txt", "'/' or")],
)
def test_a_name_the_exchange_refuses_leaves_nothing(
    dx: Driver, admin: Admin, tmp_path: Path, name: str, reason: str
) -> None:
    """Control characters and path separators in names are refused by the exchange; the SDK
    surfaces its typed error and no file record is left behind."""
    local = tmp_path / "plain.txt"
    local.write_bytes(b"x")
    directory = admin.scratch_directory()
    with pytest.raises(BadRequestError, match=reason):
        dx.uploadFileToDataStore(admin.ids["dataStore"], directory, local, name=name)
    assert dx.getDataStoreDirectory(directory).files == []


def test_multi_mb_round_trip_with_progress(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    payload = os.urandom(MULTI_MB)
    local = tmp_path / "big.bin"
    local.write_bytes(payload)
    uploaded_progress: list[tuple[int, int | None]] = []
    downloaded_progress: list[tuple[int, int | None]] = []

    directory, file_id = upload(
        dx,
        admin,
        local,
        description='multi-MB "payload"\nwith \\ and newline',
        progress=lambda done, total: uploaded_progress.append((done, total)),
    )
    meta = dx.getDataStoreFileMeta(file_id)
    assert meta.s3ConfirmedUpload is True
    assert meta.storageSizeBytes == MULTI_MB
    # The SDK PUTs without Content-Type (docs/protocol.md §3), so S3 records its default.
    assert meta.contentType == "binary/octet-stream"
    assert meta.description == 'multi-MB "payload"\nwith \\ and newline'
    assert meta.dataStoreDirectoryId == directory

    written = tmp_path / "copy.bin"
    returned = dx.downloadDataStoreFile(
        file_id, written, progress=lambda done, total: downloaded_progress.append((done, total))
    )
    assert returned.dataStoreFileId == file_id
    assert hashlib.sha256(written.read_bytes()).digest() == hashlib.sha256(payload).digest()
    for progress in (uploaded_progress, downloaded_progress):
        done = [d for d, _ in progress]
        assert done == sorted(done)
        assert progress[-1] == (MULTI_MB, MULTI_MB)
        assert len(progress) > 2  # reported while streaming, not only at the end


def test_empty_file_round_trip(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    local = tmp_path / "empty.txt"
    local.write_bytes(b"")
    _, file_id = upload(dx, admin, local)
    meta = dx.getDataStoreFileMeta(file_id)
    assert meta.storageSizeBytes == 0
    assert meta.s3ConfirmedUpload is True
    out = tmp_path / "out.txt"
    dx.downloadDataStoreFile(file_id, out)
    assert out.read_bytes() == b""


def test_download_to_a_file_path_replaces_it(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    target = tmp_path / "existing.txt"
    target.write_bytes(b"old content that is longer than the new one")
    dx.downloadDataStoreFile(admin.ids["file:reports/summary.txt"], target)
    assert target.read_bytes() == b"Consumption fell 3% month over month.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.txt"]  # no temporary left


def test_failed_download_leaves_nothing(dx: Driver, tmp_path: Path) -> None:
    target = tmp_path / "never.txt"
    with pytest.raises(PermissionDeniedError):
        dx.downloadDataStoreFile("dataStoreFileId.does-not-exist", target)
    assert list(tmp_path.iterdir()) == []


def test_upload_into_a_directory_of_another_store_is_rolled_back(
    dx: Driver, admin: Admin, tmp_path: Path
) -> None:
    other = admin.create_data_store()
    local = tmp_path / "misplaced.txt"
    local.write_bytes(b"x")
    with pytest.raises(BadRequestError):
        dx.uploadFileToDataStore(other["dataStoreId"], admin.ids["homeDirectory"], local)
    assert dx.getDataStoreDirectory(other["homeDirectoryId"]).files == []


def test_missing_local_file_is_an_input_error(dx: Driver, admin: Admin, tmp_path: Path) -> None:
    with pytest.raises(LocalFileNotFoundError):
        dx.uploadFileToDataStore(
            admin.ids["dataStore"], admin.ids["homeDirectory"], tmp_path / "missing.txt"
        )


def test_upload_error_keeps_the_old_exception_name(
    dx: Driver, admin: Admin, tmp_path: Path
) -> None:
    from avista_dx import FileUploadException

    assert FileUploadException is UploadError
    local = tmp_path / "x.txt"
    local.write_bytes(b"x")
    with pytest.raises(PermissionDeniedError):  # the record creation itself is denied
        dx.uploadFileToDataStore("dataStoreId.does-not-exist", admin.ids["homeDirectory"], local)
