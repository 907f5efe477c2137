"""A publish's result: the echoed data points become documented models on first use, and the
result is the same as one built eagerly from the merged answers, however it is read."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import httpx
import pydantic
import pytest

from avista_dx import (
    AvistaDigitalExchange,
    DxError,
    InvalidResponseError,
    PartialPublishError,
    TimeSeriesAssetAttribute,
    TimeSeriesAssetAttributeData,
    TimeSeriesAssetData,
    records_from_rows,
)

URL = "http://exchange.test/graphql"
ROWS = [{"time": 1_700_000_000_000 + i, "kwh": i * 0.5, "volts": 230.0} for i in range(250)]
RECORDS = records_from_rows(ROWS, measure_name="reading")


def stamp(ms: int) -> str:
    return f"t{ms}"


def answer_of(records: list[dict[str, Any]], repeat_first: bool = False) -> dict[str, Any]:
    """As the exchange answers: each attribute's last value and the request's data points."""
    attributes = []
    for name in ("kwh", "volts"):
        data = [
            {"timestamp": stamp(int(r["Time"])), "value": v["Value"]}
            for r in records
            for v in r["MeasureValues"]
            if v["Name"] == name
        ]
        if repeat_first:
            data.append({"timestamp": "t-first", "value": "1"})  # the same point in each answer
        attributes.append(
            {
                "name": name,
                "attributeType": "DOUBLE",
                "lastValue": data[-1]["value"],
                "lastValueTime": data[-1]["timestamp"],
                "data": data,
            }
        )
    return {
        "data": {
            "timeSeriesDb_publishToDatabase": [
                {"assetId": "asset", "name": "Meter", "attributes": attributes}
            ]
        }
    }


def publish(answer: Any, **kwargs: Any) -> list[TimeSeriesAssetData]:
    def reply(request: httpx.Request) -> httpx.Response:
        records = json.loads(request.content)["variables"]["data"]["records"]
        return httpx.Response(200, json=answer(records))

    with httpx.Client(transport=httpx.MockTransport(reply)) as http:
        dx = AvistaDigitalExchange("token", endpoint=URL, http_client=http, publish_concurrency=1)
        return dx.publishToTimeSeriesDatabase("db", "asset", RECORDS, **kwargs)


def eager() -> TimeSeriesAssetData:
    """The merged result built eagerly, as documented models from the start."""
    attributes = []
    for name in ("kwh", "volts"):
        data = [{"timestamp": stamp(row["time"]), "value": repr(row[name])} for row in ROWS]
        data.insert(100, {"timestamp": "t-first", "value": "1"})  # after the first request's
        attributes.append(
            {
                "name": name,
                "attributeType": "DOUBLE",
                "lastValue": "1",
                "lastValueTime": "t-first",
                "data": data,
            }
        )
    return TimeSeriesAssetData.model_validate(
        {"assetId": "asset", "name": "Meter", "attributes": attributes}
    )


def lazy() -> TimeSeriesAssetData:
    (asset,) = publish(lambda records: answer_of(records, repeat_first=True))
    return asset


def pending(asset: TimeSeriesAssetData) -> list[bool]:
    return ["data" not in vars(a) for a in asset.attributes]


def test_data_points_are_built_on_first_use_and_merged_as_before() -> None:
    asset = lazy()
    assert pending(asset) == [True, True]
    data = asset.attributes[0].data
    assert pending(asset) == [False, True]
    assert data is asset.attributes[0].data  # built once, then an ordinary list
    assert all(type(point) is TimeSeriesAssetAttributeData for point in data)
    # Each request's points once, and the point every answer repeats only once.
    assert len(data) == 251
    assert data == eager().attributes[0].data


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda a: a, id="=="),
        pytest.param(repr, id="repr"),
        pytest.param(str, id="str"),
        pytest.param(lambda a: a.model_dump(), id="model_dump"),
        pytest.param(lambda a: a.model_dump(exclude_unset=True), id="model_dump unset"),
        pytest.param(lambda a: a.model_dump_json(), id="model_dump_json"),
        pytest.param(lambda a: [dict(x) for x in a.attributes], id="iteration"),
        pytest.param(lambda a: copy.copy(a.attributes[0]), id="copy"),
        pytest.param(copy.deepcopy, id="deepcopy"),
        pytest.param(lambda a: a.model_copy(deep=True), id="model_copy"),
        pytest.param(lambda a: pickle.loads(pickle.dumps(a)), id="pickle"),
        pytest.param(lambda a: a.attributes[1].model_copy(update={"name": "x"}), id="update"),
    ],
)
def test_a_lazy_result_reads_as_the_eager_one(read: Any) -> None:
    assert read(lazy()) == read(eager())


def test_nested_in_a_callers_model_it_serializes_its_data() -> None:
    class Report(pydantic.BaseModel):
        asset: TimeSeriesAssetData
        anything: Any

    built, reference = lazy(), eager()
    report = Report(asset=built, anything=built.attributes[1])
    assert (
        report.model_dump()
        == Report(asset=reference, anything=reference.attributes[1]).model_dump()
    )
    assert (
        report.model_dump_json()
        == Report(asset=reference, anything=reference.attributes[1]).model_dump_json()
    )


def test_an_assigned_data_list_wins_over_the_pending_one() -> None:
    attribute = lazy().attributes[0]
    attribute.data = []
    assert attribute.data == []
    assert attribute == TimeSeriesAssetAttribute.model_validate(
        {**eager().attributes[0].model_dump(), "data": []}
    )


def test_without_data_kept_only_the_last_values_remain() -> None:
    (asset,) = publish(lambda records: answer_of(records, repeat_first=True), keep_data=False)
    assert pending(asset) == [False, False]
    reference = eager()
    for attribute in reference.attributes:
        attribute.data = []
    assert asset == reference


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: p.update(value=1.5), id="a number for a value"),
        pytest.param(lambda p: p.pop("timestamp"), id="a point without its time"),
        pytest.param(lambda p: p.update(timestamp=None), id="a null time"),
    ],
)
def test_a_bad_data_point_is_a_typed_error_at_once(spoil: Any) -> None:
    def answer(records: list[dict[str, Any]]) -> dict[str, Any]:
        body = answer_of(records)
        spoil(body["data"]["timeSeriesDb_publishToDatabase"][0]["attributes"][1]["data"][-1])
        return body

    for keep_data in (True, False):
        # The first request's answer is bad: the others are not sent (it would repeat).
        with pytest.raises(PartialPublishError) as caught:
            publish(answer, keep_data=keep_data)
        assert list(caught.value.errors) == [0]
        assert isinstance(caught.value.errors[0], InvalidResponseError)
        assert "data" in str(caught.value.errors[0])


def test_null_points_attributes_and_assets_are_skipped_as_before() -> None:
    def answer(records: list[dict[str, Any]]) -> dict[str, Any]:
        body = answer_of(records)
        assets = body["data"]["timeSeriesDb_publishToDatabase"]
        assets[0]["attributes"][0]["data"].insert(0, None)
        assets[0]["attributes"].append(None)
        assets.append(None)
        return body

    (asset,) = publish(answer)
    assert [len(a.data) for a in asset.attributes] == [250, 250]


def test_results_are_merged_in_the_requests_order_as_soon_as_they_can_be() -> None:
    from avista_dx._publish_request import Answer, CheckedAnswer, adapt
    from avista_dx._publishing import PublishOutcome, aggregate, make_batches

    def result(index: int) -> CheckedAnswer:
        # Equal last-value times: the later request's value wins, so order matters.
        point = {"timestamp": f"t{index}", "value": "1"}
        attribute = {"name": "p", "attributeType": "DOUBLE", "lastValue": str(index),
                     "lastValueTime": "t", "data": [point]}  # fmt: skip
        data = {"timeSeriesDb_publishToDatabase": [
            {"assetId": "a", "name": f"name {index}", "attributes": [attribute]}]}  # fmt: skip
        return adapt(Answer(data, json.dumps({"data": data}).encode()))

    outcome = PublishOutcome("publishToTimeSeriesDatabase", make_batches(RECORDS))
    first, second, third = outcome.batches
    outcome.succeeded(third, result(2))
    outcome.succeeded(first, result(0))
    assert list(outcome._waiting) == [third.start]  # waits for the second request
    outcome.succeeded(second, result(1))
    assert outcome._waiting == {}
    assert outcome.finish() == aggregate([result(0), result(1), result(2)])
    (merged,) = outcome.finish()
    assert (merged.name, merged.attributes[0].lastValue) == ("name 2", "2")
    assert [p.timestamp for p in merged.attributes[0].data] == ["t0", "t1", "t2"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"data": None, "errors": [{"message": "boom"}]}, id="errors, no data"),
        pytest.param(
            {"data": {"timeSeriesDb_publishToDatabase": []}, "errors": [{"message": "boom"}]},
            id="errors beside data",
        ),
    ],
)
def test_graphql_errors_in_an_answer_are_raised_as_before(body: dict[str, Any]) -> None:
    with pytest.raises(DxError) as caught:
        publish(lambda records: body)
    error = (
        caught.value.errors[0] if isinstance(caught.value, PartialPublishError) else caught.value
    )
    assert not isinstance(error, InvalidResponseError)
    assert "boom" in str(error)


def test_an_answer_that_is_not_json_is_a_typed_error() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>", headers={"Content-Type": "text/html"})

    with httpx.Client(transport=httpx.MockTransport(reply)) as http:
        dx = AvistaDigitalExchange("token", endpoint=URL, http_client=http)
        with pytest.raises(InvalidResponseError):
            dx.publishToTimeSeriesDatabase("db", "asset", RECORDS[:10])
