"""String and regular-expression functions.

Examples from AWS's "String functions" and "Regular expression functions" pages
(https://docs.aws.amazon.com/timestream/latest/developerguide/string-functions.html,
https://docs.aws.amazon.com/timestream/latest/developerguide/regex-functions.html); argument
checks and edge cases follow Trino (https://trino.io/docs/current/functions/string.html,
https://trino.io/docs/current/functions/regexp.html), as the tests say.
"""

from __future__ import annotations

import pytest

from avista_dx.emulator.timestream import TimestreamEngine

from .conftest import array_values, one_row, query_error


@pytest.mark.parametrize(
    ("query", "types", "row"),
    [
        ("SELECT chr(65), chr(8364)", ["VARCHAR"] * 2, ["A", "€"]),
        ("SELECT codepoint('A'), codepoint('€')", ["INTEGER"] * 2, ["65", "8364"]),
        ("SELECT hamming_distance('abcde', 'abdce')", ["BIGINT"], ["2"]),
        ("SELECT levenshtein_distance('kitten', 'sitting')", ["BIGINT"], ["3"]),
        # strpos/strrpos with an instance (Trino: overlapping occurrences count).
        (
            "SELECT strpos('abcabc', 'bc'), strpos('abcabc', 'bc', 2), strpos('abcabc', 'bc', -1),"
            " strpos('aaa', 'aa', 2), strpos('abc', 'x'), strpos('abc', 'bc', 3)",
            ["BIGINT"] * 6,
            ["2", "5", "5", "2", "0", "0"],
        ),
        (
            "SELECT strrpos('abcabc', 'bc'), strrpos('abcabc', 'bc', 2), strrpos('abc', 'x')",
            ["BIGINT"] * 3,
            ["5", "2", "0"],
        ),
        # split_part past the end is NULL (Trino), not an empty string.
        (
            "SELECT split_part('a,b,c', ',', 2), split_part('a,b', ',', 5)",
            ["VARCHAR"] * 2,
            ["b", None],
        ),
        (
            "SELECT regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')",
            ["VARCHAR"],
            ["3ca 3cb 14m"],
        ),
        ("SELECT regexp_replace('1a 2b 14m', '\\d+[ab] ')", ["VARCHAR"], ["14m"]),
        # A function replacement gets the array of capturing groups of each match.
        (
            "SELECT regexp_replace('new york', '(\\w)(\\w*)', x -> upper(x[1]) || lower(x[2]))",
            ["VARCHAR"],
            ["New York"],
        ),
        ("SELECT regexp_replace('a1b22', '\\d+', x -> 'N')", ["VARCHAR"], ["aNbN"]),
        ("SELECT regexp_replace('cost $5', '\\d', '\\$')", ["VARCHAR"], ["cost $$"]),
        (
            "SELECT lpad('7', 3, '0'), rpad('ab', 4, 'xy'), lpad('abcd', 2, '0')",
            ["VARCHAR"] * 3,
            ["007", "abxy", "ab"],
        ),
        # concat and || are VARCHAR; a NULL operand makes a VARCHAR NULL (Trino).
        (
            "SELECT concat('a', NULL), 'x' || NULL, concat('a', 'b', 'c'), 'a' || 'b'",
            ["VARCHAR"] * 4,
            [None, None, "abc", "ab"],
        ),
        ("SELECT reverse('abc')", ["VARCHAR"], ["cba"]),
    ],
)
def test_documented_functions(
    engine: TimestreamEngine, query: str, types: list[str], row: list[str | None]
) -> None:
    assert one_row(engine, query) == (types, row)


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ("SELECT regexp_extract_all('1a 2b 14m', '\\d+')", ["1", "2", "14"]),
        ("SELECT regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2)", ["a", "b", "m"]),
        ("SELECT regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", ["1", "2", "14", ""]),
        ("SELECT split('a,b,c', ',')", ["a", "b", "c"]),
        # With a limit the last part holds the rest of the string.
        ("SELECT split('a,b,c,d', ',', 2)", ["a", "b,c,d"]),
        ("SELECT split('a,b', ',', 5)", ["a", "b"]),
    ],
)
def test_array_results(engine: TimestreamEngine, query: str, values: list[str]) -> None:
    assert array_values(engine, query) == values


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT lpad('a', -1, '0')", "Target length must be in the range [0..2147483647]"),
        ("SELECT rpad('a', 3, '')", "Padding string must not be empty"),
        ("SELECT split('a,b', ',', 0)", "Limit must be positive"),
        ("SELECT strpos('abc', 'b', 0)", "'instance' must be a positive or negative number."),
        ("SELECT split_part('a,b', ',', 0)", "Index must be greater than zero"),
        ("SELECT hamming_distance('ab', 'abc')", "must have the same length"),
        ("SELECT codepoint('ab')", "codepoint(varchar(1))"),
        ("SELECT 'a' || 1", "Unexpected parameters (varchar, integer) for function concat"),
        ("SELECT regexp_replace('a', 'a', '$x')", "Illegal group reference"),
        ("SELECT chr(-1)", "Not a valid Unicode code point: -1"),
    ],
)
def test_argument_errors(engine: TimestreamEngine, query: str, message: str) -> None:
    assert message in query_error(engine, query)


def test_unknown_functions_are_not_registered(engine: TimestreamEngine) -> None:
    # Trino's wording, with the position of the call.
    assert query_error(engine, "SELECT foo(1)") == "line 1:8: Function 'foo' not registered"


def test_wrong_argument_counts_name_the_signature(engine: TimestreamEngine) -> None:
    assert query_error(engine, "SELECT\n  levenshtein_distance('a')") == (
        "line 2:3: Unexpected parameters (varchar) for function levenshtein_distance."
        " Expected: levenshtein_distance(varchar(x), varchar(y)) bigint"
    )


def test_argument_errors_carry_no_engine_text(engine: TimestreamEngine) -> None:
    assert query_error(engine, "SELECT split('a,b', ',', 0)") == "Limit must be positive"
    assert query_error(engine, "SELECT strpos('abc', 'b', 0)") == (
        "'instance' must be a positive or negative number."
    )
