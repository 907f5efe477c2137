"""storage_createDataStoreFileDataView / storage_deleteDataStoreFileDataView: ids kept on the
file, shown in ``dataViewIds``, persisted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from avista_dx.emulator import run_emulator
from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Harness

CREATE = (
    "mutation($f: ID!) { storage_createDataStoreFileDataView(dataStoreFileId: $f) "
    "{ dataStoreFileId dataViewIds lastModified } }"
)
DELETE = (
    "mutation($f: ID!, $v: ID!) { storage_deleteDataStoreFileDataView(dataStoreFileId: $f, "
    "dataViewId: $v) { dataViewIds } }"
)
GET = (
    "query($f: ID!) { storage_getDataStoreFile(dataStoreFileId: $f) { dataViewIds lastModified } }"
)
README = "file:README.md"


def test_create_and_delete_views(harness: Harness) -> None:
    file_id = harness.ids[README]
    before = harness.data("reader", GET, f=file_id)
    assert before["dataViewIds"] == []
    first = harness.data("writer", CREATE, f=file_id)
    second = harness.data("owner", CREATE, f=file_id)
    (view_1,) = first["dataViewIds"]
    assert view_1.startswith("dataViewId.")
    assert second["dataViewIds"][0] == view_1
    assert len(second["dataViewIds"]) == 2
    assert second["lastModified"] == before["lastModified"]
    assert harness.data("reader", GET, f=file_id)["dataViewIds"] == second["dataViewIds"]
    remaining = harness.data("writer", DELETE, f=file_id, v=view_1)
    assert remaining["dataViewIds"] == second["dataViewIds"][1:]
    assert harness.error_type("writer", DELETE, f=file_id, v=view_1) == "BadRequestException"


def test_a_view_belongs_to_its_file(harness: Harness) -> None:
    view = harness.data("owner", CREATE, f=harness.ids[README])["dataViewIds"][0]
    other = harness.ids["file:reports/summary.txt"]
    assert harness.error_type("owner", DELETE, f=other, v=view) == "BadRequestException"
    assert harness.data("owner", GET, f=harness.ids[README])["dataViewIds"] == [view]


def test_a_file_without_bytes_has_no_views(harness: Harness) -> None:
    created = harness.data(
        "writer",
        "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
        'dataStoreDirectoryId: $d, name: "later", fileExtension: "txt") { itemId } }',
        s=harness.ids["dataStore"],
        d=harness.ids["homeDirectory"],
    )
    assert harness.error_type("writer", CREATE, f=created["itemId"]) == "BadRequestException"


def test_views_are_bounded_per_file(harness: Harness) -> None:
    from avista_dx.emulator.services.data_stores import MAX_DATA_VIEWS_PER_FILE

    for _ in range(MAX_DATA_VIEWS_PER_FILE):
        harness.data("owner", CREATE, f=harness.ids[README])
    assert harness.error_type("owner", CREATE, f=harness.ids[README]) == "BadRequestException"
    assert len(harness.data("owner", GET, f=harness.ids[README])["dataViewIds"]) == 100


def test_views_survive_a_restart(tmp_path: Path) -> None:
    import httpx

    def call(handle: EmulatorHandle, query: str, **variables: str) -> dict[str, Any]:
        response = httpx.post(
            handle.url,
            json={"query": query, "variables": variables},
            headers={"Authorization": handle.tokens["owner"]},
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body

    with run_emulator(seed="demo", data_dir=tmp_path) as first:
        assert first.seed is not None
        file_id = first.seed.ids[README]
        created = call(first, CREATE, f=file_id)
    with run_emulator(seed="demo", data_dir=tmp_path) as second:
        again = call(second, GET, f=file_id)
    assert (
        again["data"]["storage_getDataStoreFile"]["dataViewIds"]
        == (  # type: ignore[index]
            created["data"]["storage_createDataStoreFileDataView"]["dataViewIds"]  # type: ignore[index]
        )
    )
