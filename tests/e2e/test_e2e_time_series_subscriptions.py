"""dx.timeSeries's subscriptions and export helper end to end against the emulator, sync and
async."""

from __future__ import annotations

import httpx
import pytest
from sdk.driver import Driver
from sdk.test_sdk_iot import next_events

from avista_dx import AvistaDigitalExchange
from avista_dx.emulator.runner import EmulatorHandle

from .test_e2e_iot import wait_for_subscriptions
from .test_e2e_namespaces import _published

pytest.importorskip("websockets", reason="the realtime extra is not installed")


def test_export_query_result_returns_the_file_of_a_structured_query(dx: Driver) -> None:
    database = _published(dx)
    result = dx.timeSeries.queryDatabase(
        database.timeSeriesDbId, "LAST_X_ROWS", ["meter-1"], maxRows=10
    )
    url = dx.timeSeries.exportQueryResult(database.timeSeriesDbId, result.queryId)
    exported = httpx.get(url).raise_for_status().text
    assert "meter-1" in exported
    assert exported.count("\n") >= 3  # a header and the three records


def test_on_time_series_db_publish_receives_the_next_publish(
    dx: Driver, dx_emulator: EmulatorHandle
) -> None:
    database = dx.timeSeries.createDatabase("e2e live")
    subscribed = dx_emulator.emulator.events.subscription_count() + 1

    def publish_once_subscribed() -> None:
        wait_for_subscriptions(dx_emulator, subscribed)
        # Its own sync client: the async client's loop is busy with the subscription.
        with AvistaDigitalExchange(dx_emulator.tokens["owner"], endpoint=dx_emulator.url) as other:
            record = other.createTimeSeriesInputRecord(
                "1700000000", "SECONDS", "kwh", "DOUBLE", "4.5"
            )
            other.publishToTimeSeriesDatabase(database.timeSeriesDbId, "meter-9", [record])

    (event,) = next_events(
        dx,
        lambda: dx.client.timeSeries.onTimeSeriesDbPublish(database.timeSeriesDbId, "meter-9"),
        1,
        publish_once_subscribed,
    )
    (asset,) = event
    assert asset.assetId == "meter-9"
    assert [(a.name, a.lastValue) for a in asset.attributes] == [("kwh", "4.5")]
    dx.timeSeries.deleteDatabase(database.timeSeriesDbId)
