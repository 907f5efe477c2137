# ruff: noqa: E501  (GraphQL documents read best on one line)
"""IoT telemetry: publish validation and per-record failures, last values (paged, and through
S3), time-range query pages, CSV exports and cancellation, through raw GraphQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from .conftest import Harness
from .iot_helpers import (
    EXPORT,
    LAST_VALUES,
    NOTIFY,
    PUBLISH,
    QUERY,
    endpoint_token,
    get_url,
    now_ms,
    publish,
    record,
    run_query,
    wait_for_export,
)

ENDPOINT_LAST = (
    "query($e: ID!) { iot_listEndpointLastValues(iotEndpointId: $e) " + LAST_VALUES + " }"
)
GROUP_LAST = (
    "query($g: ID!, $n: String) { iot_listGroupsEndpointsLastValues(iotGroupId: $g, nextToken: $n) "
    + LAST_VALUES
    + " }"
)
HUB_LAST = (
    "query($h: ID!, $n: String) { iot_listHubsEndpointsLastValues(iotHubId: $h, nextToken: $n) "
    + LAST_VALUES
    + " }"
)


def _errors(result: dict[str, Any]) -> list[list[str]]:
    return [[e["errorType"] for e in f["errors"]] for f in result["failedRecords"]]


def test_publish_reports_each_bad_record_and_writes_the_good_ones(harness: Harness) -> None:
    endpoint = harness.ids["iotEndpoint"]
    base = now_ms()
    result = publish(
        harness, "owner", endpoint,
        [
            record(base, Temperature="21.5", Humidity="40"),
            record(base + 1, Temperature="warm"),  # wrong type
            record(base, Temperature="22"),  # same timestamp as the first record
            record(base + 2, unit=None, Temperature="1"),
            {"timestamp": str(base + 3), "timeUnit": "MILLISECONDS", "attributes": []},
            record(base + 4, Latitude="47.1"),  # a property, not telemetry
            record(base + 5, Pressure="1"),
            {"timestamp": "yesterday", "timeUnit": "MILLISECONDS", "attributes": [{"name": "Humidity", "value": "1"}]},
            record(base + 3_600_000, Temperature="1"),  # an hour ahead
            record((base + 6) // 1000, unit="SECONDS", Humidity="41.5"),
        ],
    )  # fmt: skip
    assert result["iotEndpointId"] == endpoint
    assert _errors(result) == [
        ["INCORRECT_VALUE_TYPE"],
        ["DUPLICATE_ENTRY"],
        ["MISSING_TIME_UNIT"],
        ["MISSING_DATA"],
        ["UNEXPECTED_ATTRIBUTE"],
        ["UNEXPECTED_ATTRIBUTE"],
        ["INVALID_TIMESTAMP"],
        ["INVALID_TIMESTAMP"],
    ]
    assert "iot_updateEndpointProperties" in result["failedRecords"][4]["errors"][0]["errorMessage"]
    assert result["failedRecords"][1]["record"]["timestamp"] == str(base)
    written = result["recordsWritten"]
    assert [w["timestamp"] for w in written] == [str(base), str((base + 6) // 1000 * 1000)]
    assert written[0]["attributes"] == [
        {"name": "Temperature", "value": "21.5", "schemaType": "double"},
        {"name": "Humidity", "value": "40", "schemaType": "double"},
    ]
    # Publishing the same timestamp again is a duplicate, even with other values.
    again = publish(harness, "owner", endpoint, [record(base, Humidity="50")])
    assert _errors(again) == [["DUPLICATE_ENTRY"]]
    assert again["failedRecords"][0]["errors"][0]["errorMessage"] == (
        "A record already exists for this endpoint at the given timestamp."
    )
    assert again["recordsWritten"] == []


@pytest.mark.parametrize(
    ("schema_type", "good", "bad"),
    [
        ("integer", "-12", "1.5"),
        ("double", "1e3", "NaN"),
        ("boolean", "True", "yes"),
        ("string", "any text", None),
        ("dateTime", "2024-03-19T10:39:31.942Z", "2024-03-19"),
        ("duration", "PT1H30M", "90 minutes"),
    ],
)
def test_values_are_checked_against_the_telemetry_schema_type(
    harness: Harness, schema_type: str, good: str, bad: str | None
) -> None:
    model = harness.data(
        "owner",
        'mutation($t: [ModelTelemetryInput]) { iot_createModel(displayName: "T", dtmiSegment: "T",'
        " telemetry: $t) { modelId } }",
        t=[{"name": "v", "schemaType": schema_type}],
    )
    endpoint = harness.data(
        "owner",
        'mutation($h: ID!, $m: ID!) { iot_createEndpoint(iotHubId: $h, modelId: $m, name: "E") { iotEndpointId } }',
        h=harness.ids["iotHub"],
        m=model["modelId"],
    )["iotEndpointId"]
    data = [record(now_ms(), v=good)] + ([] if bad is None else [record(now_ms() + 1, v=bad)])
    result = publish(harness, "owner", endpoint, data)
    assert len(result["recordsWritten"]) == 1
    assert _errors(result) == ([] if bad is None else [["INCORRECT_VALUE_TYPE"]])


def test_publish_with_the_endpoint_token_and_bad_requests(harness: Harness) -> None:
    token = endpoint_token(harness)
    assert publish(harness, token, harness.ids["iotEndpoint"], [record(now_ms(), Humidity="3")])[
        "recordsWritten"
    ]
    assert (
        harness.error_type(token, PUBLISH, e=harness.ids["iotEndpoint"], data=[])
        == "BadRequestException"
    )


def test_last_values_of_an_endpoint(harness: Harness) -> None:
    endpoint = harness.ids["iotEndpoint"]
    base = now_ms()
    publish(
        harness,
        "owner",
        endpoint,
        [record(base, Temperature="30.5"), record(base + 10, Humidity="55")],
    )
    page = harness.data("reader", ENDPOINT_LAST, e=endpoint)
    assert page["resultStoredInS3"] is False
    assert page["nextToken"] is None
    assert page["clientToken"]
    (values,) = page["data"]
    assert values["iotEndpointId"] == endpoint
    assert values["telemetryValues"] == [
        {
            "telemetryModel": {"name": "Temperature", "schemaType": "double"},
            "value": "30.5",
            "timestamp": str(base),
        },
        {
            "telemetryModel": {"name": "Humidity", "schemaType": "double"},
            "value": "55",
            "timestamp": str(base + 10),
        },
    ]
    never = harness.data("owner", ENDPOINT_LAST, e=harness.ids["iotEndpoint2"])
    assert [v["value"] for v in never["data"][0]["telemetryValues"]] == [None, None]


def test_large_last_values_come_through_a_presigned_json_document(harness: Harness) -> None:
    harness.emulator.services.iot_data.inline_result_limit = 64
    page = harness.data("owner", ENDPOINT_LAST, e=harness.ids["iotEndpoint"])
    assert page["resultStoredInS3"] is True
    assert page["data"] == []
    response = get_url(harness, page["presignedUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    (values,) = response.json()
    assert values["iotEndpointId"] == harness.ids["iotEndpoint"]
    assert [v["telemetryModel"]["name"] for v in values["telemetryValues"]] == [
        "Temperature",
        "Humidity",
    ]
    # Signed like file downloads: a tampered signature is refused.
    assert (
        get_url(
            harness, page["presignedUrl"].replace("X-Dx-Signature=", "X-Dx-Signature=x")
        ).status_code
        == 403
    )


def test_hub_and_group_last_values_are_paged(harness: Harness) -> None:
    hub, model = harness.ids["iotHub"], harness.ids["iotModel"]
    created = [
        harness.data(
            "owner",
            'mutation($h: ID!, $m: ID!, $n: String!) { iot_createEndpoint(iotHubId: $h, modelId: $m, name: $n) { iotEndpointId } }',
            h=hub, m=model, n=f"sensor {i}",
        )["iotEndpointId"]
        for i in range(55)
    ]  # fmt: skip
    harness.data(
        "owner",
        "mutation($g: ID!, $e: [ID]!) { iot_addEndpointsToGroup(iotGroupId: $g, iotEndpointIds: $e) { name } }",
        g=harness.ids["iotGroup"],
        e=created,
    )
    for document, variables, expected in (
        (HUB_LAST, {"h": hub}, [harness.ids["iotEndpoint"], harness.ids["iotEndpoint2"], *created]),
        (GROUP_LAST, {"g": harness.ids["iotGroup"]}, [harness.ids["iotEndpoint"], *created]),
    ):
        first = harness.data("owner", document, **variables)
        assert first["nextToken"]
        assert len(first["data"]) == 50
        second = harness.data("owner", document, n=first["nextToken"], **variables)
        assert second["nextToken"] is None
        assert [d["iotEndpointId"] for d in first["data"] + second["data"]] == expected
        assert (
            harness.error_type("owner", document, n="bogus", **variables) == "BadRequestException"
        )
    # A token of one listing does not page another.
    hub_token = harness.data("owner", HUB_LAST, h=hub)["nextToken"]
    assert (
        harness.error_type("owner", GROUP_LAST, g=harness.ids["iotGroup"], n=hub_token)
        == "BadRequestException"
    )


def _many_records(harness: Harness, count: int, start: int) -> None:
    for offset in range(0, count, 1000):
        data = [
            record(start + i, Temperature=str(i)) for i in range(offset, min(count, offset + 1000))
        ]
        assert len(
            publish(harness, "owner", harness.ids["iotEndpoint2"], data)["recordsWritten"]
        ) == len(data)


def test_query_pages_chunks_and_the_csv_export(harness: Harness) -> None:
    start = now_ms() - 600_000
    _many_records(harness, 2100, start)
    filters = [
        {"iotEndpointId": harness.ids["iotEndpoint2"], "attributeNames": ["Temperature"]},
        {"iotEndpointId": harness.ids["iotEndpoint"], "attributeNames": ["Humidity"]},
    ]
    pages = run_query(harness, "owner", filters, start, start + 2099)
    assert len(pages) >= 3
    assert len({p["queryId"] for p in pages}) == 1
    assert len({p["clientToken"] for p in pages}) == 1
    assert len({p["queryString"] for p in pages}) == 1
    assert [p["resultChunkIndex"] for p in pages] == [str(i) for i in range(len(pages))]
    assert pages[0]["startTime"] == str(start)
    rows = [row for page in pages for row in get_url(harness, page["presignedUrl"]).json()]
    assert len(rows) == 2100
    assert rows[0]["iotEndpointId"] == harness.ids["iotEndpoint2"]
    assert rows[0]["name"] == "Basement sensor"
    assert rows[0]["Temperature"] == "0"
    assert rows[0]["Humidity"] is None
    assert rows[-1]["Temperature"] == "2099"

    query_id = pages[0]["queryId"]
    assert harness.data("owner", EXPORT, q=query_id) == {"queryId": query_id, "fileFormat": "CSV"}
    export = wait_for_export(harness, "owner", query_id)
    assert export["queryId"] == query_id
    assert export["fileFormat"] == "CSV"
    response = get_url(harness, export["url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert export["fileSizeBytes"] == len(response.content)
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["iotEndpointId", "name", "timestamp", "Temperature", "Humidity"]
    assert len(table) == 2101
    assert [r[3] for r in table[1:4]] == ["0", "1", "2"]


def test_query_continuations_must_pass_back_what_the_page_returned(harness: Harness) -> None:
    start = now_ms() - 600_000
    _many_records(harness, 1500, start)
    filters = [{"iotEndpointId": harness.ids["iotEndpoint2"], "attributeNames": ["Temperature"]}]
    first = harness.data("owner", QUERY, f=filters, s=str(start), e=str(start + 1499))
    assert first["nextToken"]
    follow = {
        "n": first["nextToken"],
        "c": first["clientToken"],
        "q": first["queryId"],
        "qs": first["queryString"],
    }
    for changed in ({"qs": "SELECT 1"}, {"c": "other"}, {"n": "stale"}):
        body = harness.gql(
            "owner", QUERY, f=filters, s=str(start), e=str(start + 1499), **{**follow, **changed}
        )
        assert body["errors"][0]["errorType"] == "BadRequestException", changed
    assert (
        harness.error_type("reader", QUERY, f=filters, s=str(start), e=str(start + 1499), **follow)
        == "Unauthorized"
    )
    second = harness.data("owner", QUERY, f=filters, s=str(start), e=str(start + 1499), **follow)
    assert second["queryId"] == first["queryId"]
    # The token just used is spent: repeating it is an error.
    assert (
        harness.error_type("owner", QUERY, f=filters, s=str(start), e=str(start + 1499), **follow)
        == "BadRequestException"
    )


@pytest.mark.parametrize(
    ("filters", "start", "end"),
    [
        ([], "0", "1"),
        ([{"iotEndpointId": "E", "attributeNames": ["Nope"]}], "0", "1"),
        ([{"iotEndpointId": "E", "attributeNames": []}], "0", "1"),
        ([{"iotEndpointId": "E", "attributeNames": ["Temperature"]}], "5", "1"),
        ([{"iotEndpointId": "E", "attributeNames": ["Temperature"]}], "2024-01-01", "1"),
    ],
)
def test_bad_queries_are_refused(
    harness: Harness, filters: list[dict[str, Any]], start: str, end: str
) -> None:
    for item in filters:
        item["iotEndpointId"] = harness.ids["iotEndpoint"]
    assert harness.error_type("owner", QUERY, f=filters, s=start, e=end) == "BadRequestException"


def test_cancel_stops_pages_and_exports(harness: Harness) -> None:
    start = now_ms() - 600_000
    _many_records(harness, 1200, start)
    filters = [{"iotEndpointId": harness.ids["iotEndpoint2"], "attributeNames": ["Temperature"]}]
    first = harness.data("owner", QUERY, f=filters, s=str(start), e=str(start + 1199))
    cancel = "mutation($q: ID!) { iot_cancelQuery(queryId: $q) { httpStatusCode errorMessage } }"
    assert harness.data("owner", cancel, q=first["queryId"]) == {
        "httpStatusCode": 200,
        "errorMessage": None,
    }
    body = harness.gql(
        "owner", QUERY, f=filters, s=str(start), e=str(start + 1199),
        n=first["nextToken"], c=first["clientToken"], q=first["queryId"], qs=first["queryString"],
    )  # fmt: skip
    assert "cancelled" in body["errors"][0]["message"]
    assert "cancelled" in harness.gql("owner", EXPORT, q=first["queryId"])["errors"][0]["message"]
    assert get_url(harness, first["presignedUrl"]).status_code == 404  # its chunks are gone
    again = harness.data("owner", cancel, q=first["queryId"])
    assert again["httpStatusCode"] == 200
    assert "already" in again["errorMessage"]


def test_export_state_can_be_polled(harness: Harness) -> None:
    pages = run_query(
        harness, "owner",
        [{"iotEndpointId": harness.ids["iotEndpoint"], "attributeNames": ["Temperature"]}],
        now_ms() - 7_200_000, now_ms(),
    )  # fmt: skip
    query_id = pages[-1]["queryId"]
    assert "not requested" in harness.gql("owner", NOTIFY, q=query_id)["errors"][0]["message"]
    harness.data("owner", EXPORT, q=query_id)
    export = wait_for_export(harness, "owner", query_id)
    table = list(csv.reader(io.StringIO(get_url(harness, export["url"]).text)))
    assert table[0] == ["iotEndpointId", "name", "timestamp", "Temperature"]
    assert len(table) == 1 + 12  # the demo seed's readings, every five minutes for an hour
    # Asking again neither fails nor starts another export.
    assert harness.data("owner", EXPORT, q=query_id)["queryId"] == query_id
    assert wait_for_export(harness, "owner", query_id)["fileSizeBytes"] == export["fileSizeBytes"]


def test_presigned_result_urls_work_over_real_http() -> None:
    import httpx

    from .conftest import make_http_harness

    harnesses = make_http_harness()
    harness = next(harnesses)
    try:
        harness.emulator.services.iot_data.inline_result_limit = 64
        page = harness.data("reader", ENDPOINT_LAST, e=harness.ids["iotEndpoint"])
        assert (
            httpx.get(page["presignedUrl"]).json()[0]["iotEndpointId"] == harness.ids["iotEndpoint"]
        )
        pages = run_query(
            harness, "owner",
            [{"iotEndpointId": harness.ids["iotEndpoint"], "attributeNames": ["Humidity"]}],
            now_ms() - 7_200_000, now_ms(),
        )  # fmt: skip
        harness.data("owner", EXPORT, q=pages[0]["queryId"])
        export = wait_for_export(harness, "owner", pages[0]["queryId"])
        response = httpx.get(export["url"], headers={"Range": "bytes=0-27"})
        assert response.status_code == 206
        assert response.text == "iotEndpointId,name,timestamp"
    finally:
        harnesses.close()
