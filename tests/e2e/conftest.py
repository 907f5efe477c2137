"""End-to-end fixtures: the SDK (sync and async) against one emulator served over real HTTP.

One in-memory emulator with the demo seed serves the whole session (`dx_emulator`, the
emulator's own pytest plugin fixture). Tests that change state create their own objects
(directories, data stores, databases) through `Admin`, a raw GraphQL helper, so they stay
independent of each other and of the order they run in.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")

from sdk.driver import Clients, Driver

from avista_dx.emulator.runner import EmulatorHandle

ROLES = ("owner", "writer", "reader", "outsider", "admin")
_unique = itertools.count()


def unique(prefix: str) -> str:
    """A name no other test of the session uses."""
    return f"{prefix}-{next(_unique)}"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AVISTA_DX_TOKEN", "AVISTA_DX_ENDPOINT", "AVISTA_DX_LOG"):
        monkeypatch.delenv(name, raising=False)


class Admin:
    """Raw GraphQL over HTTP for set-up and checks that the 21 documented methods cannot do
    (create a store, a directory, a database). Never used for the behaviour under test."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        assert handle.seed is not None
        self.ids = handle.seed.ids
        self._http = httpx.Client(timeout=30)

    def close(self) -> None:
        self._http.close()

    def data(self, role: str, query: str, **variables: Any) -> Any:
        response = self._http.post(
            self.handle.url,
            json={"query": query, "variables": variables},
            headers={"Authorization": self.handle.tokens[role]},
        )
        body = response.json()
        assert response.status_code == 200, body
        assert not body.get("errors"), body
        (value,) = body["data"].values()
        return value

    def create_data_store(self, role: str = "owner") -> dict[str, str]:
        query = (
            "mutation($n: String!) { storage_createDataStore(name: $n)"
            " { dataStoreId homeDirectoryId } }"
        )
        store: dict[str, str] = self.data(role, query, n=unique("e2e store"))
        return store

    def create_directory(self, data_store_id: str, parent_id: str, name: str) -> str:
        query = (
            "mutation($s: ID!, $p: ID!, $n: String!) { storage_createDataStoreDirectory("
            "dataStoreId: $s, parentDirectoryId: $p, name: $n) { dataStoreDirectoryId } }"
        )
        created = self.data("owner", query, s=data_store_id, p=parent_id, n=name)
        directory_id: str = created["dataStoreDirectoryId"]
        return directory_id

    def scratch_directory(self) -> str:
        """A fresh directory in the demo store (shared with the demo collaborative)."""
        return self.create_directory(
            self.ids["dataStore"], self.ids["homeDirectory"], unique("e2e dir")
        )

    def create_database(self, role: str = "owner") -> dict[str, str]:
        query = (
            "mutation($n: String!) { timeSeriesDb_createDatabase(name: $n)"
            " { timeSeriesDbId databaseName tableName } }"
        )
        database: dict[str, str] = self.data(role, query, n=unique("e2e db"))
        return database

    def share(self, service_type: str, service_id: str) -> None:
        query = (
            "mutation($c: ID!, $t: ServiceType!, $s: ID!) {"
            " collaborative_addServiceToCollaborative("
            "collaborativeId: $c, serviceType: $t, serviceId: $s) { serviceId } }"
        )
        self.data("owner", query, c=self.ids["collaborative"], t=service_type, s=service_id)


@pytest.fixture(scope="session")
def admin(dx_emulator: EmulatorHandle) -> Iterator[Admin]:
    helper = Admin(dx_emulator)
    yield helper
    helper.close()


ClientFactory = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def make_dx(request: pytest.FixtureRequest, dx_emulator: EmulatorHandle) -> Iterator[ClientFactory]:
    """Builds SDK clients on the emulator: `make_dx("reader")`, or `make_dx(token=...)`.

    Extra keyword arguments go to the client; `transport=` wraps the HTTP transport (for
    fault injection). Every client is closed at the end of the test.
    """
    clients = Clients(request.param)

    def make(role: str = "owner", *, transport: Any = None, **kwargs: Any) -> Driver:
        kwargs.setdefault("token", dx_emulator.tokens.get(role, role))
        kwargs.setdefault("endpoint", dx_emulator.url)
        return clients.driver(transport, **kwargs)

    yield make
    clients.close()


@pytest.fixture
def dx(make_dx: ClientFactory) -> Driver:
    """The demo data owner's client."""
    return make_dx("owner")
