"""Series spans: every written time stays inside a span; times between spans are known free."""

from __future__ import annotations

import random

from avista_dx.emulator.timestream.spans import MAX_SPANS_PER_SERIES, SeriesSpans


def test_written_times_are_covered_and_gaps_are_free() -> None:
    spans = SeriesSpans()
    for request in (3, 1, 0, 2):  # out of order, 10 ns apart, each writing 0..5
        spans.add(7, request * 10, request * 10 + 5)
    assert all(
        spans.may_hold(7, request * 10 + offset) for request in range(4) for offset in (0, 5)
    )
    assert not any(spans.may_hold(7, t) for t in (-1, 6, 9, 16, 36))
    assert not spans.may_hold(8, 0)  # another series holds nothing
    spans.add(7, 4, 12)  # bridges two spans
    assert spans.may_hold(7, 8)


def test_many_spans_merge_into_a_superset() -> None:
    spans = SeriesSpans()
    rng = random.Random(5)
    written = []
    for _ in range(3 * MAX_SPANS_PER_SERIES):
        first = rng.randrange(10**9)
        last = first + rng.randrange(100)
        spans.add(1, first, last)
        written += [first, last]
    assert len(spans._series[1].starts) <= MAX_SPANS_PER_SERIES
    assert all(spans.may_hold(1, t) for t in written)
