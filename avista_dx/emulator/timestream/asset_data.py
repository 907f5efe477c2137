"""The publish result: ``TimeSeriesDbAssetData`` for the records of one request."""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from .records import Record

_EPOCH = datetime(1970, 1, 1)


def iso_time(time_ns: int) -> str:
    """ISO-8601 UTC with milliseconds, or nanoseconds when the time has finer precision."""
    seconds, nanos = divmod(time_ns, 10**9)
    fraction = f"{nanos // 10**6:03d}" if nanos % 10**6 == 0 else f"{nanos:09d}"
    return f"{_iso_second(seconds)}.{fraction}Z"


@functools.lru_cache(maxsize=4096)
def _iso_second(seconds: int) -> str:
    # Points of one request mostly share their second.
    return (_EPOCH + timedelta(seconds=seconds)).isoformat()


def asset_data(asset_id: str, records: Sequence[Record]) -> dict[str, Any]:
    """``TimeSeriesDbAssetData`` for the records of one publish request."""
    name: str | None = None
    points: dict[str, list[tuple[int, str]]] = {}
    types: dict[str, str] = {}
    dimensions: object = None
    for record in records:
        if record.dimensions is not dimensions:  # records of a shape share their dimensions
            dimensions = record.dimensions
            for dimension, value in record.dimensions:
                if dimension == "name":
                    name = value
        time_ns = record.time_ns
        for measure in record.measures:
            measure_points = points.get(measure.name)
            if measure_points is None:
                measure_points = points[measure.name] = []
                types[measure.name] = measure.type
            kind = measure.type
            if kind == "TIMESTAMP" or kind == "BOOLEAN":
                measure_points.append((time_ns, _value_text(kind, measure.value, measure.text)))
            else:
                measure_points.append((time_ns, measure.text))
    attributes = []
    stamps: dict[int, str] = {}  # the measures of a multi-measure record share its time
    for measure_name, measure_points in points.items():
        # Stable sort: among points at the same time the one written last is the last value.
        measure_points.sort(key=_time_of)
        data = []
        for t, v in measure_points:
            stamp = stamps.get(t)
            if stamp is None:
                stamp = stamps[t] = iso_time(t)
            data.append({"timestamp": stamp, "value": v})
        attributes.append(
            {
                "name": measure_name,
                "attributeType": types[measure_name],
                "lastValue": data[-1]["value"],
                "lastValueTime": data[-1]["timestamp"],
                "data": data,
            }
        )
    return {"assetId": asset_id, "name": name, "attributes": attributes}


_time_of = operator.itemgetter(0)


def _value_text(measure_type: str, value: object, text: str) -> str:
    if measure_type == "TIMESTAMP":
        assert isinstance(value, int)
        return iso_time(value)
    if measure_type == "BOOLEAN":
        return "true" if value else "false"
    return text
