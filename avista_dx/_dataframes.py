"""Query pages → `pandas.DataFrame` (pandas is optional and imported only here)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ._timestream import column_names
from .errors import ConfigurationError

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]


class QueryPage(Protocol):
    """What a page must offer (`QueryResult_TimestreamVariables` does)."""

    @property
    def ColumnInfo(self) -> list[dict[str, Any]]: ...

    @property
    def Rows(self) -> list[dict[str, Any]]: ...

    def rows(self) -> Iterator[dict[str, Any]]: ...


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


def pages_to_pandas(pages: Sequence[QueryPage]) -> pandas.DataFrame:
    """One DataFrame for consecutive pages of the same query."""
    pd = import_pandas()
    column_info = pages[0].ColumnInfo if pages else []
    names = column_names(column_info)
    scalar_types = [(c.get("Type") or {}).get("ScalarType") for c in column_info]
    columns: list[list[Any]] = [[] for _ in names]
    for page in pages:
        for converted, raw in zip(page.rows(), page.Rows, strict=True):
            for i, (value, datum) in enumerate(zip(converted.values(), raw["Data"], strict=True)):
                # Timestamps go to pandas as text so that it keeps Timestream's nanoseconds.
                if scalar_types[i] == "TIMESTAMP" and value is not None:
                    value = datum["ScalarValue"]
                columns[i].append(value)
    data: dict[str, Any] = {}
    for name, scalar_type, values in zip(names, scalar_types, columns, strict=True):
        if scalar_type == "TIMESTAMP":
            data[name] = pd.to_datetime(
                pd.Series(values, dtype="object"), utc=True, format="ISO8601"
            )
        elif scalar_type in _NULLABLE_DTYPES:
            # Built from the Python values directly: a float detour would round big BIGINTs.
            data[name] = pd.array(values, dtype=_NULLABLE_DTYPES[scalar_type])
        else:
            data[name] = pd.Series(values, dtype="object")
    frame = pd.DataFrame(data, columns=names)
    return frame
