"""WriteRecords against stored state: schema rules, versions, and the resulting write plan.

:func:`plan_write` decides everything before anything is written, so a request with any
rejected record raises :class:`RejectedRecordsError` and leaves the table untouched; the
engine then applies an accepted plan in one DuckDB transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .catalog import (
    DIMENSION,
    INTERNAL_COLUMNS,
    MEASURE_VALUE,
    MULTI,
    Column,
    MeasureInfo,
    TableSchema,
)
from .errors import RejectedRecordsError
from .records import MeasureValue, Record
from .retention import FUTURE_TOLERANCE_NS, RetentionPolicy
from .spans import SeriesSpans

MAX_DIMENSION_COLUMNS = 128
MAX_MULTI_MEASURE_COLUMNS = 1024
MAX_MEASURE_NAMES = 8192

Identity = tuple[int, int]  # (series id, time in ns)
SeriesKey = tuple[str, tuple[tuple[str, str], ...]]  # (measure name, sorted dimensions)
Values = tuple[tuple[str, MeasureValue], ...]


@dataclass(frozen=True, slots=True)
class StoredPoint:
    version: int
    values: Values


@dataclass(slots=True)
class TableState:
    """Mutable per-table write state, touched only under the engine's write lock."""

    schema: TableSchema
    series: dict[SeriesKey, int] = field(default_factory=dict)
    # Where each series may hold points: only those times are looked up before a write.
    spans: SeriesSpans = field(default_factory=SeriesSpans)
    # Accepted appends not yet committed to DuckDB (see TimestreamEngine's group commit).
    pending: list[tuple[int, Record]] = field(default_factory=list)
    # Appends of the group commit under way (written, their COMMIT not yet returned).
    committing: list[tuple[int, Record]] = field(default_factory=list)

    def next_series_id(self) -> int:
        return len(self.series) + 1


@dataclass(slots=True)
class WritePlan:
    schema: TableSchema
    new_columns: list[Column]
    changed_measures: list[MeasureInfo]
    new_series: list[tuple[int, SeriesKey]]
    deletes: list[Identity]
    inserts: list[tuple[int, Record]]


# fetch_existing(identities) -> the stored points among them.
ExistingFetcher = Callable[[list[Identity]], dict[Identity, StoredPoint]]


def series_key(record: Record) -> SeriesKey:
    """The series a record belongs to: its measure name and its dimensions, order-free."""
    return (record.measure_name, tuple(sorted(record.dimensions)))


def encode_series_key(key: SeriesKey) -> str:
    return json.dumps([key[0], [list(pair) for pair in key[1]]], separators=(",", ":"))


def decode_series_key(text: str) -> SeriesKey:
    measure_name, dimensions = json.loads(text)
    return (measure_name, tuple((name, value) for name, value in dimensions))


def record_values(record: Record) -> Values:
    if record.multi:
        return tuple(sorted((m.name, m.value) for m in record.measures))
    measure = record.measures[0]
    return ((f"measure_value::{measure.type.lower()}", measure.value),)


def measure_columns(record: Record) -> list[Column]:
    if record.multi:
        return [Column(m.name, MULTI, m.type.lower()) for m in record.measures]
    measure = record.measures[0]
    return [Column(f"measure_value::{measure.type.lower()}", MEASURE_VALUE, measure.type.lower())]


def _equal_values(left: Values, right: Values) -> bool:
    # bool is an int in Python: compare types too so `true` never equals BIGINT 1.
    return len(left) == len(right) and all(
        a_name == b_name and type(a) is type(b) and a == b
        for (a_name, a), (b_name, b) in zip(left, right, strict=True)
    )


class _SchemaDraft:
    """The table schema as it grows while the request's records are checked in order."""

    def __init__(self, schema: TableSchema) -> None:
        self.columns = {c.name: c for c in schema.columns}
        self.folded = {c.name.casefold(): c for c in schema.columns}
        self.measures = dict(schema.measures)
        self.new_columns: list[Column] = []
        self.changed_measures: dict[str, MeasureInfo] = {}
        # Shapes already admitted: records of a request (and of a series) mostly share one.
        self._admitted: set[tuple[object, ...]] = set()
        # The same, by the identity of a record's dimensions and layout tuples (shared by the
        # records of a shape: see records._Shape), alive as long as the request's records.
        self._admitted_parts: set[tuple[str, int, int]] = set()

    def admit(self, record: Record) -> str | None:
        """Add what ``record`` needs to the schema; returns a rejection reason instead."""
        parts = (record.measure_name, id(record.dimensions), id(record.layout))
        if parts in self._admitted_parts:
            return None
        reason = self._admit_shape(record)
        if reason is None:
            self._admitted_parts.add(parts)
        return reason

    def _admit_shape(self, record: Record) -> str | None:
        kind = "multi" if record.multi else record.measures[0].type.lower()
        shape = (
            record.measure_name,
            kind,
            tuple(name for name, _ in record.dimensions),
            tuple((m.name, m.type) for m in record.measures) if record.multi else (),
        )
        if shape in self._admitted:
            return None
        reason = self._admit(record, kind)
        if reason is None:
            self._admitted.add(shape)
        return reason

    def _admit(self, record: Record, kind: str) -> str | None:
        known = self.measures.get(record.measure_name)
        if known is not None and known.data_type != kind:
            return (
                f"Measure {record.measure_name!r} was first written as {known.data_type}; this"
                f" record writes it as {kind}. A measure's type cannot change."
            )
        needed = [Column(name, DIMENSION, "varchar") for name, _ in record.dimensions]
        needed += measure_columns(record)
        additions: list[Column] = []
        for column in needed:
            if column.name.casefold() in INTERNAL_COLUMNS:
                what = "Dimension" if column.category == DIMENSION else "Measure"
                return f"{what} name {column.name!r} is reserved by the emulator."
            existing = self.columns.get(column.name)
            if existing is not None:
                if existing.category == DIMENSION and column.category != DIMENSION:
                    return f"Measure {column.name!r} has the name of an existing dimension."
                if existing.category != DIMENSION and column.category == DIMENSION:
                    return f"Dimension {column.name!r} has the name of an existing measure."
                if existing.type != column.type:
                    return (
                        f"Measure {column.name!r} was first written as {existing.type}; this"
                        f" record writes it as {column.type}. A measure's type cannot change."
                    )
                continue
            clash = self.folded.get(column.name.casefold())
            if clash is not None:
                return (
                    f"Name {column.name!r} differs only by case from the existing column"
                    f" {clash.name!r}."
                )
            additions.append(column)
        if additions or known is None:
            reason = self._check_limits(additions, known is None)
            if reason is not None:
                return reason
        for column in additions:
            self.columns[column.name] = column
            self.folded[column.name.casefold()] = column
            self.new_columns.append(column)
        dimension_names = tuple(name for name, _ in record.dimensions)
        seen = known.dimensions if known is not None else ()
        merged = seen + tuple(name for name in dimension_names if name not in seen)
        if known is None or merged != seen:
            info = MeasureInfo(record.measure_name, kind, merged)
            self.measures[record.measure_name] = info
            self.changed_measures[record.measure_name] = info
        return None

    def _check_limits(self, additions: list[Column], new_measure: bool) -> str | None:
        categories = [c.category for c in self.columns.values()] + [a.category for a in additions]
        if categories.count(DIMENSION) > MAX_DIMENSION_COLUMNS:
            return f"The table would exceed {MAX_DIMENSION_COLUMNS} dimensions."
        if categories.count(MULTI) > MAX_MULTI_MEASURE_COLUMNS:
            return f"The table would exceed {MAX_MULTI_MEASURE_COLUMNS} multi-measure attributes."
        if new_measure and len(self.measures) >= MAX_MEASURE_NAMES:
            return f"The table would exceed {MAX_MEASURE_NAMES} measure names."
        return None


def _version_reason(record: Record, existing: StoredPoint) -> tuple[str, int | None]:
    if record.version == existing.version:
        return (
            "A record already exists with the same time, dimensions, measure name, and record"
            " version. A higher record version must be specified in order to update the measure"
            " value.",
            None,
        )
    return (
        f"The record version {record.version} is lower than the existing version"
        f" {existing.version}. A higher version is required to update the measure value.",
        existing.version,
    )


def plan_write(
    state: TableState,
    records: Iterable[Record],
    now_ns: int,
    fetch_existing: ExistingFetcher,
    retention: RetentionPolicy | None = None,
) -> WritePlan:
    """Decide a WriteRecords request; raises :class:`RejectedRecordsError` if any record fails."""
    rejected: dict[int, dict[str, object]] = {}

    def reject(record: Record, reason: str, existing_version: int | None = None) -> None:
        entry: dict[str, object] = {"RecordIndex": record.index, "Reason": reason}
        if existing_version is not None:
            entry["ExistingVersion"] = existing_version
        rejected.setdefault(record.index, entry)

    draft = _SchemaDraft(state.schema)
    admitted: list[Record] = []
    policy = retention if retention is not None else RetentionPolicy()
    # Within [oldest, newest] no record is outside the ingestion window (see rejection()).
    oldest, newest = policy.oldest_writable_ns(now_ns), now_ns + FUTURE_TOLERANCE_NS
    for record in records:
        if not oldest <= record.time_ns <= newest:
            outside = policy.rejection(record.time_ns, now_ns)
            if outside is not None:
                reject(record, outside)
                continue
        reason = draft.admit(record)
        if reason is not None:
            reject(record, reason)
            continue
        admitted.append(record)

    new_series: dict[SeriesKey, int] = {}
    identities: list[tuple[Identity, Record]] = []
    to_fetch: list[Identity] = []
    # The records of a request share few dimension tuples (see records._Shape): each series
    # key is sorted once per tuple. By id: the records, and so the tuples, outlive the loop.
    keys: dict[tuple[str, int], SeriesKey] = {}
    for record in admitted:
        memo = (record.measure_name, id(record.dimensions))
        known_key = keys.get(memo)
        if known_key is None:
            known_key = keys[memo] = series_key(record)
        key = known_key
        series_id = state.series.get(key)
        if series_id is None:
            series_id = new_series.get(key)
            if series_id is None:
                series_id = state.next_series_id() + len(new_series)
                new_series[key] = series_id
        elif state.spans.may_hold(series_id, record.time_ns):
            to_fetch.append((series_id, record.time_ns))
        identities.append(((series_id, record.time_ns), record))
    stored = fetch_existing(to_fetch) if to_fetch else {}

    # The point at each identity as it stands: stored, or written earlier in this request
    # (a Record: its values are compared only when a record meets it).
    current: dict[Identity, StoredPoint | Record] = dict(stored)
    changed: dict[Identity, Record] = {}
    for identity, record in identities:
        existing = current.get(identity)
        if existing is None or record.version > existing.version:
            current[identity] = record
            changed[identity] = record
            continue
        if isinstance(existing, Record):
            existing = StoredPoint(existing.version, record_values(existing))
        if not _equal_values(record_values(record), existing.values):
            reason, existing_version = _version_reason(record, existing)
            reject(record, reason, existing_version)
        # else: the same point again with no higher version; Timestream deduplicates it.
    if rejected:
        raise RejectedRecordsError([rejected[index] for index in sorted(rejected)])

    return WritePlan(
        schema=state.schema.with_changes(draft.new_columns, draft.measures),
        new_columns=draft.new_columns,
        changed_measures=list(draft.changed_measures.values()),
        new_series=[(series_id, key) for key, series_id in new_series.items()],
        deletes=[identity for identity in changed if identity in stored],
        inserts=[(identity[0], record) for identity, record in changed.items()],
    )
