"""Records from DataFrames and dict rows (rows/s, memory), and the SDK's peak RSS publishing a
1,000,000-row DataFrame, without any server.

    python -m bench.sdk_dataframes [rows]

Rates (rows per second of process CPU time) are against baselines measured in the same
run: `frame.to_dict("records")` (pandas making one dict per row) and `frame.to_dicts()`
(polars), and for dict rows a loop that only reads every field of every row. Memory is the
peak of Python and numpy allocations (tracemalloc) during the call, over the input's own size
(`memory_usage(deep=True)`, the rows' `sys.getsizeof`s, polars' `estimated_size()`). The RSS
figure is `ru_maxrss` of a child process that gets the frame and publishes it
(`keep_data=False`) through a MockTransport answering what the emulator answers; its baseline
is a child that only gets the frame. The frame is got two ways: built a column at a time from
numpy arrays, and `pandas.read_csv` of a CSV file of the same rows (as users mostly get meter
data).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from avista_dx import records_from_dataframe, records_from_rows

from .sdk_publish_cost import BASE_MS, OPTIONS, rows


def _best_rate(function: Callable[[], object], count: int) -> float:
    """Rows per second of process CPU time (the machine is shared: wall time swings)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return count / best


def _peak_bytes(function: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _rows_size(data: list[dict[str, Any]]) -> int:
    return sum(sys.getsizeof(r) + sum(sys.getsizeof(v) for v in r.values()) for r in data)


def _read_every_field(data: list[dict[str, Any]]) -> None:
    for row in data:
        for _ in row.values():
            pass


def _report(label: str, speed: float, baseline: float, peak: int, size: int) -> None:
    print(
        f"{label}: {speed:,.0f} rows/s ({speed / baseline:.2f}× the baseline, {baseline:,.0f}); "
        f"peak {peak / 2**20:.0f} MiB = {peak / size:.2f}× the input's {size / 2**20:.0f} MiB"
    )


def frame_of(count: int) -> Any:
    """The rows of `sdk_publish_cost.rows` as a pandas frame built a column at a time."""
    import numpy as np
    import pandas as pd

    index = np.arange(count)
    meters = np.array([f"meter-{i}" for i in range(100)], dtype=object)
    return pd.DataFrame(
        {
            "time": BASE_MS + index,
            "meter": meters[index % 100],
            "kwh": index * 0.5,
            "volts": index * 0.5 + 1,
            "amps": index * 0.5 + 2,
        }
    )


def write_csv(path: str, count: int) -> None:
    """The rows of `sdk_publish_cost.rows` as a CSV file, as a meter export would be."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("time,meter,kwh,volts,amps\n")
        for start in range(0, count, 10_000):
            out.writelines(
                f"{BASE_MS + i},meter-{i % 100},{i * 0.5!r},{i * 0.5 + 1!r},{i * 0.5 + 2!r}\n"
                for i in range(start, min(start + 10_000, count))
            )


CHILD = """
import resource, sys, json, httpx
from bench.sdk_publish_cost import answer_body, OPTIONS, URL
from bench.sdk_dataframes import frame_of
count, publish, source = int(sys.argv[1]), sys.argv[2] == "publish", sys.argv[3]
if source == "built":
    frame = frame_of(count)
else:
    import pandas
    frame = pandas.read_csv(source)
if publish:
    from avista_dx import AvistaDigitalExchange, records_from_dataframe
    def answer(request):
        records = json.loads(request.content)["variables"]["data"]["records"]
        return httpx.Response(200, content=answer_body(records),
                              headers={"Content-Type": "application/json"})
    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        dx = AvistaDigitalExchange("token", endpoint=URL, http_client=http)
        records = records_from_dataframe(frame, **OPTIONS)
        dx.publishToTimeSeriesDatabase("db-1", "asset-1", records, keep_data=False)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _child_rss_mb(count: int, mode: str, source: str = "built") -> float:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(count), mode, source],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(output.stdout.strip().splitlines()[-1])


def rss_figures(count: int) -> list[str]:
    """Peak RSS of child processes: frames built column by column, and read from a CSV file
    (as users get them); each against a child that only gets the frame."""
    lines = []
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "meters.csv")
        write_csv(path, count)
        size = os.path.getsize(path) / 1e6
        for label, source in (
            ("built column by column", "built"),
            (f"read_csv of a {size:.0f} MB CSV", path),
        ):
            alone = _child_rss_mb(count, "frame", source)
            publishing = _child_rss_mb(count, "publish", source)
            lines.append(
                f"peak RSS of a process publishing the {count:,}-row frame ({label}, "
                f"keep_data=False): {publishing:.0f} MB; getting the frame alone: {alone:.0f} MB "
                f"(the SDK's part: {publishing - alone:.0f} MB)"
            )
    return lines


def dict_figures(count: int) -> None:
    data = rows(count)
    print(f"{count:,} rows: time, a meter dimension, 3 DOUBLE measures (MULTI records)")
    _report(
        "records_from_rows",
        _best_rate(lambda: records_from_rows(data, **OPTIONS), count),
        _best_rate(lambda: _read_every_field(data), count),
        _peak_bytes(lambda: records_from_rows(data, **OPTIONS)),
        _rows_size(data),
    )


def frame_figures(count: int) -> None:
    frame = frame_of(count)
    _report(
        "records_from_dataframe (pandas)",
        _best_rate(lambda: records_from_dataframe(frame, **OPTIONS), count),
        _best_rate(lambda: frame.to_dict("records"), count),
        _peak_bytes(lambda: records_from_dataframe(frame, **OPTIONS)),
        int(frame.memory_usage(deep=True).sum()),
    )
    try:
        import polars as pl
    except ImportError:
        print("polars is not installed: its figure is skipped")
        return
    polars_frame = pl.from_pandas(frame)
    _report(
        "records_from_dataframe (polars)",
        _best_rate(lambda: records_from_dataframe(polars_frame, **OPTIONS), count),
        _best_rate(polars_frame.to_dicts, count),
        _peak_bytes(lambda: records_from_dataframe(polars_frame, **OPTIONS)),
        int(polars_frame.estimated_size()),
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas is not installed: the DataFrame figures are skipped")
        dict_figures(count)
        return
    # The children first: Linux keeps a forked child's ru_maxrss across exec, so they must
    # start while this process is still small.
    rss = rss_figures(count)
    dict_figures(count)
    frame_figures(count)
    print("\n".join(rss))


if __name__ == "__main__":
    main()
