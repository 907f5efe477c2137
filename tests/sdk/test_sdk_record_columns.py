"""Records checked a column at a time (`TimeSeriesRecords`): the same records and errors as the
row-by-row path, DataFrames in (pandas and polars), and publishing them with progress."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from avista_dx import (
    InvalidInputError,
    TimeSeriesInputRecord,
    TimeSeriesRecords,
    records_from_dataframe,
    records_from_rows,
)
from avista_dx._record_table import CodedTexts, RecordTable
from avista_dx._records import _rows_wire, record_to_variables

from .conftest import Driver
from .fake_exchange import FakeExchange

DB = "timeSeriesDbId.1"
T0 = 1_700_000_000_000


def row_by_row(rows: list[dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    options = {"time_field": "time", "dimension_fields": [], "measure_name": None}
    options |= {"time_unit": None, "version": 1}
    options |= {k: v for k, v in kwargs.items() if k not in ("measure_fields", "measure_types")}
    declared = kwargs.get("measure_types") or {}
    return _rows_wire(rows, kwargs.get("measure_fields"), declared, **options)


CASES: list[tuple[list[dict[str, Any]], dict[str, Any]]] = [
    (
        [{"time": T0 + i, "meter": f"m{i % 3}", "kwh": i * 0.5, "n": i, "on": i % 2 == 0}
         for i in range(250)],
        {"dimension_fields": ["meter"], "measure_name": "reading"},
    ),
    (
        [{"time": str(T0 + i), "kwh": "" if i % 7 == 0 else f"{i}.25", "note": "h\u00e9 \"x\""}
         for i in range(120)],
        {"measure_name": "r", "measure_types": {"kwh": "DOUBLE", "note": "VARCHAR"}},
    ),
    ([{"time": T0 + i, "power": float(i)} for i in range(5)], {"version": None}),
    (
        [{"time": T0 + i, "p%d": 'q"%s\\\u00e9\n', "n": -i, "site": "s%s"} for i in range(4)],
        {"measure_name": "m%", "measure_types": {"p%d": "VARCHAR"}, "dimension_fields": ["site"]},
    ),
    (
        [{"time": T0 + i, "on": i % 2 == 1, "site": f"\u00e9{i}"} for i in range(4)],
        {"dimension_fields": ["site"], "time_unit": "MILLISECONDS"},
    ),
    (
        [{"time": i, "site": None if i == 2 else "s", "v": i} for i in range(1, 4)],
        {"dimension_fields": ["site"], "time_unit": "SECONDS"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "kwargs"), CASES)
def test_columns_give_the_row_by_row_records(rows: list[dict[str, Any]], kwargs: Any) -> None:
    records = records_from_rows(rows, **kwargs)
    assert isinstance(records._table, RecordTable)  # the column path was taken
    expected = row_by_row(rows, **kwargs)
    assert json.loads(records.json(0, len(records))) == expected
    assert [record_to_variables(r) for r in records] == expected
    assert records._table.wire(0, len(records)) == expected


def test_records_are_a_read_only_sequence_of_models() -> None:
    rows, kwargs = CASES[0]
    records = records_from_rows(rows, **kwargs)
    assert len(records) == 250
    assert isinstance(records[-1], TimeSeriesInputRecord)
    assert records[-1].Time == str(T0 + 249)
    part = records[10:20]
    assert isinstance(part, TimeSeriesRecords)
    assert [r.Time for r in part] == [str(T0 + i) for i in range(10, 20)]
    assert "250 records" in repr(records)
    records[0].Time = "1"  # a copy: the records themselves do not change
    assert records[0].Time == str(T0)
    with pytest.raises(IndexError):
        records[250]


def test_a_bad_value_is_named_by_its_row_as_before() -> None:
    rows = [{"time": T0 + i, "kwh": 1.5} for i in range(50)]
    rows[31]["kwh"] = math.inf
    with pytest.raises(InvalidInputError, match=r"row 31: .*finite"):
        records_from_rows(rows)
    texts = [{"time": T0, "kwh": "1.5"}, {"time": T0 + 1, "kwh": "1.5\n2"}]
    with pytest.raises(InvalidInputError, match=r"row 1: .*not a finite DOUBLE"):
        records_from_rows(texts, measure_types={"kwh": "DOUBLE"})


pd = pytest.importorskip("pandas")


def frame_rows(count: int) -> list[dict[str, Any]]:
    return [
        {"time": T0 + i, "meter": f"m{i % 4}", "kwh": i * 0.25, "n": i, "on": i % 3 == 0}
        for i in range(count)
    ]


def test_a_pandas_frame_gives_the_records_of_its_rows() -> None:
    rows = frame_rows(300)
    kwargs: dict[str, Any] = {"dimension_fields": ["meter"], "measure_name": "reading"}
    records = records_from_dataframe(pd.DataFrame(rows), **kwargs)
    assert isinstance(records._table, RecordTable)
    assert json.loads(records.json(0, 300)) == row_by_row(rows, **kwargs)


def test_missing_frame_values_are_skipped_and_datetimes_keep_nanoseconds() -> None:
    frame = pd.DataFrame(
        {
            "time": pd.to_datetime([T0 * 10**6 + 7, T0 * 10**6 + 8], utc=True),
            "kwh": [1.5, float("nan")],
            "n": pd.array([None, 3], dtype="Int64"),
        }
    )
    records = records_from_dataframe(frame, measure_name="m", time_unit="NANOSECONDS")
    assert [r.Time for r in records] == [str(T0 * 10**6 + 7), str(T0 * 10**6 + 8)]
    assert [[(v.Name, v.Value) for v in r.MeasureValues or []] for r in records] == [
        [("kwh", "1.5")],
        [("n", "3")],
    ]


def test_frame_errors_name_the_row() -> None:
    frame = pd.DataFrame({"time": [T0, T0 + 1, T0 + 2], "kwh": [1.0, float("inf"), 2.0]})
    with pytest.raises(InvalidInputError, match=r"row 1: .*finite"):
        records_from_dataframe(frame)
    with pytest.raises(InvalidInputError, match=r"row 0: .*looks like SECONDS"):
        records_from_dataframe(pd.DataFrame({"time": [1_700_000_000], "kwh": [1.0]}))
    with pytest.raises(InvalidInputError, match="no column 'volts'"):
        records_from_dataframe(frame, measure_fields=["volts"])
    with pytest.raises(InvalidInputError, match="pandas or polars DataFrame"):
        records_from_dataframe([{"time": T0}])
    with pytest.raises(InvalidInputError, match=r"row 0: .*measure_types"):
        records_from_dataframe(pd.DataFrame({"time": [T0], "kwh": ["1.5"]}))


def test_a_polars_frame_gives_the_same_records_as_pandas() -> None:
    pl = pytest.importorskip("polars")
    rows = frame_rows(120)
    rows[5]["kwh"] = None
    kwargs: dict[str, Any] = {"dimension_fields": ["meter"], "measure_name": "reading"}
    from_polars = records_from_dataframe(pl.DataFrame(rows), **kwargs)
    from_pandas = records_from_dataframe(pd.DataFrame(rows), **kwargs)
    assert isinstance(from_polars._table, RecordTable)
    assert from_polars.json(0, 120) == from_pandas.json(0, 120)
    assert json.loads(from_polars.json(0, 120)) == row_by_row(rows, **kwargs)


def test_publishing_records_reports_progress_and_can_drop_data(
    dx: Driver, fake: FakeExchange
) -> None:
    rows = frame_rows(250)
    records = records_from_dataframe(pd.DataFrame(rows), dimension_fields=["meter"],
                                     measure_name="reading")  # fmt: skip
    seen: list[tuple[int, int | None]] = []
    result = dx.publishToTimeSeriesDatabase(
        DB, "asset", records, progress=lambda done, total: seen.append((done, total))
    )
    # After each request, in the order they finish (the last one may be the short one).
    assert len(seen) == 3
    assert seen[-1] == (250, 250)
    assert {seen[0][0], seen[1][0] - seen[0][0]} <= {100, 50}
    written = sorted(fake.records[DB], key=lambda record: int(record["Time"]))  # any order
    assert written == row_by_row(rows, dimension_fields=["meter"], measure_name="reading")
    assert sum(len(a.data) for a in result[0].attributes) == 750
    slim = dx.publishToTimeSeriesDatabase(DB, "asset", records, keep_data=False)
    assert [a.data for a in slim[0].attributes] == [[], [], []]
    assert [a.lastValue for a in slim[0].attributes] == [a.lastValue for a in result[0].attributes]
    with pytest.raises(InvalidInputError, match="progress"):
        dx.publishToTimeSeriesDatabase(DB, "asset", records, progress=5)  # type: ignore[arg-type]


ANSWER = {"data": {"timeSeriesDb_publishToDatabase": [{"assetId": "asset", "attributes": []}]}}


def test_sync_publish_requests_overlap_in_worker_threads() -> None:
    import threading

    import httpx

    from avista_dx import AvistaDigitalExchange

    # Four requests can pass the barrier only if four are in flight at once.
    barrier = threading.Barrier(4, timeout=10)

    def answer(request: httpx.Request) -> httpx.Response:
        barrier.wait()
        return httpx.Response(200, json=ANSWER)

    records = records_from_rows(frame_rows(400), dimension_fields=["meter"], measure_name="r")
    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        dx = AvistaDigitalExchange("t", endpoint="https://x.test/graphql", http_client=http,
                                   publish_concurrency=4)  # fmt: skip
        assert dx.publishToTimeSeriesDatabase(DB, "asset", records)[0].assetId == "asset"


def test_async_publish_requests_overlap() -> None:
    import anyio
    import httpx

    from avista_dx import AsyncAvistaDigitalExchange

    in_flight, most = 0, 0
    four_waiting = anyio.Event()

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        if in_flight == 4:
            four_waiting.set()
        with anyio.fail_after(10):
            await four_waiting.wait()
        in_flight -= 1
        return httpx.Response(200, json=ANSWER)

    async def main() -> None:
        records = records_from_rows(frame_rows(800), measure_name="r", dimension_fields=["meter"])
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            dx = AsyncAvistaDigitalExchange("t", endpoint="https://x.test/graphql",
                                            http_client=http, publish_concurrency=4)  # fmt: skip
            await dx.publishToTimeSeriesDatabase(DB, "asset", records)

    anyio.run(main)
    assert most == 4


def _outcome(function: Any) -> Any:
    try:
        return ("records", function())
    except InvalidInputError as error:
        return ("error", error.message)


def test_the_column_path_agrees_with_the_row_path_on_any_rows() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["", "1.5", "x", "true", "1e999", "-7", "\ud800", "a\nb", "1,5"]),
    )
    plausible = st.integers(min_value=T0, max_value=T0 + 10**6)
    times = st.one_of(
        *[plausible] * 12,
        plausible.map(str),
        st.integers(min_value=-1, max_value=2**64),
        st.sampled_from([str(T0), "17e11", "", "0017000000000001"]),
    )
    # Columns of one kind (what the column path takes), with a stray value of another now and then.
    kinds = st.sampled_from(
        [
            st.floats(min_value=-1e300, max_value=1e300),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.booleans(),
            st.sampled_from(["1.5", "-2", "3e5", "", "true"]),
        ]
    )
    cell = st.shared(kinds, key="a").flatmap(lambda kind: st.one_of(*[kind] * 8, values))
    other = st.shared(kinds, key="b").flatmap(lambda kind: st.one_of(*[kind] * 8, values))
    site = st.one_of(st.none(), st.sampled_from(["s1", "s2", "é"]), st.text(max_size=3))
    row = st.fixed_dictionaries({"time": times, "a": cell, "b": other, "site": site})
    options = st.fixed_dictionaries(
        {
            "measure_name": st.sampled_from([None, "m", "m", "m", "time"]),
            "dimension_fields": st.sampled_from([["site"], ["site"], []]),
        },
        optional={
            "measure_types": st.sampled_from(
                [
                    {"a": "DOUBLE"},
                    {"b": "VARCHAR"},
                    {"a": "BIGINT", "b": "DOUBLE"},
                    {"b": "BOOLEAN"},
                ]
            ),
            "time_unit": st.sampled_from(["SECONDS", "NANOSECONDS"]),
        },
    )

    by_columns = 0  # examples the column path took

    def by_column_path(rows: list[dict[str, Any]], kwargs: dict[str, Any]) -> str:
        nonlocal by_columns
        records = records_from_rows(rows, **kwargs)
        by_columns += isinstance(records._table, RecordTable)
        return records.json(0, len(rows))

    @settings(
        max_examples=400,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(row, min_size=1, max_size=6), options)
    def check(rows: list[dict[str, Any]], kwargs: dict[str, Any]) -> None:
        columns = _outcome(lambda: by_column_path(rows, kwargs))
        one_by_one = _outcome(lambda: row_by_row(rows, **kwargs))
        if columns[0] == "records" and one_by_one[0] == "records":
            assert json.loads(columns[1]) == one_by_one[1]
        else:
            assert columns == one_by_one

    check()
    assert by_columns > 0  # (1 in 10 to 30 examples here; the cases above take it always)


def coded_frames(rows: list[dict[str, Any]]) -> list[Any]:
    """The rows as frames whose `site` column is text, categorical or plain objects."""
    pl = pytest.importorskip("polars")
    frame = pd.DataFrame(rows)
    return [
        frame,
        frame.astype({"site": "category"}),
        frame.astype({"site": object}),
        pl.DataFrame(rows),
        pl.DataFrame(rows).with_columns(pl.col("site").cast(pl.Categorical)),
    ]


def test_frame_dimensions_are_held_as_codes_and_give_the_rows_records() -> None:
    rows = [
        {"time": T0 + i, "site": None if i % 5 == 4 else f"s\u00e9{i % 3}", "kwh": i * 0.5}
        for i in range(230)
    ]
    kwargs: dict[str, Any] = {"dimension_fields": ["site"], "measure_name": "reading"}
    expected = row_by_row(rows, **kwargs)
    for frame in coded_frames(rows):
        records = records_from_dataframe(frame, **kwargs)
        (dimension,) = records._table.dimensions
        assert isinstance(dimension.values, CodedTexts)
        assert json.loads(records.json(0, 230)) == expected
        assert json.loads(records.json(100, 200)) == expected[100:200]
        assert [record_to_variables(r) for r in records[::50]] == expected[::50]


def test_a_bad_frame_dimension_is_named_by_its_row_as_before() -> None:
    rows = [{"time": T0 + i, "site": "" if i == 7 else "s", "kwh": 1.0} for i in range(10)]
    for frame in coded_frames(rows):
        with pytest.raises(InvalidInputError, match=r"row 7: "):
            records_from_dataframe(frame, dimension_fields=["site"], measure_name="m")
    mixed = pd.DataFrame({"time": [T0, T0 + 1], "site": ["a", 5], "kwh": [1.0, 2.0]})
    records = records_from_dataframe(mixed, dimension_fields=["site"], measure_name="m")
    assert [r.Dimensions[0].Value for r in records if r.Dimensions] == ["a", "5"]
