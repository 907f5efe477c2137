"""The SDK's own CPU per published record, without any server (`httpx.MockTransport`).

    python -m bench.sdk_publish_cost [records]

Each request is answered at once with what the emulator answers for it (the asset's
attributes with each record's data point), answers made before the clock starts. Figures are
CPU µs per record (process time) of `publishToTimeSeriesDatabase` alone, records built
beforehand, one request at a time: `TimeSeriesRecords` (from `records_from_rows`; the same
table as `records_from_dataframe`'s) with and without `keep_data`, and a list of
`record_from_values` records (each checked one by one, as before). The data points kept by
default become documented models when first read: the figure "then read every data point"
includes building all of them. The baseline is raw httpx posting the very same bodies through
the same transport and decoding each answer's JSON.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from avista_dx import AvistaDigitalExchange, record_from_values, records_from_rows

URL = "http://exchange.test/graphql"
BASE_MS = 1_700_000_000_000
MEASURES = ("kwh", "volts", "amps")
OPTIONS: dict[str, Any] = {
    "time_field": "time",
    "dimension_fields": ["meter"],
    "measure_name": "reading",
}


def _iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def answer_body(records: list[dict[str, Any]]) -> bytes:
    """The emulator's answer to a publish of `records` (MULTI records of one asset)."""
    points: dict[str, list[dict[str, str]]] = {}
    for record in records:
        stamp = _iso(int(record["Time"]))
        for value in record["MeasureValues"]:
            points.setdefault(value["Name"], []).append(
                {"timestamp": stamp, "value": value["Value"]}
            )
    attributes = [
        {
            "name": name,
            "attributeType": "DOUBLE",
            "lastValue": data[-1]["value"],
            "lastValueTime": data[-1]["timestamp"],
            "data": data,
        }
        for name, data in points.items()
    ]
    asset = {"assetId": "asset-1", "name": None, "attributes": attributes}
    return json.dumps({"data": {"timeSeriesDb_publishToDatabase": [asset]}}).encode()


def rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "time": BASE_MS + i,
            "meter": f"meter-{i % 100}",
            "kwh": i * 0.5,
            "volts": i * 0.5 + 1,
            "amps": i * 0.5 + 2,
        }
        for i in range(count)
    ]


def canned_transport(answers: list[bytes]) -> httpx.MockTransport:
    replies = itertools.cycle(answers)
    headers = {"Content-Type": "application/json"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=next(replies), headers=headers)
    )


def cpu_seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    records = records_from_rows(rows(count), **OPTIONS)
    bodies: list[bytes] = []
    with httpx.Client(
        transport=httpx.MockTransport(
            lambda r: httpx.Response(200, json={"data": {"timeSeriesDb_publishToDatabase": []}})
        ),
        event_hooks={"request": [lambda r: bodies.append(r.read())]},
    ) as http:
        dx = AvistaDigitalExchange("token", endpoint=URL, http_client=http, publish_concurrency=1)
        dx.publishToTimeSeriesDatabase("db-1", "asset-1", records)  # only the bodies matter
    answers = [answer_body(json.loads(b)["variables"]["data"]["records"]) for b in bodies]
    headers = {"Authorization": "token", "Content-Type": "application/json"}

    def raw() -> None:
        with httpx.Client(transport=canned_transport(answers)) as http:
            for body in bodies:
                http.post(URL, content=body, headers=headers).json()

    def publish(these: Any, keep_data: bool = True, read: bool = False) -> Callable[[], None]:
        def run() -> None:
            with httpx.Client(transport=canned_transport(answers)) as http:
                dx = AvistaDigitalExchange(
                    "token", endpoint=URL, http_client=http, publish_concurrency=1
                )
                result = dx.publishToTimeSeriesDatabase(
                    "db-1", "asset-1", these, keep_data=keep_data
                )
                if read:  # every data point's model is built on first use
                    for asset in result:
                        for attribute in asset.attributes:
                            len(attribute.data)

        return run

    one_by_one = [
        record_from_values(
            records[i].Time,
            {v.Name: float(v.Value) for v in records[i].MeasureValues or []},
            measure_name="reading",
            dimensions={"meter": f"meter-{i % 100}"},
        )
        for i in range(count // 10)
    ]
    baseline = cpu_seconds(raw) / count * 1e6
    print(
        f"baseline: raw httpx posting the same {len(bodies)} bodies of 100 records "
        f"(3 measures, 1 dimension): {baseline:.2f} µs CPU per record"
    )
    for label, function in (
        ("publish TimeSeriesRecords, keep_data=False", publish(records, keep_data=False)),
        ("publish TimeSeriesRecords (every data point kept)", publish(records)),
        (
            "publish TimeSeriesRecords, then read every data point",
            publish(records, read=True),
        ),
    ):
        cost = cpu_seconds(function) / count * 1e6
        print(
            f"{label}: {cost:.2f} µs CPU per record, SDK's own {cost - baseline:.2f} µs "
            f"({cost / baseline:.2f}× the baseline)"
        )
    models = cpu_seconds(publish(one_by_one)) / len(one_by_one) * 1e6
    print(
        f"publish a list of {len(one_by_one):,} TimeSeriesInputRecord (each checked one by "
        f"one): {models:.2f} µs CPU per record"
    )


if __name__ == "__main__":
    main()
