"""The 1.2.1 README's examples run against the emulator with only the import changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Admin
from .readme_1_2_1_examples import DATA_STORE_EXAMPLES, SETUP

PUBLISHED_IMPORT = "from avista_digital_exchange_sdk import"


def run_example(source: str, replacements: dict[str, str]) -> dict[str, object]:
    assert PUBLISHED_IMPORT in SETUP
    code = (SETUP + source).replace(PUBLISHED_IMPORT, "from avista_dx import")  # the only change
    for placeholder, value in replacements.items():
        code = code.replace(placeholder, value)
    namespace: dict[str, object] = {}
    exec(compile(code, "<1.2.1 README example>", "exec"), namespace)
    return namespace


@pytest.fixture
def in_scratch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "testFile.txt").write_text("test file")
    (tmp_path / "exampleFile.json").write_text('{"basic": "json"}')
    return tmp_path


def test_the_data_store_examples_run_with_only_the_import_changed(
    dx_emulator: EmulatorHandle,
    admin: Admin,
    in_scratch_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", dx_emulator.url)
    store = admin.create_data_store()
    home = store["homeDirectoryId"]
    for name in ("dirname1", "docs"):
        admin.create_directory(store["dataStoreId"], home, name)
    ids = {
        "tokenvalue": dx_emulator.tokens["owner"],
        "dataStoreId.1234": store["dataStoreId"],
        "dataStoreDirectoryId.1234": home,
    }
    results: dict[str, dict[str, object]] = {}
    for name, source in DATA_STORE_EXAMPLES.items():
        if name in ("getDataStoreFileMeta", "downloadDataStoreFile", "deleteDataStoreFile"):
            uploaded = results["uploadFileToDataStore"]["file"]
            ids["dataStoreFileId.1234"] = uploaded.dataStoreFileId  # type: ignore[attr-defined]
        results[name] = run_example(source, ids)
    assert [s.dataStoreId for s in results["listDataStores"]["dataStores"]]  # type: ignore[attr-defined]
    assert (in_scratch_dir / "testFile.txt").read_text() == "test file"
    assert (in_scratch_dir / "desiredLocalFileName.json").read_text() == '{"basic": "json"}'
    printed = capsys.readouterr().out
    assert "docs/" in printed
    assert "dirname1/" in printed
    listing = admin.data(
        "owner",
        "query($d: ID!) { storage_getDataStoreDirectory(dataStoreDirectoryId: $d)"
        " { contents { objectType } } }",
        d=home,
    )
    # Both uploads were deleted again by their examples; the two directories stay.
    assert [c["objectType"] for c in listing["contents"]] == ["DIRECTORY", "DIRECTORY"]
    assert os.environ["AVISTA_DX_ENDPOINT"] == dx_emulator.url
