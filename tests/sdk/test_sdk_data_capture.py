"""dx.dataCapture (the 1.2.1 names and DxTypes) on the fake exchange, sync and async."""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from avista_dx import DxTypes, InvalidInputError
from avista_dx.errors import BadRequestError

from .conftest import attach_realtime
from .driver import Clients, Driver
from .fake_exchange import ENDPOINT, TOKEN, FakeExchange
from .test_sdk_iot import next_events, sent


def capturing(fake: FakeExchange) -> None:
    fake.iot.captures["captureId.1"]["state"] = "CAPTURING"


def test_start_then_stop_capture(dx: Driver, fake: FakeExchange) -> None:
    started = dx.dataCapture.startCapture(captureId="captureId.1")
    assert isinstance(started, DxTypes.StartCaptureResult)
    assert (started.success, started.captureId, started.error) == (True, "captureId.1", None)
    assert started.startedAt == "2026-02-01T10:00:00.000Z"
    assert started.capture is not None
    assert started.capture.state == "CAPTURING"
    stopped = dx.dataCapture.stopCapture("captureId.1")
    assert isinstance(stopped, DxTypes.StopCaptureResult)
    assert stopped.stoppedAt == "2026-02-01T10:00:00.000Z"
    assert stopped.capture is not None
    assert stopped.capture.state == "FINISHING"


def test_a_capture_in_the_wrong_state_raises(dx: Driver) -> None:
    with pytest.raises(BadRequestError, match="not CAPTURING"):
        dx.dataCapture.stopCapture("captureId.1")


def test_publish_data_sends_attribute_values_and_matches_failures_back(
    dx: Driver, fake: FakeExchange
) -> None:
    capturing(fake)
    data = [
        DxTypes.CaptureDataRecordInput(
            timestamp="1700000000000",
            timeUnit="MILLISECONDS",
            attributeValues={"temperature": 21.5, "running": True},
        ),
        {"timestamp": 1700000001000, "attributeValues": {"temperature": "22", "pressure": 3}},
    ]
    before = copy.deepcopy(data)
    result = dx.dataCapture.publishData(captureId="captureId.1", data=data)
    assert data == before
    assert isinstance(result, DxTypes.PublishCaptureDataResult)
    (variables,) = sent(fake, "dataCapture_publishData")
    assert variables["data"] == [
        {
            "timestamp": "1700000000000",
            "attributeValues": [
                {"userDefinedId": "temperature", "value": "21.5"},
                {"userDefinedId": "running", "value": "true"},
            ],
        },
        {
            "timestamp": "1700000001000",
            "attributeValues": [
                {"userDefinedId": "temperature", "value": "22"},
                {"userDefinedId": "pressure", "value": "3"},
            ],
        },
    ]
    assert result.success is False
    assert result.error == "1 values were not written"
    assert [(r.attributeId, r.attributeValue, r.timestamp) for r in result.recordsWritten] == [
        ("temperature", "21.5", "1700000000000"),
        ("running", "true", "1700000000000"),
        ("temperature", "22", "1700000001000"),
    ]
    (failed,) = result.recordsFailed
    assert (failed.attributeId, failed.attributeValue, failed.timestamp) == (
        "pressure",
        "3",
        "1700000001000",
    )
    assert (failed.recordIndex, failed.attributeIndex, failed.errorType) == (
        1,
        1,
        "InvalidAttributeId",
    )
    assert failed.message == "no attribute pressure"


def test_an_iso_timestamp_is_sent_as_epoch_ms(dx: Driver, fake: FakeExchange) -> None:
    capturing(fake)
    record = {
        "timestamp": "2023-11-14T22:13:20.000Z",
        "timeUnit": "ISO8601",
        "attributeValues": {"temperature": 1},
    }
    assert dx.dataCapture.publishData("captureId.1", [record]).success is True
    assert sent(fake, "dataCapture_publishData")[0]["data"][0]["timestamp"] == "1700000000000"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([], "non-empty"),
        ([{"timestamp": "1", "attributeValues": {}}], "empty"),
        ([{"timestamp": "soon", "attributeValues": {"temperature": 1}}], "epoch"),
        ([{"timestamp": "1", "timeUnit": "SECONDS", "attributeValues": {"a": 1}}], "timeUnit"),
        ([{"attributeValues": {"temperature": 1}}], "CaptureDataRecordInput"),
        ([{"timestamp": "1", "attributeValues": {"temperature": None}}], "string, number"),
    ],
)
def test_bad_records_are_refused_before_sending(
    dx: Driver, fake: FakeExchange, data: Any, match: str
) -> None:
    with pytest.raises(InvalidInputError, match=match):
        dx.dataCapture.publishData("captureId.1", data)
    assert sent(fake, "dataCapture_publishData") == []


@pytest.fixture
def sync_dx(fake: FakeExchange) -> Iterator[Driver]:
    """The sync client only: 1.2.1's one client."""
    clients = Clients("sync")
    yield clients.driver(httpx.MockTransport(fake.handle), token=TOKEN, endpoint=ENDPOINT)
    clients.close()


def test_sync_results_may_be_awaited_as_1_2_1_code_does(sync_dx: Driver) -> None:
    dx = sync_dx

    async def main() -> Any:
        started = await dx.client.dataCapture.startCapture(captureId="captureId.1")
        record = DxTypes.CaptureDataRecordInput(
            timestamp="1", timeUnit="MILLISECONDS", attributeValues={"temperature": 1}
        )
        published = await dx.client.dataCapture.publishData(captureId="captureId.1", data=[record])
        return started, published

    started, published = asyncio.run(main())
    assert started.success is True
    assert published.success is True


def publish_one(fake: FakeExchange, realtime: Any) -> None:
    realtime.wait_subscribed("onCapturePublishData")
    fake.iot._publish_capture(
        None,
        "captureId.1",
        [
            {
                "timestamp": "5",
                "attributeValues": [
                    {"userDefinedId": "temperature", "value": "30"},
                    {"userDefinedId": "colour", "value": "red"},
                ],
            }
        ],
    )


def test_subscribe_to_data_yields_typed_events(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    capturing(fake)
    (event,) = next_events(
        dx,
        lambda: dx.client.dataCapture.subscribeToData(captureId="captureId.1"),
        1,
        lambda: publish_one(fake, realtime),
    )
    assert isinstance(event, DxTypes.PublishCaptureDataResult)
    assert event.captureId == "captureId.1"
    assert [(r.attributeId, r.attributeValue) for r in event.recordsWritten] == [
        ("temperature", "30")
    ]
    (failed,) = event.recordsFailed
    assert (failed.recordIndex, failed.attributeIndex, failed.attributeId) == (0, 1, None)
    assert realtime.subscriptions == {}


def test_the_sync_clients_subscription_accepts_async_for(
    sync_dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    dx = sync_dx
    attach_realtime(dx, realtime)
    capturing(fake)

    async def main() -> list[Any]:
        thread = threading.Thread(target=publish_one, args=(fake, realtime))
        thread.start()
        got = []
        events = dx.client.dataCapture.subscribeToData(captureId="captureId.1")
        async for result in events:
            got.append(result)
            break
        await events.aclose()
        thread.join()
        return got

    (event,) = asyncio.run(main())
    assert event.recordsWritten[0].attributeValue == "30"
    assert realtime.subscriptions == {}
