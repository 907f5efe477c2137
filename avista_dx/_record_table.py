"""Validated records held as columns, rendered to the wire JSON one request at a time. I/O-free.

`records_from_rows` and `records_from_dataframe` check every value once, a column at a time,
and keep the result here: the texts of string columns, and the caller's own numeric arrays
(numpy, unconverted) for numbers, so that a million records cost about what their columns do.
`TimeSeriesRecords` is what the caller sees: a read-only sequence of `TimeSeriesInputRecord`
(a record is built only when it is looked at), which `publishToTimeSeriesDatabase` sends without
checking it again: each request's records are rendered straight to JSON text.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, overload

from .types import TimeSeriesDimension, TimeSeriesInputRecord, TimeSeriesMeasureValue

# The C escaper behind json.dumps: the quoted JSON form of one string.
_quoted: Callable[[Any], str] = json.encoder.encode_basestring


class TextSource(Protocol):
    """A column's wire texts; None where the row has no value (a skipped measure)."""

    @property
    def has_nulls(self) -> bool: ...

    def __len__(self) -> int: ...

    def texts(self, start: int, stop: int) -> list[str | None]: ...


@dataclass(frozen=True, slots=True)
class TextList:
    """Texts already in wire form (strings from the caller, rendered numbers)."""

    values: Sequence[str | None]
    has_nulls: bool

    def __len__(self) -> int:
        return len(self.values)

    def texts(self, start: int, stop: int) -> list[str | None]:
        return list(self.values[start:stop])


@dataclass(frozen=True, slots=True)
class CodedTexts:
    """A column of repeated texts held as codes into its distinct texts (a DataFrame's
    factorized column): 8 bytes a row instead of a Python string each, converted to texts
    a request at a time. A missing value's code is -1, which `labels` (ending in None) maps
    to None."""

    codes: Any  # a numpy integer array
    labels: Any  # a numpy object array: the distinct texts, then None
    has_nulls: bool

    def __len__(self) -> int:
        return len(self.codes)

    def texts(self, start: int, stop: int) -> list[str | None]:
        texts: list[str | None] = self.labels[self.codes[start:stop]].tolist()
        return texts


@dataclass(frozen=True, slots=True)
class RenderedArray:
    """Numbers kept as the caller gave them, rendered to texts a request at a time.

    `mask` marks the missing values (NaN, NA) of a numpy array, which are skipped like None.
    """

    values: Any  # a numpy array, or a list of Python numbers without None
    mask: Any  # a numpy bool array, or None when nothing is missing
    render: Callable[[list[Any]], list[str]]

    @property
    def has_nulls(self) -> bool:
        return self.mask is not None

    def __len__(self) -> int:
        return len(self.values)

    def texts(self, start: int, stop: int) -> list[str | None]:
        chunk = self.values[start:stop]
        texts: list[str | None] = list(
            self.render(chunk if isinstance(chunk, list) else chunk.tolist())
        )
        if self.mask is not None:
            for index in self.mask[start:stop].nonzero()[0].tolist():
                texts[index] = None
        return texts


@dataclass(frozen=True, slots=True)
class MeasureColumn:
    name: str
    type: str  # the measure type of every value of the column
    values: TextSource


@dataclass(frozen=True, slots=True)
class DimensionColumn:
    name: str
    values: TextSource  # None: the row has no such dimension


@dataclass(frozen=True)  # no slots: `_template` is cached in the instance's __dict__
class RecordTable:
    """Records as columns, every value already checked (see `_record_builders`).

    Without `measure_name`, each row holds exactly one measure and is a single-measure record
    named after it; with it, each row is a MULTI record of its present measures.
    """

    length: int
    time: TextSource  # epoch texts, no None
    time_unit: str
    measure_name: str | None
    measures: tuple[MeasureColumn, ...]
    dimensions: tuple[DimensionColumn, ...]
    version: int | None

    def __len__(self) -> int:
        return self.length

    def wire(self, start: int, stop: int) -> list[dict[str, Any]]:
        """The `TimeSeriesDbRecordInput` JSON values of rows start..stop."""
        times = self.time.texts(start, stop)
        measures = [(m, m.values.texts(start, stop)) for m in self.measures]
        dimensions = [(d.name, d.values.texts(start, stop)) for d in self.dimensions]
        records: list[dict[str, Any]] = []
        for row, time in enumerate(times):
            record: dict[str, Any] = {"Time": time, "TimeUnit": self.time_unit}
            present = [(m, texts[row]) for m, texts in measures if texts[row] is not None]
            if self.measure_name is None:
                ((measure, text),) = present
                record.update(
                    MeasureName=measure.name, MeasureValueType=measure.type, MeasureValue=text
                )
            else:
                record.update(
                    MeasureName=self.measure_name,
                    MeasureValueType="MULTI",
                    MeasureValues=[
                        {"Type": m.type, "Name": m.name, "Value": text} for m, text in present
                    ],
                )
            dims = [
                {"DimensionValueType": "VARCHAR", "Name": name, "Value": texts[row]}
                for name, texts in dimensions
                if texts[row] is not None
            ]
            if dims:
                record["Dimensions"] = dims
            if self.version is not None:
                record["Version"] = self.version
            records.append(record)
        return records

    def json(self, start: int, stop: int) -> str:
        """The JSON array of rows start..stop, as `json.dumps(self.wire(start, stop))` is."""
        nullable = [m for m in self.measures if m.values.has_nulls]
        nullable += [d for d in self.dimensions if d.values.has_nulls]  # type: ignore[misc]
        if nullable or (self.measure_name is None and len(self.measures) != 1):
            return json.dumps(self.wire(start, stop), ensure_ascii=False, separators=(",", ":"))
        # No column has a missing value here: every text is a str.
        columns: list[list[Any]] = [self.time.texts(start, stop)]
        for measure in self.measures:
            texts = measure.values.texts(start, stop)
            columns.append(list(map(_quoted, texts)) if measure.type == "VARCHAR" else texts)
        columns += [list(map(_quoted, d.values.texts(start, stop))) for d in self.dimensions]
        # One %-formatting of the whole array, its texts row after row: no Python per row.
        row_by_row = tuple(itertools.chain.from_iterable(zip(*columns, strict=True)))
        return self._array_template(stop - start) % row_by_row

    def _array_template(self, count: int) -> str:
        """The JSON array of `count` records, %s for each text; the last count's is kept
        (requests are mostly of the same size)."""
        kept = self.__dict__.get("_kept_array_template")
        if kept is None or kept[0] != count:
            kept = (count, "[" + ",".join([self._template] * count) + "]")
            self.__dict__["_kept_array_template"] = kept
        return kept[1]

    @functools.cached_property
    def _template(self) -> str:
        """One record's JSON with %s for each column's text (numbers unquoted: their texts
        need no escaping; VARCHAR and dimension values arrive quoted)."""

        def literal(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False).replace("%", "%%")

        def slot(measure: MeasureColumn) -> str:
            return "%s" if measure.type == "VARCHAR" else '"%s"'

        parts = ['{"Time":"%s","TimeUnit":' + literal(self.time_unit)]
        if self.measure_name is None:
            (measure,) = self.measures
            parts.append(
                f'"MeasureName":{literal(measure.name)},'
                f'"MeasureValueType":{literal(measure.type)},"MeasureValue":{slot(measure)}'
            )
        else:
            values = ",".join(
                f'{{"Type":{literal(m.type)},"Name":{literal(m.name)},"Value":{slot(m)}}}'
                for m in self.measures
            )
            parts.append(
                f'"MeasureName":{literal(self.measure_name)},"MeasureValueType":"MULTI",'
                f'"MeasureValues":[{values}]'
            )
        if self.dimensions:
            dims = ",".join(
                f'{{"DimensionValueType":"VARCHAR","Name":{literal(d.name)},"Value":%s}}'
                for d in self.dimensions
            )
            parts.append(f'"Dimensions":[{dims}]')
        if self.version is not None:
            parts.append(f'"Version":{int(self.version)}')
        return ",".join(parts) + "}"


class WireRecords(Protocol):
    """What publishing needs of validated records: their count and each request's JSON."""

    def __len__(self) -> int: ...

    def json(self, start: int, stop: int) -> str: ...


@dataclass(frozen=True, slots=True)
class WireList:
    """Records validated one by one (`record_to_variables`), as JSON values."""

    records: Sequence[dict[str, Any]]

    def __len__(self) -> int:
        return len(self.records)

    def wire(self, start: int, stop: int) -> list[dict[str, Any]]:
        return list(self.records[start:stop])

    def json(self, start: int, stop: int) -> str:
        return json.dumps(list(self.records[start:stop]), ensure_ascii=False, separators=(",", ":"))


class TimeSeriesRecords(Sequence[TimeSeriesInputRecord]):
    """Records checked once, kept as columns: what `records_from_rows` and
    `records_from_dataframe` return.

    A read-only sequence of `TimeSeriesInputRecord` (each built when it is looked at, so
    changing it changes nothing here); slicing gives a `TimeSeriesRecords` of those rows.
    `publishToTimeSeriesDatabase` sends them as they are, without a second check and
    without building a record object per row.
    """

    __slots__ = ("_start", "_stop", "_table")

    def __init__(self, table: RecordTable | WireList, start: int = 0, stop: int | None = None):
        self._table = table
        self._start = start
        self._stop = len(table) if stop is None else stop

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, index: int) -> TimeSeriesInputRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[TimeSeriesInputRecord]: ...

    def __getitem__(
        self, index: int | slice
    ) -> TimeSeriesInputRecord | Sequence[TimeSeriesInputRecord]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return TimeSeriesRecords(
                self._table, self._start + start, self._start + max(start, stop)
            )
        position = range(len(self))[index]  # IndexError and negative indexes as on lists
        (wire,) = self._table.wire(self._start + position, self._start + position + 1)
        return model_of_wire(wire)

    def __iter__(self) -> Iterator[TimeSeriesInputRecord]:
        for start in range(0, len(self), 1000):
            stop = min(start + 1000, len(self))
            for wire in self._table.wire(self._start + start, self._start + stop):
                yield model_of_wire(wire)

    def json(self, start: int, stop: int) -> str:
        """The JSON array of records start..stop (of this sequence)."""
        return self._table.json(self._start + start, self._start + stop)

    def __repr__(self) -> str:
        return f"<TimeSeriesRecords: {len(self)} records>"


def model_of_wire(wire: Mapping[str, Any]) -> TimeSeriesInputRecord:
    """The record model of JSON that passed `_record_wire` (no check is repeated)."""
    return TimeSeriesInputRecord(
        Time=wire["Time"],
        TimeUnit=wire["TimeUnit"],
        MeasureName=wire["MeasureName"],
        MeasureValueType=wire["MeasureValueType"],
        MeasureValue=wire.get("MeasureValue"),
        MeasureValues=[TimeSeriesMeasureValue.model_validate(v) for v in wire["MeasureValues"]]
        if "MeasureValues" in wire
        else None,
        Dimensions=[TimeSeriesDimension.model_validate(d) for d in wire["Dimensions"]]
        if "Dimensions" in wire
        else None,
        Version=wire.get("Version"),
    )
