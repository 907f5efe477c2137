"""1.2.1's DataStore navigation (cd, ls, pwd, uploadFile, downloadFile, deleteFile,
getWorkingDirectoryPath) and DataStoreDirectory.printContents, sync and async."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from avista_dx import DataStore, InvalidInputError, NotFoundError

from .driver import Driver
from .fake_exchange import FakeExchange


def done(dx: Driver, value: Any) -> Any:
    """A navigation method's result: a coroutine on the async client."""
    return dx.run(value) if dx.is_async else value


def listings(fake: FakeExchange) -> list[str]:
    return [
        r.variables["dataStoreDirectoryId"]
        for r in fake.requests
        if r.operation == "storage_getDataStoreDirectory"
    ]


@pytest.fixture
def tree(fake: FakeExchange) -> FakeExchange:
    fake.add_directory("dir.deep", "dataStoreId.1", "deep", parent="dir.sub")
    fake.add_file("file.sub", "dir.sub", "notes", "txt", b"notes")
    fake.add_file("file.deep", "dir.deep", "data", "json", b"{}")
    return fake


def test_getting_a_store_loads_no_directory(dx: Driver, tree: FakeExchange) -> None:
    store = dx.dataStores.getDataStore("dataStoreId.1")
    assert type(store) is DataStore
    assert store.pwd() == "/"
    assert listings(tree) == []


def test_cd_loads_each_directory_once_and_ls_honours_its_path(
    dx: Driver, tree: FakeExchange
) -> None:
    store = dx.dataStores.getDataStore("dataStoreId.1")
    assert done(dx, store.cd("sub/deep")).directories == []
    assert store.pwd() == "/sub/deep"
    assert store.getWorkingDirectoryPath() == "/sub/deep"
    assert [f.fileName for f in done(dx, store.ls()).files] == ["data.json"]
    assert [f.fileName for f in done(dx, store.ls("..")).files] == ["notes.txt"]
    assert [f.fileName for f in done(dx, store.ls("/")).files] == ["report.csv"]
    done(dx, store.cd(".."))
    assert store.pwd() == "/sub"
    done(dx, store.cd("/"))
    done(dx, store.cd(".."))  # home has no parent: stays home
    assert store.pwd() == "/"
    assert [d.name for d in done(dx, store.ls("sub")).directories] == ["deep"]
    # One request per directory visited, never one per entry.
    assert listings(tree) == ["dir.home", "dir.sub", "dir.deep"]
    done(dx, store.ls("sub", refresh=True))
    assert listings(tree)[-1] == "dir.sub"


def test_a_missing_or_ambiguous_name_is_refused(dx: Driver, tree: FakeExchange) -> None:
    store = dx.dataStores.getDataStore("dataStoreId.1")
    with pytest.raises(NotFoundError, match="no directory 'nope'"):
        done(dx, store.cd("sub/nope"))
    assert store.pwd() == "/"  # unchanged
    tree.add_directory("dir.sub2", "dataStoreId.1", "sub", parent="dir.home")
    done(dx, store.ls(refresh=True))
    with pytest.raises(InvalidInputError, match=r"2 entries are named 'sub'.*dir\.sub2"):
        done(dx, store.cd("sub"))


def test_upload_download_and_delete_in_the_working_directory(
    dx: Driver, tree: FakeExchange, tmp_path: Path
) -> None:
    store = dx.dataStores.getDataStore("dataStoreId.1")
    done(dx, store.cd("sub"))
    local = tmp_path / "exampleFile.json"
    local.write_bytes(b'{"a": 1}')
    uploaded = done(dx, store.uploadFile(local, "remoteFileName.json", "A json object."))
    assert uploaded.dataStoreDirectoryId == "dir.sub"
    assert tree.files[uploaded.dataStoreFileId]["description"] == "A json object."
    assert "remoteFileName.json" in [f.fileName for f in done(dx, store.ls()).files]
    target = tmp_path / "copy.json"
    meta = done(dx, store.downloadFile("remoteFileName.json", target))
    assert meta.dataStoreFileId == uploaded.dataStoreFileId
    assert target.read_bytes() == b'{"a": 1}'
    deleted = done(dx, store.deleteFile("remoteFileName.json"))
    assert deleted.dataStoreFileId not in tree.files
    assert "remoteFileName.json" not in [f.fileName for f in done(dx, store.ls()).files]
    with pytest.raises(NotFoundError, match="no file"):
        done(dx, store.downloadFile("remoteFileName.json", tmp_path))


def test_download_defaults_to_the_current_local_directory(
    dx: Driver, tree: FakeExchange, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = dx.dataStores.getDataStore("dataStoreId.1")
    done(dx, store.downloadFile("report.csv"))
    assert (tmp_path / "report.csv").read_bytes() == b"a,b\n1,2\n"


def test_listed_stores_navigate_too(dx: Driver, tree: FakeExchange) -> None:
    (store, _) = dx.dataStores.listDataStores()
    done(dx, store.cd("sub"))
    assert store.pwd() == "/sub"


def test_a_store_not_from_a_client_cannot_navigate() -> None:
    store = DataStore(dataStoreId="s", name="n", homeDirectoryId="d")
    with pytest.raises(InvalidInputError, match="returned by a client"):
        store.ls()


def test_print_contents_prints_names_and_ids(dx: Driver, tree: FakeExchange) -> None:
    directory = dx.dataStores.getDataStoreDirectory("dir.sub")
    out = io.StringIO()
    directory.printContents(file=out)
    assert out.getvalue().splitlines() == [
        "sub/  (dir.sub)",
        "  deep/  (dir.deep)",
        "  notes.txt  (file.sub)",
    ]


def test_print_contents_defaults_to_stdout(
    dx: Driver, tree: FakeExchange, capsys: pytest.CaptureFixture[str]
) -> None:
    dx.dataStores.getDataStoreDirectory("dir.home").printContents()
    assert "report.csv  (file.1)" in capsys.readouterr().out


def test_an_ambiguous_file_name_names_the_files(dx: Driver, tree: FakeExchange) -> None:
    tree.add_file("file.twin", "dir.home", "report", "csv", b"twin")
    store = dx.dataStores.getDataStore("dataStoreId.1")
    with pytest.raises(InvalidInputError, match=r"\['file\.1', 'file\.twin'\]"):
        done(dx, store.deleteFile("report.csv"))
    assert "file.1" in tree.files
