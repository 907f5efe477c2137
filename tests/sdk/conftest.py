"""Fixtures of the SDK unit tests: a fake exchange behind httpx.MockTransport, and the sync and
async clients driven through one synchronous interface so every case runs against both."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange

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

    monkeypatch.setattr("avista_dx._client.time.sleep", delays.append)
    monkeypatch.setattr("avista_dx._async_client.anyio.sleep", fake_async_sleep)
    return delays


class Driver:
    """Calls a sync or an async client the same way: coroutines are run to completion."""

    def __init__(self, client: Any, loop: asyncio.AbstractEventLoop | None) -> None:
        self.client = client
        self.loop = loop
        self.is_async = loop is not None

    def run(self, value: Any) -> Any:
        assert self.loop is not None
        return self.loop.run_until_complete(value)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if self.loop is None or not callable(attribute):
            return attribute
        if inspect.isasyncgenfunction(attribute):

            def collect(*args: Any, **kwargs: Any) -> list[Any]:
                async def gather() -> list[Any]:
                    return [item async for item in attribute(*args, **kwargs)]

                return self.run(gather())

            return collect
        if inspect.iscoroutinefunction(attribute):
            return lambda *args, **kwargs: self.run(attribute(*args, **kwargs))
        if name == "with_options":
            return lambda **kwargs: Driver(attribute(**kwargs), self.loop)
        return attribute


ClientFactory = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def make_dx(
    request: pytest.FixtureRequest, fake: FakeExchange, sleeps: list[float]
) -> Iterator[ClientFactory]:
    """Builds a client (sync or async) on the fake exchange; extra kwargs go to the client."""
    loop = asyncio.new_event_loop() if request.param == "async" else None
    closers: list[Callable[[], Any]] = []

    def make(handler: Callable[[httpx.Request], httpx.Response] | None = None, **kwargs: Any):
        transport = httpx.MockTransport(handler or fake.handle)
        kwargs.setdefault("token", TOKEN)
        kwargs.setdefault("endpoint", ENDPOINT)
        if loop is None:
            http = httpx.Client(transport=transport)
            client: Any = AvistaDigitalExchange(http_client=http, **kwargs)
            closers.append(http.close)
        else:
            http_async = httpx.AsyncClient(transport=transport)
            client = AsyncAvistaDigitalExchange(http_client=http_async, **kwargs)
            closers.append(lambda: loop.run_until_complete(http_async.aclose()))
        return Driver(client, loop)

    yield make
    for close in closers:
        close()
    if loop is not None:
        loop.close()


@pytest.fixture
def dx(make_dx: ClientFactory) -> Driver:
    return make_dx()
