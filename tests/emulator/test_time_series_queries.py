# ruff: noqa: E501  (record tables read best one per line)
"""timeSeriesDb_listAllAssetLastValues, timeSeriesDb_queryDatabase and
timeSeriesDb_cancelDatabaseQuery over the Timestream engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from avista_dx.emulator import EmulatorConfig, RetentionPolicy

from .conftest import Harness, make_harness


@pytest.fixture
def harness() -> Iterator[Harness]:
    """Records here use small epoch times (1970): a retention reaching back that far."""
    retention = RetentionPolicy(magnetic_store_retention_days=73000)  # Timestream's maximum
    yield from make_harness(EmulatorConfig(timeseries_retention=retention))


CREATE_DB = 'mutation { timeSeriesDb_createDatabase(name: "Q") { timeSeriesDbId } }'
PUBLISH = (
    "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase("
    "timeSeriesDbId: $t, assetId: $a, data: $d) { assetId } }"
)
LAST_VALUES = (
    "query($t: ID!, $n: String, $c: String) { timeSeriesDb_listAllAssetLastValues("
    "timeSeriesDbId: $t, nextToken: $n, clientToken: $c) { data { assetId name attributes "
    "{ name attributeType lastValue lastValueTime data { timestamp value } } } nextToken "
    "queryId clientToken queryProgressPercentage resultChunkIndex } }"
)
QUERY = (
    "query($t: ID!, $a: [TimeSeriesQueryAssetInput]!, $k: TimeSeriesDbQueryType!, $s: String, "
    "$e: String, $m: Int, $n: String) { timeSeriesDb_queryDatabase(timeSeriesDbId: $t, "
    "assets: $a, queryType: $k, startTime: $s, endTime: $e, maxRows: $m, nextToken: $n) "
    "{ queryId queryString nextToken presignedUrl queryProgressPercentage resultChunkIndex } }"
)
SQL = (
    "query($t: ID!, $q: String!) { timeSeriesDb_queryDatabaseWithTimestreamQuery("
    "timeSeriesDbId: $t, queryString: $q) { resultJSONString } }"
)
CANCEL = (
    "mutation($t: ID!, $q: String!) { timeSeriesDb_cancelDatabaseQuery(timeSeriesDbId: $t, "
    "queryId: $q) { httpStatusCode errorMessage } }"
)


def single(
    ms: int, name: str, value: str, kind: str = "DOUBLE", asset_name: str | None = None
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "Time": str(ms), "TimeUnit": "MILLISECONDS", "MeasureName": name,
        "MeasureValueType": kind, "MeasureValue": value,
    }  # fmt: skip
    if asset_name is not None:
        record["Dimensions"] = [{"Name": "name", "Value": asset_name}]
    return record


def multi(ms: int, values: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {
        "Time": str(ms), "TimeUnit": "MILLISECONDS", "MeasureName": "state",
        "MeasureValueType": "MULTI",
        "MeasureValues": [{"Name": n, "Value": v, "Type": t} for n, (v, t) in values.items()],
    }  # fmt: skip


def rows(h: Harness, database: str, sql: str) -> list[list[str | None]]:
    result = json.loads(h.data("owner", SQL, t=database, q=sql)["resultJSONString"])
    return [[d.get("ScalarValue") for d in row["Data"]] for row in result["Rows"]]


@pytest.fixture
def database(harness: Harness) -> str:
    database_id: str = harness.data("owner", CREATE_DB)["timeSeriesDbId"]
    return database_id


def test_publish_stores_the_asset_as_a_dimension(harness: Harness, database: str) -> None:
    harness.data(
        "owner", PUBLISH, t=database, a="pump-7", d={"records": [single(1000, "kwh", "1")]}
    )
    table = harness.emulator.services.time_series.get_database(
        harness.emulator.services.users.authenticate(harness.seed.tokens["owner"]), database
    )
    sql = f'SELECT "assetId", measure_name FROM "{table["databaseName"]}"."{table["tableName"]}"'
    assert rows(harness, database, sql) == [["pump-7", "kwh"]]
    other = single(2000, "kwh", "1")
    other["Dimensions"] = [{"Name": "assetId", "Value": "pump-8"}]
    body = harness.gql("owner", PUBLISH, t=database, a="pump-7", d={"records": [other]})
    assert body["errors"][0]["errorType"] == "ValidationException"
    same = {**other, "Dimensions": [{"Name": "assetId", "Value": "pump-7"}]}
    harness.data("owner", PUBLISH, t=database, a="pump-7", d={"records": [same]})


def test_last_values_of_every_asset(harness: Harness, database: str) -> None:
    publish = [
        ("b", [single(1000, "kwh", "1.5", asset_name="Old name"), single(3000, "kwh", "2.50", asset_name="B")]),
        ("b", [single(2000, "volts", "230", "BIGINT")]),
        ("a", [multi(5000, {"on": ("true", "BOOLEAN"), "mode": ("eco", "VARCHAR")}), multi(4000, {"on": ("false", "BOOLEAN")})]),
        ("a", [multi(6000, {"since": ("7000", "TIMESTAMP")})]),
    ]  # fmt: skip
    for asset, records in publish:
        harness.data("owner", PUBLISH, t=database, a=asset, d={"records": records})
    result = harness.data("owner", LAST_VALUES, t=database, c="mine")
    assert result["clientToken"] == "mine"
    assert result["nextToken"] is None
    assert result["queryProgressPercentage"] == 100.0
    assert result["resultChunkIndex"] == 0
    a, b = result["data"]
    assert (a["assetId"], a["name"], b["assetId"], b["name"]) == ("a", None, "b", "B")
    assert {x["name"]: (x["attributeType"], x["lastValue"], x["lastValueTime"]) for x in a["attributes"]} == {
        "mode": ("VARCHAR", "eco", "1970-01-01T00:00:05.000Z"),
        "on": ("BOOLEAN", "true", "1970-01-01T00:00:05.000Z"),
        "since": ("TIMESTAMP", "1970-01-01T00:00:07.000Z", "1970-01-01T00:00:06.000Z"),
    }  # fmt: skip
    kwh, volts = b["attributes"]
    assert (kwh["name"], kwh["lastValue"], kwh["lastValueTime"]) == (
        "kwh",
        "2.5",
        "1970-01-01T00:00:03.000Z",
    )
    assert kwh["data"] == [{"timestamp": "1970-01-01T00:00:03.000Z", "value": "2.5"}]
    assert (volts["attributeType"], volts["lastValue"]) == ("BIGINT", "230")


def test_an_empty_database_has_no_assets(harness: Harness, database: str) -> None:
    assert (
        harness.data("reader", LAST_VALUES, t=harness.ids["timeSeriesDb"])["data"][0]["assetId"]
        == "meter-1"
    )
    assert harness.data("owner", LAST_VALUES, t=database)["data"] == []


def test_last_values_are_paged_by_asset(harness: Harness, database: str) -> None:
    for index in range(205):
        harness.data(
            "owner",
            PUBLISH,
            t=database,
            a=f"asset-{index:03d}",
            d={"records": [single(1000, "m", "1")]},
        )
    seen, token, chunks = [], None, []
    while True:
        page = harness.data("owner", LAST_VALUES, t=database, n=token)
        seen += [asset["assetId"] for asset in page["data"]]
        chunks.append((page["resultChunkIndex"], round(page["queryProgressPercentage"], 1)))
        token = page["nextToken"]
        if token is None:
            break
    assert seen == [f"asset-{index:03d}" for index in range(205)]
    assert chunks == [(0, 48.8), (1, 97.6), (2, 100.0)]
    assert (
        harness.error_type("owner", LAST_VALUES, t=database, n="garbage") == "BadRequestException"
    )
    first = harness.data("owner", LAST_VALUES, t=database)["nextToken"]
    other = harness.ids["timeSeriesDb"]
    assert harness.error_type("owner", LAST_VALUES, t=other, n=first) == "BadRequestException"


def _exported_rows(h: Harness, database: str, query_id: str) -> list[dict[str, str]]:
    import csv
    import io

    h.data(
        "owner",
        "mutation($t: ID!, $q: String!) { timeSeriesDb_generateQueryResultExportFile("
        "timeSeriesDbId: $t, queryId: $q, fileFormat: CSV) { queryId } }",
        t=database, q=query_id,
    )  # fmt: skip
    h.emulator.services.time_series_exports.wait_idle()
    url = h.data(
        "owner",
        "mutation($q: String!) { timeSeriesDb_notifyTimeSeriesQueryExportComplete(queryId: $q) { url } }",
        q=query_id,
    )["url"]
    return list(csv.DictReader(io.StringIO(h.client.get(url).text)))


def test_time_period_queries_select_assets_attributes_and_times(
    harness: Harness, database: str
) -> None:
    for asset in ("a", "b", "c"):
        records = [single(ms, "kwh", f"{asset}{ms}") for ms in (1000, 2000, 3000)]
        records = [dict(r, MeasureValueType="VARCHAR") for r in records] + [
            dict(single(2500, "volts", "1"), MeasureValueType="VARCHAR")
        ]
        harness.data("owner", PUBLISH, t=database, a=asset, d={"records": records})
    result = harness.data(
        "owner", QUERY, t=database, k="TIME_PERIOD",
        a=[{"assetId": "a", "attributeNamesFilter": ["kwh"]}, {"assetId": "b"}],
        s="1970-01-01T00:00:02.000Z", e="1970-01-01T00:00:03.000Z",
    )  # fmt: skip
    assert result["queryId"].startswith("timeSeriesQueryId.")
    assert "\"assetId\" = 'a'" in result["queryString"]
    assert (result["nextToken"], result["presignedUrl"]) == (None, None)
    assert (result["queryProgressPercentage"], result["resultChunkIndex"]) == (100.0, 0)
    exported = _exported_rows(harness, database, result["queryId"])
    assert [(r["assetId"], r["measure_name"], r["time"][:19]) for r in exported] == [
        ("a", "kwh", "1970-01-01 00:00:02"),
        ("b", "kwh", "1970-01-01 00:00:02"),
        ("b", "volts", "1970-01-01 00:00:02"),
        ("a", "kwh", "1970-01-01 00:00:03"),
        ("b", "kwh", "1970-01-01 00:00:03"),
    ]


def test_last_x_rows(harness: Harness, database: str) -> None:
    records = [single(ms, "kwh", str(ms)) for ms in range(1000, 6000, 1000)]
    harness.data("owner", PUBLISH, t=database, a="a", d={"records": records})
    harness.data("owner", PUBLISH, t=database, a="z", d={"records": [single(9000, "kwh", "9")]})
    result = harness.data("owner", QUERY, t=database, k="LAST_X_ROWS", a=[{"assetId": "a"}], m=2)
    exported = _exported_rows(harness, database, result["queryId"])
    assert [r["measure_value::double"] for r in exported] == ["5000.0", "4000.0"]


def test_a_query_of_a_table_without_assets_has_no_rows(harness: Harness, database: str) -> None:
    result = harness.data("owner", QUERY, t=database, k="LAST_X_ROWS", a=[{"assetId": "a"}], m=2)
    assert _exported_rows(harness, database, result["queryId"]) == []


@pytest.mark.parametrize(
    "variables",
    [
        {"k": "TIME_PERIOD", "a": [{"assetId": "a"}], "s": "1970-01-01T00:00:00.000Z"},
        {"k": "TIME_PERIOD", "a": [{"assetId": "a"}], "s": "2024-01-01", "e": "2024-01-02"},
        {
            "k": "TIME_PERIOD",
            "a": [{"assetId": "a"}],
            "s": "2024-01-31T00:00:00Z",
            "e": "2024-02-01T00:00:00.000Z",
        },
        {
            "k": "TIME_PERIOD",
            "a": [{"assetId": "a"}],
            "s": "2024-02-30T00:00:00.000Z",
            "e": "2024-03-01T00:00:00.000Z",
        },
        {
            "k": "TIME_PERIOD",
            "a": [{"assetId": "a"}],
            "s": "2024-02-01T00:00:00.000Z",
            "e": "2024-01-01T00:00:00.000Z",
        },
        {"k": "LAST_X_ROWS", "a": [{"assetId": "a"}]},
        {"k": "LAST_X_ROWS", "a": [{"assetId": "a"}], "m": 0},
        {"k": "LAST_X_ROWS", "a": [{"assetId": "a"}], "m": 100_001},
        {"k": "LAST_X_ROWS", "a": [], "m": 1},
        {"k": "LAST_X_ROWS", "a": [None], "m": 1},
        {"k": "LAST_X_ROWS", "a": [{"assetId": ""}], "m": 1},
        {"k": "LAST_X_ROWS", "a": [{"assetId": "a", "attributeNamesFilter": [""]}], "m": 1},
        {"k": "LAST_X_ROWS", "a": [{"assetId": f"a{i}"} for i in range(101)], "m": 1},
        {"k": "NEXT_TOKEN", "a": [{"assetId": "a"}], "n": "token"},
        {"k": "LAST_X_ROWS", "a": [{"assetId": "a"}], "m": 1, "n": "token"},
    ],
)
def test_bad_queries_are_bad_requests(harness: Harness, variables: dict[str, Any]) -> None:
    from avista_dx.emulator.persistence.models import TimeSeriesQueryRecord

    body = harness.gql("owner", QUERY, t=harness.ids["timeSeriesDb"], **variables)
    assert body["errors"][0]["errorType"] == "BadRequestException", body
    assert body["data"] == {"timeSeriesDb_queryDatabase": None}
    with harness.emulator.metadata.view() as view:
        assert view.find(TimeSeriesQueryRecord) == []


def test_quotes_in_asset_ids_stay_literals(harness: Harness, database: str) -> None:
    harness.data("owner", PUBLISH, t=database, a="it's", d={"records": [single(1000, "kwh", "1")]})
    result = harness.data(
        "owner",
        QUERY,
        t=database,
        k="LAST_X_ROWS",
        a=[{"assetId": "it's"}, {"assetId": "x') OR 1=1 --"}],
        m=5,
    )
    assert [r["assetId"] for r in _exported_rows(harness, database, result["queryId"])] == ["it's"]


def test_cancel(harness: Harness) -> None:
    database = harness.ids["timeSeriesDb"]
    query_id = harness.data(
        "reader", QUERY, t=database, k="LAST_X_ROWS", a=[{"assetId": "meter-1"}], m=1
    )["queryId"]
    assert harness.data("writer", CANCEL, t=database, q=query_id) == {
        "httpStatusCode": 200,
        "errorMessage": None,
    }
    assert harness.data("owner", CANCEL, t=database, q=query_id)["httpStatusCode"] == 200
    unknown = harness.data("owner", CANCEL, t=database, q="timeSeriesQueryId.none")
    assert unknown["httpStatusCode"] == 404
    assert unknown["errorMessage"]
    generate = (
        "mutation($t: ID!, $q: String!) { timeSeriesDb_generateQueryResultExportFile("
        "timeSeriesDbId: $t, queryId: $q) { queryId } }"
    )
    assert harness.error_type("owner", generate, t=database, q=query_id) == "BadRequestException"
    other = harness.data("owner", CREATE_DB)["timeSeriesDbId"]
    assert harness.data("owner", CANCEL, t=other, q=query_id)["httpStatusCode"] == 404
