"""Presigned uploads and downloads: names, targets, traversal, rollback, nothing left on failure."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from avista_dx import (
    BadRequestError,
    DownloadError,
    InvalidInputError,
    LocalFileNotFoundError,
    NotFoundError,
    UploadError,
)
from avista_dx._transfers import resolve_download_target, split_file_name

from .conftest import ClientFactory, Driver
from .fake_exchange import TOKEN, FakeExchange, object_response


@pytest.mark.parametrize(
    ("file_name", "name", "extension"),
    [
        ("report.csv", "report", "csv"),
        ("archive.tar.gz", "archive", "tar.gz"),
        ("v1.2.report.csv", "v1", "2.report.csv"),
        ("Makefile", "Makefile", ""),
        (".bashrc", "", "bashrc"),
    ],
)
def test_name_split(file_name: str, name: str, extension: str) -> None:
    assert split_file_name(file_name) == (name, extension)


@pytest.mark.parametrize(
    ("local_name", "given", "sent"),
    [
        ("archive.tar.gz", None, ("archive", "tar.gz")),
        ("Makefile", None, ("Makefile", "")),
        (".bashrc", None, ("", "bashrc")),
        ("local.bin", 'it\'s "quoted".txt', ('it\'s "quoted"', "txt")),
    ],
)
def test_upload_sends_the_split_name_and_streams_the_bytes(
    dx: Driver, fake: FakeExchange, tmp_path: Path, local_name: str, given: str | None, sent
) -> None:
    local = tmp_path / local_name
    local.write_bytes(b"0123456789" * 1000)
    result = dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local), given)
    create = next(r for r in fake.requests if r.operation == "storage_createDataStoreFile")
    assert (create.variables["name"], create.variables["fileExtension"]) == sent
    assert "description" not in create.variables  # omitted, never null
    assert fake.blobs[result.dataStoreFileId] == local.read_bytes()
    put = fake.s3_requests[-1]
    assert put.method == "PUT"
    assert "authorization" not in put.headers
    assert put.headers["content-length"] == "10000"
    assert "transfer-encoding" not in put.headers
    assert result.storageSizeBytes == 10000


def test_upload_reports_progress(dx: Driver, tmp_path: Path) -> None:
    local = tmp_path / "data.bin"
    local.write_bytes(b"x" * 2500)
    calls: list[tuple[int, int | None]] = []
    dx.uploadFileToDataStore(
        "dataStoreId.1", "dir.home", local, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, 2500)
    assert calls[-1] == (2500, 2500)


def test_a_name_the_server_rejects_creates_nothing(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    local = tmp_path / "ok.txt"
    local.write_bytes(b"x")
    before = set(fake.files)
    with pytest.raises(BadRequestError, match="control characters"):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local), "line\nbreak.txt")
    assert set(fake.files) == before


@pytest.mark.parametrize("missing", ["nope.txt", "."])
def test_missing_local_file_fails_before_any_request(
    dx: Driver, fake: FakeExchange, tmp_path: Path, missing: str
) -> None:
    with pytest.raises(LocalFileNotFoundError) as caught:
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(tmp_path / missing))
    assert isinstance(caught.value, FileNotFoundError)  # also the builtin, for old callers
    assert fake.requests == []


def test_failed_put_is_rolled_back(dx: Driver, fake: FakeExchange, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    before = set(fake.files)
    fake.s3_faults.append(lambda request: httpx.Response(403, text="<Error>Expired</Error>"))
    with pytest.raises(UploadError, match="HTTP 403") as caught:
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert caught.value.rollback_error is None
    assert set(fake.files) == before
    assert fake.requests[-1].operation == "storage_deleteDataStoreFile"


def test_interrupted_put_is_rolled_back(
    make_dx: ClientFactory, fake: FakeExchange, tmp_path: Path
) -> None:
    dx = make_dx(max_retries=0)
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    before = set(fake.files)

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.WriteError("broken pipe", request=request)

    fake.s3_faults.append(reset)
    with pytest.raises(UploadError, match=r"WriteError|broken pipe"):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert set(fake.files) == before


def test_failed_rollback_is_attached_not_hiding_the_cause(
    make_dx: ClientFactory, fake: FakeExchange, tmp_path: Path
) -> None:
    dx = make_dx(max_retries=0)
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    fake.s3_faults.append(lambda request: httpx.Response(500, text="<Error/>"))
    fake.faults += [lambda request: None, lambda request: httpx.Response(400, text="no")]
    with pytest.raises(UploadError, match="HTTP 500") as caught:
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert isinstance(caught.value.rollback_error, BadRequestError)
    assert "rollback failed" in str(caught.value)


def test_a_null_upload_url_is_rolled_back(dx: Driver, fake: FakeExchange, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    before = set(fake.files)

    def no_url(request: httpx.Request) -> httpx.Response:
        response = fake._graphql(request)
        body = response.json()
        body["data"]["storage_createDataStoreFile"]["url"] = None
        return httpx.Response(200, json=body)

    fake.faults.append(no_url)
    with pytest.raises(UploadError, match="no upload URL"):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert set(fake.files) == before


def test_download_into_a_directory_uses_the_cloud_name(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    meta = dx.downloadDataStoreFile("file.1", str(tmp_path))
    assert meta.fileName == "report.csv"
    assert (tmp_path / "report.csv").read_bytes() == b"a,b\n1,2\n"
    assert os.listdir(tmp_path) == ["report.csv"]
    get = fake.s3_requests[-1]
    assert get.method == "GET"
    assert "authorization" not in get.headers


def test_download_replaces_an_existing_file_and_reports_progress(
    dx: Driver, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    calls: list[tuple[int, int | None]] = []
    dx.downloadDataStoreFile("file.1", target, progress=lambda d, t: calls.append((d, t)))
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert calls[0] == (0, 8)
    assert calls[-1] == (8, 8)


def test_download_into_a_missing_directory_fails_before_the_get(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError):
        dx.downloadDataStoreFile("file.1", str(tmp_path / "missing" / "x.csv"))
    assert fake.s3_requests == []


@pytest.mark.parametrize(
    ("name", "extension", "local"),
    [
        ("..", "", None),
        ("../../etc/passwd", "", "passwd"),
        ("..\\..\\evil", "txt", "evil.txt"),
        ("/abs/path", "txt", "path.txt"),
        ("", "", None),
        ("a\x00b", "", None),
        ('line\nbreak "quoted"', "t'xt", 'line\nbreak "quoted".t\'xt'),
    ],
)
def test_server_names_never_escape_the_directory(
    dx: Driver, fake: FakeExchange, tmp_path: Path, name: str, extension: str, local: str | None
) -> None:
    target_dir = tmp_path / "inside"
    target_dir.mkdir()
    fake.files["file.1"].update(name=name, fileExtension=extension)
    if local is None:
        with pytest.raises(DownloadError):
            dx.downloadDataStoreFile("file.1", str(target_dir))
        assert fake.s3_requests == []
    else:
        dx.downloadDataStoreFile("file.1", str(target_dir))
        assert os.listdir(target_dir) == [local]
    assert sorted(os.listdir(tmp_path)) == ["inside"]


def test_resolve_target_keeps_dotted_and_quoted_names(tmp_path: Path) -> None:
    assert resolve_download_target(tmp_path, 'a "b".tar.gz') == tmp_path / 'a "b".tar.gz'


def _assert_nothing_written(directory: Path, expected: list[str]) -> None:
    assert sorted(os.listdir(directory)) == expected  # no target, no temporary file


def test_failed_get_leaves_no_file(dx: Driver, fake: FakeExchange, tmp_path: Path) -> None:
    fake.s3_faults.append(lambda r: httpx.Response(403, text="<Error>AccessDenied</Error>"))
    with pytest.raises(DownloadError, match="HTTP 403"):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    _assert_nothing_written(tmp_path, [])


def test_interrupted_get_leaves_the_old_file_untouched(
    make_dx: ClientFactory, fake: FakeExchange, tmp_path: Path
) -> None:
    dx = make_dx(max_retries=0)
    target = tmp_path / "keep.csv"
    target.write_text("previous")
    fake.s3_faults.append(lambda r: object_response(b"a,b\n1,2\n", fail_after=3))
    with pytest.raises(DownloadError, match="ReadError"):
        dx.downloadDataStoreFile("file.1", str(target))
    assert target.read_text() == "previous"
    _assert_nothing_written(tmp_path, ["keep.csv"])


def test_size_mismatch_with_storage_size_leaves_no_file(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    fake.s3_faults.append(lambda r: object_response(b"short"))
    with pytest.raises(DownloadError, match="expected 8"):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    _assert_nothing_written(tmp_path, [])


def test_presigned_requests_never_carry_the_token_even_from_a_custom_client(
    fake: FakeExchange, tmp_path: Path
) -> None:
    from avista_dx import AvistaDigitalExchange

    http = httpx.Client(
        transport=httpx.MockTransport(fake.handle), headers={"Authorization": TOKEN}
    )
    with AvistaDigitalExchange(
        TOKEN, endpoint="https://exchange.test/graphql", http_client=http
    ) as dx:
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    assert "authorization" not in fake.s3_requests[-1].headers
    assert not http.is_closed  # ours to close, not the SDK's
    http.close()


def test_progress_true_draws_a_tqdm_bar(
    dx: Driver, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    dx.downloadDataStoreFile("file.1", str(tmp_path), progress=True)
    assert "100%" in capsys.readouterr().err


def test_progress_must_be_callable(dx: Driver, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        dx.downloadDataStoreFile("file.1", str(tmp_path), progress="yes")


def test_an_interrupt_during_a_download_leaves_nothing_and_propagates(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    fake.s3_faults.append(interrupt)
    with pytest.raises(KeyboardInterrupt):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    _assert_nothing_written(tmp_path, [])


def test_an_interrupted_upload_is_rolled_back_and_propagates(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    before = set(fake.files)

    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    fake.s3_faults.append(interrupt)
    with pytest.raises(KeyboardInterrupt):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert set(fake.files) == before


def test_a_cancelled_async_upload_still_rolls_back(fake: FakeExchange, tmp_path: Path) -> None:
    import anyio

    from avista_dx import AsyncAvistaDigitalExchange

    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    before = set(fake.files)

    async def slow_s3(request: httpx.Request) -> httpx.Response:
        if request.url.host == "s3.test":
            await anyio.sleep(10)
        return fake.handle(request)

    async def scenario() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(slow_s3))
        dx = AsyncAvistaDigitalExchange(
            TOKEN, endpoint="https://exchange.test/graphql", http_client=http
        )
        with anyio.move_on_after(0.05):
            await dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
        await http.aclose()

    anyio.run(scenario)
    assert set(fake.files) == before
    assert fake.requests[-1].operation == "storage_deleteDataStoreFile"


def test_the_http_client_must_match_the_client_kind() -> None:
    from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, ConfigurationError

    with pytest.raises(ConfigurationError, match="AsyncClient"):
        AsyncAvistaDigitalExchange(TOKEN, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"httpx\.Client"):
        AvistaDigitalExchange(TOKEN, http_client=httpx.AsyncClient())  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["ftp://s3.test/x", "not a url at all", ""])
def test_a_bad_presigned_url_is_a_transfer_error(
    dx: Driver, fake: FakeExchange, tmp_path: Path, url: str
) -> None:
    def bad_url(request: httpx.Request) -> httpx.Response:
        body = fake._graphql(request).json()
        body["data"]["storage_getDataStoreFileDownloadUrl"]["url"] = url or None
        return httpx.Response(200, json=body)

    fake.faults += [lambda request: None, bad_url]  # the metadata, then the URL
    with pytest.raises((DownloadError, NotFoundError)):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    _assert_nothing_written(tmp_path, [])


def test_an_empty_file_round_trips(dx: Driver, fake: FakeExchange, tmp_path: Path) -> None:
    local = tmp_path / "empty.txt"
    local.touch()
    meta = dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert meta.storageSizeBytes == 0
    assert fake.s3_requests[-1].headers["content-length"] == "0"
    out = tmp_path / "out"
    out.mkdir()
    dx.downloadDataStoreFile(meta.dataStoreFileId, str(out))
    assert (out / "empty.txt").read_bytes() == b""


def test_a_transient_get_failure_is_retried_with_a_fresh_url(
    dx: Driver, fake: FakeExchange, tmp_path: Path, sleeps: list[float]
) -> None:
    target = tmp_path / "out.csv"
    calls: list[tuple[int, int | None]] = []
    fake.s3_faults += [
        lambda r: object_response(b"a,b\n1,2\n", fail_after=3),
        lambda r: httpx.Response(503, text="<Error>SlowDown</Error>"),
    ]
    dx.downloadDataStoreFile("file.1", str(target), progress=lambda d, t: calls.append((d, t)))
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert len(sleeps) == 2
    url_requests = [r for r in fake.requests if r.operation.endswith("DownloadUrl")]
    assert len(url_requests) == 3
    assert calls[-1] == (8, 8)
    _assert_nothing_written(tmp_path, ["out.csv"])


def test_a_transient_put_failure_is_retried_without_a_new_record(
    dx: Driver, fake: FakeExchange, tmp_path: Path, sleeps: list[float]
) -> None:
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc" * 1000)
    fake.s3_faults.append(lambda r: httpx.Response(500, text="<Error>InternalError</Error>"))
    meta = dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert fake.blobs[meta.dataStoreFileId] == local.read_bytes()
    assert len(sleeps) == 1
    creates = [r for r in fake.requests if r.operation == "storage_createDataStoreFile"]
    assert len(creates) == 1
    assert [r.method for r in fake.s3_requests] == ["PUT", "PUT"]


def test_a_permanent_storage_error_is_not_retried(
    dx: Driver, fake: FakeExchange, tmp_path: Path, sleeps: list[float]
) -> None:
    fake.s3_faults.append(lambda r: httpx.Response(403, text="<Error>AccessDenied</Error>"))
    with pytest.raises(DownloadError) as caught:
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    assert caught.value.transient is False
    assert sleeps == []


def test_an_upload_failing_after_its_retries_is_transient_and_rolled_back(
    dx: Driver, fake: FakeExchange, tmp_path: Path, sleeps: list[float]
) -> None:
    """Regression: the UploadError raised after the rollback used to drop `transient`."""
    local = tmp_path / "a.txt"
    local.write_bytes(b"abc")
    for _ in range(3):  # the first try and both retries
        fake.s3_faults.append(lambda r: httpx.Response(503, text="<Error>SlowDown</Error>"))
    files_before = set(fake.files)
    with pytest.raises(UploadError) as caught:
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local))
    assert caught.value.transient is True
    assert caught.value.rollback_error is None
    assert len(sleeps) == 2
    assert set(fake.files) == files_before
