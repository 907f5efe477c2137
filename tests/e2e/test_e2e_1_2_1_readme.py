"""The 1.2.1 README's examples run against the emulator with only the import changed."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from avista_dx import AvistaDigitalExchange
from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Admin, unique
from .readme_1_2_1_examples import DATA_CAPTURE_EXAMPLES, DATA_STORE_EXAMPLES, SETUP

PUBLISHED_IMPORT = "from avista_digital_exchange_sdk import"
WAIT_SECONDS = 10.0


def run_example(
    source: str,
    replacements: dict[str, str],
    *,
    setup: str = SETUP,
    names: dict[str, object] | None = None,
) -> dict[str, object]:
    """Runs an example as `python example.py` would (`__name__` is `"__main__"`), after
    `setup`, with its placeholders filled in (in the order given) and `names` predefined."""
    code = setup + source
    assert PUBLISHED_IMPORT in code
    code = code.replace(PUBLISHED_IMPORT, "from avista_dx import")  # the only change
    for placeholder, value in replacements.items():
        code = code.replace(placeholder, value)
    namespace: dict[str, object] = {"__name__": "__main__", **(names or {})}
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


class EndOfExample(BaseException):
    """Ends the subscription example's endless loop (a BaseException: the example catches
    `Exception`)."""


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)  # polls the emulator's state


def test_the_data_capture_examples_run_with_only_the_import_changed(
    dx_emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", dx_emulator.url)
    owner_token = dx_emulator.tokens["owner"]
    broker = dx_emulator.emulator.events
    with AvistaDigitalExchange(owner_token) as dx:
        capture = dx.dataCapture.createCapture(unique("readme capture"))
        capture_id = capture.captureId
        attribute = {"userDefinedId": "temperature", "displayName": "T", "schemaType": "double"}
        dx.dataCapture.updateDataModel(
            capture_id,
            {"assets": [{"userDefinedId": "a", "displayName": "A", "attributes": [attribute]}]},
        )
        capture_token = dx.dataCapture.getCaptureAuthenticationToken(capture_id).tokenValue
        assert capture_token is not None
        # Longest placeholders first: AUTHENTICATION_TOKEN is a prefix of ..._VALUE.
        filled = {
            "AUTHENTICATION_TOKEN_VALUE": repr(capture_token),
            "AUTHENTICATION_TOKEN": repr(capture_token),
            "YOUR_CAPTURE_ID": repr(capture_id),
            "CAPTURE_ID": repr(capture_id),
            "ATTRIBUTE_ID": '"temperature"',
            "ATTRIBUTE_VALUE": "21.5",
        }
        printed: list[str] = []

        def recording_print(*values: Any) -> None:
            line = " ".join(map(str, values))
            printed.append(line)
            # The subscription example loops until it is stopped: end it at its first event.
            if line == "Do something with data...":
                raise EndOfExample

        def run(name: str) -> None:  # each example is a whole script: no SETUP before it
            run_example(
                DATA_CAPTURE_EXAMPLES[name], filled, setup="", names={"print": recording_print}
            )

        run("startCapture")
        assert dx.dataCapture.getCapture(capture_id).state == "CAPTURING"

        before = broker.subscription_count()
        ended: list[BaseException] = []

        def subscribe() -> None:
            try:
                run("subscribeToData")
            except BaseException as error:  # the EndOfExample the test raised, or a failure
                ended.append(error)

        subscriber = threading.Thread(target=subscribe)
        subscriber.start()
        until(lambda: broker.subscription_count() > before or bool(ended), "the subscription")
        run("publishData")
        subscriber.join(WAIT_SECONDS)
        assert not subscriber.is_alive()
        assert [type(error) for error in ended] == [EndOfExample]
        gc.collect()  # the abandoned iterator stops its subscription when it is collected
        until(lambda: broker.subscription_count() == before, "the subscription's stop")

        run("stopCapture")
        assert dx.dataCapture.getCapture(capture_id).state == "COMPLETE"
        export = dx.dataCapture.getDataExportDownloadUrl(capture_id)
        assert export.state == "COMPLETE"
        dx.dataCapture.deleteCapture(capture_id)
    assert "DataCapture.subscribeToData: Data received." in printed
    assert [line for line in printed if "failed" in line] == []
