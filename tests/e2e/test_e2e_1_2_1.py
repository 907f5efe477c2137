"""1.2.1's data-store navigation and the raw door, end to end against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sdk.driver import Driver

from avista_dx import InvalidInputError, NotFoundError, PermissionDeniedError

from .conftest import Admin, ClientFactory


def done(dx: Driver, value: Any) -> Any:
    return dx.run(value) if dx.is_async else value


def test_navigation_creates_nothing_and_walks_lazily(
    dx: Driver, admin: Admin, tmp_path: Path
) -> None:
    store_ids = admin.create_data_store()
    store_id, home = store_ids["dataStoreId"], store_ids["homeDirectoryId"]
    docs = admin.create_directory(store_id, home, "docs")
    admin.create_directory(store_id, docs, "2024")
    store = dx.dataStores.getDataStore(store_id)
    assert store.pwd() == "/"
    assert [d.name for d in done(dx, store.ls()).directories] == ["docs"]
    done(dx, store.cd("docs/2024"))
    assert store.getWorkingDirectoryPath() == "/docs/2024"
    local = tmp_path / "exampleFile.json"
    local.write_text('{"a": 1}')
    uploaded = done(dx, store.uploadFile(local, "remoteFileName.json", "A json object."))
    assert uploaded.dataStoreDirectoryId != docs
    assert [f.fileName for f in done(dx, store.ls()).files] == ["remoteFileName.json"]
    assert [d.name for d in done(dx, store.ls("..")).directories] == ["2024"]
    target = tmp_path / "copy.json"
    done(dx, store.downloadFile("remoteFileName.json", target))
    assert target.read_text() == '{"a": 1}'
    done(dx, store.deleteFile("remoteFileName.json"))
    assert done(dx, store.ls()).files == []
    with pytest.raises(NotFoundError):
        done(dx, store.cd("/nowhere"))


def test_duplicate_file_names_are_refused_as_ambiguous(
    dx: Driver, admin: Admin, tmp_path: Path
) -> None:
    store_ids = admin.create_data_store()
    local = tmp_path / "same.txt"
    local.write_text("x")
    store = dx.dataStores.getDataStore(store_ids["dataStoreId"])
    first = done(dx, store.uploadFile(local))
    second = done(dx, store.uploadFile(local))  # the exchange allows duplicate file names
    with pytest.raises(InvalidInputError, match=r"2 entries are named 'same\.txt'") as refused:
        done(dx, store.downloadFile("same.txt", tmp_path / "out.txt"))
    assert first.dataStoreFileId in str(refused.value)
    assert second.dataStoreFileId in str(refused.value)


def test_the_raw_door_runs_queries_and_mutations(dx: Driver, admin: Admin) -> None:
    data = dx.graphql(
        "query($id: ID!) { storage_getDataStore(dataStoreId: $id) { dataStoreId name } }",
        {"id": admin.ids["dataStore"]},
    )
    assert data["storage_getDataStore"]["dataStoreId"] == admin.ids["dataStore"]
    created = dx.graphql(
        "mutation create($n: String!) { storage_createDataStore(name: $n) { dataStoreId } }",
        {"n": 'raw "door" store'},
        operation_name="create",
    )
    store_id = created["storage_createDataStore"]["dataStoreId"]
    assert dx.getDataStore(store_id).name == 'raw "door" store'


def test_the_raw_door_maps_the_exchange_s_refusals(make_dx: ClientFactory, admin: Admin) -> None:
    outsider = make_dx("outsider")
    with pytest.raises(PermissionDeniedError):
        outsider.graphql(
            "query($id: ID!) { storage_getDataStore(dataStoreId: $id) { name } }",
            {"id": admin.ids["dataStore"]},
        )
