"""Reading query pages at column speed, and the type traps of the record helpers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
import time
from typing import Any

import pytest

from avista_dx import (
    InvalidInputError,
    InvalidResponseError,
    record_from_values,
    records_from_rows,
)
from avista_dx._dataframes import pages_to_pandas
from avista_dx._operations import query_result
from avista_dx._timestream import QueryRows, parse_timestamp

COLUMNS = [
    {"Name": "time", "Type": {"ScalarType": "TIMESTAMP"}},
    {"Name": "name", "Type": {"ScalarType": "VARCHAR"}},
    {"Name": "x", "Type": {"ScalarType": "DOUBLE"}},
    {"Name": "n", "Type": {"ScalarType": "BIGINT"}},
    {"Name": "b", "Type": {"ScalarType": "BOOLEAN"}},
]


def scalar(value: str | None) -> dict[str, Any]:
    return {"NullValue": True} if value is None else {"ScalarValue": value}


def page(*rows: tuple[str | None, ...], columns: list[dict[str, Any]] = COLUMNS) -> Any:
    results = {"ColumnInfo": columns, "Rows": [{"Data": [scalar(v) for v in r]} for r in rows]}
    return query_result(json.dumps(results), "ct", "SELECT", None)


FIRST = ("2020-10-17 16:59:50.892123456", "a", "1.5", "9223372036854775807", "TRUE")
SECOND = ("2020-10-17 16:59:51.000000000", None, "NaN", "-3", "false")
NULLS = ("2020-10-17 16:59:52.1", None, None, None, None)


def test_rows_is_a_lazy_sequence_that_prints_its_count_and_columns() -> None:
    rows = page(FIRST, SECOND).rows()
    assert isinstance(rows, QueryRows)
    assert repr(rows) == "<QueryRows: 2 rows; columns ['time', 'name', 'x', 'n', 'b']>"
    assert len(rows) == 2
    assert rows[1]["n"] == -3
    assert rows[-1]["b"] is False
    assert [r["name"] for r in rows] == ["a", None]
    assert list(rows) == list(rows) == rows[:]  # iterating again starts from the first row
    assert rows.columns == ["time", "name", "x", "n", "b"]


def test_next_steps_through_the_rows_as_on_the_former_generator() -> None:
    rows = page(FIRST, SECOND).rows()
    assert next(rows)["name"] == "a"
    assert next(rows)["n"] == -3
    with pytest.raises(StopIteration):
        next(rows)


def test_rows_converts_on_first_use_and_names_a_bad_value() -> None:
    rows = page(FIRST, ("2020-10-17 16:59:51", "a", "1", "1.5", "true")).rows()
    assert len(rows) == 2  # nothing converted yet
    with pytest.raises(InvalidResponseError, match=r"bad BIGINT value '1\.5'"):
        list(rows)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2020-10-17 16:59:50+05:00", "TIMESTAMP"),
        ("2020-10-17", "TIMESTAMP"),
        ("yesterday at noon, roughly", "TIMESTAMP"),
    ],
)
def test_a_timestamp_not_in_timestreams_form_is_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidResponseError, match=problem):
        list(page((text, "a", "1", "1", "true")).rows())


@pytest.mark.parametrize(
    "text",
    [
        "2020-10-17 16:59:50.892123456",
        "2020-10-17 16:59:50.8",
        "2020-10-17 16:59:50",
        "2020-10-17T16:59:50.123456789Z",
        "1970-01-01 00:00:00.000000001",
    ],
)
def test_the_fast_timestamp_column_agrees_with_the_strict_parser(text: str) -> None:
    converted = page((text, "a", "1", "1", "true"), NULLS).rows()
    assert converted[0]["time"] == parse_timestamp(text)
    assert converted[0]["time"].tzinfo == dt.timezone.utc
    assert converted[1]["time"] == parse_timestamp(NULLS[0])


def test_a_row_of_the_wrong_width_is_an_invalid_response() -> None:
    results = {"ColumnInfo": COLUMNS[:2], "Rows": [{"Data": [scalar("x")]}]}
    with pytest.raises(InvalidResponseError, match="1 values for 2 columns"):
        list(query_result(json.dumps(results), "ct", "SELECT", None).rows())


def test_a_page_without_columns_keeps_its_rows() -> None:
    results = {"ColumnInfo": [], "Rows": [{"Data": []}, {"Data": []}]}
    assert list(query_result(json.dumps(results), "ct", "SELECT", None).rows()) == [{}, {}]


def test_to_pandas_over_several_pages_equals_the_rows() -> None:
    pd = pytest.importorskip("pandas")
    pages = [page(FIRST, NULLS), page(), page(SECOND)]
    frame = pages_to_pandas(pages)
    assert len(frame) == 3
    assert frame["time"][0] == pd.Timestamp("2020-10-17 16:59:50.892123456", tz="UTC")
    assert frame["n"].tolist()[0] == 2**63 - 1  # exact: no float detour
    assert frame["b"].tolist() == [True, pd.NA, False]
    assert frame["name"].tolist() == ["a", pd.NA, pd.NA]
    assert pd.isna(frame["x"][2])
    assert frame["x"][0] == 1.5
    assert [str(frame[c].dtype) for c in frame] == [
        "datetime64[ns, UTC]",
        "string",
        "float64",
        "Int64",
        "boolean",
    ]
    per_page = pd.concat([p.to_pandas() for p in pages], ignore_index=True)
    pd.testing.assert_frame_equal(frame, per_page)


@pytest.mark.parametrize(
    ("column", "bad"),
    [(2, "1,5"), (3, "12345678901234567890"), (3, "7.0"), (4, "yes")],
)
def test_to_pandas_names_a_bad_value(column: int, bad: str) -> None:
    pytest.importorskip("pandas")
    row = list(FIRST)
    row[column] = bad
    with pytest.raises(InvalidResponseError, match=bad.replace(".", r"\.")):
        page(FIRST, tuple(row)).to_pandas()


def test_import_avista_dx_imports_no_dataframe_library() -> None:
    code = (
        "import sys, avista_dx; avista_dx.QueryResult_TimestreamVariables; "
        "print([m for m in ('pandas', 'numpy', 'pyarrow', 'polars') if m in sys.modules])"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "[]", output.stderr


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


METER_CSV = "time,meter,kwh,on,note\n1700000000000,m1,1.5,true,ok\n1700000001000,m2,,false,\n"


def test_csv_strings_do_not_silently_become_varchar() -> None:
    with pytest.raises(InvalidInputError, match=r"row 0: measure 'kwh'.*measure_types"):
        records_from_rows(csv_rows(METER_CSV), dimension_fields=["meter"], measure_name="m")


def test_measure_types_type_csv_measures_and_skip_empty_cells() -> None:
    records = records_from_rows(
        csv_rows(METER_CSV),
        dimension_fields=["meter"],
        measure_name="reading",
        measure_types={"kwh": "DOUBLE", "on": "BOOLEAN", "note": "VARCHAR"},
    )
    assert [(v.Name, v.Type, v.Value) for v in records[0].MeasureValues or []] == [
        ("kwh", "DOUBLE", "1.5"),
        ("on", "BOOLEAN", "true"),
        ("note", "VARCHAR", "ok"),
    ]
    assert (records[0].Time, records[0].TimeUnit) == ("1700000000000", "MILLISECONDS")
    # Row 1: the empty kwh and note cells are skipped.
    assert [(v.Name, v.Value) for v in records[1].MeasureValues or []] == [("on", "false")]


def test_a_declared_type_is_checked() -> None:
    rows = csv_rows("time,kwh\n1700000000000,lots\n")
    with pytest.raises(InvalidInputError, match=r"row 0: .*'lots' is not a finite DOUBLE"):
        records_from_rows(rows, measure_types={"kwh": "DOUBLE"})


@pytest.mark.parametrize(
    "measure_types", [["kwh"], {"kwh": "FLOAT"}, {"kwh": "MULTI"}, {1: "DOUBLE"}]
)
def test_bad_measure_types_are_refused(measure_types: Any) -> None:
    with pytest.raises(InvalidInputError, match="measure_types"):
        records_from_rows(csv_rows("time,kwh\n1700000000000,1\n"), measure_types=measure_types)


def test_python_values_still_infer_their_types() -> None:
    (record,) = records_from_rows(
        [{"time": 1_700_000_000_000, "kwh": 2, "ok": True}], measure_name="m"
    )
    assert [(v.Name, v.Type) for v in record.MeasureValues or []] == [
        ("kwh", "BIGINT"),
        ("ok", "BOOLEAN"),
    ]


@pytest.mark.parametrize(
    ("epoch", "likely"),
    [
        (int(time.time()), "SECONDS"),
        (str(int(time.time())), "SECONDS"),
        (1, "SECONDS"),
        (time.time_ns() // 1000, "MICROSECONDS"),
        (time.time_ns(), "NANOSECONDS"),
    ],
)
def test_an_epoch_far_from_now_in_the_default_unit_names_the_likely_unit(
    epoch: int | str, likely: str
) -> None:
    with pytest.raises(InvalidInputError, match=f"looks like {likely}.*time_unit='{likely}'"):
        record_from_values(epoch, {"v": 1.0})


def test_an_explicit_unit_or_a_datetime_is_taken_as_given() -> None:
    now = int(time.time())
    assert record_from_values(now, {"v": 1.0}, time_unit="SECONDS").Time == str(now)
    assert record_from_values(5, {"v": 1.0}, time_unit="MILLISECONDS").Time == "5"
    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert record_from_values(when, {"v": 1.0}).Time == str(int(when.timestamp()) * 1000)
    assert record_from_values(time.time_ns() // 10**6, {"v": 1.0}).TimeUnit == "MILLISECONDS"


def test_csv_epoch_seconds_without_a_unit_are_refused() -> None:
    rows = csv_rows(f"time,kwh\n{int(time.time())},1.5\n")
    with pytest.raises(InvalidInputError, match=r"row 0: .*looks like SECONDS"):
        records_from_rows(rows, measure_types={"kwh": "DOUBLE"})
    (record,) = records_from_rows(rows, measure_types={"kwh": "DOUBLE"}, time_unit="SECONDS")
    assert record.TimeUnit == "SECONDS"


def test_arrow_and_polars_over_several_pages_hold_the_rows_values() -> None:
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    from avista_dx import pages_to_arrow, pages_to_polars

    pages = [page(FIRST, NULLS), page(), page(SECOND)]
    table = pages_to_arrow(pages)
    assert table.schema.types == [
        pa.timestamp("ns", tz="UTC"),
        pa.string(),
        pa.float64(),
        pa.int64(),
        pa.bool_(),
    ]
    assert table.column("n").to_pylist() == [2**63 - 1, None, -3]  # exact: no float detour
    assert table.column("b").to_pylist() == [True, None, False]
    assert table.column("name").to_pylist() == ["a", None, None]
    assert table.column("time")[0].value == 1602953990892123456  # nanoseconds kept
    frame = pages_to_polars(pages)
    assert frame["x"].to_list()[0] == 1.5
    assert math.isnan(frame["x"].to_list()[2])
    assert frame.columns == table.column_names
    assert page(FIRST).to_arrow().num_rows == 1
    assert page(FIRST).to_polars().height == 1


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        (0, "2020-10-17 16:59:50+05:00"),
        (0, "2020-10-17"),
        (2, "1,5"),
        (3, "12345678901234567890"),
        (3, "7.0"),
        (4, "yes"),
        (4, "1"),
    ],
)
def test_to_arrow_names_a_bad_value(column: int, bad: str) -> None:
    pytest.importorskip("pyarrow")
    row = list(FIRST)
    row[column] = bad
    with pytest.raises(InvalidResponseError, match=re.escape(repr(bad))):
        page(FIRST, tuple(row)).to_arrow()
