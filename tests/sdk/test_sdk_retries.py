"""Retries with fault-injecting transports: what is retried, how long we wait, what is not."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from avista_dx import APIConnectionError, InvalidResponseError, RateLimitError, ServerError
from avista_dx._error_mapping import parse_retry_after
from avista_dx._retry import RetryPolicy
from avista_dx.errors import APIStatusError

from .conftest import ClientFactory
from .fake_exchange import FakeExchange


def status(code: int, **headers: str):
    return lambda request: httpx.Response(code, text="busy", headers=headers)


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("connection reset by peer", request=request)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def truncated(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b'{"data": {"storage_listDataSt')


def test_503_then_200_is_retried(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx()
    fake.faults.append(status(503))
    assert len(dx.listDataStores()) == 2
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5


def test_retry_after_is_honoured(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx()
    fake.faults += [status(429, **{"Retry-After": "3"}), status(429, **{"Retry-After": "0"})]
    dx.listDataStores()
    assert sleeps == [3.0, 0.0]


@pytest.mark.parametrize("fault", [reset, refused, truncated, status(408), status(502)])
def test_transient_failures_of_queries_are_retried(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float], fault
) -> None:
    dx = make_dx()
    fake.faults.append(fault)
    assert dx.getDataStore("dataStoreId.1").dataStoreId == "dataStoreId.1"
    assert len(sleeps) == 1


def test_back_off_grows_and_gives_up_after_max_retries(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx(max_retries=3)
    fake.faults += [status(500)] * 4
    with pytest.raises(ServerError):
        dx.listDataStores()
    assert len(sleeps) == 3
    assert sleeps[0] < sleeps[1] < sleeps[2]
    assert fake.requests == []  # the fake never saw a GraphQL request


def test_max_retries_zero_disables_retries(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx(max_retries=0)
    fake.faults.append(status(503))
    with pytest.raises(ServerError):
        dx.listDataStores()
    assert sleeps == []


def test_with_options_changes_retries_only_on_the_copy(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx()
    quiet = dx.with_options(max_retries=0)
    fake.faults.append(status(503))
    with pytest.raises(ServerError):
        quiet.listDataStores()
    fake.faults.append(status(503))
    dx.listDataStores()
    assert len(sleeps) == 1
    assert quiet.max_retries == 0
    assert dx.max_retries == 2


@pytest.mark.parametrize("fault", [reset, status(503), truncated])
def test_mutations_are_not_retried_when_they_may_have_happened(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float], fault
) -> None:
    dx = make_dx()
    fake.faults.append(fault)
    with pytest.raises((APIConnectionError, ServerError, InvalidResponseError)):
        dx.deleteDataStoreFile("file.1")
    assert sleeps == []
    record = dx.createTimeSeriesInputRecord("1", "SECONDS", "m", "BIGINT", "1")
    fake.faults.append(fault)
    with pytest.raises((APIConnectionError, ServerError, InvalidResponseError)):
        dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "asset", [record])
    assert sleeps == []


@pytest.mark.parametrize("fault", [refused, status(429)])
def test_mutations_are_retried_when_the_request_was_not_acted_on(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float], fault
) -> None:
    dx = make_dx()
    fake.faults.append(fault)
    assert dx.deleteDataStoreFile("file.1").dataStoreFileId == "file.1"
    assert len(sleeps) == 1
    assert "file.1" not in fake.files


def test_client_errors_are_never_retried(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx()
    fake.faults.append(status(404))
    with pytest.raises(APIStatusError):
        dx.listDataStores()
    with pytest.raises(Exception):  # noqa: B017, PT011 - any typed error; just no retry
        dx.getDataStore("dataStoreId.404")
    assert sleeps == []


def test_rate_limit_error_after_retries_keeps_retry_after(
    make_dx: ClientFactory, fake: FakeExchange
) -> None:
    dx = make_dx(max_retries=1)
    fake.faults += [status(429, **{"Retry-After": "1"})] * 2
    with pytest.raises(RateLimitError) as caught:
        dx.listDataStores()
    assert caught.value.retry_after == 1.0


def test_jitter_and_cap() -> None:
    low = RetryPolicy(5, random_fraction=lambda: 1.0)
    high = RetryPolicy(5, random_fraction=lambda: 0.0)
    error = ServerError("x")
    assert [high.delay(error, n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert [low.delay(error, n) for n in range(3)] == [0.375, 0.75, 1.5]
    patient = ServerError("x", retry_after=3600)
    assert high.delay(patient, 0) == 0.5  # an absurd Retry-After falls back to our back-off


def test_retry_after_formats() -> None:
    now = time.time()
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    date = email.utils.formatdate(now + 10, usegmt=True)
    assert 8.0 <= (parse_retry_after(date, now=now) or 0) <= 10.0
