"""Configuration: arguments, then AVISTA_DX_* variables, then defaults; pool ownership."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange
from avista_dx._constants import PRODUCTION_ENDPOINT

from .fake_exchange import ENDPOINT, TOKEN, FakeExchange


def test_defaults() -> None:
    dx = AvistaDigitalExchange(TOKEN)
    assert dx.endpoint == PRODUCTION_ENDPOINT
    assert dx.timeout.connect == 5.0
    assert dx.timeout.read == 60.0
    assert dx.max_retries == 2
    dx.close()
    assert dx._http.is_closed  # ours: closed


def test_environment_supplies_token_and_endpoint(
    monkeypatch: pytest.MonkeyPatch, fake: FakeExchange
) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", TOKEN)
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", ENDPOINT)
    http = httpx.Client(transport=httpx.MockTransport(fake.handle))
    with AvistaDigitalExchange(http_client=http) as dx:
        assert dx.endpoint == ENDPOINT
        assert dx.getUserInfo().userId == "userId.1"
    assert not http.is_closed  # passed in: never closed by us
    http.close()


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", "from-env")
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", "https://env.test/graphql")
    dx = AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT, timeout=3)
    assert dx._config.token == TOKEN
    assert dx.endpoint == ENDPOINT
    assert dx.timeout.read == 3.0
    dx.close()


def test_with_options_shares_the_pool_and_never_closes_it() -> None:
    dx = AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT)
    fast = dx.with_options(timeout=httpx.Timeout(1.0), endpoint="https://other.test/graphql")
    assert fast.timeout.read == 1.0
    assert fast.endpoint == "https://other.test/graphql"
    assert dx.timeout.read == 60.0
    assert dx.endpoint == ENDPOINT
    assert fast._http is dx._http
    fast.close()
    assert not dx._http.is_closed
    dx.close()
    assert dx._http.is_closed


def test_async_client_owns_only_what_it_created(fake: FakeExchange) -> None:
    async def scenario() -> None:
        async with AsyncAvistaDigitalExchange(TOKEN) as owned:
            pass
        assert owned._http.is_closed
        http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handle))
        async with AsyncAvistaDigitalExchange(TOKEN, endpoint=ENDPOINT, http_client=http) as dx:
            await dx.getUserInfo()
        assert not http.is_closed
        await http.aclose()

    asyncio.run(scenario())


def test_avista_dx_log_switches_logging_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fake: FakeExchange
) -> None:
    monkeypatch.setenv("AVISTA_DX_LOG", "debug")
    logger = logging.getLogger("avista_dx")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    caplog.set_level(logging.DEBUG)
    http = httpx.Client(transport=httpx.MockTransport(fake.handle))
    dx = AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT, http_client=http)
    assert logger.level == logging.DEBUG
    dx.listDataStores()
    assert "storage_listDataStores ok" in caplog.text
    assert TOKEN not in caplog.text
    http.close()


def test_async_publish_keeps_a_bounded_number_of_requests_in_flight(fake: FakeExchange) -> None:
    in_flight = peak = 0

    async def slow_handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        return fake.handle(request)

    async def scenario() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(slow_handler))
        dx = AsyncAvistaDigitalExchange(
            TOKEN, endpoint=ENDPOINT, http_client=http, publish_concurrency=3
        )
        records = [
            dx.createTimeSeriesInputRecord(str(i), "SECONDS", "m", "BIGINT", str(i))
            for i in range(1000)
        ]
        result = await dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "a", records)
        assert len(result[0].attributes[0].data) == 1000
        await http.aclose()

    asyncio.run(scenario())
    assert peak == 3
