"""`Driver`: one synchronous interface over the sync and the async client, so that every
test case runs against both (shared by the unit suite and the end-to-end suite); `Clients`
builds them and closes them at the end of a test."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import httpx

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange
from avista_dx._async._resource import AsyncAPIResource


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
        if self.loop is not None and isinstance(attribute, AsyncAPIResource):
            return Driver(attribute, self.loop)  # a namespace: dx.dataStores.listDataStores()
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


class Clients:
    """The sync or the async clients of one test, on one event loop for the async ones."""

    def __init__(self, flavour: str) -> None:
        self.loop = asyncio.new_event_loop() if flavour == "async" else None
        self._closers: list[Callable[[], Any]] = []

    def driver(self, transport: Any = None, **kwargs: Any) -> Driver:
        """A client over `transport` (the client's own connection pool when None); extra
        keyword arguments go to the client."""
        loop = self.loop
        if loop is None:
            http = httpx.Client(transport=transport) if transport else None
            client: Any = AvistaDigitalExchange(http_client=http, **kwargs)
            self._closers.append(client.close)
            if http is not None:
                self._closers.append(http.close)
        else:
            http_async = httpx.AsyncClient(transport=transport) if transport else None
            client = AsyncAvistaDigitalExchange(http_client=http_async, **kwargs)
            self._closers.append(lambda c=client: loop.run_until_complete(c.close()))
            if http_async is not None:
                self._closers.append(lambda h=http_async: loop.run_until_complete(h.aclose()))
        return Driver(client, loop)

    def close(self) -> None:
        for close in self._closers:
            close()
        if self.loop is not None:
            self.loop.close()
