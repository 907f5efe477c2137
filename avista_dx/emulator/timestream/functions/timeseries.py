"""Timestream's time-series functions over ``timeseries`` values (lists of (time, value)).

AWS's pages (derivatives, integrals, correlation, filter and reduce) define them; the
timeseries is ordered by time, as ``create_time_series`` builds it.
"""

from __future__ import annotations

from sqlglot import exp

from .registry import Function, function, macro, typed_call
from .static_types import mark

_SECOND = "INTERVAL 1 SECOND"
# Seconds-free rates: nanosecond deltas scaled to the requested interval.
_DELTA_NS = "CAST(epoch_ns(ts[i + 1].time) - epoch_ns(ts[i].time) AS DOUBLE)"
# Pairs (x, y) of two timeseries at their common timestamps.
_PAIRS = (
    "list_filter(list_transform(a, lambda p: {'x': CAST(p.value AS DOUBLE),"
    " 'y': CAST(list_filter(b, lambda q: q.time = p.time)[1].value AS DOUBLE)}),"
    " lambda r: r.x IS NOT NULL AND r.y IS NOT NULL)"
)

MACROS: dict[str, str] = {
    "integral_trapezoidal(ts, unit)": (
        "list_sum(list_transform(range(1, len(ts)), lambda i:"
        " (CAST(ts[i].value AS DOUBLE) + CAST(ts[i + 1].value AS DOUBLE)) / 2.0"
        f" * {_DELTA_NS})) / CAST(epoch_ns(unit) AS DOUBLE)"
    ),
    "derivative_linear(ts, unit)": (
        "list_transform(range(1, len(ts)), lambda i: {'time': ts[i + 1].time,"
        " 'value': (CAST(ts[i + 1].value AS DOUBLE) - CAST(ts[i].value AS DOUBLE))"
        f" / {_DELTA_NS} * CAST(epoch_ns(unit) AS DOUBLE)}})"
    ),
    "non_negative_derivative_linear(ts, unit)": (
        "list_filter(ts_fn.derivative_linear(ts, unit), lambda p: p.value >= 0)"
    ),
    "pearson(pairs)": (
        "(len(pairs) * list_sum(list_transform(pairs, lambda r: r.x * r.y))"
        " - list_sum(list_transform(pairs, lambda r: r.x))"
        " * list_sum(list_transform(pairs, lambda r: r.y)))"
        " / sqrt((len(pairs) * list_sum(list_transform(pairs, lambda r: r.x * r.x))"
        " - list_sum(list_transform(pairs, lambda r: r.x)) ^ 2)"
        " * (len(pairs) * list_sum(list_transform(pairs, lambda r: r.y * r.y))"
        " - list_sum(list_transform(pairs, lambda r: r.y)) ^ 2))"
    ),
    # Average ranks (ties share the mean of their positions), as Spearman's rho defines them.
    "ranked(pairs)": (
        "list_transform(pairs, lambda r: {"
        "'x': len(list_filter(pairs, lambda o: o.x < r.x))"
        " + (len(list_filter(pairs, lambda o: o.x = r.x)) + 1) / 2.0,"
        "'y': len(list_filter(pairs, lambda o: o.y < r.y))"
        " + (len(list_filter(pairs, lambda o: o.y = r.y)) + 1) / 2.0})"
    ),
    "correlate_pearson(a, b)": f"ts_fn.pearson({_PAIRS})",
    "correlate_spearman(a, b)": f"ts_fn.pearson(ts_fn.ranked({_PAIRS}))",
    "ts_filter(ts, f)": "list_filter(ts, f)",
}


def _with_unit(name: str, returns: str) -> Function:
    def build(args: list[exp.Expr]) -> exp.Expr:
        unit = args[1] if len(args) == 2 else exp.maybe_parse(_SECOND, dialect="duckdb")
        return mark(macro(name, args[0], unit), returns)

    arities = [1, 2] if name == "integral_trapezoidal" else [2]
    signature = (
        f"{name}(timeseries(double), interval day to second) {returns}"
        if returns != "array"
        else f"{name}(timeseries(double), interval day to second) timeseries(double)"
    )
    return function(name, arities, signature, build)


FUNCTIONS: tuple[Function, ...] = (
    _with_unit("integral_trapezoidal", "double"),
    _with_unit("derivative_linear", "array"),
    _with_unit("non_negative_derivative_linear", "array"),
    typed_call(
        "correlate_pearson",
        [2],
        "correlate_pearson(timeseries(double), timeseries(double)) double",
        "double",
    ),
    typed_call(
        "correlate_spearman",
        [2],
        "correlate_spearman(timeseries(double), timeseries(double)) double",
        "double",
    ),
    typed_call(
        "filter",
        [2],
        "filter(timeseries(T), function(T,boolean)) timeseries(T)",
        "array",
        macro_name="ts_filter",
    ),
)
