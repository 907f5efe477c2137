"""The subscription documents of the namespaces and the typing of their events (I/O-free).

They travel over the real-time WebSocket (avista_dx/_realtime, docs/protocol.md §6), not
through the generated client (whose sync pass cannot hold subscriptions), so the documents are
here; tests validate them against schema.graphql. Their selections are those of the matching
mutations in queries/ (`iot_publish`, `timeSeriesDb_publishToDatabase`;
`dataCapture_publishData`'s is in `_data_capture`), so an event has the type of that
mutation's result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._validation import require_id
from .errors import InvalidResponseError
from .types import DxModel, TimeSeriesAssetData
from .types_iot import IotQueryExport, PublishIotDataResult
from .types_time_series import TimeSeriesQueryExport

T = TypeVar("T")
M = TypeVar("M", bound=DxModel)

_IOT_RECORD = "iotEndpointId timestamp attributes { name schemaType value }"

ON_IOT_PUBLISH = (
    "subscription onIotPublish($iotEndpointId: ID!) {"
    " onIotPublish(iotEndpointId: $iotEndpointId) {"
    f" iotEndpointId recordsWritten {{ {_IOT_RECORD} }}"
    f" failedRecords {{ record {{ {_IOT_RECORD} }} errors {{ errorType errorMessage }} }}"
    " } }"
)

ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE = (
    "subscription onNotifyIotQueryExportComplete($queryId: String!) {"
    " onNotifyIotQueryExportComplete(queryId: $queryId) { queryId fileFormat fileSizeBytes url }"
    " }"
)

_ASSET_DATA = (
    "assetId name attributes { name attributeType lastValue lastValueTime"
    " data { timestamp value } }"
)

ON_TIME_SERIES_DB_PUBLISH = (
    "subscription onTimeSeriesDbPublish($timeSeriesDbId: ID!, $assetId: ID!) {"
    " onTimeSeriesDbPublish(timeSeriesDbId: $timeSeriesDbId, assetId: $assetId) {"
    f" {_ASSET_DATA} }} }}"
)

ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE = (
    "subscription onNotifyTimeSeriesQueryExportComplete($queryId: String!) {"
    " onNotifyTimeSeriesQueryExportComplete(queryId: $queryId) {"
    " queryId fileType fileSizeBytes url } }"
)


@dataclass(frozen=True, slots=True)
class SubscriptionCall(Generic[T]):
    """A subscription ready to start: its document, variables, and how to type an event."""

    operation: str  # the root field, also the operation's name
    query: str
    variables: Mapping[str, Any]
    adapt: Callable[[Mapping[str, Any]], T]


def _event(model_type: type[M], root: str) -> Callable[[Mapping[str, Any]], M]:
    def adapt(data: Mapping[str, Any]) -> M:
        payload = data.get(root)
        if not isinstance(payload, Mapping):
            raise InvalidResponseError(f"the {root} event carries no object", operation=root)
        return model_type.model_validate(payload)  # the wire's names are the documented ones

    return adapt


def _event_list(model_type: type[M], root: str) -> Callable[[Mapping[str, Any]], list[M]]:
    """An event whose payload is a list of objects (null entries left out)."""

    def adapt(data: Mapping[str, Any]) -> list[M]:
        payload = data.get(root)
        if isinstance(payload, str | bytes) or not isinstance(payload, Sequence):
            raise InvalidResponseError(f"the {root} event carries no list", operation=root)
        return [model_type.model_validate(item) for item in payload if item is not None]

    return adapt


def on_iot_publish(endpoint_id: str) -> SubscriptionCall[PublishIotDataResult]:
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return SubscriptionCall(
        "onIotPublish",
        ON_IOT_PUBLISH,
        {"iotEndpointId": endpoint_id},
        _event(PublishIotDataResult, "onIotPublish"),
    )


def on_iot_query_export_complete(query_id: str) -> SubscriptionCall[IotQueryExport]:
    query_id = require_id("queryId", query_id)
    return SubscriptionCall(
        "onNotifyIotQueryExportComplete",
        ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE,
        {"queryId": query_id},
        _event(IotQueryExport, "onNotifyIotQueryExportComplete"),
    )


def on_time_series_db_publish(
    db_id: str, asset_id: str
) -> SubscriptionCall[list[TimeSeriesAssetData]]:
    db_id = require_id("timeSeriesDbId", db_id)
    asset_id = require_id("assetId", asset_id)
    return SubscriptionCall(
        "onTimeSeriesDbPublish",
        ON_TIME_SERIES_DB_PUBLISH,
        {"timeSeriesDbId": db_id, "assetId": asset_id},
        _event_list(TimeSeriesAssetData, "onTimeSeriesDbPublish"),
    )


def on_time_series_query_export_complete(
    query_id: str,
) -> SubscriptionCall[TimeSeriesQueryExport]:
    query_id = require_id("queryId", query_id)
    return SubscriptionCall(
        "onNotifyTimeSeriesQueryExportComplete",
        ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE,
        {"queryId": query_id},
        _event(TimeSeriesQueryExport, "onNotifyTimeSeriesQueryExportComplete"),
    )
