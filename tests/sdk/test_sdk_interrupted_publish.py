"""Issue 9 item 16: Ctrl-C (sync) or a cancellation (async) during a large publish propagates
unchanged, and tells which records were written: its `__cause__` is a PublishInterruptedError."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from avista_dx import (
    AsyncAvistaDigitalExchange,
    AvistaDigitalExchange,
    PartialPublishError,
    PublishInterruptedError,
    TimeSeriesInputRecord,
)
from avista_dx._publish_request import CheckedAnswer
from avista_dx._publishing import PublishOutcome, make_batches

from .fake_exchange import ENDPOINT, TOKEN, FakeExchange

DB = "timeSeriesDbId.1"


def records(count: int) -> list[TimeSeriesInputRecord]:
    return [
        TimeSeriesInputRecord(
            Time=str(1_700_000_000 + i),
            TimeUnit="SECONDS",
            MeasureName="power",
            MeasureValueType="DOUBLE",
            MeasureValue=f"{i}.5",
        )
        for i in range(count)
    ]


def outcome_of(count: int) -> PublishOutcome:
    return PublishOutcome("publishToTimeSeriesDatabase", make_batches(records(count)))


def asset() -> CheckedAnswer:
    return CheckedAnswer([{"assetId": "a", "attributes": []}])


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), asyncio.CancelledError("stop")])
def test_the_interrupt_itself_propagates_with_what_was_written_as_its_cause(
    interrupt: BaseException,
) -> None:
    outcome = outcome_of(350)
    first, second, third, _ = outcome.batches
    outcome.sending(first)
    outcome.succeeded(first, asset())
    outcome.sending(second)
    outcome.sending(third)
    outcome.succeeded(third, asset())
    with pytest.raises(type(interrupt)) as caught, outcome.reporting_interruption():
        raise interrupt
    assert caught.value is interrupt  # the very object: nothing is swallowed or replaced
    report = interrupt.__cause__
    assert isinstance(report, PublishInterruptedError)
    assert isinstance(report, PartialPublishError)
    assert report.written_indexes == [*range(100), *range(200, 300)]
    assert report.unconfirmed_indexes == list(range(100, 200))
    assert report.failed_indexes == [*range(100, 200), *range(300, 350)]
    assert [a.assetId for a in report.results] == ["a"]
    assert "200 of 350 records written" in str(report)


def test_an_interrupt_is_never_caught_by_except_exception() -> None:
    outcome = outcome_of(10)

    def catch_all() -> None:
        try:
            with outcome.reporting_interruption():
                raise KeyboardInterrupt
        except Exception:  # what an application's catch-all would do
            pytest.fail("a KeyboardInterrupt must not become an Exception")

    with pytest.raises(KeyboardInterrupt):
        catch_all()


def test_an_earlier_cause_of_the_interrupt_is_kept() -> None:
    outcome = outcome_of(10)
    earlier = RuntimeError("signal handler")
    interrupt = KeyboardInterrupt()
    interrupt.__cause__ = earlier
    with pytest.raises(KeyboardInterrupt), outcome.reporting_interruption():
        raise interrupt
    assert isinstance(interrupt.__cause__, PublishInterruptedError)
    assert interrupt.__cause__.__cause__ is earlier


def test_ordinary_errors_pass_through_untouched() -> None:
    outcome = outcome_of(10)
    error = ValueError("a bug")
    with pytest.raises(ValueError, match="a bug"), outcome.reporting_interruption():
        raise error
    assert error.__cause__ is None


# -- through the clients -----------------------------------------------------------------------


def interrupting_handler(fake: FakeExchange, at: int, interrupt: Any) -> Any:
    """The fake's handler, calling `interrupt()` on the `at`-th publish request (1-based)."""
    seen = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal seen
        if b"timeSeriesDb_publishToDatabase" in request.content:
            seen += 1
            if seen == at:
                interrupt()
        return fake.handle(request)

    return handle


def held_indexes(fake: FakeExchange) -> list[int]:
    """The indexes of the records the exchange holds (their Time is 1_700_000_000 + index)."""
    return sorted(int(r["Time"]) - 1_700_000_000 for r in fake.records.get(DB, []))


def assert_consistent(report: Any, fake: FakeExchange, count: int) -> None:
    """What the report calls written the exchange holds, and the exchange holds nothing the
    report calls neither written nor unconfirmed; every index is written or failed."""
    assert isinstance(report, PublishInterruptedError)
    held = set(held_indexes(fake))
    assert set(report.written_indexes) <= held
    assert held <= set(report.written_indexes) | set(report.unconfirmed_indexes)
    assert sorted(report.written_indexes + report.failed_indexes) == list(range(count))
    assert set(report.unconfirmed_indexes) <= set(report.failed_indexes)


def ctrl_c() -> None:
    raise KeyboardInterrupt


def sigint() -> None:
    signal.raise_signal(signal.SIGINT)  # a real Ctrl-C: the main thread gets it


@pytest.fixture
def ctrl_c_raises() -> Any:
    """Python's own SIGINT handler for the test: a shell starts background jobs (`make test &`)
    with SIGINT ignored, and Python then keeps it ignored, so raise_signal would do nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("concurrency", [1, 4])
@pytest.mark.parametrize("interrupt", [ctrl_c, sigint])
@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_during_a_sync_publish_tells_which_records_were_written(
    fake: FakeExchange, interrupt: Callable[[], None], concurrency: int
) -> None:
    transport = httpx.MockTransport(interrupting_handler(fake, 3, interrupt))
    with (
        httpx.Client(transport=transport) as http,
        AvistaDigitalExchange(
            TOKEN, endpoint=ENDPOINT, http_client=http, publish_concurrency=concurrency
        ) as dx,
        pytest.raises(KeyboardInterrupt) as caught,
    ):
        dx.publishToTimeSeriesDatabase(DB, "asset-1", records(1000))
    assert type(caught.value) is KeyboardInterrupt
    report = caught.value.__cause__
    assert_consistent(report, fake, 1000)
    if concurrency == 1:  # in the calling thread: the third request was interrupted
        assert report.written_indexes == list(range(200))
        assert report.unconfirmed_indexes == list(range(200, 300))
    elif interrupt is ctrl_c:  # raised in a worker: only that request's batch is unknown
        assert len(report.unconfirmed_indexes) == 100
    else:  # the main thread was interrupted: the workers it had started finished first
        # (a worker still starting when the signal came may be running: at most one batch)
        assert len(report.unconfirmed_indexes) <= 100


def test_cancelling_an_async_publish_tells_which_records_were_written(
    fake: FakeExchange,
) -> None:
    async def main() -> BaseException:
        host = asyncio.current_task()
        assert host is not None
        seen = 0

        async def handle(request: httpx.Request) -> httpx.Response:
            nonlocal seen
            if b"timeSeriesDb_publishToDatabase" in request.content:
                seen += 1
                if seen == 3:
                    host.cancel()  # e.g. asyncio.run() on Ctrl-C, or a timeout
                    await asyncio.sleep(30)
            return fake.handle(request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http:
            dx = AsyncAvistaDigitalExchange(
                TOKEN, endpoint=ENDPOINT, http_client=http, publish_concurrency=1
            )
            try:
                await dx.publishToTimeSeriesDatabase(DB, "asset-1", records(1000))
            except asyncio.CancelledError as cancelled:
                return cancelled
        pytest.fail("the cancellation did not propagate")

    cancelled = asyncio.run(main())
    report = cancelled.__cause__
    assert_consistent(report, fake, 1000)
    assert report.written_indexes == list(range(200))
    assert report.unconfirmed_indexes == list(range(200, 300))
    assert report.failed_indexes == list(range(200, 1000))
    assert len(fake.records[DB]) == 200


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in 3.11")
def test_asyncio_timeout_still_turns_the_cancellation_into_a_timeout_error(
    fake: FakeExchange,
) -> None:
    async def main() -> BaseException:
        async def handle(request: httpx.Request) -> httpx.Response:
            if b"timeSeriesDb_publishToDatabase" in request.content and fake.records:
                await asyncio.sleep(30)  # the second request hangs
            return fake.handle(request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http:
            dx = AsyncAvistaDigitalExchange(
                TOKEN, endpoint=ENDPOINT, http_client=http, publish_concurrency=1
            )
            try:
                async with asyncio.timeout(0.5):
                    await dx.publishToTimeSeriesDatabase(DB, "asset-1", records(300))
            except TimeoutError as timeout:
                return timeout
        pytest.fail("no TimeoutError")

    timeout = asyncio.run(main())
    report = timeout.__cause__.__cause__  # TimeoutError <- CancelledError <- the report
    assert isinstance(report, PublishInterruptedError)
    assert report.written_indexes == list(range(100))
    assert report.unconfirmed_indexes == list(range(100, 200))


def test_ctrl_c_while_submitting_to_the_worker_threads_cancels_what_was_submitted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import concurrent.futures

    from avista_dx._backends import SyncBackend

    submit = concurrent.futures.ThreadPoolExecutor.submit
    submitted = 0

    def submit_then_ctrl_c(pool: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal submitted
        submitted += 1
        if submitted == 6:
            raise KeyboardInterrupt  # Ctrl-C in the calling thread, still submitting
        return submit(pool, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "submit", submit_then_ctrl_c)
    ran: list[int] = []

    def slow(item: int) -> None:
        ran.append(item)
        threading.Event().wait(0.2)

    with pytest.raises(KeyboardInterrupt):
        SyncBackend.run_each(slow, list(range(10)), 4)
    assert len(ran) < 5  # the fifth one submitted, queued behind 4 busy workers, never ran
