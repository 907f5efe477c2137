"""Reading query results: `rows()`, pandas, polars and Arrow over many pages, no server needed.

    python -m bench.sdk_read [rows] [page_size]

Timestream `Query` pages (time, a VARCHAR dimension, a DOUBLE and a BIGINT measure; one row in
50 has nulls) are built in memory, 1,000,000 rows in pages of 1000 by default. Each figure is
rows/s with its ratio to a baseline measured in the same run: a plain Python loop that only
reads every ScalarValue.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from avista_dx import (
    QueryResult_TimestreamVariables,
    pages_to_arrow,
    pages_to_pandas,
    pages_to_polars,
)
from avista_dx._dataframes import _pages_to_pandas_by_numpy
from avista_dx._operations import query_result

COLUMN_INFO = [
    {"Name": "time", "Type": {"ScalarType": "TIMESTAMP"}},
    {"Name": "name", "Type": {"ScalarType": "VARCHAR"}},
    {"Name": "measure_value::double", "Type": {"ScalarType": "DOUBLE"}},
    {"Name": "count", "Type": {"ScalarType": "BIGINT"}},
]
DISTINCT_PAGES = 10  # pages share these row lists: memory stays small, the work is the same


def _row(n: int) -> dict[str, Any]:
    if n % 50 == 49:
        return {"Data": [{"ScalarValue": _stamp(n)}, *[{"NullValue": True}] * 3]}
    return {
        "Data": [
            {"ScalarValue": _stamp(n)},
            {"ScalarValue": f"asset {n % 17}"},
            {"ScalarValue": f"{n * 0.25 + 0.1}"},
            {"ScalarValue": str(n * 7919)},
        ]
    }


def _stamp(n: int) -> str:
    seconds, nanos = divmod(1_700_000_000_000_000_000 + n * 1_000_123_457, 10**9)
    day = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
    return f"{day}.{nanos:09d}"


def _pages(count: int, page_size: int) -> list[QueryResult_TimestreamVariables]:
    distinct = [[_row(p * page_size + i) for i in range(page_size)] for p in range(DISTINCT_PAGES)]
    return [
        QueryResult_TimestreamVariables.model_construct(
            timestreamResults={}, ColumnInfo=COLUMN_INFO, Rows=distinct[p % DISTINCT_PAGES]
        )
        for p in range(count // page_size)
    ]


def _touch_every_value(pages: list[QueryResult_TimestreamVariables]) -> None:
    for page in pages:
        for row in page.Rows:
            for datum in row["Data"]:
                datum.get("ScalarValue")


def _iterate_rows(pages: list[QueryResult_TimestreamVariables]) -> None:
    for page in pages:
        for _ in page.rows():
            pass


def _concat_per_page(pages: list[QueryResult_TimestreamVariables]) -> None:
    import pandas as pd

    pd.concat((page.to_pandas() for page in pages), ignore_index=True)


def _decode_pages(texts: list[str]) -> None:
    for text in texts:  # what the SDK does with each page's resultJSONString
        query_result(text, "client-token", "SELECT ...", 1000)


def _rows_per_second(function: Callable[[Any], object], pages: list[Any], rows: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        function(pages)
        best = min(best, time.perf_counter() - start)
    return rows / best


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    page_size = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    pages = _pages(total, page_size)
    rows = len(pages) * page_size
    print(f"{rows:,} rows in {len(pages):,} pages of {page_size}, {len(COLUMN_INFO)} columns")
    baseline = _rows_per_second(_touch_every_value, pages, rows)
    print(f"baseline (a loop reading every ScalarValue): {baseline:,.0f} rows/s")
    figures: list[tuple[str, Callable[[Any], object]]] = [("rows()", _iterate_rows)]
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas is not installed: the pandas figures are skipped")
    else:
        figures += [
            ("pages_to_pandas (through Arrow when pyarrow is installed)", pages_to_pandas),
            ("pages_to_pandas without pyarrow (numpy parses)", _pages_to_pandas_by_numpy),
            ("pd.concat of each page's to_pandas()", _concat_per_page),
        ]
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        print("pyarrow is not installed: the Arrow and polars figures are skipped")
    else:
        figures.append(("pages_to_arrow", pages_to_arrow))
        try:
            import polars  # noqa: F401
        except ImportError:
            print("polars is not installed: its figure is skipped")
        else:
            figures.append(("pages_to_polars", pages_to_polars))
    for label, function in figures:
        speed = _rows_per_second(function, pages, rows)
        print(f"{label}: {speed:,.0f} rows/s (ratio to baseline {speed / baseline:.2f})")
    # Before any conversion, each page's JSON text is decoded into the Rows dicts.
    texts = [
        json.dumps({"ColumnInfo": COLUMN_INFO, "Rows": page.Rows, "QueryId": "q"})
        for page in pages[: DISTINCT_PAGES * 10]
    ]
    decoded = _rows_per_second(_decode_pages, texts, len(texts) * page_size)  # type: ignore[arg-type]
    print(
        f"decoding the pages' JSON (resultJSONString → Rows dicts, json.loads): {decoded:,.0f} "
        f"rows/s (ratio to baseline {decoded / baseline:.2f})"
    )


if __name__ == "__main__":
    main()
