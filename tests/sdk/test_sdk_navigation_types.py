"""The navigation methods of a client's `DataStore` have real signatures for mypy (and IDEs):
`DataStoreDirectory` on the sync client, a coroutine of it on the async one."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

# The error code is disabled in the snippet, not on the command line: mypy's cache holds each
# module with the options it was checked with, so the same options as `make lint` (the
# project's config) let this run reuse lint's cache and check only the snippet (~1 s, not ~20 s).
SNIPPET = """# mypy: disable-error-code="unused-coroutine"
from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, DataStore

def sync_client(dx: AvistaDigitalExchange) -> None:
    store = dx.dataStores.getDataStore("dataStoreId.1")
    plain: DataStore = store  # still a DataStore
    reveal_type(store.cd("docs"))
    reveal_type(dx.listDataStores()[0].uploadFile(b"x", "a.csv", content_type="text/csv"))
    store.cd(1)

async def async_client(dx: AsyncAvistaDigitalExchange) -> None:
    store = await dx.dataStores.getDataStore("dataStoreId.1")
    listing = store.ls()
    reveal_type(listing)
    await listing
    reveal_type(await store.downloadFile("a.csv", "downloads/"))
"""


def test_mypy_sees_each_clients_navigation_signatures(tmp_path: Path) -> None:
    snippet = tmp_path / "uses_navigation.py"
    snippet.write_text(SNIPPET)
    out, _, _ = mypy_api.run(["--strict", "--no-error-summary", str(snippet)])
    lines = [line.split(": ", 1)[1] for line in out.splitlines() if ": " in line]
    assert lines == [
        'note: Revealed type is "avista_dx.types.DataStoreDirectory"',
        'note: Revealed type is "avista_dx.types.DataStoreFile"',
        'error: Argument 1 to "cd" of "NavigableDataStore" has incompatible type "int"; '
        'expected "str"  [arg-type]',
        'note: Revealed type is "typing.Coroutine[Any, Any, avista_dx.types.DataStoreDirectory]"',
        'note: Revealed type is "avista_dx.types.DataStoreFile"',
    ], out
