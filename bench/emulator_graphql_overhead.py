"""The emulator's own cost per 100-record publish request, with the time-series engine stubbed.

``python -m bench.emulator_graphql_overhead``: over real HTTP (uvicorn, loopback, raw httpx) and
in-process (executor only). What remains of the engine's budget for 25k records/s is what this
leaves of 4 ms per 100 records.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from typing import Any

import httpx

from avista_dx.emulator import run_emulator
from avista_dx.emulator.api import GraphQLRequest
from avista_dx.emulator.api.inputs import decode_json_body

PUBLISH = (
    "mutation timeSeriesDb_publishToDatabase($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) { "
    "timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d) { assetId name "
    "attributes { name attributeType lastValue lastValueTime data { timestamp value } } } }"
)
RECORDS = [
    {
        "Time": str(1_700_000_000_000 + i),
        "TimeUnit": "MILLISECONDS",
        "MeasureName": "kwh",
        "MeasureValueType": "DOUBLE",
        "MeasureValue": "1.5",
        "Dimensions": [{"Name": "name", "Value": "Meter 9", "DimensionValueType": "VARCHAR"}],
        "Version": 1,
    }
    for i in range(100)
]


def _stub_engine(engine: Any) -> None:
    engine.create_table = lambda *args: None
    engine.publish = lambda *args, **kwargs: [{"assetId": "m", "name": "Meter 9", "attributes": []}]


def main(argv: list[str] | None = None) -> int:
    logging.disable(logging.WARNING)
    requests = 500
    with run_emulator(seed=None) as handle:
        emulator = handle.emulator
        _stub_engine(emulator.engine)
        services = emulator.services
        org = services.organizations.create_organization(None, "Bench")
        user = services.users.create_user(None, org["organizationId"], "b@bench.example", "B", "U")
        _, token = services.users.issue_token(user["userId"], "bench")
        caller = emulator.services.users.authenticate(token)
        database = emulator.services.time_series.create_database(caller, "bench")
        variables = {"t": database["timeSeriesDbId"], "a": "m", "d": {"records": RECORDS}}
        samples = []
        with httpx.Client(headers={"Authorization": token}) as client:
            for index in range(requests + 50):
                start = time.perf_counter()
                body = client.post(handle.url, json={"query": PUBLISH, "variables": variables})
                if index >= 50:
                    samples.append(time.perf_counter() - start)
            assert "errors" not in body.json(), body.text
        http_ms = statistics.median(samples) * 1000
        executor = emulator.app.routes[0].endpoint.__self__._executor  # type: ignore[attr-defined]
        raw = json.dumps({"query": PUBLISH, "variables": variables}).encode()
        depth = emulator.config.request_limits.max_json_depth
        start = time.perf_counter()
        for _ in range(requests):
            executor.run(GraphQLRequest.from_body(raw, depth), token, handle.base_url)
        in_process_ms = (time.perf_counter() - start) / requests * 1000
        plain_ms, checked_ms = _body_decoding_ms(raw, depth, requests)
    print(
        f"100-record publish, engine stubbed: {http_ms:.2f} ms median over HTTP "
        f"(raw httpx client included), {in_process_ms:.2f} ms in-process "
        f"(body parse + auth + GraphQL); layer ceiling {100 / http_ms * 1000:,.0f} records/s"
    )
    print(
        f"body decoding: json.loads {plain_ms:.3f} ms, with the input checks (depth, unstorable "
        f"characters) {checked_ms:.3f} ms ({checked_ms / plain_ms:.1f}x)"
    )
    return 0


def _body_decoding_ms(raw: bytes, depth: int, repeats: int) -> tuple[float, float]:
    """The request body decoded plainly and through api.inputs, in the same run."""
    start = time.perf_counter()
    for _ in range(repeats):
        json.loads(raw)
    plain = (time.perf_counter() - start) / repeats * 1000
    start = time.perf_counter()
    for _ in range(repeats):
        decode_json_body(raw, depth)
    return plain, (time.perf_counter() - start) / repeats * 1000


if __name__ == "__main__":
    sys.exit(main())
