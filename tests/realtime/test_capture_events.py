# ruff: noqa: E501  (GraphQL documents read best on one line)
"""Data-capture events over a real socket: the capture's lifecycle and publishes reach the
subscribers who may read the capture (its own token too), in commit order."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Exchange, RawClient

CAPTURE = "{ captureId state timeSettings { actualStartTime actualStopTime } }"
ON_START = f"subscription($c: ID!) {{ onStartCapture(captureId: $c) {CAPTURE} }}"
ON_STOP = f"subscription($c: ID!) {{ onStopCapture(captureId: $c) {CAPTURE} }}"
ON_COMPLETE = f"subscription($c: ID!) {{ onNotifyCaptureComplete(captureId: $c) {CAPTURE} }}"
ON_DATA = (
    "subscription($c: ID!) { onCapturePublishData(captureId: $c) { captureId"
    " dataWritten { timestamp userDefinedId value } failedRecords { recordIndex errorType } } }"
)
MODEL = {
    "assets": [
        {
            "userDefinedId": "pump",
            "displayName": "Pump",
            "attributes": [
                {"userDefinedId": "temp", "displayName": "T", "attributeType": "TELEMETRY",
                 "schemaType": "double"},
            ],
        }
    ]
}  # fmt: skip


def _new_capture(exchange: Exchange) -> tuple[str, str]:
    """A READY capture of the owner, not shared; and its token."""
    created = exchange.data(
        "owner",
        'mutation { dataCapture_createCapture(captureType: STANDARD, displayName: "rt") { captureId } }',
    )
    capture_id: str = created["captureId"]
    exchange.data(
        "owner",
        "mutation($c: ID!, $m: DataCaptureDataModelInput!) { dataCapture_updateDataModel("
        "captureId: $c, dataModel: $m) { state } }",
        c=capture_id,
        m=MODEL,
    )
    token = exchange.data(
        "owner",
        "query($c: ID!) { dataCapture_getCaptureAuthenticationToken(captureId: $c) { tokenValue } }",
        c=capture_id,
    )["tokenValue"]
    return capture_id, token


def _mutation(field: str) -> str:
    return f"mutation($c: ID!) {{ {field}(captureId: $c) {{ state }} }}"


def test_capture_events_reach_its_readers_and_its_token(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    capture_id, token = _new_capture(exchange)
    variables = {"c": capture_id}

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        started = await client.start(ON_START, variables)
        data = await client.start(ON_DATA, variables)
        stopped = await client.start(ON_STOP, variables)
        completed = await client.start(ON_COMPLETE, variables)
        by_token = await client.start(ON_DATA, variables, token)
        denied = await client.start(ON_DATA, variables, emulator.tokens["reader"])  # not shared
        await asyncio.to_thread(
            exchange.data, token, _mutation("dataCapture_startCapture"), c=capture_id
        )
        record = {"timestamp": str(time.time_ns() // 1_000_000), "attributeValues": [
            {"userDefinedId": "temp", "value": "2.50"}, {"userDefinedId": "nope", "value": "1"},
        ]}  # fmt: skip
        publish = (
            "mutation($c: ID!, $d: [DataCaptureDataRecordInput]!) { dataCapture_publishData("
            "captureId: $c, data: $d) { captureId } }"
        )
        await asyncio.to_thread(exchange.data, token, publish, c=capture_id, d=[record])
        await asyncio.to_thread(
            exchange.data, "owner", _mutation("dataCapture_stopCapture"), c=capture_id
        )
        messages: list[dict[str, Any]] = [await client.next_message() for _ in range(5)]
        await client.send({"type": "stop", "id": "probe"})
        assert await client.next_message() == {"type": "complete", "id": "probe"}  # nothing else
        await client.close()

        assert [m["id"] for m in messages] == [started, data, by_token, stopped, completed]
        assert denied not in [m["id"] for m in messages]
        start_event = messages[0]["payload"]["data"]["onStartCapture"]
        assert start_event["state"] == "CAPTURING"
        assert start_event["timeSettings"]["actualStartTime"]
        published = messages[1]["payload"]["data"]["onCapturePublishData"]
        assert published["dataWritten"] == [
            {"timestamp": record["timestamp"], "userDefinedId": "temp", "value": "2.5"}
        ]
        assert published["failedRecords"] == [{"recordIndex": 0, "errorType": "InvalidAttributeId"}]
        assert messages[2]["payload"] == messages[1]["payload"]
        assert messages[3]["payload"]["data"]["onStopCapture"]["state"] == "FINISHING"
        assert messages[4]["payload"]["data"]["onNotifyCaptureComplete"]["state"] == "COMPLETE"

    asyncio.run(scenario())


def test_a_capture_token_subscribes_to_nothing_else(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    capture_id, token = _new_capture(exchange)
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator, token)
        message = client.start_message(
            "subscription($d: ID!, $a: ID!) { onTimeSeriesDbPublish(timeSeriesDbId: $d,"
            " assetId: $a) { assetId } }",
            {"d": database_id, "a": "a"},
            token,
        )
        await client.send(message)
        answer = await client.next_message()
        assert answer["type"] == "error"
        assert answer["id"] == message["id"]
        assert [e["errorType"] for e in answer["payload"]["errors"]] == ["UnauthorizedException"]
        assert await client.start(ON_START, {"c": capture_id}, token)
        await client.close()

    asyncio.run(scenario())


def test_gql_receives_a_captures_data_with_the_capture_token(
    emulator: EmulatorHandle, exchange: Exchange
) -> None:
    pytest.importorskip("gql")
    from gql import Client, gql

    from .test_realtime_delivery import first_events, gql_transport

    capture_id, token = _new_capture(exchange)
    exchange.data(token, _mutation("dataCapture_startCapture"), c=capture_id)
    publish = (
        "mutation($c: ID!, $d: [DataCaptureDataRecordInput]!) { dataCapture_publishData("
        "captureId: $c, data: $d) { captureId } }"
    )
    document = gql(
        "subscription($c: ID!) { onCapturePublishData(captureId: $c) { captureId dataWritten { value } } }"
    )

    async def scenario() -> list[dict[str, Any]]:
        async with Client(transport=gql_transport(emulator, token)) as session:
            ready = asyncio.Event()
            events = asyncio.ensure_future(
                first_events(
                    session, document, {"c": capture_id}, 2, ready, emulator.emulator.events
                )
            )
            await ready.wait()
            for offset, value in enumerate(("1.25", "2")):
                record = {"timestamp": str(time.time_ns() // 1_000_000 + offset),
                          "attributeValues": [{"userDefinedId": "temp", "value": value}]}  # fmt: skip
                await asyncio.to_thread(exchange.data, token, publish, c=capture_id, d=[record])
            return await events

    assert asyncio.run(scenario()) == [
        {"onCapturePublishData": {"captureId": capture_id, "dataWritten": [{"value": "1.25"}]}},
        {"onCapturePublishData": {"captureId": capture_id, "dataWritten": [{"value": "2.0"}]}},
    ]
