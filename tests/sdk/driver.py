"""`Driver`: one synchronous interface over the sync and the async client, so that every
test case runs against both (shared by the unit suite and the end-to-end suite)."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any


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
