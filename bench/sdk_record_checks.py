"""What checking records to the service's ranges costs before a publish, per record.

    python -m bench.sdk_record_checks [records]

`make_batches` (every rule of the SDK's record validation, then the wire JSON and the cut
into requests of 100) against a baseline measured in the same run: the generated pydantic
input model validating the same JSON, which checks types and enums but no range. A MULTI
record with dimensions (the common shape) and a single-measure record are measured.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from avista_dx_graphql.input_types import TimeSeriesDbRecordInput

from avista_dx import TimeSeriesInputRecord, record_from_values
from avista_dx._publishing import make_batches

from ._env import median_us


def _records(count: int, multi: bool) -> list[TimeSeriesInputRecord]:
    measures = {"power": 1.5, "state": "on", "count": 3} if multi else {"power": 1.5}
    return [
        record_from_values(
            1_700_000_000_000 + i,
            measures,
            measure_name="status" if multi else None,
            dimensions={"name": "bench asset", "site": "s1"},
        )
        for i in range(count)
    ]


def _per_record_us(
    function: Callable[[list[Any]], object], records: list[Any], rounds: int = 15
) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function(records)
        samples.append((time.perf_counter() - start) / len(records))
    return median_us(samples)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for label, multi in (("MULTI, 3 measures, 2 dimensions", True), ("single measure", False)):
        records = _records(count, multi)
        wire = [r for batch in make_batches(records) for r in batch.records]
        checks = _per_record_us(make_batches, records)
        generated = _per_record_us(
            lambda dicts: [TimeSeriesDbRecordInput.model_validate(w) for w in dicts], wire
        )
        print(
            f"{label}: make_batches {checks:.2f} us/record, generated model "
            f"{generated:.2f} us/record (ratio {checks / generated:.2f})"
        )


if __name__ == "__main__":
    main()
