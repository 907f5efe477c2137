"""Fixtures: one emulator served by uvicorn on a loopback port, with a fast keep-alive.

`RawClient` speaks AppSync's real-time protocol with the `websockets` library, message by
message, so tests can check every frame; gql's AppSyncWebsocketsTransport is the independent
client.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")
pytest.importorskip("websockets")

from websockets.asyncio.client import ClientConnection, connect

from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.runner import EmulatorHandle, run_emulator

CONNECTION_TIMEOUT_MS = 1000  # with `ka` every 0.1 s: a wide margin on a loaded machine
KEEP_ALIVE_SECONDS = 0.1
EVENT_TIMEOUT = 10.0
_distinct_times = itertools.count()  # records of one asset never share a timestamp

PUBLISH = (
    "mutation($d: ID!, $a: ID!, $x: TimeSeriesDbDataInput!) {"
    " timeSeriesDb_publishToDatabase(timeSeriesDbId: $d, assetId: $a, data: $x) { assetId } }"
)
ON_PUBLISH = (
    "subscription($d: ID!, $a: ID!) { onTimeSeriesDbPublish(timeSeriesDbId: $d, assetId: $a)"
    " { assetId attributes { name lastValue } } }"
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    config = EmulatorConfig(
        realtime_connection_timeout_ms=CONNECTION_TIMEOUT_MS,
        realtime_keep_alive_seconds=KEEP_ALIVE_SECONDS,
    )
    with run_emulator(seed="demo", config=config) as handle:
        yield handle


def host_of(handle: EmulatorHandle) -> str:
    return handle.base_url.split("://", 1)[1]


def header_parameter(handle: EmulatorHandle, token: str) -> str:
    header = {"host": host_of(handle), "Authorization": token}
    return base64.b64encode(json.dumps(header).encode()).decode()


class Exchange:
    """Mutations over HTTP, as any client (or another connection) would make them."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self._http = httpx.Client(timeout=30)

    def close(self) -> None:
        self._http.close()

    def data(self, role: str, query: str, **variables: Any) -> Any:
        response = self._http.post(
            self.handle.url,
            json={"query": query, "variables": variables},
            headers={"Authorization": self.handle.tokens.get(role, role)},
        )
        body = response.json()
        assert response.status_code == 200, body
        assert not body.get("errors"), body
        (value,) = body["data"].values()
        return value

    def publish(self, database_id: str, asset_id: str, value: str, role: str = "owner") -> Any:
        record = {
            "MeasureName": "reading",
            "MeasureValue": value,
            "MeasureValueType": "DOUBLE",
            "Time": str(time.time_ns() // 1_000_000 + next(_distinct_times)),
        }
        return self.data(role, PUBLISH, d=database_id, a=asset_id, x={"records": [record]})

    def create_file(self, name: str) -> dict[str, str]:
        """A file in the demo store's home directory: its upload ``url`` and ``uploadId``."""
        assert self.handle.seed is not None
        created: dict[str, str] = self.data(
            "owner",
            "mutation($s: ID!, $d: ID!, $n: String!) { storage_createDataStoreFile("
            'dataStoreId: $s, dataStoreDirectoryId: $d, name: $n, fileExtension: "txt")'
            " { url uploadId } }",
            s=self.handle.seed.ids["dataStore"],
            d=self.handle.seed.ids["homeDirectory"],
            n=name,
        )
        return created

    def create_database(self, role: str = "owner") -> str:
        query = "mutation($n: String!) { timeSeriesDb_createDatabase(name: $n) { timeSeriesDbId } }"
        created = self.data(role, query, n=f"realtime {uuid.uuid4().hex[:8]}")
        database_id: str = created["timeSeriesDbId"]
        return database_id


@pytest.fixture(scope="module")
def exchange(emulator: EmulatorHandle) -> Iterator[Exchange]:
    helper = Exchange(emulator)
    yield helper
    helper.close()


class RawClient:
    """One real-time connection, driven frame by frame."""

    def __init__(self, handle: EmulatorHandle, socket: ClientConnection) -> None:
        self.handle = handle
        self.socket = socket

    @classmethod
    async def open(
        cls, handle: EmulatorHandle, token: str | None = None, *, init: bool = True
    ) -> RawClient:
        token = handle.tokens["owner"] if token is None else token
        url = f"{handle.realtime_url}?header={header_parameter(handle, token)}&payload=e30="
        socket = await connect(url, subprotocols=["graphql-ws"])  # type: ignore[list-item]
        client = cls(handle, socket)
        if init:
            await client.send({"type": "connection_init"})
            ack = await client.receive()
            assert ack == {
                "type": "connection_ack",
                "payload": {"connectionTimeoutMs": CONNECTION_TIMEOUT_MS},
            }
        return client

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self, timeout: float = EVENT_TIMEOUT) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        return message

    async def next_message(self, timeout: float = EVENT_TIMEOUT) -> dict[str, Any]:
        """The next message that is not a keep-alive."""
        while (message := await self.receive(timeout))["type"] == "ka":
            pass
        return message

    def start_message(
        self, query: str, variables: dict[str, Any], token: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        token = self.handle.tokens["owner"] if token is None else token
        return {
            "id": extra.pop("id", None) or str(uuid.uuid4()),
            "type": "start",
            "payload": {
                "data": json.dumps({"query": query, "variables": variables}),
                "extensions": {
                    "authorization": {"host": host_of(self.handle), "Authorization": token}
                },
            },
        }

    async def start(
        self, query: str, variables: dict[str, Any], token: str | None = None, **extra: Any
    ) -> str:
        """Starts a subscription and waits for its start_ack; returns its id."""
        message = self.start_message(query, variables, token, **extra)
        await self.send(message)
        answer = await self.next_message()
        assert answer == {"type": "start_ack", "id": message["id"]}, answer
        subscription_id: str = message["id"]
        return subscription_id

    async def close(self) -> None:
        await self.socket.close()
