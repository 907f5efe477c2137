"""dx.timeSeries's subscriptions and the export helper on the fake exchange, sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from avista_dx import InvalidInputError
from avista_dx.types import TimeSeriesAssetData
from avista_dx.types_time_series import TimeSeriesQueryExport

from .conftest import attach_realtime
from .driver import Driver
from .fake_exchange import FakeExchange
from .test_sdk_iot import next_events

DB = "timeSeriesDbId.1"
EXPORT_NOTICE = "onNotifyTimeSeriesQueryExportComplete"


def test_on_time_series_db_publish_yields_what_each_publish_wrote(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)

    def trigger() -> None:
        realtime.wait_subscribed("onTimeSeriesDbPublish")
        for asset, value in (("other", "9"), ("meter-1", "1.5")):  # another asset: no event
            record = {
                "Time": "1662155084",
                "TimeUnit": "SECONDS",
                "MeasureName": "kwh",
                "MeasureValueType": "DOUBLE",
                "MeasureValue": value,
            }
            # The fake's resolver itself: the client's loop is busy with the subscription.
            fake._publish(None, DB, asset, {"records": [record]})

    (event,) = next_events(
        dx, lambda: dx.client.timeSeries.onTimeSeriesDbPublish(DB, "meter-1"), 1, trigger
    )
    (asset,) = event
    assert isinstance(asset, TimeSeriesAssetData)
    assert asset.assetId == "meter-1"
    assert [(a.name, a.lastValue) for a in asset.attributes] == [("kwh", "1.5")]
    assert realtime.subscriptions == {}  # stopped when the loop ended


def answer_export(fake: FakeExchange, realtime: Any, seen: list[str]) -> Any:
    """The fake's export: it records whether the notice was subscribed when it was asked,
    then pushes the completion."""

    def resolve(info: Any, timeSeriesDbId: str, queryId: str, fileFormat: str = "CSV") -> dict:
        subscribed = any(s.field == EXPORT_NOTICE for s in realtime.subscriptions.values())
        seen.append("subscribed" if subscribed else "not subscribed")
        export = {
            "queryId": queryId,
            "fileType": fileFormat,
            "fileSizeBytes": 12,
            "url": f"https://s3.test/get?key=export-{queryId}",
        }
        fake.emit(EXPORT_NOTICE, {"queryId": queryId}, export)
        return {"queryId": queryId, "timeSeriesDbId": timeSeriesDbId, "fileFormat": fileFormat}

    fake.extra_roots["timeSeriesDb_generateQueryResultExportFile"] = resolve
    return resolve


def test_export_query_result_subscribes_before_triggering_and_returns_the_url(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    seen: list[str] = []
    answer_export(fake, realtime, seen)
    url = dx.timeSeries.exportQueryResult(DB, "query.7", fileFormat="JSON")
    assert url == "https://s3.test/get?key=export-query.7"
    assert seen == ["subscribed"]
    (request,) = fake.requests
    assert request.variables == {"timeSeriesDbId": DB, "queryId": "query.7", "fileFormat": "JSON"}
    assert realtime.subscriptions == {}  # the notice subscription was stopped


def test_on_notify_export_complete_yields_typed_exports(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    export_of = answer_export(fake, realtime, [])

    def trigger() -> None:
        realtime.wait_subscribed(EXPORT_NOTICE)
        export_of(None, DB, "query.8")

    (export,) = next_events(
        dx, lambda: dx.client.timeSeries.onNotifyTimeSeriesQueryExportComplete("query.8"), 1,
        trigger,
    )  # fmt: skip
    assert isinstance(export, TimeSeriesQueryExport)
    assert (export.queryId, export.fileType, export.fileSizeBytes) == ("query.8", "CSV", 12)


def test_bad_arguments_are_refused_before_subscribing(
    dx: Driver, fake: FakeExchange, realtime: Any
) -> None:
    attach_realtime(dx, realtime)
    with pytest.raises(InvalidInputError):
        dx.timeSeries.exportQueryResult(DB, "query.7", fileFormat="XML")
    with pytest.raises(InvalidInputError):
        dx.timeSeries.exportQueryResult(DB, "")
    with pytest.raises(InvalidInputError):
        dx.client.timeSeries.onTimeSeriesDbPublish(DB, "")
    with pytest.raises(InvalidInputError):
        dx.client.timeSeries.onNotifyTimeSeriesQueryExportComplete(None)
    assert fake.requests == []
    assert realtime.sockets_opened == 0
