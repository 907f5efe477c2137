"""Engine results and errors map onto the GraphQL contract (engine replaced by a stand-in)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from avista_dx.emulator.timestream import (
    ConflictError,
    QueryTimeoutError,
    QueryValidationError,
    RejectedRecordsError,
    ResourceNotFoundError,
    ThrottlingError,
    TimestreamAccessDenied,
    TimestreamError,
    TimestreamValidationError,
)

from .conftest import Harness

PUBLISH = (
    "mutation($t: ID!, $d: TimeSeriesDbDataInput!) { timeSeriesDb_publishToDatabase("
    'timeSeriesDbId: $t, assetId: "meter-1", data: $d) { assetId name attributes { name } } }'
)
QUERY = (
    "query($t: ID!, $m: Int, $n: String, $c: String) { "
    "timeSeriesDb_queryDatabaseWithTimestreamQuery(timeSeriesDbId: $t, "
    'queryString: "SELECT * FROM x", maxRows: $m, nextToken: $n, clientToken: $c) '
    "{ resultJSONString clientToken } }"
)
RECORD = {"Time": "1", "TimeUnit": "SECONDS", "MeasureName": "m", "MeasureValueType": "DOUBLE",
          "MeasureValue": "1"}  # fmt: skip


class StandIn:
    """Records calls; raises ``error`` when set."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.error: Exception | None = None
        self.result: Any = None

    def __call__(self, name: str) -> Any:
        def method(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            if self.error is not None:
                raise self.error
            return self.result

        return method


@pytest.fixture
def engine(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> StandIn:
    stand_in = StandIn()
    for name in ("create_table", "drop_table", "publish", "query_json"):
        monkeypatch.setattr(harness.emulator.engine, name, stand_in(name))
    monkeypatch.setattr(harness.emulator.engine, "table_exists", lambda database, table: True)
    return stand_in


def test_publish_passes_records_and_returns_the_engine_result(
    harness: Harness, engine: StandIn
) -> None:
    engine.result = [{"assetId": "meter-1", "name": "Meter 1", "attributes": [{"name": "m"}]}]
    result = harness.data("writer", PUBLISH, t=harness.ids["timeSeriesDb"], d={"records": [RECORD]})
    assert result == engine.result
    ((name, (database, table, asset, records), _),) = engine.calls
    assert name == "publish"
    demo = harness.emulator.services.time_series.get_database(
        harness.emulator.services.users.authenticate(harness.seed.tokens["owner"]),
        harness.ids["timeSeriesDb"],
    )
    assert (database, table) == (demo["databaseName"], demo["tableName"])
    assert asset == "meter-1"
    assert records == [RECORD]


def test_rejected_records(harness: Harness, engine: StandIn) -> None:
    rejected = [{"RecordIndex": 0, "Reason": "Duplicate", "ExistingVersion": 3}]
    engine.error = RejectedRecordsError(rejected)
    body = harness.gql("owner", PUBLISH, t=harness.ids["timeSeriesDb"], d={"records": [RECORD]})
    (error,) = body["errors"]
    assert error["errorType"] == "RejectedRecordsException"
    assert error["errorInfo"] == {"RejectedRecords": rejected}
    assert body["data"] == {"timeSeriesDb_publishToDatabase": None}


@pytest.mark.parametrize(
    "error", [TimestreamValidationError("too many records"), QueryValidationError("bad")]
)
def test_publish_validation_errors(harness: Harness, engine: StandIn, error: Exception) -> None:
    engine.error = error
    body = harness.gql("owner", PUBLISH, t=harness.ids["timeSeriesDb"], d={"records": [RECORD]})
    assert body["errors"][0]["errorType"] == "ValidationException"
    assert body["errors"][0]["message"] == str(error)


def test_query_result_is_json_encoded_and_client_token_echoed(
    harness: Harness, engine: StandIn
) -> None:
    response = {"QueryId": "q", "Rows": [], "ColumnInfo": [], "NextToken": "n2"}
    engine.result = json.dumps(response)
    page = harness.data("reader", QUERY, t=harness.ids["timeSeriesDb"], m=10, n="n1", c="client-1")
    assert json.loads(page["resultJSONString"]) == response
    assert page["clientToken"] == "client-1"
    name, args, kwargs = engine.calls[-1]
    assert name == "query_json"
    assert args == ("SELECT * FROM x",)
    assert kwargs["max_rows"] == 10
    assert kwargs["next_token"] == "n1"
    first = harness.data("reader", QUERY, t=harness.ids["timeSeriesDb"])
    assert first["clientToken"]  # generated when the client sent none


def test_can_read_follows_the_callers_access(harness: Harness, engine: StandIn) -> None:
    engine.result = json.dumps({"QueryId": "q", "Rows": [], "ColumnInfo": []})
    private = harness.data(
        "outsider",
        'mutation { timeSeriesDb_createDatabase(name: "P") { databaseName tableName } }',
    )
    harness.data("reader", QUERY, t=harness.ids["timeSeriesDb"])
    can_read = engine.calls[-1][2]["can_read"]
    demo = harness.emulator.services.time_series.get_database(
        harness.emulator.services.users.authenticate(harness.seed.tokens["owner"]),
        harness.ids["timeSeriesDb"],
    )
    assert can_read(demo["databaseName"], demo["tableName"]) is True
    assert can_read(private["databaseName"], private["tableName"]) is False
    assert can_read("unknown", "table") is False


@pytest.mark.parametrize(
    ("error", "error_type"),
    [
        (TimestreamAccessDenied("no"), "Unauthorized"),
        (QueryValidationError("Unknown NextToken"), "ValidationException"),
        (QueryTimeoutError("Query timed out"), "ValidationException"),
        (ThrottlingError("Rate exceeded"), "ValidationException"),
        (TimestreamError("engine closed"), "InternalFailure"),
    ],
)
def test_query_errors(harness: Harness, engine: StandIn, error: Exception, error_type: str) -> None:
    engine.error = error
    body = harness.gql("reader", QUERY, t=harness.ids["timeSeriesDb"])
    assert body["errors"][0]["errorType"] == error_type
    if error_type == "Unauthorized":
        assert body["errors"][0]["message"] == "Unauthorized"


def test_deleting_a_database_drops_its_table(harness: Harness, engine: StandIn) -> None:
    created = harness.data(
        "owner", 'mutation { timeSeriesDb_createDatabase(name: "T") { timeSeriesDbId tableName } }'
    )
    harness.data(
        "owner",
        "mutation($t: ID!) { timeSeriesDb_deleteDatabase(timeSeriesDbId: $t) { name } }",
        t=created["timeSeriesDbId"],
    )
    assert [c[0] for c in engine.calls] == ["create_table", "drop_table"]
    assert engine.calls[1][1][1] == created["tableName"]


@pytest.mark.parametrize(
    ("error", "error_type"),
    [
        (TimestreamValidationError("bad record"), "ValidationException"),
        (ConflictError("exists"), "BadRequestException"),
        (ResourceNotFoundError("no such table"), "Unauthorized"),
        (TimestreamError("disk full"), "InternalFailure"),
    ],
)
def test_publish_errors_map_to_the_contract(
    harness: Harness, engine: StandIn, error: Exception, error_type: str
) -> None:
    engine.error = error
    body = harness.gql("owner", PUBLISH, t=harness.ids["timeSeriesDb"], d={"records": [RECORD]})
    (entry,) = body["errors"]
    assert entry["errorType"] == error_type
    if error_type == "Unauthorized":
        assert entry["message"] == "Unauthorized"  # never whether the table exists
    if error_type == "InternalFailure":
        assert str(error) not in entry["message"]
    assert "errorInfo" not in entry or entry["errorInfo"] is None
