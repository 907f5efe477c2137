"""Fixtures: a fresh in-memory emulator per test, reached in-process through ASGI."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")

with warnings.catch_warnings():
    # Starlette 1.x nudges towards httpx2; the pinned httpx 0.28 works fine for in-process tests.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from avista_dx.emulator import EmulatorConfig, build_emulator
from avista_dx.emulator.app import Emulator
from avista_dx.emulator.persistence.models import ALL_RECORD_TYPES, UserRecord
from avista_dx.emulator.seed import DemoSeed, seed_demo


@dataclass
class Harness:
    """One emulator with the demo seed, and helpers to call it as a given demo role."""

    emulator: Emulator
    seed: DemoSeed
    client: TestClient | httpx.Client

    @property
    def ids(self) -> dict[str, str]:
        return self.seed.ids

    def post(self, role: str | None, query: str, **variables: Any) -> Any:
        headers = {} if role is None else {"Authorization": self.seed.tokens.get(role, role)}
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )

    def gql(self, role: str | None, query: str, **variables: Any) -> dict[str, Any]:
        response = self.post(role, query, **variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, role: str, query: str, **variables: Any) -> Any:
        """The single root field's value; fails the test on any error."""
        body = self.gql(role, query, **variables)
        assert "errors" not in body, body
        (value,) = body["data"].values()
        return value

    def error_type(self, role: str, query: str, **variables: Any) -> str:
        body = self.gql(role, query, **variables)
        assert body.get("errors"), body
        error_type: str = body["errors"][0]["errorType"]
        return error_type


def make_harness(config: EmulatorConfig | None = None) -> Iterator[Harness]:
    """In-process: the ASGI app called directly (fast, no sockets)."""
    emulator = build_emulator(config or EmulatorConfig())
    try:
        seed = seed_demo(emulator)
        with TestClient(emulator.app, base_url="http://emulator.test") as client:
            yield Harness(emulator, seed, client)
    finally:
        emulator.close()


def make_http_harness(config: EmulatorConfig | None = None) -> Iterator[Harness]:
    """Over real HTTP: uvicorn on a loopback port, raw httpx."""
    from avista_dx.emulator import run_emulator

    with (
        run_emulator(seed="demo", config=config or EmulatorConfig()) as handle,
        httpx.Client(base_url=handle.base_url) as client,
    ):
        assert handle.seed is not None
        yield Harness(handle.emulator, handle.seed, client)  # type: ignore[arg-type]


@pytest.fixture
def harness() -> Iterator[Harness]:
    yield from make_harness()


@pytest.fixture(params=["asgi", "http"])
def any_harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """The same test in-process and over real HTTP."""
    yield from (make_harness() if request.param == "asgi" else make_http_harness())


def stored_state(emulator: Emulator) -> dict[str, list[Any]]:
    """Every record the metadata store holds, to prove a refused request changed nothing; users'
    ``lastActive`` aside, since every authenticated request is activity (services/activity.py)."""
    with emulator.metadata.view() as view:
        state: dict[str, list[Any]] = {cls.KIND: view.find(cls) for cls in ALL_RECORD_TYPES}
    state[UserRecord.KIND] = [
        dataclasses.replace(user, last_active=None) for user in state[UserRecord.KIND]
    ]
    return state
