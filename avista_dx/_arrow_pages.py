"""Query pages → Arrow (`pyarrow.Table`), and through it polars and pandas. pyarrow and polars
are optional and imported only here.

Columns, not rows: each column's ScalarValue strings are gathered across all the pages (C-level
`zip` and `map`), made one Arrow string array, and cast by `pyarrow.compute` to the column's
type in one call; a check in the same vectorised style keeps Timestream's forms strict
(TIMESTAMP `YYYY-MM-DD HH:MM:SS[.f]`, BOOLEAN `true`/`false`), as `rows()` is.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._dataframes import QueryPage, import_pandas
from ._timestream import column_converter, column_names, row_data, scalar_texts
from .errors import ConfigurationError, InvalidResponseError

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import polars  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]

_TIMESTAMP_FORM = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$"


def import_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]
        import pyarrow.compute  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ConfigurationError(
            "to_arrow() needs pyarrow: pip install 'avista-dx[arrow]'"
        ) from exc
    return pyarrow, pyarrow.compute


def has_pyarrow() -> bool:
    try:
        import_pyarrow()
    except ConfigurationError:
        return False
    return True


def pages_to_arrow(pages: Sequence[QueryPage]) -> pyarrow.Table:
    """One Arrow table for consecutive pages of the same query.

    TIMESTAMP → `timestamp[ns, UTC]` (nanoseconds kept), BIGINT/INTEGER → `int64`, DOUBLE →
    `float64`, BOOLEAN → `bool`, VARCHAR → `string`, DATE → `date32`; other types as Arrow
    infers them from `rows()`'s Python values. Nulls are Arrow nulls.
    """
    pa, pc = import_pyarrow()
    column_info = pages[0].ColumnInfo if pages else []
    names = column_names(column_info)
    data = [cells for page in pages for cells in row_data(len(names), page.Rows)]
    arrays = []
    for index, (name, info) in enumerate(zip(names, column_info, strict=True)):
        datums = list(map(operator.itemgetter(index), data))  # the loop in C
        column_type = info.get("Type") or {}
        scalar_type = column_type.get("ScalarType")
        target = _ARROW_TYPES.get(str(scalar_type)) if scalar_type is not None else None
        if target is None:
            arrays.append(pa.array(column_converter(column_type)(datums)))
            continue
        texts = scalar_texts(datums)
        try:
            strings = _strings(pa, pc, texts, joinable=scalar_type != "VARCHAR")
            arrays.append(_cast(pa, pc, strings, str(scalar_type), target))
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
            bad = _first_bad(pa, pc, texts, str(scalar_type), target)
            raise InvalidResponseError(
                f"bad {scalar_type} value {bad!r} in column {name!r}"
            ) from exc
    return pa.Table.from_arrays(arrays, names=names)


def _strings(pa: Any, pc: Any, texts: list[Any], *, joinable: bool) -> Any:
    """The texts as an Arrow string array. Texts that cannot hold a line break (numbers,
    times) are joined into one string and split by Arrow: one C++ pass instead of a Python
    string conversion per value, five times faster."""
    if not joinable or not texts:
        return pa.array(texts, type=pa.string())
    missing = None in texts
    joined = "\n".join(["" if t is None else t for t in texts] if missing else texts)
    if joined.count("\n") != len(texts) - 1:
        return pa.array(texts, type=pa.string())  # a text with a line break: refused below
    strings = pc.split_pattern(pa.array([joined], type=pa.large_string()), "\n").flatten()
    if missing:
        nulls = pa.array(list(map(operator.is_, texts, itertools.repeat(None))))
        strings = pc.if_else(nulls, pa.scalar(None, pa.large_string()), strings)
    return strings


def _cast(pa: Any, pc: Any, strings: Any, scalar_type: str, target: str) -> Any:
    if scalar_type == "TIMESTAMP":
        if not _all_true(pc, pc.match_substring_regex(strings, _TIMESTAMP_FORM)):
            raise ValueError("not a Timestream TIMESTAMP")
        # Timestream's texts are UTC without an offset; Arrow parses a "Z" only into a zoned type.
        no_zone = _all_true(pc, pc.invert(pc.ends_with(strings, "Z")))
        naive = strings if no_zone else pc.replace_substring_regex(strings, "Z$", "")
        return pc.cast(pc.cast(naive, pa.timestamp("ns")), pa.timestamp("ns", tz="UTC"))
    if target == "string":
        return pc.cast(strings, pa.string())
    words = pa.array(["true", "false"])
    if scalar_type == "BOOLEAN" and not _all_true(
        pc, pc.or_(pc.is_null(strings), pc.is_in(pc.utf8_lower(strings), words))
    ):
        raise ValueError("not a BOOLEAN")
    return pc.cast(strings, getattr(pa, target)())


def _all_true(pc: Any, checks: Any) -> bool:
    """Whether every non-null check is true."""
    return bool(pc.all(pc.fill_null(checks, True), min_count=0).as_py())


def _first_bad(pa: Any, pc: Any, texts: list[Any], scalar_type: str, target: str) -> Any:
    for text in texts:  # only after a column failed: find the value to name
        try:
            _cast(pa, pc, pa.array([text], type=pa.large_string()), scalar_type, target)
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
            return text
    return None


_ARROW_TYPES = {
    "TIMESTAMP": "timestamp",
    "BIGINT": "int64",
    "INTEGER": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "bool_",
    "VARCHAR": "string",
    "DATE": "date32",
}


def pages_to_polars(pages: Sequence[QueryPage]) -> polars.DataFrame:
    """One polars DataFrame for consecutive pages (through Arrow, without copying)."""
    try:
        import polars  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ConfigurationError(
            "to_polars() needs polars: pip install 'avista-dx[polars]'"
        ) from exc
    return polars.DataFrame(pages_to_arrow(pages))  # zero-copy from the Arrow table


def arrow_to_pandas(table: Any) -> pandas.DataFrame:
    """The documented pandas dtypes (nullable Int64, boolean, string; UTC nanoseconds)."""
    pd = import_pandas()
    pa, _ = import_pyarrow()
    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
    }
    frame: pandas.DataFrame = table.to_pandas(types_mapper=mapping.get)
    return frame
