"""Raw GraphQL helpers for the IoT tests (the emulator suite never imports the SDK)."""

from __future__ import annotations

import time
from typing import Any

from .conftest import Harness

ENDPOINT_FIELDS = (
    "{ iotEndpointId iotHubId modelId ownerUserId name description"
    " properties { name attributeType schemaType description defaultValue writable value"
    " timestamp }"
    " telemetry { name attributeType schemaType description index } }"
)
MODEL_FIELDS = (
    "{ modelId dtmi ownerUserId displayName description"
    " properties { name attributeType schemaType description defaultValue writable index }"
    " telemetry { name attributeType schemaType description index } }"
)
PUBLISH = (
    "mutation($e: ID!, $data: [IotDataRecordInput]!) { iot_publish(iotEndpointId: $e, data: $data)"
    " { iotEndpointId recordsWritten { iotEndpointId timestamp"
    " attributes { name value schemaType } }"
    " failedRecords { record { timestamp attributes { name value } }"
    " errors { errorType errorMessage } } } }"
)
QUERY = (
    "query($f: [EndpointQueryFilter]!, $s: String!, $e: String!, $n: String, $c: String,"
    " $q: String, $qs: String) { iot_queryByTimeRange(endpointQueryFilters: $f, startTime: $s,"
    " endTime: $e, nextToken: $n, clientToken: $c, queryId: $q, queryString: $qs)"
    " { queryId queryString nextToken clientToken startTime endTime resultChunkIndex"
    " presignedUrl } }"
)
EXPORT = (
    "mutation($q: ID!) { iot_generateQueryResultExport(queryId: $q, fileFormat: CSV)"
    " { queryId fileFormat } }"
)
NOTIFY = (
    "mutation($q: String!) { iot_notifyQueryExportComplete(queryId: $q, fileFormat: CSV)"
    " { queryId fileFormat fileSizeBytes url } }"
)
LAST_VALUES = (
    "{ queryId nextToken clientToken resultChunkIndex resultStoredInS3 presignedUrl"
    " data { iotEndpointId telemetryValues { telemetryModel { name schemaType } value"
    " timestamp } } }"
)


def now_ms() -> int:
    return int(time.time() * 1000)


def record(timestamp: int, unit: str | None = "MILLISECONDS", **values: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "timestamp": str(timestamp),
        "attributes": [{"name": k, "value": v} for k, v in values.items()],
    }
    if unit is not None:
        entry["timeUnit"] = unit
    return entry


def endpoint_token(h: Harness, key: str = "iotEndpoint") -> str:
    token = h.data(
        "owner",
        "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e) { tokenValue } }",
        e=h.ids[key],
    )
    value: str = token["tokenValue"]
    return value


def publish(h: Harness, role: str, endpoint_id: str, data: list[dict[str, Any]]) -> Any:
    return h.data(role, PUBLISH, e=endpoint_id, data=data)


def run_query(
    h: Harness, role: str, filters: list[dict[str, Any]], start: int, end: int
) -> list[dict[str, Any]]:
    """Every page of a time-range query, passing back what each page returned."""
    pages = [h.data(role, QUERY, f=filters, s=str(start), e=str(end))]
    while pages[-1]["nextToken"]:
        last = pages[-1]
        pages.append(
            h.data(
                role, QUERY, f=filters, s=str(start), e=str(end), n=last["nextToken"],
                c=last["clientToken"], q=last["queryId"], qs=last["queryString"],
            )
        )  # fmt: skip
    return pages


def wait_for_export(h: Harness, role: str, query_id: str, timeout: float = 20.0) -> Any:
    """Polls ``iot_notifyQueryExportComplete`` until the export is complete."""
    deadline = time.monotonic() + timeout
    while True:
        body = h.gql(role, NOTIFY, q=query_id)
        if not body.get("errors"):
            return body["data"]["iot_notifyQueryExportComplete"]
        assert "still running" in body["errors"][0]["message"], body
        assert time.monotonic() < deadline, "the export did not complete"
        time.sleep(0.05)


def finished_query(h: Harness, role: str = "owner") -> str:
    """A finished query over the demo endpoint's last hour; returns its queryId."""
    pages = run_query(
        h,
        role,
        [{"iotEndpointId": h.ids["iotEndpoint"], "attributeNames": ["Temperature"]}],
        now_ms() - 2 * 3_600_000,
        now_ms(),
    )
    query_id: str = pages[0]["queryId"]
    return query_id


def get_url(h: Harness, url: str) -> Any:
    """GETs a presigned URL through the harness's client (same host, any base URL)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return h.client.get(f"{parts.path}?{parts.query}")
