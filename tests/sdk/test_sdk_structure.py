"""The client's structure: one hand-written source and its produced twin, the namespaces, the
constructor-built copies, the sync client's worker threads, and the one-pass adaptation."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pydantic
import pytest
from pydantic.alias_generators import to_snake

from avista_dx import (
    AsyncAvistaDigitalExchange,
    AvistaDigitalExchange,
    ConfigurationError,
    DataStore,
    DataStoreFile,
)
from avista_dx._async.resources import AsyncDataStores
from avista_dx._sync.resources import DataStores
from scripts import unasync

from .conftest import Driver
from .fake_exchange import ENDPOINT, ROOT, TOKEN, FakeExchange

# The dataStores namespace of the published 1.2.1 SDK.
DATA_STORE_METHODS = (
    "listDataStores",
    "getDataStore",
    "getDataStoreDirectory",
    "getDataStoreFileMeta",
    "downloadDataStoreFile",
    "uploadFileToDataStore",
    "deleteDataStoreFile",
)


def test_the_sync_twin_is_what_the_script_produces() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.unasync", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_substitutions_turn_async_code_into_sync_code() -> None:
    used: set[int] = set()
    source = (
        "from avista_dx_graphql.async_client import AsyncClient\n"
        "class AsyncExample(AsyncClient):\n"
        "    async def f(self, a: Callable[[], Awaitable[T]]) -> AsyncIterator[int]:\n"
        "        await AsyncBackend.sleep(1); await self._http.aclose()\n"
        "    def __await__(self): self._aclose_it = 1\n"
    )
    assert unasync.unasync_text(source, used) == (
        "from avista_dx_graphql.client import Client\n"
        "class Example(Client):\n"
        "    def f(self, a: Callable[[], T]) -> Iterator[int]:\n"
        "        SyncBackend.sleep(1); self._http.close()\n"
        "    def __await__(self): self._aclose_it = 1\n"
    )


def test_no_produced_file_is_edited_by_hand(tmp_path: Path) -> None:
    produced = ROOT / "avista_dx/_sync/client.py"
    assert produced.read_text().startswith("# Produced by scripts/unasync.py from ")


@pytest.mark.parametrize(
    ("client", "namespace"),
    [(AvistaDigitalExchange, DataStores), (AsyncAvistaDigitalExchange, AsyncDataStores)],
)
def test_the_documented_data_store_methods_are_the_namespace_s_own(
    client: type, namespace: type
) -> None:
    for name in DATA_STORE_METHODS:
        method = getattr(namespace, name)
        assert getattr(client, name) is method  # one definition, two places
        assert method.__doc__
        assert inspect.signature(method).parameters  # a real signature, not *args


def test_namespaces_expose_the_1_2_1_data_store_names(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    stores = dx.dataStores.listDataStores()
    assert [s.dataStoreId for s in stores] == list(fake.stores)
    assert dx.dataStores.getDataStore("dataStoreId.1") == dx.getDataStore("dataStoreId.1")
    directory = dx.dataStores.getDataStoreDirectory("dir.home")
    assert [f.fileName for f in directory.files] == ["report.csv"]
    assert dx.dataStores.getDataStoreFileMeta("file.1").storageSizeBytes == 8
    meta = dx.dataStores.downloadDataStoreFile("file.1", tmp_path)
    assert (tmp_path / meta.fileName).read_bytes() == b"a,b\n1,2\n"
    local = tmp_path / "up.txt"
    local.write_bytes(b"hello")
    uploaded = dx.dataStores.uploadFileToDataStore("dataStoreId.1", "dir.home", local)
    assert fake.blobs[uploaded.dataStoreFileId] == b"hello"
    deleted = dx.dataStores.deleteDataStoreFile(uploaded.dataStoreFileId)
    assert deleted.dataStoreFileId == uploaded.dataStoreFileId
    assert uploaded.dataStoreFileId not in fake.files


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
def test_with_options_goes_through_the_constructor(client: type) -> None:
    dx = client(TOKEN, endpoint=ENDPOINT, publish_concurrency=2)
    copy = dx.with_options(max_retries=5)
    assert type(copy) is client
    assert (copy.max_retries, copy.endpoint, copy._publish_concurrency) == (5, ENDPOINT, 2)
    assert copy._http is dx._http
    assert not copy._owns_http
    assert copy.dataStores._client is copy  # the copy's own namespaces
    with pytest.raises(ConfigurationError, match="max_retries"):
        dx.with_options(max_retries=-1)
    with pytest.raises(ConfigurationError, match="endpoint"):
        dx.with_options(endpoint="ftp://nowhere")


def test_sync_publish_runs_publish_concurrency_requests_in_worker_threads(
    fake: FakeExchange,
) -> None:
    lock = threading.Lock()
    in_flight = peak = started = 0
    threads: set[str] = set()
    # The first three requests meet here: they are in flight together or the barrier breaks
    # (a sleep would let a loaded machine run them one after another and prove nothing).
    first_three = threading.Barrier(3, timeout=30)

    def slow_handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak, started
        with lock:
            in_flight += 1
            started += 1
            peak = max(peak, in_flight)
            threads.add(threading.current_thread().name)
            meets = started <= 3
        if meets:
            first_three.wait()
        time.sleep(0.005)
        with lock:
            in_flight -= 1
        return fake.handle(request)

    http = httpx.Client(transport=httpx.MockTransport(slow_handler))
    dx = AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT, http_client=http, publish_concurrency=3)
    records = [
        dx.createTimeSeriesInputRecord(str(i), "SECONDS", "m", "BIGINT", str(i))
        for i in range(1000)
    ]
    result = dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "a", records)
    assert len(result[0].attributes[0].data) == 1000
    assert peak == 3
    assert threading.current_thread().name not in threads
    http.close()


def _generated_models() -> list[type[pydantic.BaseModel]]:
    package = ROOT / "generated" / "avista_dx_graphql"
    models = []
    for path in sorted(package.glob("*.py")):
        if path.stem == "input_types":
            continue  # sent, never adapted
        module = importlib.import_module(f"avista_dx_graphql.{path.stem}")
        models += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, pydantic.BaseModel)
            and value.__module__ == module.__name__
        ]
    return models


def test_every_generated_attribute_is_its_wire_name_in_snake_case() -> None:
    """What the one-pass adaptation relies on: documented types (wire names) read generated
    result models by the snake_case form of each name. A reserved-name rename (`type_`) in a
    result would break that: this test says so first."""
    models = _generated_models()
    assert len(models) > 20
    for model in models:
        for name, field in model.model_fields.items():
            wire = field.alias or name
            if wire != "__typename":
                assert to_snake(wire) == name, (model.__name__, wire)


def test_documented_types_are_built_by_their_documented_names_only() -> None:
    store = DataStore(dataStoreId="s", name="n", homeDirectoryId="d")
    assert store.homeDirectoryId == "d"
    assert DataStore.model_validate({"dataStoreId": "s", "name": "n"}).name == "n"
    with pytest.raises(pydantic.ValidationError):
        DataStore(data_store_id="s", name="n")  # type: ignore[call-arg]
    assert "dataStoreId" in store.model_dump(by_alias=True)


def test_adaptation_validates_once_from_the_generated_model() -> None:
    from avista_dx_graphql.storage_get_data_store_file import StorageGetDataStoreFile

    raw = {
        "dataStoreFileId": "f",
        "dataStoreId": "s",
        "dataStoreDirectoryId": "d",
        "name": "report",
        "description": None,
        "fileExtension": "csv",
        "storageSizeBytes": 8,
        "lastModified": None,
        "contentType": None,
        "ownerUserId": "u",
        "s3ConfirmedUpload": True,
        "dataViewIds": ["v", None],
    }
    generated = StorageGetDataStoreFile.model_validate({"storage_getDataStoreFile": raw})
    meta = DataStoreFile.from_wire(generated.storage_get_data_store_file)  # type: ignore[arg-type]
    assert meta.model_dump() == {**raw}
    assert meta.fileName == "report.csv"


def test_enum_like_values_from_the_wire_are_plain_strings(dx: Driver) -> None:
    # As when adaptation went through JSON: `f"{member.memberState}"` prints the value.
    member = dx.getCollaborative("collab.1").memberOrganizations[0]
    assert type(member.memberState) is str
    assert f"{member.memberState}" == "HOST_ORGANIZATION"
    assert type(member.usersInCollaborative[0].permission) is str
    services = dx.listCollaborativeServices("collab.1")
    assert all(type(s.serviceType) is str for s in services)
