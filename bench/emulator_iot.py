"""IoT telemetry through the emulator over real HTTP (uvicorn, loopback, raw httpx).

``python -m bench.emulator_iot``: records/s of 100-record ``iot_publish`` requests (each checks
its records against the model and for duplicate timestamps before writing) against 100-record
``timeSeriesDb_publishToDatabase`` requests measured in the same run (the baseline: the same
engine, no model checks), then the time to page a 10,000-row ``iot_queryByTimeRange`` and to
export it as CSV.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import httpx

from avista_dx.emulator import run_emulator

IOT_PUBLISH = (
    "mutation($e: ID!, $d: [IotDataRecordInput]!) { iot_publish(iotEndpointId: $e, data: $d)"
    " { recordsWritten { timestamp } failedRecords { errors { errorType } } } }"
)
TS_PUBLISH = (
    "mutation($t: ID!, $d: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase("
    'timeSeriesDbId: $t, assetId: "bench", data: $d) { assetId } }'
)
QUERY = (
    "query($f: [EndpointQueryFilter]!, $s: String!, $e: String!, $n: String, $c: String,"
    " $q: String, $qs: String) { iot_queryByTimeRange(endpointQueryFilters: $f, startTime: $s,"
    " endTime: $e, nextToken: $n, clientToken: $c, queryId: $q, queryString: $qs)"
    " { queryId queryString nextToken clientToken } }"
)
EXPORT = "mutation($q: ID!) { iot_generateQueryResultExport(queryId: $q) { queryId } }"
NOTIFY = (
    "mutation($q: String!) { iot_notifyQueryExportComplete(queryId: $q) { url fileSizeBytes } }"
)
REQUESTS = 100
START = int(time.time() * 1000) - 3 * 86_400_000


def _post(client: httpx.Client, url: str, query: str, **variables: Any) -> Any:
    body = client.post(url, json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    (value,) = body["data"].values()
    return value


def _iot_batch(offset: int) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": str(START + offset + i),
            "timeUnit": "MILLISECONDS",
            "attributes": [
                {"name": "Temperature", "value": "21.5"},
                {"name": "Humidity", "value": "40"},
            ],
        }
        for i in range(100)
    ]


def _ts_batch(offset: int) -> dict[str, Any]:
    return {
        "records": [
            {
                "Time": str(START + offset + i), "TimeUnit": "MILLISECONDS", "MeasureName": "m",
                "MeasureValueType": "MULTI", "Version": 1,
                "MeasureValues": [{"Name": "Temperature", "Value": "21.5", "Type": "VARCHAR"},
                                  {"Name": "Humidity", "Value": "40", "Type": "VARCHAR"}],
            }
            for i in range(100)
        ]
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    logging.disable(logging.WARNING)
    with (
        run_emulator(seed="demo") as handle,
        httpx.Client(headers={"Authorization": handle.tokens["owner"]}, timeout=60) as client,
    ):
        assert handle.seed is not None
        url, endpoint = handle.url, handle.seed.ids["iotEndpoint2"]
        database = handle.seed.ids["timeSeriesDb"]
        start = time.perf_counter()
        for request in range(REQUESTS):
            result = _post(client, url, IOT_PUBLISH, e=endpoint, d=_iot_batch(request * 100))
            assert len(result["recordsWritten"]) == 100
        iot_rate = REQUESTS * 100 / (time.perf_counter() - start)
        start = time.perf_counter()
        for request in range(REQUESTS):
            _post(client, url, TS_PUBLISH, t=database, d=_ts_batch(request * 100))
        ts_rate = REQUESTS * 100 / (time.perf_counter() - start)

        filters = [{"iotEndpointId": endpoint, "attributeNames": ["Temperature", "Humidity"]}]
        window = {"f": filters, "s": str(START), "e": str(START + REQUESTS * 100)}
        start = time.perf_counter()
        page = _post(client, url, QUERY, **window)
        pages = 1
        while page["nextToken"]:
            page = _post(
                client, url, QUERY, **window, n=page["nextToken"], c=page["clientToken"],
                q=page["queryId"], qs=page["queryString"],
            )  # fmt: skip
            pages += 1
        query_s = time.perf_counter() - start
        start = time.perf_counter()
        _post(client, url, EXPORT, q=page["queryId"])
        while True:
            body = client.post(url, json={"query": NOTIFY, "variables": {"q": page["queryId"]}})
            if "errors" not in body.json():
                break
            time.sleep(0.01)
        export_s = time.perf_counter() - start
        size = body.json()["data"]["iot_notifyQueryExportComplete"]["fileSizeBytes"]
    print(
        f"iot_publish: {iot_rate:,.0f} records/s (100-record requests); baseline"
        f" timeSeriesDb_publishToDatabase: {ts_rate:,.0f} records/s; ratio {iot_rate / ts_rate:.2f}"
    )
    print(
        f"iot_queryByTimeRange: {REQUESTS * 100:,} rows in {pages} pages, {query_s * 1000:.0f} ms;"
        f" CSV export ({size:,} bytes): {export_s * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
