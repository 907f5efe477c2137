"""Query pages → `pandas.DataFrame` (pandas is optional and imported only here).

Columns, not rows: each column's ScalarValue strings are gathered across the pages, then parsed
by numpy/pandas in one vectorised call per column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ._timestream import column_converter, column_names, data_columns, scalar_texts
from .errors import ConfigurationError, InvalidResponseError

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]


class QueryPage(Protocol):
    """What a page must offer (`QueryResult_TimestreamVariables` does)."""

    @property
    def ColumnInfo(self) -> list[dict[str, Any]]: ...

    @property
    def Rows(self) -> list[dict[str, Any]]: ...


def import_pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ConfigurationError(
            "to_pandas() needs pandas: pip install 'avista-dx[pandas]'"
        ) from exc
    return pandas


def pages_to_pandas(pages: Sequence[QueryPage]) -> pandas.DataFrame:
    """One DataFrame for consecutive pages of the same query: through Arrow when pyarrow is
    installed (its casts parse the texts several times faster), else with numpy."""
    import_pandas()
    from ._arrow_pages import arrow_to_pandas, has_pyarrow, pages_to_arrow

    if has_pyarrow():
        return arrow_to_pandas(pages_to_arrow(pages))
    return _pages_to_pandas_by_numpy(pages)


def _pages_to_pandas_by_numpy(pages: Sequence[QueryPage]) -> pandas.DataFrame:
    pd = import_pandas()
    column_info = pages[0].ColumnInfo if pages else []
    names = column_names(column_info)
    # Per column, the Datums of every page, in order (C-level list concatenation).
    datums: list[list[Any]] = [[] for _ in names]
    for page in pages:
        for column, page_column in zip(datums, data_columns(len(names), page.Rows), strict=True):
            column.extend(page_column)
    data: dict[str, Any] = {}
    for name, info, column in zip(names, column_info, datums, strict=True):
        column_type = info.get("Type") or {}
        scalar_type = column_type.get("ScalarType")
        build = _COLUMN_BUILDERS.get(str(scalar_type)) if scalar_type is not None else None
        if build is None:
            data[name] = pd.Series(column_converter(column_type)(column), dtype="object")
            continue
        texts = scalar_texts(column)
        try:
            data[name] = build(pd, texts)
        except (ValueError, TypeError, OverflowError) as exc:
            raise InvalidResponseError(
                f"bad {scalar_type} value {_first_bad(pd, build, texts)!r} in column {name!r}"
            ) from exc
    return pd.DataFrame(data, columns=names)


def _first_bad(pd: Any, build: Callable[[Any, list[Any]], Any], texts: list[Any]) -> Any:
    for text in texts:  # only after a column failed: find the value to name
        try:
            build(pd, [text])
        except (ValueError, TypeError, OverflowError):
            return text
    return None


def _numpy() -> Any:
    import numpy  # pandas depends on numpy

    return numpy


def _filled(texts: list[Any], fill: str) -> tuple[Any, Any]:
    """The texts as a numpy object array with nulls replaced by `fill`, and the null mask."""
    np = _numpy()
    values = np.array(texts, dtype=object)
    mask = np.equal(values, None)
    if mask.any():
        values[mask] = fill
    return values, mask


def _timestamps(pd: Any, texts: list[Any]) -> Any:
    # Parsed by pandas from the text, so that Timestream's nanoseconds are kept.
    return pd.to_datetime(pd.Series(texts, dtype="object"), utc=True, format="ISO8601")


def _integers(pd: Any, texts: list[Any]) -> Any:
    # int() of each string, exact to 64 bits (a float detour would round big BIGINTs).
    values, mask = _filled(texts, "0")
    return pd.arrays.IntegerArray(values.astype(_numpy().int64), mask)


def _doubles(pd: Any, texts: list[Any]) -> Any:
    # float() of each string: Java's "NaN", "Infinity" and "4.2E7" forms.
    values, _ = _filled(texts, "nan")
    return pd.array(values.astype(_numpy().float64), dtype="float64")


def _booleans(pd: Any, texts: list[Any]) -> Any:
    np = _numpy()
    values, mask = _filled(texts, "false")
    lowered = np.char.lower(values.astype(str))
    is_true = lowered == "true"
    if not (is_true | (lowered == "false")).all():
        raise ValueError("not a BOOLEAN")
    return pd.arrays.BooleanArray(is_true, mask)


def _strings(pd: Any, texts: list[Any]) -> Any:
    return pd.array(texts, dtype="string")


_COLUMN_BUILDERS: dict[str, Callable[[Any, list[Any]], Any]] = {
    "TIMESTAMP": _timestamps,
    "BIGINT": _integers,
    "INTEGER": _integers,
    "DOUBLE": _doubles,
    "BOOLEAN": _booleans,
    "VARCHAR": _strings,
}
