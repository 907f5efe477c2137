"""Array functions and operators.

Examples and results from AWS's "Array functions" and "Array operators" pages
(https://docs.aws.amazon.com/timestream/latest/developerguide/array-functions.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/array-operators.html); NULL
rules and range errors follow Trino (https://trino.io/docs/current/functions/array.html).
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from ..conftest import run_query
from .conftest import array_values, datum, one_row, query_error


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ("SELECT array_distinct(ARRAY[1,2,2,3])", ["1", "2", "3"]),
        ("SELECT array_intersect(ARRAY[1,2,3], ARRAY[3,4,5])", ["3"]),
        ("SELECT array_union(ARRAY[1,2,3], ARRAY[3,4,5])", ["1", "2", "3", "4", "5"]),
        ("SELECT array_except(ARRAY[1,2,3], ARRAY[3,4,5])", ["1", "2"]),
        ("SELECT array_remove(ARRAY[3,4,5,9], 4)", ["3", "5", "9"]),
        ("SELECT array_sort(ARRAY[6,8,2,9,3])", ["2", "3", "6", "8", "9"]),
        ("SELECT repeat(1, 3)", ["1", "1", "1"]),
        ("SELECT reverse(ARRAY[1,2,3,4])", ["4", "3", "2", "1"]),
        ("SELECT sequence(1, 5)", ["1", "2", "3", "4", "5"]),
        # Without a step, a sequence counts down when stop < start (Trino).
        ("SELECT sequence(5, 1)", ["5", "4", "3", "2", "1"]),
        ("SELECT sequence(1, 10, 3)", ["1", "4", "7", "10"]),
        ("SELECT slice(ARRAY[1,2,3,4], 2, 2)", ["2", "3"]),
        ("SELECT slice(ARRAY[1,2,3,4], -2, 5)", ["3", "4"]),
        ("SELECT ARRAY[1,2] || ARRAY[3]", ["1", "2", "3"]),
        ("SELECT ARRAY[1,2] || 3, 0 || ARRAY[1]", ["1", "2", "3"]),
        ("SELECT concat(ARRAY[1], ARRAY[2,3])", ["1", "2", "3"]),
        # Trino keeps first occurrences in order, and one NULL.
        ("SELECT array_distinct(ARRAY[3, NULL, 1, 3, NULL])", ["3", None, "1"]),
        ("SELECT array_sort(ARRAY[3, NULL, 1])", ["1", "3", None]),
        ("SELECT transform(ARRAY[1,2], x -> x * 10)", ["10", "20"]),
        ("SELECT flatten(ARRAY[ARRAY[1], ARRAY[2, 3]])", ["1", "2", "3"]),
        (
            "SELECT sequence(TIMESTAMP '2022-01-01 00:00:00', '2022-01-01 00:20:00', 10m)",
            [
                "2022-01-01 00:00:00.000000000",
                "2022-01-01 00:10:00.000000000",
                "2022-01-01 00:20:00.000000000",
            ],
        ),
    ],
)
def test_documented_array_results(engine: TimestreamEngine, query: str, values: list[str]) -> None:
    assert array_values(engine, query) == values


@pytest.mark.parametrize(
    ("query", "types", "row"),
    [
        ("SELECT array_max(ARRAY[1,2,3]), array_min(ARRAY[1,2,3])", ["INTEGER"] * 2, ["3", "1"]),
        # A NULL element makes the maximum unknown (Trino).
        ("SELECT array_max(ARRAY[1, NULL])", ["INTEGER"], [None]),
        (
            "SELECT array_position(ARRAY[3,4,5,9], 5), array_position(ARRAY[3], 7)",
            ["BIGINT"] * 2,
            ["3", "0"],
        ),
        (
            "SELECT arrays_overlap(ARRAY[1,2], ARRAY[2,3]), arrays_overlap(ARRAY[1], ARRAY[2]),"
            " arrays_overlap(ARRAY[1, NULL], ARRAY[2])",
            ["BOOLEAN"] * 3,
            ["true", "false", None],
        ),
        (
            "SELECT element_at(ARRAY[1,2,3], 2), element_at(ARRAY[1,2,3], -1),"
            " element_at(ARRAY[1,2,3], 4), ARRAY[1,2,3][2]",
            ["INTEGER"] * 4,
            ["2", "3", None, "2"],
        ),
        ("SELECT cardinality(shuffle(ARRAY[1,2,3]))", ["BIGINT"], ["3"]),
        # AWS: array_join(ARRAY[1,2,3], ';', '') = 1;2;3; NULLs are skipped or replaced.
        (
            "SELECT array_join(ARRAY[1,2,3], ';', ''), array_join(ARRAY[1, NULL, 3], ';'),"
            " array_join(ARRAY[1, NULL, 3], ';', 'x'), array_join(ARRAY[1.5, 1e7], ',')",
            ["VARCHAR"] * 4,
            ["1;2;3", "1;3", "1;x;3", "1.5,1.0E7"],
        ),
        (
            "SELECT any_match(ARRAY[1,2], x -> x > 1), all_match(ARRAY[1,2], x -> x > 1),"
            " none_match(ARRAY[1,2], x -> x > 5)",
            ["BOOLEAN"] * 3,
            ["true", "false", "true"],
        ),
        ("SELECT reduce(ARRAY[1,2,3], 0, (s, x) -> s + x, s -> s * 10)", ["INTEGER"], ["60"]),
    ],
)
def test_documented_scalar_results(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str | None]
) -> None:
    assert one_row(engine, query) == (types, row)


def test_zip_pads_the_shorter_array_with_nulls(engine: TimestreamEngine) -> None:
    # Trino: zip(ARRAY[1, 2], ARRAY['1b', null, '3b'])
    #   = [ROW(1, '1b'), ROW(2, null), ROW(null, '3b')]
    value = datum(engine, "SELECT zip(ARRAY[1, 2], ARRAY['1b', null, '3b'])")
    rows = [
        [None if d.get("NullValue") else d["ScalarValue"] for d in element["RowValue"]["Data"]]
        for element in value["ArrayValue"]
    ]
    assert rows == [["1", "1b"], ["2", None], [None, "3b"]]


def test_shuffle_keeps_the_elements(engine: TimestreamEngine) -> None:
    assert sorted(array_values(engine, "SELECT shuffle(ARRAY[1,2,3,4,5])") or []) == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT ARRAY[1,2][3]",
            "Array subscript must be less than or equal to array length: 3 > 2",
        ),
        ("SELECT ARRAY[1,2][0]", "SQL array indices start at 1"),
        ("SELECT element_at(ARRAY[1], 0)", "SQL array indices start at 1"),
        ("SELECT slice(ARRAY[1], 0, 1)", "SQL array indices start at 1"),
        (
            "SELECT repeat(1, -1)",
            "count argument of repeat function must be greater than or equal to 0",
        ),
        (
            "SELECT repeat(1, 10001)",
            "count argument of repeat function must be less than or equal to 10000",
        ),
    ],
)
def test_range_errors(engine: TimestreamEngine, query: str, message: str) -> None:
    assert message in query_error(engine, query)


def test_zip_rows_are_typed_as_row_values(engine: TimestreamEngine) -> None:
    zipped = run_query(engine, "SELECT zip(ARRAY[1], ARRAY['a'])")["ColumnInfo"]
    rows = run_query(engine, "SELECT ARRAY[ROW(1, 'a')]")["ColumnInfo"]
    assert zipped == rows
