"""Where a series may hold stored points: sorted, disjoint time spans (a superset).

A write must look up the stored points it could replace; a time outside every span of its
series has none, so only times inside a span are looked up in DuckDB. Each request adds the
span of the times it wrote, so concurrent requests to one series that arrive out of order
(request 9 before request 8) still fall outside the spans already written and cost no lookup.
After a restart a series starts with one span, from its first to its last stored time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

# Spans kept per series; beyond it neighbours merge (coarser, still a superset).
MAX_SPANS_PER_SERIES = 4096


@dataclass(slots=True)
class _Spans:
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)


class SeriesSpans:
    """Time spans (in ns, inclusive) per series id."""

    def __init__(self) -> None:
        self._series: dict[int, _Spans] = {}

    def may_hold(self, series_id: int, time_ns: int) -> bool:
        """False when the series certainly holds no point at ``time_ns``."""
        spans = self._series.get(series_id)
        if spans is None:
            return False
        index = bisect_right(spans.starts, time_ns) - 1
        return index >= 0 and time_ns <= spans.ends[index]

    def add(self, series_id: int, first_ns: int, last_ns: int) -> None:
        """The series may hold points from ``first_ns`` to ``last_ns``."""
        spans = self._series.setdefault(series_id, _Spans())
        starts, ends = spans.starts, spans.ends
        low = bisect_left(ends, first_ns)  # the first span ending at or after first_ns
        high = bisect_right(starts, last_ns)  # spans [low, high) overlap the new one
        if low < high:
            first_ns = min(first_ns, starts[low])
            last_ns = max(last_ns, ends[high - 1])
        starts[low:high] = [first_ns]
        ends[low:high] = [last_ns]
        if len(starts) > MAX_SPANS_PER_SERIES:  # merge neighbours pairwise
            spans.starts = starts[::2]
            spans.ends = ends[1::2] + ([ends[-1]] if len(ends) % 2 else [])
