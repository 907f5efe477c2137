"""Fixtures of the SDK unit tests: a fake exchange behind httpx.MockTransport, and the sync and
async clients driven through one synchronous interface so every case runs against both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from .driver import Clients, Driver
from .fake_exchange import ENDPOINT, TOKEN, FakeExchange


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AVISTA_DX_TOKEN", "AVISTA_DX_ENDPOINT", "AVISTA_DX_LOG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> FakeExchange:
    return FakeExchange()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry delays, recorded instead of slept."""
    delays: list[float] = []

    async def fake_async_sleep(delay: float) -> None:
        delays.append(delay)

    monkeypatch.setattr("time.sleep", delays.append)
    monkeypatch.setattr("anyio.sleep", fake_async_sleep)
    return delays


ClientFactory = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def make_dx(
    request: pytest.FixtureRequest, fake: FakeExchange, sleeps: list[float]
) -> Iterator[ClientFactory]:
    """Builds a client (sync or async) on the fake exchange; extra kwargs go to the client."""
    clients = Clients(request.param)

    def make(handler: Callable[[httpx.Request], httpx.Response] | None = None, **kwargs: Any):
        kwargs.setdefault("token", TOKEN)
        kwargs.setdefault("endpoint", ENDPOINT)
        return clients.driver(httpx.MockTransport(handler or fake.handle), **kwargs)

    yield make
    clients.close()


@pytest.fixture
def dx(make_dx: ClientFactory) -> Driver:
    return make_dx()
