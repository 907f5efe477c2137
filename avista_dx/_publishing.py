"""Publishing many records: batches of at most 100, aggregation, partial failures. I/O-free."""

from __future__ import annotations

import contextlib
import functools
import json
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ._constants import MAX_RECORDS_PER_PUBLISH
from ._record_table import TimeSeriesRecords, WireList, WireRecords
from ._records import record_to_variables
from ._transfers import ProgressCallback
from .errors import (
    BadRequestError,
    DxError,
    InvalidInputError,
    PartialPublishError,
    PublishInterruptedError,
)
from .types import (
    TimeSeriesAssetAttribute,
    TimeSeriesAssetAttributeData,
    TimeSeriesAssetData,
    TimeSeriesInputRecord,
)

if TYPE_CHECKING:  # not at import: it loads the async base client (see _operations)
    from ._publish_request import Asset, Attribute, CheckedAnswer, PointSource

    _PointsOf = Callable[[int], PointSource | None]  # an answer asset's attribute → its points


@dataclass(frozen=True, slots=True)
class Batch:
    """One request's records: `source`'s records start..stop (indexes in the caller's list)."""

    start: int
    stop: int
    source: WireRecords

    @property
    def indexes(self) -> range:
        return range(self.start, self.stop)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The records' JSON values (tests and debugging; requests use `records_json`)."""
        result: list[dict[str, Any]] = json.loads(self.records_json())
        return result

    def records_json(self) -> str:
        """The JSON array of the records, rendered only when the request is sent."""
        return self.source.json(self.start, self.stop)


def make_batches(
    records: Sequence[TimeSeriesInputRecord] | TimeSeriesRecords,
    size: int = MAX_RECORDS_PER_PUBLISH,
) -> list[Batch]:
    """Validates every record before anything is sent, then cuts the list into requests.

    `TimeSeriesRecords` were checked when they were built, and are rendered request by
    request; other records are checked here, one by one.
    """
    if isinstance(records, TimeSeriesInputRecord | str | bytes) or not isinstance(
        records, Sequence
    ):
        raise InvalidInputError("records must be a list of TimeSeriesInputRecord objects")
    if not records:
        raise InvalidInputError("records is empty: there is nothing to publish")
    source: WireRecords
    if isinstance(records, TimeSeriesRecords):
        source = records
    else:
        wire = []
        for index, record in enumerate(records):
            try:
                wire.append(record_to_variables(record))
            except InvalidInputError as exc:
                raise InvalidInputError(f"record {index}: {exc.message}") from exc
        source = WireList(wire)
    total = len(source)
    return [Batch(start, min(start + size, total), source) for start in range(0, total, size)]


def stops_publishing(error: DxError) -> bool:
    """Whether the remaining batches would fail the same way (bad token, no permission,
    exchange down after retries), so they are not sent. A rejected record or argument
    concerns one request only: the others go on."""
    return not isinstance(error, BadRequestError)


@dataclass
class PublishOutcome:
    """Collects the result of each batch; `finish()` aggregates or raises.

    Results are merged as soon as every earlier batch has reported, so that a publish of a
    million records holds a few requests' results at a time, not ten thousand.
    """

    operation: str
    batches: list[Batch]
    written: set[int] = field(default_factory=set)  # starts of batches written
    errors: dict[int, DxError] = field(default_factory=dict)
    in_flight: set[int] = field(default_factory=set)  # starts of batches being sent
    progress: ProgressCallback | None = None  # (records done, total), after each request
    keep_data: bool = True  # False: results come without data points (their last values)
    _done: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)  # worker threads report
    _waiting: dict[int, CheckedAnswer] = field(default_factory=dict)  # results not merged yet
    _merged: Aggregation = field(default_factory=lambda: Aggregation())
    _merged_up_to: int = 0  # batches[:_merged_up_to] have all reported and are merged
    _merge_lock: threading.Lock = field(default_factory=threading.Lock)

    def sending(self, batch: Batch) -> None:
        self.in_flight.add(batch.start)

    def succeeded(self, batch: Batch, result: CheckedAnswer) -> None:
        self.in_flight.discard(batch.start)
        with self._merge_lock:
            self.written.add(batch.start)
            self._waiting[batch.start] = result  # without data points unless keep_data
            self._merge_in_order()
        self._report(batch)

    def failed(self, batch: Batch, error: DxError) -> None:
        self.in_flight.discard(batch.start)
        with self._merge_lock:
            self.errors[batch.start] = error
            self._merge_in_order()
        self._report(batch)

    def _merge_in_order(self) -> None:
        while self._merged_up_to < len(self.batches):
            start = self.batches[self._merged_up_to].start
            if start not in self.written and start not in self.errors:
                return  # not reported yet: later results wait for it
            if start in self._waiting:
                self._merged.add(self._waiting.pop(start))
            self._merged_up_to += 1

    def _report(self, batch: Batch) -> None:
        """Records done (written or failed) so far; the callback never runs concurrently."""
        if self.progress is not None:
            with self._lock:
                self._done += batch.stop - batch.start
                self.progress(self._done, self.batches[-1].stop)

    def finish(self) -> list[TimeSeriesAssetData]:
        if not self.errors:
            return self._merged_results()
        written, failed = self._split()
        first_error = self.errors[min(self.errors)]
        if not written and len(self.batches) == 1:
            raise first_error
        unsent = len(self.batches) - len(self.written) - len(self.errors)
        message = (
            f"{len(written)} of {len(written) + len(failed)} records written; "
            f"{len(self.errors)} request(s) failed"
            + (f", {unsent} not sent" if unsent else "")
            + f"; first error: {first_error}"
        )
        raise PartialPublishError(
            message,
            operation=self.operation,
            written_indexes=written,
            failed_indexes=failed,
            errors=self.errors,
            results=self._merged_results(),
        )

    def interruption(self, interrupt: BaseException) -> PublishInterruptedError:
        """What was written when `interrupt` stopped the publish."""
        written, failed = self._split()
        unconfirmed = [i for b in self.batches if b.start in self.in_flight for i in b.indexes]
        message = (
            f"interrupted ({type(interrupt).__name__}): {len(written)} of "
            f"{len(written) + len(failed)} records written, {len(unconfirmed)} in requests "
            "that were in flight (they may have been written), the others not sent"
        )
        return PublishInterruptedError(
            message,
            operation=self.operation,
            written_indexes=written,
            failed_indexes=failed,
            unconfirmed_indexes=unconfirmed,
            errors=self.errors,
            results=self._merged_results(),
        )

    @contextlib.contextmanager
    def reporting_interruption(self) -> Iterator[None]:
        """Lets a KeyboardInterrupt or a cancellation through unchanged (the same object),
        with a `PublishInterruptedError` saying what was written as its `__cause__`."""
        try:
            yield
        except BaseException as interrupt:
            if not isinstance(interrupt, Exception | GeneratorExit):
                report = self.interruption(interrupt)
                report.__cause__ = interrupt.__cause__  # keep an earlier cause, if any
                interrupt.__cause__ = report
            raise

    def _split(self) -> tuple[list[int], list[int]]:
        written = [i for b in self.batches if b.start in self.written for i in b.indexes]
        failed = [i for b in self.batches if b.start not in self.written for i in b.indexes]
        return written, failed

    def _merged_results(self) -> list[TimeSeriesAssetData]:
        """Every written batch's result merged in the batches' order (those after a batch
        still unconfirmed were waiting for it)."""
        with self._merge_lock:
            for start in sorted(self._waiting):
                self._merged.add(self._waiting.pop(start))
            return self._merged.build()


def aggregate(results: Sequence[CheckedAnswer]) -> list[TimeSeriesAssetData]:
    """Merges per-request results (checked answers, `_publish_request.adapt`) per asset."""
    merged = Aggregation()
    for result in results:
        merged.add(result)
    return merged.build()


class Aggregation:
    """Per-request results merged per asset, in the requests' order; later requests update
    attributes' last values.

    An attribute's data points are its first answer's, then each later answer's points it
    does not hold yet. They become documented models only when the caller first reads the
    attribute's `data`, and that merge runs then, once: linear in the number of points.
    """

    def __init__(self) -> None:
        self._assets: dict[str, _MergedAsset] = {}

    def add(self, answer: CheckedAnswer) -> None:
        for position, asset in enumerate(answer.assets):
            points = functools.partial(answer.points, position)
            merged = self._assets.get(asset["assetId"])
            if merged is None:
                self._assets[asset["assetId"]] = _MergedAsset(asset, points)
            else:
                merged.merge(asset, points)

    def build(self) -> list[TimeSeriesAssetData]:
        return [merged.build() for merged in self._assets.values()]


class _MergedAsset:
    """One asset being merged, with an index of its attributes by name."""

    def __init__(self, asset: Asset, points: _PointsOf) -> None:
        self.fields: dict[str, Any] = {k: v for k, v in asset.items() if k != "attributes"}
        self._answered_attributes = "attributes" in asset  # for the fields a caller set
        self.attributes: list[_MergedAttribute] = []
        self._by_name: dict[str, _MergedAttribute] = {}
        self._merge_attributes(asset, points, first=True)

    def merge(self, update: Asset, points: _PointsOf) -> None:
        name = update.get("name")
        if name and name != self.fields.get("name"):
            self.fields["name"] = name
        self._merge_attributes(update, points, first=False)

    def _merge_attributes(self, update: Asset, points: _PointsOf, *, first: bool) -> None:
        present = [a for a in update.get("attributes") or [] if a]
        for position, attribute in enumerate(present):
            current = None if first else self._by_name.get(attribute["name"])
            if current is None:
                # Each of the first answer's attributes is kept, even one named twice.
                current = _MergedAttribute(attribute)
                self.attributes.append(current)
                self._by_name[attribute["name"]] = current
            else:
                current.merge(attribute)
            current.add_points(points(position))

    def build(self) -> TimeSeriesAssetData:
        asset = TimeSeriesAssetData.model_validate({**self.fields, "attributes": []})
        asset.attributes = [a.build() for a in self.attributes]
        if not self._answered_attributes:  # as validated from this asset's first answer
            asset.__pydantic_fields_set__.discard("attributes")
        return asset


class _MergedAttribute:
    """An attribute's fields (last values merged) and where its answers' data points are."""

    def __init__(self, attribute: Attribute) -> None:
        self.fields: dict[str, Any] = dict(attribute)  # its `data` emptied, if given
        self.chunks: list[PointSource] = []

    def merge(self, update: Attribute) -> None:
        time = update.get("lastValueTime")
        if time is not None and (
            self.fields.get("lastValueTime") is None or time >= self.fields["lastValueTime"]
        ):
            self.fields["lastValue"] = update.get("lastValue")
            self.fields["lastValueTime"] = time

    def add_points(self, points: PointSource | None) -> None:
        if points is not None:
            self.chunks.append(points)

    def build(self) -> TimeSeriesAssetAttribute:
        if not self.chunks:
            return TimeSeriesAssetAttribute.model_validate(self.fields)
        return TimeSeriesAssetAttribute._with_pending_data(
            self.fields, functools.partial(_merged_points, self.chunks)
        )


def _merged_points(chunks: list[PointSource]) -> list[TimeSeriesAssetAttributeData]:
    """The first answer's points, then each later answer's points not already held."""
    first, *later = [chunk() for chunk in chunks]
    points = list(first)
    held = set(map(_point_key, first))
    for chunk in later:
        keys = list(map(_point_key, chunk))
        fresh = set(keys)
        if len(fresh) == len(keys) and held.isdisjoint(fresh):
            held |= fresh  # the usual case, each request's own points: set operations in C
            points.extend(chunk)
            continue
        for point, key in zip(chunk, keys, strict=True):
            if key not in held:
                held.add(key)
                points.append(point)
    return _POINTS.validate_python(points)


_point_key = operator.itemgetter("timestamp", "value")
_POINTS = TypeAdapter(list[TimeSeriesAssetAttributeData])
