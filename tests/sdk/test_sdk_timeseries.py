"""Time series: record validation, publishing at scale, pagination, typed rows and DataFrames."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from graphql import GraphQLEnumType

from avista_dx import (
    InvalidInputError,
    PaginationError,
    PartialPublishError,
    QueryResult_TimestreamVariables,
    RejectedRecordsError,
    TimeSeriesInputRecord,
    record_from_values,
    records_from_rows,
)
from avista_dx._publish_request import Answer, CheckedAnswer, adapt
from avista_dx._publishing import aggregate
from avista_dx._records import DIMENSION_VALUE_TYPES, MEASURE_VALUE_TYPES, TIME_UNITS

from .conftest import Driver
from .fake_exchange import SCHEMA, FakeExchange

DB = "timeSeriesDbId.1"


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("MeasureValueType", MEASURE_VALUE_TYPES),
        ("DimensionValueType", DIMENSION_VALUE_TYPES),
        ("TimeUnit", TIME_UNITS),
    ],
)
def test_client_side_enums_equal_the_schema(name: str, values: tuple[str, ...]) -> None:
    enum = SCHEMA.get_type(name)
    assert isinstance(enum, GraphQLEnumType)
    assert tuple(sorted(enum.values)) == values


def records(dx: Driver, count: int, *, reject: set[int] = frozenset()) -> list[Any]:
    return [
        dx.createTimeSeriesInputRecord(
            str(1_700_000_000 + i),
            "SECONDS",
            "power",
            "DOUBLE",
            "REJECT" if i in reject else f"{i}.5",
        )
        if i not in reject
        else TimeSeriesInputRecord.model_construct(
            Time=str(1_700_000_000 + i),
            TimeUnit="SECONDS",
            MeasureName="power",
            MeasureValueType="VARCHAR",
            MeasureValue="REJECT",
            Version=1,
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("1", "HOURS", "m", "DOUBLE", "1"), "TimeUnit"),
        (("1", "SECONDS", "m", "FLOAT", "1"), "MeasureValueType"),
        (("1", "SECONDS", "m", "MULTI"), "MULTI needs"),
        (("1", "SECONDS", "m", "MULTI", None, []), "MULTI needs"),
        (("1", "SECONDS", "m", "DOUBLE"), "needs a MeasureValue"),
        (("1", "SECONDS", "m", "DOUBLE", None), "needs a MeasureValue"),
        (("1.5", "SECONDS", "m", "DOUBLE", "1"), "epoch integer"),
        (("soon", "SECONDS", "m", "DOUBLE", "1"), "epoch integer"),
        (("1", "SECONDS", "m", "BIGINT", "1.5"), "BIGINT"),
        (("1", "SECONDS", "m", "DOUBLE", "abc"), "DOUBLE"),
        (("1", "SECONDS", "m", "BOOLEAN", "yes"), "BOOLEAN"),
        (("1", "SECONDS", "", "DOUBLE", "1"), "MeasureName"),
        (("1", "SECONDS", "m", "DOUBLE", "1", None, None, -1), "Version"),
    ],
)
def test_invalid_records_are_rejected_on_the_client(
    dx: Driver, args: tuple[Any, ...], problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        dx.createTimeSeriesInputRecord(*args)


def test_measure_and_dimension_validation(dx: Driver) -> None:
    with pytest.raises(InvalidInputError):
        dx.createTimeSeriesMeasureValue("MULTI", "x", "1")
    with pytest.raises(InvalidInputError):
        dx.createTimeSeriesDimension("BIGINT", "x", "1")
    assert dx.createTimeSeriesMeasureValue("BIGINT", "n", "321").Value == "321"


def test_the_documented_multi_record_is_sent_as_variables(dx: Driver, fake: FakeExchange) -> None:
    dims = [dx.createTimeSeriesDimension("VARCHAR", "name", "Asset 1")]
    values = [
        dx.createTimeSeriesMeasureValue("VARCHAR", "Measure 1", "a string..."),
        dx.createTimeSeriesMeasureValue("BIGINT", "Measure 2", "321"),
    ]
    record = dx.createTimeSeriesInputRecord(
        "1662155084", "SECONDS", "multi", "MULTI", None, values, dims, 1
    )
    plain = dx.createTimeSeriesInputRecord(
        "1662155085", "SECONDS", "x", "DOUBLE", "1", None, [], None
    )
    result = dx.publishToTimeSeriesDatabase(DB, "asset1", [record, plain])
    sent = fake.requests[-1].variables
    assert sent["data"]["records"] == [
        {
            "Time": "1662155084",
            "TimeUnit": "SECONDS",
            "MeasureName": "multi",
            "MeasureValueType": "MULTI",
            "MeasureValues": [
                {"Type": "VARCHAR", "Name": "Measure 1", "Value": "a string..."},
                {"Type": "BIGINT", "Name": "Measure 2", "Value": "321"},
            ],
            "Dimensions": [{"DimensionValueType": "VARCHAR", "Name": "name", "Value": "Asset 1"}],
            "Version": 1,
        },
        # Empty Dimensions and Version=None are left out; nothing is sent as "None".
        {
            "Time": "1662155085",
            "TimeUnit": "SECONDS",
            "MeasureName": "x",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": "1",
        },
    ]
    assert result[0].name == "Asset 1"
    assert {a.name for a in result[0].attributes} == {"Measure 1", "Measure 2", "x"}


def test_a_hand_built_invalid_record_is_caught_before_sending(
    dx: Driver, fake: FakeExchange
) -> None:
    bad = TimeSeriesInputRecord(
        Time="1", TimeUnit="SECONDS", MeasureName="m", MeasureValueType="MULTI"
    )
    with pytest.raises(InvalidInputError, match="record 1"):
        dx.publishToTimeSeriesDatabase(DB, "a", [*records(dx, 1), bad])
    with pytest.raises(InvalidInputError):
        dx.publishToTimeSeriesDatabase(DB, "a", [])
    assert fake.requests == []


def test_publishing_10000_records_with_one_rejected_in_the_middle(
    make_dx, fake: FakeExchange
) -> None:
    dx = make_dx(publish_concurrency=8)
    batch = records(dx, 10_000, reject={5_432})
    with pytest.raises(PartialPublishError) as caught:
        dx.publishToTimeSeriesDatabase(DB, "asset", batch)
    error = caught.value
    assert error.failed_indexes == list(range(5_400, 5_500))
    assert error.written_indexes == [i for i in range(10_000) if not 5_400 <= i < 5_500]
    assert isinstance(error.errors[5_400], RejectedRecordsError)
    assert error.errors[5_400].rejected_records[0]["RecordIndex"] == 32
    assert len(fake.records[DB]) == 9_900
    assert all(len(r.variables["data"]["records"]) <= 100 for r in fake.requests)
    assert "9900 of 10000 records written" in str(error)
    assert error.results[0].assetId == "asset"
    # Retrying exactly the failed indexes (the bad one fixed) completes the data set.
    retry = [batch[i] for i in error.failed_indexes if i != 5_432]
    dx.publishToTimeSeriesDatabase(DB, "asset", retry)
    assert len(fake.records[DB]) == 9_999


def test_publishing_aggregates_per_asset(dx: Driver) -> None:
    result = dx.publishToTimeSeriesDatabase(DB, "asset", records(dx, 250))
    assert len(result) == 1
    (attribute,) = result[0].attributes
    assert attribute.lastValue == "249.5"
    assert len(attribute.data) == 250


def test_an_authentication_failure_stops_the_remaining_batches(make_dx, fake: FakeExchange) -> None:
    dx = make_dx(token="wrong", publish_concurrency=1)
    from avista_dx import AuthenticationError

    with pytest.raises(PartialPublishError) as caught:
        dx.publishToTimeSeriesDatabase(DB, "asset", records(dx, 1000))
    assert caught.value.written_indexes == []
    assert isinstance(caught.value.errors[0], AuthenticationError)
    assert len(caught.value.errors) == 1  # the other nine requests were never sent


def test_a_single_failed_request_raises_its_own_error(dx: Driver) -> None:
    with pytest.raises(RejectedRecordsError):
        dx.publishToTimeSeriesDatabase(DB, "asset", records(dx, 3, reject={1}))


def checked(asset: dict[str, Any]) -> CheckedAnswer:
    """A publish answer of one asset, as the publish path checks it."""
    data = {"timeSeriesDb_publishToDatabase": [asset]}
    return adapt(Answer(data, json.dumps({"data": data}).encode()))


def test_aggregate_merges_attributes_by_latest_time() -> None:
    first = checked(
        {
            "assetId": "a",
            "name": None,
            "attributes": [
                {
                    "name": "p",
                    "attributeType": "DOUBLE",
                    "lastValue": "2",
                    "lastValueTime": "2026-01-02T00:00:00Z",
                    "data": [{"timestamp": "t2", "value": "2"}],
                }
            ],
        }
    )
    second = checked(
        {
            "assetId": "a",
            "name": "A",
            "attributes": [
                {
                    "name": "p",
                    "attributeType": "DOUBLE",
                    "lastValue": "1",
                    "lastValueTime": "2026-01-01T00:00:00Z",
                    "data": [{"timestamp": "t1", "value": "1"}],
                },
                {
                    "name": "q",
                    "attributeType": "BIGINT",
                    "lastValue": "7",
                    "lastValueTime": "2026-01-01T00:00:00Z",
                    "data": None,
                },
            ],
        }
    )
    (merged,) = aggregate([first, second])
    assert merged.name == "A"
    assert [(a.name, a.lastValue) for a in merged.attributes] == [("p", "2"), ("q", "7")]
    assert len(merged.attributes[0].data) == 2


def test_pagination_over_many_pages(dx: Driver, fake: FakeExchange) -> None:
    dx.publishToTimeSeriesDatabase(DB, "asset", records(dx, 95))
    fake.requests.clear()
    pages = list(dx.iterTimeSeriesQuery(DB, "SELECT * FROM x", 10))
    assert len(pages) == 10
    assert sum(len(p.Rows) for p in pages) == 95
    first, second = fake.requests[0].variables, fake.requests[1].variables
    assert "nextToken" not in first
    assert "clientToken" not in first
    assert second == {
        "timeSeriesDbId": DB,
        "queryString": "SELECT * FROM x",
        "maxRows": 10,
        "nextToken": "token-10",
        "clientToken": "client-token",
    }
    assert pages[-1].NextToken is None


def test_a_repeated_token_stops_with_a_typed_error(dx: Driver, fake: FakeExchange) -> None:
    dx.publishToTimeSeriesDatabase(DB, "asset", records(dx, 30))
    fake.repeat_token = True
    with pytest.raises(PaginationError):
        list(dx.iterTimeSeriesQuery(DB, "SELECT 1", 10))


def test_a_bad_query_is_a_bad_request(dx: Driver) -> None:
    from avista_dx import BadRequestError

    with pytest.raises(BadRequestError, match="mismatched input"):
        dx.queryTimeSeriesDatabase(DB, "SYNTAX ERROR")


COMPLEX_PAGE: dict[str, Any] = {
    "QueryId": "Q",
    "ColumnInfo": [
        {"Name": "t", "Type": {"ScalarType": "TIMESTAMP"}},
        {"Name": "n", "Type": {"ScalarType": "BIGINT"}},
        {"Name": "x", "Type": {"ScalarType": "DOUBLE"}},
        {"Name": "b", "Type": {"ScalarType": "BOOLEAN"}},
        {"Name": "s", "Type": {"ScalarType": "VARCHAR"}},
        {"Name": "d", "Type": {"ScalarType": "DATE"}},
        {"Name": "i", "Type": {"ScalarType": "INTERVAL_DAY_TO_SECOND"}},
        {"Type": {"ArrayColumnInfo": {"Type": {"ScalarType": "INTEGER"}}}},
        {
            "Name": "r",
            "Type": {
                "RowColumnInfo": [
                    {"Name": "k", "Type": {"ScalarType": "VARCHAR"}},
                    {"Name": "v", "Type": {"ScalarType": "DOUBLE"}},
                ]
            },
        },
        {
            "Name": "ts",
            "Type": {"TimeSeriesMeasureValueColumnInfo": {"Type": {"ScalarType": "DOUBLE"}}},
        },
    ],
    "Rows": [
        {
            "Data": [
                {"ScalarValue": "2020-10-17 16:59:50.892123456"},
                {"ScalarValue": "9007199254740993"},
                {"ScalarValue": "4.294967167E7"},
                {"ScalarValue": "true"},
                {"ScalarValue": 'a "q"\n'},
                {"ScalarValue": "2020-08-08"},
                {"ScalarValue": "1 21:00:00.042800000"},
                {"ArrayValue": [{"ScalarValue": "1"}, {"NullValue": True}]},
                {"RowValue": {"Data": [{"ScalarValue": "k1"}, {"ScalarValue": "0.5"}]}},
                {
                    "TimeSeriesValue": [
                        {"Time": "2021-03-25 21:22:27.000000000", "Value": {"ScalarValue": "56.2"}}
                    ]
                },
            ]
        },
        {"Data": [{"NullValue": True}] * 10},
    ],
}


def page_of(results: dict[str, Any]) -> QueryResult_TimestreamVariables:
    import json

    from avista_dx._operations import query_result

    return query_result(json.dumps(results), "ct", "SELECT", None)


def test_rows_are_converted_by_column_info() -> None:
    page = page_of(COMPLEX_PAGE)
    first, second = list(page.rows())
    assert first["t"] == dt.datetime(2020, 10, 17, 16, 59, 50, 892123, tzinfo=dt.timezone.utc)
    assert first["n"] == 9007199254740993
    assert first["x"] == 42949671.67
    assert first["b"] is True
    assert first["s"] == 'a "q"\n'
    assert first["d"] == dt.date(2020, 8, 8)
    assert first["i"] == dt.timedelta(days=1, hours=21, microseconds=42800)
    assert first["_col7"] == [1, None]
    assert first["r"] == {"k": "k1", "v": 0.5}
    assert first["ts"] == [
        {"time": dt.datetime(2021, 3, 25, 21, 22, 27, tzinfo=dt.timezone.utc), "value": 56.2}
    ]
    assert all(value is None for value in second.values())
    assert page.columns[7] == "_col7"
    assert page.Rows == COMPLEX_PAGE["Rows"]  # the documented raw fields stay as they were


def test_to_pandas_dtypes() -> None:
    pd = pytest.importorskip("pandas")
    frame = page_of(COMPLEX_PAGE).to_pandas()
    assert str(frame["t"].dtype) == "datetime64[ns, UTC]"
    assert frame["t"][0] == pd.Timestamp("2020-10-17 16:59:50.892123456", tz="UTC")
    assert str(frame["n"].dtype) == "Int64"
    assert frame["n"][0] == 9007199254740993
    assert str(frame["x"].dtype) == "float64"
    assert str(frame["b"].dtype) == "boolean"
    assert str(frame["s"].dtype) == "string"
    assert frame["n"].isna()[1]
    assert frame["t"].isna()[1]


def test_to_pandas_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from avista_dx import ConfigurationError

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ConfigurationError, match=r"avista-dx\[pandas\]"):
        page_of(COMPLEX_PAGE).to_pandas()


def test_record_helpers() -> None:
    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    single = record_from_values(when, {"power": 1.5}, dimensions={"name": "A"})
    assert (single.MeasureName, single.MeasureValueType, single.MeasureValue) == (
        "power",
        "DOUBLE",
        "1.5",
    )
    assert single.Time == str(int(when.timestamp() * 1000))
    assert single.TimeUnit == "MILLISECONDS"
    multi = record_from_values(
        1, {"on": True, "count": 3, "label": "x", "at": when}, measure_name="m", time_unit="SECONDS"
    )
    assert [(v.Name, v.Type, v.Value) for v in multi.MeasureValues or []] == [
        ("on", "BOOLEAN", "true"),
        ("count", "BIGINT", "3"),
        ("label", "VARCHAR", "x"),
        ("at", "TIMESTAMP", str(int(when.timestamp() * 1000))),
    ]
    rows = records_from_rows(
        [{"time": 5, "site": "s1", "a": 1.0, "b": None}, {"time": 6, "site": "s2", "a": 2.0}],
        dimension_fields=["site"],
        time_unit="SECONDS",
    )
    assert [(r.Time, r.MeasureName, r.Dimensions[0].Value) for r in rows] == [  # type: ignore[index]
        ("5", "a", "s1"),
        ("6", "a", "s2"),
    ]
    with pytest.raises(InvalidInputError, match="naive"):
        record_from_values(dt.datetime(2026, 1, 1), {"x": 1})
    with pytest.raises(InvalidInputError, match="measure_name"):
        record_from_values(1, {"x": 1, "y": 2})
    with pytest.raises(InvalidInputError, match="row 0"):
        records_from_rows([{"value": 1}])
