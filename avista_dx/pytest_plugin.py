"""pytest plugin (registered through the ``pytest11`` entry point): SDK clients on the emulator.

``dx`` and ``async_dx`` are the demo owner's clients, ``dx_as(role)`` and ``async_dx_as(role)``
any demo user's; each test starts from a freshly reset emulator (``dx_reset``, from the
emulator's own plugin, ``avista_dx.emulator.pytest_plugin``). Kept apart from that plugin
because the emulator never imports the SDK. The SDK is imported only when a fixture is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

    from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange
    from avista_dx.emulator import EmulatorHandle

    DxFactory = Callable[..., AvistaDigitalExchange]
    AsyncDxFactory = Callable[..., AsyncAvistaDigitalExchange]


def _token_of(emulator: EmulatorHandle, role: str) -> str:
    try:
        return emulator.tokens[role]
    except KeyError:
        known = ", ".join(emulator.tokens)
        raise ValueError(f"unknown role {role!r} (the seed's roles: {known})") from None


def _options(emulator: EmulatorHandle, role: str, options: dict[str, Any]) -> dict[str, Any]:
    """The client's keyword arguments: the role's token and the emulator's URL, unless given."""
    if "token" not in options:
        options["token"] = _token_of(emulator, role)
    options.setdefault("endpoint", emulator.url)
    return options


@pytest.fixture
def dx_as(dx_reset: EmulatorHandle) -> Iterator[DxFactory]:
    """``dx_as("reader")``: a client signed in as that demo user (admin, owner, writer, reader,
    outsider). Keyword arguments go to the client (``token=`` and ``endpoint=`` override the
    role's); every client is closed after the test."""
    from avista_dx import AvistaDigitalExchange

    clients: list[AvistaDigitalExchange] = []

    def client_as(role: str = "owner", **options: Any) -> AvistaDigitalExchange:
        client = AvistaDigitalExchange(**_options(dx_reset, role, options))
        clients.append(client)
        return client

    yield client_as
    for client in clients:
        client.close()


@pytest.fixture
def dx(dx_as: DxFactory) -> AvistaDigitalExchange:
    """The demo owner's client (owns "Demo data store" and "Demo meters")."""
    return dx_as("owner")


@pytest.fixture
def async_dx_as(dx_reset: EmulatorHandle) -> Iterator[AsyncDxFactory]:
    """``async_dx_as("reader")``: an async client signed in as that demo user.

    A plain fixture, so it works under any async test runner (anyio, pytest-asyncio, or
    ``asyncio.run`` in a sync test): its HTTP pool keeps no connection between requests, so
    no connection outlives the event loop of the test that opened it.
    """
    import httpx

    from avista_dx import AsyncAvistaDigitalExchange

    pools: list[httpx.AsyncClient] = []

    def client_as(role: str = "owner", **options: Any) -> AsyncAvistaDigitalExchange:
        pool = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))
        pools.append(pool)
        options.setdefault("http_client", pool)
        return AsyncAvistaDigitalExchange(**_options(dx_reset, role, options))

    yield client_as
    if pools:
        asyncio.run(_close_all(pools))


async def _close_all(pools: list[httpx.AsyncClient]) -> None:
    for pool in pools:
        await pool.aclose()


@pytest.fixture
def async_dx(async_dx_as: AsyncDxFactory) -> AsyncAvistaDigitalExchange:
    """The demo owner's async client."""
    return async_dx_as("owner")
