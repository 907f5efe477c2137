# ruff: noqa: E501  (GraphQL documents read best on one line)
"""``dataCapture_publishData``: values checked against the data model, failures reported per
record and attribute; the events of the lifecycle and of publishing; the Python sample."""

from __future__ import annotations

import ast
import csv
import io
import json
from typing import Any

import httpx

from avista_dx.emulator.realtime import Subscription

from . import capture_helpers as ch
from .conftest import Harness


def _record(time_ms: int, *values: tuple[str, str]) -> dict[str, Any]:
    return {
        "timestamp": str(time_ms),
        "attributeValues": [{"userDefinedId": i, "value": v} for i, v in values],
    }


def _failures(result: dict[str, Any]) -> list[tuple[int, int | None, str]]:
    return [
        (f["recordIndex"], f["attributeIndex"], f["errorType"]) for f in result["failedRecords"]
    ]


def test_values_are_checked_one_by_one(harness: Harness) -> None:
    capture_id = ch.capturing(harness)
    t = ch.now_ms()
    data = [
        _record(t, ("temp", "1.50"), ("count", "+7"), ("on", "TRUE"), ("note", " free text ")),
        _record(
            t + 1, ("temp", "warm"), ("count", "1.5"), ("on", "yes"), ("nope", "1"), ("temp", "2")
        ),
        {"timestamp": "yesterday", "attributeValues": [{"userDefinedId": "temp", "value": "1"}]},
        {
            "timestamp": str(t + 3_600_000),
            "attributeValues": [{"userDefinedId": "temp", "value": "1"}],
        },
        _record(t, ("temp", "3")),
        {"timestamp": str(t + 2), "attributeValues": []},
        None,
        _record(t + 4, ("count", "9223372036854775808"), ("temp", "1e400"), ("count", "-12")),
    ]
    result = harness.data("writer", ch.PUBLISH, c=capture_id, d=data)
    assert result["captureId"] == capture_id
    assert _failures(result) == [
        (1, 0, "ValueTypeError"),
        (1, 1, "ValueTypeError"),
        (1, 2, "ValueTypeError"),
        (1, 3, "InvalidAttributeId"),
        (2, None, "InvalidTimestamp"),
        (3, None, "InvalidTimestamp"),
        (4, 0, "RecordExists"),
        (5, None, "Unknown"),
        (6, None, "Unknown"),
        (7, 0, "ValueTypeError"),
        (7, 1, "ValueTypeError"),
    ]
    assert all(f["message"] for f in result["failedRecords"])
    assert result["dataWritten"] == [
        {"timestamp": str(t), "userDefinedId": "temp", "value": "1.5"},
        {"timestamp": str(t), "userDefinedId": "count", "value": "7"},
        {"timestamp": str(t), "userDefinedId": "on", "value": "true"},
        {"timestamp": str(t), "userDefinedId": "note", "value": " free text "},
        {"timestamp": str(t + 1), "userDefinedId": "temp", "value": "2.0"},
        {"timestamp": str(t + 4), "userDefinedId": "count", "value": "-12"},
    ]
    assert result["logs"] == [{"error": True, "message": "6 values written, 11 failed"}]


def test_a_stored_value_is_never_overwritten(harness: Harness) -> None:
    capture_id = ch.capturing(harness)
    t = ch.now_ms()
    first = harness.data("owner", ch.PUBLISH, c=capture_id, d=[_record(t, ("temp", "1"))])
    assert first["failedRecords"] == []
    again = harness.data(
        "owner", ch.PUBLISH, c=capture_id, d=[_record(t, ("temp", "2"), ("count", "3"))]
    )
    assert _failures(again) == [(0, 0, "RecordExists")]
    assert again["dataWritten"] == [{"timestamp": str(t), "userDefinedId": "count", "value": "3"}]
    export = harness.data(
        "owner",
        "query($c: ID!) { dataCapture_getActiveCaptureDataExportDownloadUrl(captureId: $c) { exportType state url } }",
        c=capture_id,
    )
    assert export["exportType"] == "ACTIVE_CAPTURE_EXPORT"
    rows = list(csv.reader(io.StringIO(harness.client.get(export["url"]).text)))
    assert rows == [["timestamp", "temp", "count", "on", "note"], [str(t), "1.0", "3", "", ""]]


def test_the_full_export_holds_every_value(harness: Harness) -> None:
    capture_id = ch.capturing(harness)
    t = ch.now_ms() - 10_000
    data = [
        _record(t + i, ("temp", f"{i}.5"), ("note", 'say "hi", then\nleave')) for i in range(250)
    ]
    result = harness.data("writer", ch.PUBLISH, c=capture_id, d=data)
    assert len(result["dataWritten"]) == 500
    harness.data("writer", ch.STOP, c=capture_id)
    export = harness.data("reader", ch.FULL_EXPORT, c=capture_id)
    assert export["exportType"] == "FULL_EXPORT"
    assert export["name"] == f"{capture_id}-full.csv"
    assert export["logs"] == ["250 rows exported"]
    response = harness.client.get(export["url"])
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    assert rows[0] == ["timestamp", "temp", "count", "on", "note"]
    assert rows[1:] == [[str(t + i), f"{i}.5", "", "", 'say "hi", then\nleave'] for i in range(250)]


def _subscribe(
    h: Harness, field: str, capture_id: str, role: str, log: list[tuple[str, str, Any]]
) -> None:
    """A broker subscription of ``role`` to ``field(captureId)`` recording what it receives."""
    subscription = Subscription(
        id=f"{role}:{field}",
        field=field,
        arguments={"captureId": capture_id},
        caller=ch.caller(h, role),
        render_key=field,
        render=lambda payload: {"data": {field: payload}},
        deliver=lambda sub, message: log.append((sub.id, *_decoded(message))),
    )
    h.emulator.events.subscribe(subscription, '{"type":"start_ack"}')


def _decoded(message: str) -> tuple[str, Any]:
    decoded = json.loads(message)
    if decoded["type"] != "data":
        return decoded["type"], None
    (payload,) = decoded["payload"]["data"].values()
    return "data", payload


FIELDS = ("onStartCapture", "onCapturePublishData", "onStopCapture", "onNotifyCaptureComplete")


def test_events_follow_the_mutations_that_committed(harness: Harness) -> None:
    capture_id = ch.new_capture(harness)
    other = ch.new_capture(harness)
    log: list[tuple[str, str, Any]] = []
    for field in FIELDS:
        for role in ("owner", "reader", "outsider"):
            _subscribe(harness, field, capture_id, role, log)
    acks = [entry for entry in log if entry[1] == "start_ack"]
    assert len(acks) == 12
    log.clear()
    harness.data("owner", ch.START, c=other)  # another capture: no event here
    harness.data("owner", ch.START, c=capture_id)
    harness.gql("owner", ch.START, c=capture_id)  # refused: no event
    published = harness.data(
        "writer", ch.PUBLISH, c=capture_id, d=[_record(ch.now_ms(), ("temp", "1"))]
    )
    harness.data("owner", ch.STOP, c=capture_id)
    harness.data(
        "owner",
        "mutation($c: ID!) { dataCapture_notifyCaptureComplete(captureId: $c) { state } }",
        c=capture_id,
    )
    received = [(sub, payload.get("state")) for sub, _, payload in log]
    assert received == [
        ("owner:onStartCapture", "CAPTURING"), ("reader:onStartCapture", "CAPTURING"),
        ("owner:onCapturePublishData", None), ("reader:onCapturePublishData", None),
        ("owner:onStopCapture", "FINISHING"), ("reader:onStopCapture", "FINISHING"),
        ("owner:onNotifyCaptureComplete", "COMPLETE"), ("reader:onNotifyCaptureComplete", "COMPLETE"),
        ("owner:onNotifyCaptureComplete", "COMPLETE"), ("reader:onNotifyCaptureComplete", "COMPLETE"),
    ]  # fmt: skip
    assert log[2][2]["dataWritten"] == published["dataWritten"]
    assert log[2][2]["captureId"] == capture_id


def test_the_python_sample_publishes_valid_data(harness: Harness) -> None:
    capture_id = ch.capturing(harness)
    sample = harness.data(
        "reader", "query($c: ID!) { dataCapture_getPythonSDKSample(captureId: $c) }", c=capture_id
    )
    tree = ast.parse(sample)  # a syntax error fails here
    compile(tree, "sample.py", "exec")
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [(n.module, [a.name for a in n.names]) for n in imports] == [
        ("avista_dx", ["AvistaDigitalExchange"])
    ]
    calls = [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert "dx.dataCapture.publishData" in calls
    (constant,) = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "CAPTURE_ID"
    ]
    assert ast.literal_eval(constant.value) == capture_id
    (record,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value == "attributeValues" for k in n.keys)
    ]
    values = next(
        v
        for k, v in zip(record.keys, record.values, strict=True)
        if isinstance(k, ast.Constant) and k.value == "attributeValues"
    )
    attribute_values = ast.literal_eval(values)
    assert [v["userDefinedId"] for v in attribute_values] == ["temp", "count", "on", "note"]
    result = harness.data(
        "owner",
        ch.PUBLISH,
        c=capture_id,
        d=[{"timestamp": str(ch.now_ms()), "attributeValues": attribute_values}],
    )
    assert result["failedRecords"] == []
    assert len(result["dataWritten"]) == 4
    assert "dxemu_" not in sample  # never a token


def test_publishing_works_over_real_http_with_the_capture_token() -> None:
    from .conftest import make_http_harness

    for harness in make_http_harness():
        capture_id = harness.ids["capture"]
        token = ch.token_of(harness, capture_id)
        result = harness.data(
            token, ch.PUBLISH, c=capture_id, d=[_record(ch.now_ms(), ("temperature", "55"))]
        )
        assert result["dataWritten"][0]["value"] == "55.0"
        export = harness.data(
            "owner",
            "query($c: ID!) { dataCapture_getActiveCaptureDataExportDownloadUrl(captureId: $c) { url } }",
            c=capture_id,
        )
        rows = list(csv.reader(io.StringIO(httpx.get(export["url"]).text)))
        assert rows[0] == ["timestamp", "temperature", "pressure", "running"]
        assert len(rows) == 12  # ten seeded readings and this one
