"""Store paths and directory transfers end to end (sync and async, the session's emulator):
resolve, walk, mkdir, upload_dir / download_dir round trips, sync and its request count,
dry runs, duplicate names; and the transfer options (bytes, file objects, content types,
modes, `downloads/`)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sdk.driver import Driver

from avista_dx import (
    AmbiguousPathError,
    AsyncAvistaDigitalExchange,
    AvistaDigitalExchange,
    DataStoreDirectory,
    DataStoreFile,
    PathExistsError,
    PathNotFoundError,
    PathTypeError,
    TreeProgress,
    UploadError,
)
from avista_dx.emulator.runner import EmulatorHandle

from .conftest import ClientFactory, unique
from .test_e2e_retries import Injector

# relative path -> bytes: 5 directories below the root (a, a/b, a/b/c, d, e), 6 files.
TREE = {
    "top.csv": b"a,b\n1,2\n",
    "a/one.json": b'{"x": 1}',
    "a/b/two.txt": b"two",
    "a/b/c/three.bin": os.urandom(3000),
    "a/b/c/archive.tar.gz": b"\x1f\x8b" + os.urandom(100),
    "d/empty.dat": b"",
}
EMPTY_DIRECTORIES = ("e",)
TREE_DIRECTORIES = 1 + 5  # the root and the directories below it


class Counted:
    """A client whose GraphQL requests are counted by an httpx event hook."""

    def __init__(self, driver: Driver, graphql_url: str) -> None:
        self.driver = driver
        self.requests: list[httpx.Request] = []
        self._url = graphql_url

    def record(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def graphql_operations(self) -> list[str]:
        operations = []
        for request in self.requests:
            if str(request.url) == self._url:
                query = json.loads(request.content)["query"]
                operations.append(query.split("(")[0].split("{")[0].split()[-1])
        return operations

    def reset(self) -> None:
        self.requests.clear()


@pytest.fixture(params=["sync", "async"])
def counted(request: pytest.FixtureRequest, dx_emulator: EmulatorHandle) -> Iterator[Counted]:
    options: dict[str, Any] = {"token": dx_emulator.tokens["owner"], "endpoint": dx_emulator.url}
    if request.param == "sync":
        http = httpx.Client(timeout=30)
        client = AvistaDigitalExchange(http_client=http, **options)
        counted = Counted(Driver(client, None), dx_emulator.url)
        http.event_hooks["request"] = [counted.record]
        yield counted
        http.close()
        return
    loop = asyncio.new_event_loop()
    http_async = httpx.AsyncClient(timeout=30)
    client = AsyncAvistaDigitalExchange(http_client=http_async, **options)
    counted = Counted(Driver(client, loop), dx_emulator.url)

    async def record(sent: httpx.Request) -> None:
        counted.record(sent)

    http_async.event_hooks["request"] = [record]
    yield counted
    loop.run_until_complete(http_async.aclose())
    loop.close()


@pytest.fixture
def dx(counted: Counted) -> Driver:
    return counted.driver


def new_store(dx: Driver) -> str:
    name = unique("paths store")
    dx.dataStores.createDataStore(name)
    return name


def write_tree(root: Path) -> None:
    for relative, content in TREE.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    for relative in EMPTY_DIRECTORIES:
        (root / relative).mkdir(parents=True, exist_ok=True)


def local_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def remote_view(dx: Driver, path: str) -> list[tuple[str, list[str], list[str]]]:
    return [
        (where, sorted(d.name for d in dirs), sorted(f.fileName for f in files))
        for where, dirs, files in dx.dataStores.walk(path)
    ]


def test_resolve_follows_the_demo_path_with_or_without_the_home_name(dx: Driver) -> None:
    found = dx.dataStores.resolve("Demo data store/Home/readings/2024/january.csv")
    assert isinstance(found, DataStoreFile)
    assert found.fileName == "january.csv"
    same = dx.dataStores.resolve("Demo data store/readings/2024/january.csv")
    assert same.dataStoreFileId == found.dataStoreFileId
    by_ids = dx.dataStores.resolve(f"{found.dataStoreId}/readings/{found.dataStoreDirectoryId}")
    assert isinstance(by_ids, DataStoreDirectory)
    assert "january.csv" in [f.fileName for f in by_ids.files]
    with pytest.raises(PathNotFoundError) as missing:
        dx.dataStores.resolve("Demo data store/readings/2023/january.csv")
    assert (missing.value.missing, missing.value.parent) == ("2023", "Demo data store/readings")
    with pytest.raises(PathTypeError):
        dx.dataStores.resolve("Demo data store/readings/2024/january.csv/")
    with pytest.raises(PathNotFoundError):
        dx.dataStores.resolve("No such store/readings")


def test_mkdir_has_os_makedirs_semantics(dx: Driver) -> None:
    store = new_store(dx)
    with pytest.raises(PathNotFoundError):
        dx.dataStores.mkdir(f"{store}/x/y")
    made = dx.dataStores.mkdir(f"{store}/x/y", parents=True)
    assert made.name == "y"
    with pytest.raises(PathExistsError):
        dx.dataStores.mkdir(f"{store}/x/y")
    again = dx.dataStores.mkdir(f"{store}/x/y", exist_ok=True)
    assert again.dataStoreDirectoryId == made.dataStoreDirectoryId
    assert dx.dataStores.mkdir(f"{store}/x/z").parentDirectoryId == made.parentDirectoryId
    assert remote_view(dx, store)[1:] == [
        (f"{store}/x", ["y", "z"], []),
        (f"{store}/x/y", [], []),
        (f"{store}/x/z", [], []),
    ]


def test_a_tree_round_trips_byte_for_byte(dx: Driver, counted: Counted, tmp_path: Path) -> None:
    store = new_store(dx)
    write_tree(tmp_path / "src")
    progress: list[TreeProgress] = []
    plan = dx.dataStores.upload_dir(
        tmp_path / "src", f"{store}/Home/data", progress=progress.append
    )
    assert plan.create_root
    assert sorted(t.relative for t in plan.transfers) == sorted(TREE)
    assert [p.files_done for p in sorted(progress, key=lambda p: p.files_done)] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert progress[-1].bytes_total == sum(len(c) for c in TREE.values())
    tgz = dx.dataStores.resolve(f"{store}/data/a/b/c/archive.tar.gz")
    assert tgz.contentType == "application/gzip"
    assert dx.dataStores.resolve(f"{store}/data/top.csv").contentType == "text/csv"

    counted.reset()
    plan = dx.dataStores.download_dir(f"{store}/data", tmp_path / "copy" / "nested")
    assert local_files(tmp_path / "copy" / "nested") == TREE
    assert (tmp_path / "copy" / "nested" / "e").is_dir()
    operations = counted.graphql_operations()
    listings = operations.count("storage_getDataStoreDirectory")
    assert listings == TREE_DIRECTORIES + 1  # the tree and home
    assert operations.count("storage_getDataStoreFileDownloadUrl") == len(TREE)
    assert len(operations) == 1 + listings + len(TREE)  # + the store lookup; nothing per file
    # A second download replaces every file in place.
    (tmp_path / "copy" / "nested" / "top.csv").write_bytes(b"local edit")
    plan = dx.dataStores.download_dir(f"{store}/data", tmp_path / "copy" / "nested")
    assert {t.reason for t in plan.transfers} == {"replace"}
    assert local_files(tmp_path / "copy" / "nested") == TREE


def test_sync_skips_unchanged_files_in_o_directories_requests(
    dx: Driver, counted: Counted, tmp_path: Path
) -> None:
    store = new_store(dx)
    src = tmp_path / "src"
    write_tree(src)
    dx.dataStores.sync(src, f"{store}/data", direction="upload")

    counted.reset()
    plan = dx.dataStores.sync(src, f"{store}/data", direction="upload")
    assert plan.transfers == ()
    assert sorted(plan.unchanged) == sorted(TREE)
    operations = counted.graphql_operations()
    assert operations.count("storage_getDataStoreDirectory") == TREE_DIRECTORIES + 1
    assert len(operations) == TREE_DIRECTORIES + 2  # + the store lookup
    assert counted.requests
    assert all(str(r.url) == str(counted.requests[0].url) for r in counted.requests)

    (src / "a/b/two.txt").write_bytes(b"two, longer now")
    (src / "d/new.txt").write_bytes(b"new")
    plan = dx.dataStores.sync(src, f"{store}/data", direction="upload")
    assert [(t.relative, t.reason) for t in plan.transfers] == [
        ("a/b/two.txt", "changed"),
        ("d/new.txt", "new"),
    ]
    two = dx.dataStores.resolve(f"{store}/data/a/b")
    assert [f.fileName for f in two.files] == ["two.txt"]  # replaced, not duplicated
    assert (
        dx.downloadDataStoreFile(two.files[0].dataStoreFileId, io.BytesIO()).storageSizeBytes == 15
    )

    counted.reset()
    down = tmp_path / "down"
    dx.dataStores.sync(down, f"{store}/data", direction="download")
    assert local_files(down) == local_files(src)
    counted.reset()
    plan = dx.dataStores.sync(down, f"{store}/data", direction="download")
    assert plan.transfers == ()
    assert len(counted.graphql_operations()) == TREE_DIRECTORIES + 2


def test_dry_run_changes_nothing_and_delete_removes_extraneous_entries(
    dx: Driver, tmp_path: Path
) -> None:
    store = new_store(dx)
    src = tmp_path / "src"
    write_tree(src)
    dx.dataStores.upload_dir(src, f"{store}/data")
    (src / "a/b/two.txt").unlink()
    (src / "a/b/c/three.bin").unlink()
    (src / "a/b/c/archive.tar.gz").unlink()
    (src / "a/b/c").rmdir()
    before = remote_view(dx, f"{store}/data")

    plan = dx.dataStores.sync(src, f"{store}/data", direction="upload", delete=True, dry_run=True)
    assert plan.dry_run
    assert [d.relative for d in plan.delete_files] == [
        "a/b/c/archive.tar.gz",
        "a/b/c/three.bin",
        "a/b/two.txt",
    ]
    assert [d.relative for d in plan.delete_directories] == ["a/b/c"]
    assert remote_view(dx, f"{store}/data") == before
    local_before = local_files(tmp_path)
    dry_down = dx.dataStores.sync(
        tmp_path / "elsewhere", f"{store}/data", direction="download", dry_run=True
    )
    assert dry_down.create_root
    assert len(dry_down.transfers) == len(TREE)
    assert local_files(tmp_path) == local_before
    assert not (tmp_path / "elsewhere").exists()

    dx.dataStores.sync(src, f"{store}/data", direction="upload", delete=True)
    assert remote_view(dx, f"{store}/data") == [
        (f"{store}/data", ["a", "d", "e"], ["top.csv"]),
        (f"{store}/data/a", ["b"], ["one.json"]),
        (f"{store}/data/a/b", [], []),
        (f"{store}/data/d", [], ["empty.dat"]),
        (f"{store}/data/e", [], []),
    ]
    mirror = tmp_path / "mirror"
    write_tree(mirror)
    dx.dataStores.sync(mirror, f"{store}/data", direction="download", delete=True)
    assert local_files(mirror) == local_files(src)
    assert not (mirror / "a/b/c").exists()


def test_duplicate_names_are_ambiguous_and_addressable_by_id(dx: Driver, tmp_path: Path) -> None:
    store = new_store(dx)
    home = dx.dataStores.resolve(store)
    assert isinstance(home, DataStoreDirectory)
    store_id, home_id = home.dataStoreId, home.dataStoreDirectoryId
    # The exchange allows several files of one name, and a file named like a directory.
    first = dx.uploadFileToDataStore(store_id, home_id, b"first", "f.txt")
    second = dx.uploadFileToDataStore(store_id, home_id, b"second", "f.txt")
    directory = dx.dataStores.createDataStoreDirectory(store_id, home_id, "x")
    file_x = dx.uploadFileToDataStore(store_id, home_id, b"a file named x", "x")
    with pytest.raises(AmbiguousPathError) as ambiguous:
        dx.dataStores.resolve(f"{store}/f.txt")
    assert ambiguous.value.ids == [first.dataStoreFileId, second.dataStoreFileId]
    assert ambiguous.value.name == "f.txt"
    with pytest.raises(AmbiguousPathError) as ambiguous:
        dx.dataStores.resolve(f"{store}/x/")
    assert ambiguous.value.ids == [directory.dataStoreDirectoryId, file_x.dataStoreFileId]
    found = dx.dataStores.resolve(f"{store}/{second.dataStoreFileId}")
    assert isinstance(found, DataStoreFile)
    sink = io.BytesIO()
    dx.downloadDataStoreFile(found.dataStoreFileId, sink)
    assert sink.getvalue() == b"second"
    walked = [where for where, _, _ in dx.dataStores.walk(store)]
    assert walked == [store, f"{store}/{directory.dataStoreDirectoryId}"]
    with pytest.raises(AmbiguousPathError):
        dx.dataStores.download_dir(store, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(AmbiguousPathError):
        dx.dataStores.mkdir(f"{store}/x/y", parents=True)
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "g.txt").write_bytes(b"g")
    with pytest.raises(AmbiguousPathError):
        dx.dataStores.upload_dir(tmp_path / "up", store)
    assert [f.fileName for f in dx.dataStores.resolve(store).files].count("g.txt") == 0


def test_bytes_and_file_objects_go_both_ways_with_content_types(dx: Driver, tmp_path: Path) -> None:
    store = new_store(dx)
    home = dx.dataStores.resolve(store)
    store_id, home_id = home.dataStoreId, home.dataStoreDirectoryId
    from_bytes = dx.uploadFileToDataStore(store_id, home_id, b"a,b\n", "table.csv")
    assert from_bytes.contentType == "text/csv"
    assert from_bytes.storageSizeBytes == 4
    stream = io.BytesIO(b"skipped|payload")
    stream.seek(8)
    from_stream = dx.uploadFileToDataStore(
        store_id, home_id, stream, "notes", content_type="text/markdown; charset=utf-8"
    )
    assert from_stream.contentType == "text/markdown; charset=utf-8"
    with (tmp_path / "local.json").open("wb") as handle:
        handle.write(b"{}")
    with (tmp_path / "local.json").open("rb") as handle:
        named = dx.uploadFileToDataStore(store_id, home_id, handle)
    assert (named.fileName, named.contentType) == ("local.json", "application/json")
    sink = io.BytesIO()
    dx.downloadDataStoreFile(from_stream.dataStoreFileId, sink)
    assert sink.getvalue() == b"payload"
    assert not sink.closed


def test_downloads_get_the_umask_mode_and_a_trailing_separator_means_a_directory(
    dx: Driver, tmp_path: Path
) -> None:
    store = new_store(dx)
    home = dx.dataStores.resolve(store)
    uploaded = dx.uploadFileToDataStore(
        home.dataStoreId, home.dataStoreDirectoryId, b"report", "report.txt"
    )
    previous = os.umask(0o027)
    try:
        returned = dx.downloadDataStoreFile(
            uploaded.dataStoreFileId, str(tmp_path / "downloads" / "2024") + "/"
        )
    finally:
        os.umask(previous)
    written = tmp_path / "downloads" / "2024" / "report.txt"
    assert written.read_bytes() == b"report"
    assert returned.fileName == "report.txt"
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert [p.name for p in written.parent.iterdir()] == ["report.txt"]  # no temporary left
    store_object = dx.dataStores.getDataStore(home.dataStoreId)
    downloaded = store_object.downloadFile("report.txt", str(tmp_path / "nav") + os.sep)
    if dx.is_async:
        downloaded = dx.run(downloaded)
    assert (tmp_path / "nav" / "report.txt").read_bytes() == b"report"


def test_checksum_finds_a_same_size_edit_that_times_miss(
    dx: Driver, counted: Counted, tmp_path: Path
) -> None:
    store = new_store(dx)
    src = tmp_path / "src"
    write_tree(src)
    dx.dataStores.upload_dir(src, f"{store}/data")
    edited = src / "a/b/two.txt"
    before = edited.stat()
    edited.write_bytes(b"TWO")  # same size, and the old time put back
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert dx.dataStores.sync(src, f"{store}/data", direction="upload").transfers == ()

    counted.reset()
    plan = dx.dataStores.sync(src, f"{store}/data", direction="upload", checksum=True)
    assert [(t.relative, t.reason) for t in plan.transfers] == [("a/b/two.txt", "changed")]
    same_size = len([c for c in TREE.values() if c])  # the empty file needs no checksum
    operations = counted.graphql_operations()
    assert operations.count("storage_getDataStoreFileDownloadUrl") == same_size
    sink = io.BytesIO()
    dx.downloadDataStoreFile(
        dx.dataStores.resolve(f"{store}/data/a/b/two.txt").dataStoreFileId, sink
    )
    assert sink.getvalue() == b"TWO"
    plan = dx.dataStores.sync(src, f"{store}/data", direction="upload", checksum=True)
    assert plan.transfers == ()


def test_a_failed_transfer_raises_its_own_error_and_the_rest_can_be_finished(
    make_dx: ClientFactory, tmp_path: Path
) -> None:
    faulty = make_dx(transport=Injector("PUT", 403), max_retries=0)
    store = new_store(faulty)
    src = tmp_path / "src"
    write_tree(src)
    with pytest.raises(UploadError):  # the error itself, not an exception group
        faulty.dataStores.upload_dir(src, f"{store}/data", concurrency=2)
    plan = faulty.dataStores.sync(src, f"{store}/data", direction="upload")
    assert plan.transfers  # the failed file (rolled back) and those not started
    assert all(t.reason == "new" for t in plan.transfers)
    assert sorted([*plan.unchanged, *(t.relative for t in plan.transfers)]) == sorted(TREE)
    copy = tmp_path / "copy"
    faulty.dataStores.download_dir(f"{store}/data", copy)
    assert local_files(copy) == TREE
