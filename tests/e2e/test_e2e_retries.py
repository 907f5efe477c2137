"""Retries against the emulator: a transport in front of the real one injects one fault
(503, 429, refused connection, read timeout after the emulator acted, truncated body) into a
chosen request, and the SDK's decision is checked against what the emulator then holds.

Injected responses carry `Retry-After: 0` (the SDK honours it) so the suite does not sleep.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sdk.driver import Driver

from avista_dx import (
    APITimeoutError,
    AuthenticationError,
    DownloadError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TimeSeriesDb,
    UploadError,
    record_from_values,
)

from .conftest import Admin, ClientFactory

NO_WAIT = {"Retry-After": "0"}


def operation_of(request: httpx.Request) -> str:
    """The GraphQL operation of a POST, or the method for presigned transfers."""
    if request.method != "POST":
        return request.method
    name: str = json.loads(request.content).get("operationName") or "?"
    return name


@dataclass
class Injector(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Forwards to real transports, except for the first `times` requests of `operation`,
    which get `fault`: an HTTP status (not forwarded), "refuse" (connection refused, not
    forwarded), "timeout-after" (forwarded, then the response is lost), "truncate" (not
    forwarded, a cut JSON body) or "cut" (forwarded, the body breaks off after `CUT_AFTER`
    bytes)."""

    operation: str
    fault: int | str
    times: int = 1
    headers: dict[str, str] = field(default_factory=lambda: dict(NO_WAIT))
    seen: list[tuple[str, bool]] = field(default_factory=list)  # (operation, faulted)

    def __post_init__(self) -> None:
        self._sync = httpx.HTTPTransport()
        self._async = httpx.AsyncHTTPTransport()

    def attempts(self, operation: str) -> int:
        return sum(1 for name, _ in self.seen if name == operation)

    def _should_fault(self, request: httpx.Request) -> bool:
        name = operation_of(request)
        faulted = name == self.operation and self.times > 0
        if faulted:
            self.times -= 1
        self.seen.append((name, faulted))
        return faulted

    def _instead(self, request: httpx.Request) -> httpx.Response:
        if self.fault == "refuse":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if self.fault == "truncate":
            return httpx.Response(200, content=b'{"data": {"storage_get', request=request)
        assert isinstance(self.fault, int)
        return httpx.Response(self.fault, headers=self.headers, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self._should_fault(request):
            return self._sync.handle_request(request)
        if self.fault == "cut":
            response = self._sync.handle_request(request)
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=CutStream(response, request),
                request=request,
            )
        if self.fault == "timeout-after":
            response = self._sync.handle_request(request)
            response.read()
            response.close()
            raise httpx.ReadTimeout("injected: response lost", request=request)
        return self._instead(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._should_fault(request):
            return await self._async.handle_async_request(request)
        if self.fault == "cut":
            response = await self._async.handle_async_request(request)
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=CutStream(response, request),
                request=request,
            )
        if self.fault == "timeout-after":
            response = await self._async.handle_async_request(request)
            await response.aread()
            await response.aclose()
            raise httpx.ReadTimeout("injected: response lost", request=request)
        return self._instead(request)

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        await self._async.aclose()


CUT_AFTER = 64 * 1024


class CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The real body up to `CUT_AFTER` bytes, then a broken connection."""

    def __init__(self, response: httpx.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._response.stream:  # type: ignore[union-attr]
            if sent + len(chunk) > CUT_AFTER:
                yield chunk[: CUT_AFTER - sent]
                raise httpx.ReadError("injected: connection reset", request=self._request)
            sent += len(chunk)
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        async for chunk in self._response.stream:  # type: ignore[union-attr]
            if sent + len(chunk) > CUT_AFTER:
                yield chunk[: CUT_AFTER - sent]
                raise httpx.ReadError("injected: connection reset", request=self._request)
            sent += len(chunk)
            yield chunk

    def close(self) -> None:
        self._response.close()

    async def aclose(self) -> None:
        await self._response.aclose()


@pytest.fixture
def database(admin: Admin, dx: Driver) -> TimeSeriesDb:
    db: TimeSeriesDb = dx.getTimeSeriesDatabase(admin.create_database()["timeSeriesDbId"])
    return db


def count(dx: Driver, db: TimeSeriesDb) -> int:
    page = dx.queryTimeSeriesDatabase(
        db.timeSeriesDbId, f'SELECT count(*) AS n FROM "{db.databaseName}"."{db.tableName}"'
    )
    return int(next(page.rows())["n"])


def one_record(value: float = 1.0) -> list[object]:
    return [record_from_values(time.time_ns() // 1_000_000 - 1000, {"v": value})]


@pytest.mark.parametrize("fault", [503, 502, 429, "refuse", "timeout-after", "truncate"])
def test_a_query_is_retried_after_any_transient_fault(
    make_dx: ClientFactory, admin: Admin, fault: int | str
) -> None:
    injector = Injector("storage_getDataStore", fault)
    dx = make_dx(transport=injector)
    assert dx.getDataStore(admin.ids["dataStore"]).dataStoreId == admin.ids["dataStore"]
    assert injector.attempts("storage_getDataStore") == 2


def test_backoff_without_retry_after(make_dx: ClientFactory, admin: Admin) -> None:
    injector = Injector("user_getUserSession", 503, headers={})
    dx = make_dx(transport=injector)
    started = time.perf_counter()
    assert dx.getUserInfo().userId == admin.ids["owner"]
    assert time.perf_counter() - started >= 0.3  # jittered 0.375-0.5 s first back-off
    assert injector.attempts("user_getUserSession") == 2


def test_retries_give_up_after_max_retries(make_dx: ClientFactory, admin: Admin) -> None:
    injector = Injector("storage_getDataStore", 503, times=10)
    dx = make_dx(transport=injector, max_retries=2)
    with pytest.raises(ServerError) as caught:
        dx.getDataStore(admin.ids["dataStore"])
    assert caught.value.status_code == 503
    assert injector.attempts("storage_getDataStore") == 3


def test_max_retries_zero_disables_retries(make_dx: ClientFactory, admin: Admin) -> None:
    injector = Injector("storage_getDataStore", 503)
    dx = make_dx(transport=injector, max_retries=0)
    with pytest.raises(ServerError):
        dx.getDataStore(admin.ids["dataStore"])
    assert injector.attempts("storage_getDataStore") == 1


@pytest.mark.parametrize("fault", [429, "refuse"])
def test_a_publish_is_retried_when_it_certainly_was_not_executed(
    make_dx: ClientFactory, dx: Driver, database: TimeSeriesDb, fault: int | str
) -> None:
    injector = Injector("timeSeriesDb_publishToDatabase", fault)
    publisher = make_dx(transport=injector)
    publisher.publishToTimeSeriesDatabase(database.timeSeriesDbId, "a", one_record())
    assert injector.attempts("timeSeriesDb_publishToDatabase") == 2
    assert count(dx, database) == 1


@pytest.mark.parametrize(
    ("fault", "error", "written"),
    [(503, ServerError, 0), ("timeout-after", APITimeoutError, 1)],
)
def test_a_publish_is_never_retried_blindly(
    make_dx: ClientFactory,
    dx: Driver,
    database: TimeSeriesDb,
    fault: int | str,
    error: type[Exception],
    written: int,
) -> None:
    """A 503 or a lost response may follow an executed publish: the SDK raises instead of
    risking a duplicate. (Here the 503 was injected before the emulator, the timeout after
    it wrote: the caller learns which by querying.)"""
    injector = Injector("timeSeriesDb_publishToDatabase", fault)
    publisher = make_dx(transport=injector)
    with pytest.raises(error):
        publisher.publishToTimeSeriesDatabase(database.timeSeriesDbId, "a", one_record())
    assert injector.attempts("timeSeriesDb_publishToDatabase") == 1
    assert count(dx, database) == written


def test_rate_limited_publish_surfaces_after_retries(
    make_dx: ClientFactory, dx: Driver, database: TimeSeriesDb
) -> None:
    injector = Injector("timeSeriesDb_publishToDatabase", 429, times=5)
    publisher = make_dx(transport=injector, max_retries=1)
    with pytest.raises(RateLimitError):
        publisher.publishToTimeSeriesDatabase(database.timeSeriesDbId, "a", one_record())
    assert count(dx, database) == 0


# "timeout-after": the first PUT is stored, then its answer is lost; the retry PUTs the same URL
# again, which S3 (and the emulator) accept until the URL expires, the last write winning.
@pytest.mark.parametrize("fault", [503, "refuse", "timeout-after"])
def test_an_upload_put_is_retried_to_the_same_url(
    make_dx: ClientFactory, admin: Admin, tmp_path: Path, fault: int | str
) -> None:
    injector = Injector("PUT", fault)
    dx = make_dx(transport=injector)
    local = tmp_path / "retried.bin"
    local.write_bytes(b"\x00\x01" * 100_000)
    directory = admin.scratch_directory()
    meta = dx.uploadFileToDataStore(admin.ids["dataStore"], directory, local)
    assert injector.attempts("PUT") == 2
    assert injector.attempts("storage_createDataStoreFile") == 1  # never duplicated
    files = dx.getDataStoreDirectory(directory).files
    assert [f.dataStoreFileId for f in files] == [meta.dataStoreFileId]
    assert files[0].storageSizeBytes == 200_000
    assert files[0].s3ConfirmedUpload is True
    out = tmp_path / "back.bin"
    dx.downloadDataStoreFile(meta.dataStoreFileId, out)
    assert out.read_bytes() == local.read_bytes()


def test_a_failed_upload_is_rolled_back(
    make_dx: ClientFactory, admin: Admin, tmp_path: Path
) -> None:
    injector = Injector("PUT", 503, times=10)
    dx = make_dx(transport=injector, max_retries=1)
    local = tmp_path / "doomed.txt"
    local.write_bytes(b"x")
    directory = admin.scratch_directory()
    with pytest.raises(UploadError) as caught:
        dx.uploadFileToDataStore(admin.ids["dataStore"], directory, local)
    assert caught.value.transient
    assert caught.value.rollback_error is None
    assert injector.attempts("storage_deleteDataStoreFile") == 1
    assert dx.getDataStoreDirectory(directory).files == []


@pytest.mark.parametrize("fault", [503, "refuse"])
def test_a_download_is_retried_with_a_fresh_url(
    make_dx: ClientFactory, admin: Admin, tmp_path: Path, fault: int | str
) -> None:
    injector = Injector("GET", fault)
    dx = make_dx(transport=injector)
    dx.downloadDataStoreFile(admin.ids["file:README.md"], tmp_path)
    assert injector.attempts("GET") == 2
    assert injector.attempts("storage_getDataStoreFileDownloadUrl") == 2
    assert (tmp_path / "README.md").read_bytes().startswith(b"# Demo data store")
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]


def test_a_denial_is_not_retried(make_dx: ClientFactory) -> None:
    injector = Injector("none", 503)  # forwards everything: the emulator's own answer
    dx = make_dx(transport=injector, max_retries=3)
    with pytest.raises(PermissionDeniedError):
        dx.getDataStore("dataStoreId.does-not-exist")
    assert injector.attempts("storage_getDataStore") == 1


def test_a_bad_token_is_not_retried(make_dx: ClientFactory) -> None:
    injector = Injector("none", 503)
    dx = make_dx("not-a-token", transport=injector, max_retries=3)
    with pytest.raises(AuthenticationError):
        dx.listDataStores()
    assert injector.attempts("storage_listDataStores") == 1


def test_an_interrupted_download_leaves_nothing_then_a_retry_completes(
    make_dx: ClientFactory, admin: Admin, tmp_path: Path
) -> None:
    payload = bytes(range(256)) * 2048  # 512 KiB: the cut comes well before the end
    source = tmp_path / "source.bin"
    source.write_bytes(payload)
    owner = make_dx()
    file_id = owner.uploadFileToDataStore(
        admin.ids["dataStore"], admin.scratch_directory(), source
    ).dataStoreFileId
    target = tmp_path / "target"
    target.mkdir()

    cut_once = Injector("GET", "cut", times=2)
    without_retries = make_dx(transport=cut_once, max_retries=0)
    with pytest.raises(DownloadError) as caught:
        without_retries.downloadDataStoreFile(file_id, target)
    assert caught.value.transient
    assert list(target.iterdir()) == []  # no partial file, no temporary file

    with_retries = make_dx(transport=cut_once)  # the second cut, then a whole body
    with_retries.downloadDataStoreFile(file_id, target)
    assert cut_once.attempts("GET") == 3
    assert (target / "source.bin").read_bytes() == payload
    assert [p.name for p in target.iterdir()] == ["source.bin"]
