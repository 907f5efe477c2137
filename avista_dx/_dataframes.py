"""Query pages → `pandas.DataFrame` (pandas is optional and imported only here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from .types import QueryResult_TimestreamVariables

_NULLABLE_DTYPES = {
    "BIGINT": "Int64",
    "INTEGER": "Int64",
    "DOUBLE": "float64",
    "BOOLEAN": "boolean",
    "VARCHAR": "string",
}


def import_pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ConfigurationError(
            "to_pandas() needs pandas: pip install 'avista-dx[pandas]'"
        ) from exc
    return pandas


def pages_to_pandas(pages: Sequence[QueryResult_TimestreamVariables]) -> pandas.DataFrame:
    """One DataFrame for consecutive pages of the same query."""
    pd = import_pandas()
    column_info = pages[0].ColumnInfo if pages else []
    names = [str(c.get("Name") or f"_col{i}") for i, c in enumerate(column_info)]
    scalar_types = [(c.get("Type") or {}).get("ScalarType") for c in column_info]
    timestamp_columns = {i for i, t in enumerate(scalar_types) if t == "TIMESTAMP"}
    # Timestamps go to pandas as text so that it keeps Timestream's nanoseconds.
    raw_timestamps: dict[int, list[str | None]] = {i: [] for i in timestamp_columns}
    records: list[dict[str, Any]] = []
    for page in pages:
        for converted, raw in zip(page.rows(), page.Rows, strict=True):
            records.append(converted)
            for i in timestamp_columns:
                datum = raw["Data"][i]
                raw_timestamps[i].append(None if datum.get("NullValue") else datum["ScalarValue"])
    frame = pd.DataFrame.from_records(records, columns=names)
    for i, (name, scalar_type) in enumerate(zip(names, scalar_types, strict=True)):
        if i in timestamp_columns:
            frame[name] = pd.to_datetime(
                pd.Series(raw_timestamps[i], dtype="object"), utc=True, format="ISO8601"
            )
        elif scalar_type in _NULLABLE_DTYPES:
            frame[name] = frame[name].astype(_NULLABLE_DTYPES[scalar_type])
    return frame
