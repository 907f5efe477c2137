"""The SDK's own CPU per published record, without any server (`httpx.MockTransport`).

    python -m bench.sdk_publish_cost [records]

Each request is answered at once with what the emulator answers for it (the asset's
attributes with each record's data point), answers made before the clock starts. Figures:
CPU µs per record (process time, one thread) for a frame → `records_from_dataframe` →
`publishToTimeSeriesDatabase`, for dict rows → `records_from_rows` → publish, and for a list
of `record_from_values` records (each record validated in Python), against the baseline of
the same requests' bodies posted by raw httpx through the same transport.
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


def _iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def answer_body(first: int, count: int) -> bytes:
    """The emulator's answer to a request of records first..first+count (3 measures)."""
    attributes = []
    for measure_index, measure in enumerate(MEASURES):
        data = [
            {"timestamp": _iso(BASE_MS + i), "value": repr(i * 0.5 + measure_index)}
            for i in range(first, first + count)
        ]
        attributes.append(
            {
                "name": measure,
                "attributeType": "DOUBLE",
                "lastValue": data[-1]["value"],
                "lastValueTime": data[-1]["timestamp"],
                "data": data,
            }
        )
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


def transport_of(answers: list[bytes]) -> httpx.MockTransport:
    replies = itertools.cycle(answers)
    headers = {"Content-Type": "application/json"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=next(replies), headers=headers)
    )


def cpu_seconds(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    answers = [answer_body(first, 100) for first in range(0, count, 100)]
    data = rows(count)
    kwargs: dict[str, Any] = {
        "time_field": "time",
        "dimension_fields": ["meter"],
        "measure_name": "reading",
    }
    bodies: list[bytes] = []
    with httpx.Client(
        transport=transport_of(answers),
        event_hooks={"request": [lambda r: bodies.append(r.read())]},
    ) as http:
        dx = AvistaDigitalExchange("token", endpoint=URL, http_client=http, publish_concurrency=1)
        dx.publishToTimeSeriesDatabase("db-1", "asset-1", records_from_rows(data, **kwargs))
    headers = {"Authorization": "token", "Content-Type": "application/json"}

    def raw() -> None:
        with httpx.Client(transport=transport_of(answers)) as http:
            for body in bodies:
                http.post(URL, content=body, headers=headers).json()

    def publish(make: Callable[[], Any], keep_data: bool = True) -> Callable[[], None]:
        def run() -> None:
            with httpx.Client(transport=transport_of(answers)) as http:
                dx = AvistaDigitalExchange(
                    "token", endpoint=URL, http_client=http, publish_concurrency=1
                )
                dx.publishToTimeSeriesDatabase("db-1", "asset-1", make(), keep_data=keep_data)

        return run

    figures: list[tuple[str, Callable[[], None]]] = [
        ("records_from_rows + publish", publish(lambda: records_from_rows(data, **kwargs))),
        (
            "records_from_rows + publish, keep_data=False",
            publish(lambda: records_from_rows(data, **kwargs), keep_data=False),
        ),
    ]
    try:
        import pandas as pd
    except ImportError:
        print("pandas is not installed: the DataFrame figure is skipped")
    else:
        from avista_dx import records_from_dataframe

        frame = pd.DataFrame(data)
        figures.insert(
            0,
            (
                "records_from_dataframe (pandas) + publish",
                publish(lambda: records_from_dataframe(frame, **kwargs)),
            ),
        )
    one_by_one = [
        record_from_values(
            r["time"],
            {m: r[m] for m in MEASURES},
            measure_name="reading",
            dimensions={"meter": r["meter"]},
        )
        for r in data[: count // 10]
    ]
    baseline = cpu_seconds(raw) / count * 1e6
    print(
        f"baseline: raw httpx posting the same {len(bodies)} bodies: "
        f"{baseline:.2f} µs CPU per record"
    )
    for label, function in figures:
        cost = cpu_seconds(function) / count * 1e6
        print(f"{label}: {cost:.2f} µs CPU per record ({cost / baseline:.2f}× the baseline)")
    models = cpu_seconds(publish(lambda: one_by_one)) / len(one_by_one) * 1e6
    print(
        f"a list of {len(one_by_one):,} TimeSeriesInputRecord (validated one by one): "
        f"{models:.2f} µs per record"
    )


if __name__ == "__main__":
    main()
