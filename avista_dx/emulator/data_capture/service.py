"""Data captures: the captures themselves, their data models, lifecycle, tokens and publishing.

Captured values are stored in the Timestream engine, one table per capture (see
:mod:`.store` for why and how); metadata in the metadata store; the full export written at
completion and the attachments in the blob store (:mod:`.files`). Access rules are
:mod:`.access`'s; the state machine is :mod:`.lifecycle`'s.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore, MetadataTransaction, MetadataView
from ..persistence.models import TokenRecord
from ..realtime import Event, EventBroker
from ..realtime.sources import (
    ON_CAPTURE_PUBLISH_DATA,
    ON_NOTIFY_CAPTURE_COMPLETE,
    ON_START_CAPTURE,
    ON_STOP_CAPTURE,
)
from ..services import validation
from ..services import views as common_views
from ..services.access import Access, Caller
from ..services.users import MAX_TOKEN_DAYS, hash_token, new_token_value
from . import lifecycle, views
from .access import CAPTURE_TOKEN_TYPE, capture_access, require_capture
from .files import CaptureFiles
from .lifecycle import CAPTURING, COMPLETE, COMPLETION_ERROR, CONFIGURABLE, FINISHING, READY
from .model import attributes_by_id, canonical_value, parse_model
from .ownership import remove_capture
from .records import (
    CaptureRecord,
    CaptureTokenRecord,
    DataModelRecord,
    StateChangeRecord,
)
from .sample import python_sample
from .store import CaptureDataStore, Value, new_table_name

logger = logging.getLogger(__name__)

CAPTURE_TYPES: Final = ("STANDARD",)
DEFAULT_PAGE: Final = 100
MAX_PAGE: Final = 1000
MAX_RECORDS_PER_PUBLISH: Final = 1000
FUTURE_TOLERANCE_MS: Final = 15 * 60 * 1000  # Timestream refuses records further ahead
ALREADY_STORED: Final = "a value is already stored at this timestamp"
# The time settings ``dataCapture_updateCapture`` changes: the argument (flagged by
# ``update<Argument>``, stored as its snake_case field), its check, and which end it configures.
TIME_UPDATES: Final = (
    ("startTimeType", lifecycle.time_config_type, "start"),
    ("scheduledStartTime", lifecycle.scheduled_time, "start"),
    ("stopTimeType", lifecycle.time_config_type, "stop"),
    ("scheduledStopTime", lifecycle.scheduled_time, "stop"),
)
_EPOCH_MS = re.compile(r"[0-9]{1,19}")


def _page(limit: object, next_token: object, total: int) -> tuple[int, int]:
    """``(start, stop)`` of a page of ``total`` items; ``nextToken`` is the start offset."""
    size = DEFAULT_PAGE if limit is None else limit
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PAGE:
        raise InvalidRequestError(f"limit must be between 1 and {MAX_PAGE}")
    start = 0
    if next_token is not None:
        if not isinstance(next_token, str) or not next_token.isdigit() or int(next_token) > total:
            raise InvalidRequestError("nextToken is not a token this listing returned")
        start = int(next_token)
    return start, min(total, start + size)


def _history(capture_id: str, state: str, message: str | None, when: str) -> StateChangeRecord:
    return StateChangeRecord(new_id(IdKind.CAPTURE_STATE_CHANGE), capture_id, state, when, message)


def _new_token(capture: CaptureRecord, token_id: str) -> tuple[TokenRecord, CaptureTokenRecord]:
    raw = new_token_value()
    now = _clock.utc_now()
    token = TokenRecord(
        token_id=token_id,
        user_id=capture.owner_user_id,
        name=f"{capture.capture_id} publisher",
        token_hash=hash_token(raw),
        token_type=CAPTURE_TOKEN_TYPE,
        date_created=_clock.iso(now),
        date_expires=_clock.iso(now + timedelta(days=MAX_TOKEN_DAYS)),
        scope=(capture.capture_id,),
    )
    return token, CaptureTokenRecord(token_id, capture.capture_id, raw)


def _failure(
    record_index: int, attribute_index: int | None, error_type: str, message: str
) -> dict[str, Any]:
    return {
        "recordIndex": record_index,
        "attributeIndex": attribute_index,
        "errorType": error_type,
        "message": message,
    }


def _epoch_ms(value: object) -> int | None:
    if not isinstance(value, str) or not _EPOCH_MS.fullmatch(value.strip()):
        return None
    millis = int(value.strip())
    now_ms = int(_clock.utc_now().timestamp() * 1000)
    return millis if millis <= now_ms + FUTURE_TOLERANCE_MS else None


class DataCaptureService:
    def __init__(
        self,
        metadata: MetadataStore,
        store: CaptureDataStore,
        files: CaptureFiles,
        events: EventBroker,
    ) -> None:
        self._metadata = metadata
        self._store = store
        self._files = files
        self._events = events
        # Serialises state changes with publishing: no value lands after a stop commits.
        self._lifecycle_lock = threading.RLock()

    def can_read(self, caller: Caller, capture_id: str) -> bool:
        """Whether ``caller`` may read the capture (who may receive its events)."""
        with self._metadata.view() as view:
            record = view.get(CaptureRecord, capture_id)
            return record is not None and capture_access(view, caller, record) >= Access.READ

    def _event_of(self, field: str) -> Callable[[views.View | None], Event | None]:
        """The event a committed mutation pushes to ``field(captureId)``: the mutation's
        answer, for the subscribers who may read the capture."""

        def event_of(answer: views.View | None) -> Event | None:
            if answer is None:
                return None
            capture_id: str = answer["captureId"]
            return Event(
                field,
                {"captureId": capture_id},
                answer,
                readable_by=lambda reader: self.can_read(reader, capture_id),
            )

        return event_of

    def _completion_event(self, answer: views.View | None) -> Event | None:
        if answer is None or answer["state"] != COMPLETE:
            return None
        return self._event_of(ON_NOTIFY_CAPTURE_COMPLETE)(answer)

    @staticmethod
    def _view(view: MetadataView, record: CaptureRecord, include_model: bool = True) -> views.View:
        return views.capture(view, record, include_model=include_model)

    # --- captures ----------------------------------------------------------------------------

    def list_captures(
        self, caller: Caller, include_data_models: object, limit: object, next_token: object
    ) -> views.View:
        """The captures the caller owns, oldest first (shared ones are listed per collaborative).

        Deviation (inferred semantics): ``nextToken`` is the offset of the next page; pages hold
        ``limit`` captures (1-1000, default 100).
        """
        with self._metadata.view() as view:
            owned = view.find(CaptureRecord, owner_user_id=caller.user_id)
            start, stop = _page(limit, next_token, len(owned))
            captures = [
                self._view(view, record, include_model=bool(include_data_models))
                for record in owned[start:stop]
            ]
        return {"captures": captures, "nextToken": str(stop) if stop < len(owned) else None}

    def get_capture(
        self, caller: Caller, capture_id: object, include_data_model: object = None
    ) -> views.View:
        """Deviation (inferred semantics): ``dataModel`` is included only when
        ``includeDataModel`` is true."""
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            return self._view(view, record, include_model=bool(include_data_model))

    def create_capture(
        self, caller: Caller, capture_type: object, display_name: object, description: object
    ) -> views.View:
        """A new capture owned by the caller, with its (empty) table and its token.

        Deviation (inferred semantics): a new capture has an empty data model, so it starts in
        CONFIGURATION_ERROR and becomes READY when ``dataCapture_updateDataModel`` gives it a
        GOOD one; both time types start MANUAL.
        """
        if capture_type not in CAPTURE_TYPES:
            raise InvalidRequestError(f"captureType must be one of {', '.join(CAPTURE_TYPES)}")
        now = _clock.now_iso()
        record = CaptureRecord(
            capture_id=new_id(IdKind.CAPTURE),
            capture_type=str(capture_type),
            display_name=validation.name(display_name, "displayName"),
            description=validation.description(description),
            owner_user_id=caller.user_id,
            state=lifecycle.CONFIGURATION_ERROR,
            date_created=now,
            date_updated=now,
            table_name=new_table_name(),
            token_id=new_id(IdKind.TOKEN),
        )
        model = DataModelRecord(
            record.capture_id, 1, now, now, (), ("the data model has no assets",)
        )
        token, raw = _new_token(record, record.token_id)
        self._store.create_table(record.table_name)
        try:
            with self._metadata.transaction() as tx:
                for row in (record, model, token, raw):
                    tx.put(row)
                tx.put(_history(record.capture_id, record.state, "created", now))
                return self._view(tx, record)
        except BaseException:
            self._store.drop_table(record.table_name)
            raise

    def update_capture(
        self, caller: Caller, capture_id: object, changes: dict[str, Any]
    ) -> views.View:
        """Owner only. Each ``update*`` flag says whether its argument applies; a flagged
        ``null`` clears a description or a scheduled time, and is an error for the name.

        Start settings change only before the capture starts (READY, CONFIGURATION_ERROR),
        stop settings until it stops (also CAPTURING); before it starts, the capture moves
        between READY and CONFIGURATION_ERROR as its time settings become good or not.

        Deviation: SCHEDULED times are validated and kept but the emulator never starts or
        stops a capture by itself; start and stop it with the mutations.
        """
        fields: dict[str, Any] = {}
        if changes.get("updateDisplayName"):
            fields["display_name"] = validation.name(changes.get("displayName"), "displayName")
        if changes.get("updateDescription"):
            fields["description"] = validation.description(changes.get("description"))
        ends: dict[str, dict[str, Any]] = {"start": {}, "stop": {}}
        for argument, parse, end in TIME_UPDATES:
            if changes.get(f"update{argument[0].upper()}{argument[1:]}"):
                field = re.sub(r"(?=[A-Z])", "_", argument).lower()
                ends[end][field] = parse(changes.get(argument), argument)
        start_fields, stop_fields = ends["start"], ends["stop"]
        with self._lifecycle_lock, self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.OWNER)
            if start_fields:
                lifecycle.require_state(record, "change the start settings of", *CONFIGURABLE)
            if stop_fields:
                lifecycle.require_state(
                    record, "change the stop settings of", *CONFIGURABLE, CAPTURING
                )
            fields.update(start_fields, **stop_fields)
            if not fields:
                return self._view(tx, record)
            now = _clock.now_iso()
            record = dataclasses.replace(record, date_updated=now, **fields)
            record = self._settle(tx, record, now)
            tx.put(record)
            return self._view(tx, record)

    @staticmethod
    def _settle(tx: MetadataTransaction, record: CaptureRecord, when: str) -> CaptureRecord:
        """A not-yet-started capture's READY/CONFIGURATION_ERROR state after a change."""
        if record.state not in CONFIGURABLE:
            return record
        state = lifecycle.configured_state(record, tx.get(DataModelRecord, record.capture_id))
        if state == record.state:
            return record
        tx.put(_history(record.capture_id, state, "configuration changed", when))
        return dataclasses.replace(record, state=state)

    def delete_capture(self, caller: Caller, capture_id: object) -> views.View:
        """Owner only, in any state: the capture, its data, token, attachments, exports and
        shares go.

        Deviation (inferred semantics): deletion is immediate; the answer shows the capture
        in state DELETING, and it is gone for every later call.
        """
        with self._lifecycle_lock, self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.OWNER)
            answer = self._view(tx, record)
            blobs = remove_capture(tx, record)
        self._store.drop_table(record.table_name)
        self._files.delete_blobs(blobs)
        answer["state"] = lifecycle.DELETING
        return answer

    def drop_orphan_tables(self) -> None:
        """Drops the tables of captures that no longer exist (deleted with their owner's
        services, or by a reset, or a crash between a deletion's commit and its drop)."""
        with self._metadata.view() as view:
            kept = {record.table_name for record in view.find(CaptureRecord)}
        for table in self._store.tables():
            if table not in kept:
                logger.info("dropping the table of a deleted capture: %s", table)
                self._store.drop_table(table)

    # --- data model --------------------------------------------------------------------------

    def get_data_model(self, caller: Caller, capture_id: object) -> views.View:
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            model = view.get(DataModelRecord, record.capture_id)
        assert model is not None
        return views.data_model(model)

    def update_data_model(self, caller: Caller, capture_id: object, data_model: Any) -> views.View:
        """Owner only, before the capture starts; replaces the whole model (``version`` + 1).

        Deviation (inferred semantics): a model with no assets, an asset without attributes,
        or an asset or attribute ``userDefinedId`` used twice (records name attributes by id
        alone, so attribute ids are unique across assets) is stored with ``errors`` and state
        ERROR, and the capture stays (or goes back to) CONFIGURATION_ERROR.
        """
        assets, errors = parse_model(data_model)
        with self._lifecycle_lock, self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.OWNER)
            lifecycle.require_state(record, "change the data model of", *CONFIGURABLE)
            previous = tx.get(DataModelRecord, record.capture_id)
            assert previous is not None
            now = _clock.now_iso()
            model = dataclasses.replace(
                previous,
                version=previous.version + 1,
                date_updated=now,
                assets=assets,
                errors=errors,
            )
            tx.put(model)
            tx.put(self._settle(tx, dataclasses.replace(record, date_updated=now), now))
        return views.data_model(model)

    def get_data_model_export(self, caller: Caller, capture_id: object) -> views.View:
        """The data model as a JSON document.

        Deviation (inferred semantics): ``contents`` is JSON ``{"captureId", "version",
        "assets"}`` (the assets as ``DataCaptureAsset``) and ``fileName``
        ``<captureId>-data-model.json``.
        """
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            model = view.get(DataModelRecord, record.capture_id)
        assert model is not None
        document = {
            "captureId": record.capture_id,
            "version": model.version,
            "assets": list(model.assets),
        }
        return {
            "captureId": record.capture_id,
            "fileName": f"{record.capture_id}-data-model.json",
            "contents": json.dumps(document, indent=2),
        }

    # --- lifecycle ---------------------------------------------------------------------------

    def _transition(
        self, caller: Caller, capture_id: object, action: str, from_state: str, to_state: str
    ) -> views.View:
        """``from_state`` → ``to_state``, stamping ``actual_<action>_time`` (start or stop)."""
        with self._lifecycle_lock, self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.WRITE)
            lifecycle.require_state(record, action, from_state)
            now = _clock.now_iso()
            stamped = {f"actual_{action}_time": now}
            record = dataclasses.replace(record, state=to_state, date_updated=now, **stamped)
            tx.put(record)
            tx.put(_history(record.capture_id, record.state, action, now))
            if record.state == FINISHING:
                self._files.begin_full_export(tx, record, now)
            return self._view(tx, record)

    def start_capture(self, caller: Caller, capture_id: object) -> views.View:
        """READY → CAPTURING, recording ``timeSettings.actualStartTime`` (owner, READ_WRITE
        members, the capture's token); pushes ``onStartCapture``.

        Deviation (inferred semantics): who may start (and stop) is inferred from the 1.2.1
        client, which documents either token; a SCHEDULED start type does not prevent a start
        by this mutation.
        """
        return self._events.publish_after(
            lambda: self._transition(caller, capture_id, "start", READY, CAPTURING),
            self._event_of(ON_START_CAPTURE),
        )

    def stop_capture(self, caller: Caller, capture_id: object) -> views.View:
        """CAPTURING → FINISHING, recording ``timeSettings.actualStopTime``; pushes
        ``onStopCapture``, then completes the capture (``dataCapture_handleCompletion``).

        Deviation (inferred semantics): completion runs at once, after the stop commits: the
        answer shows FINISHING, and the next read COMPLETE (or COMPLETION_ERROR).
        """
        answer = self._events.publish_after(
            lambda: self._transition(caller, capture_id, "stop", CAPTURING, FINISHING),
            self._event_of(ON_STOP_CAPTURE),
        )
        self._complete(answer["captureId"])
        return answer

    def handle_completion(self, caller: Caller, capture_id: object) -> views.View:
        """Owner only: completes a FINISHING capture, or retries a COMPLETION_ERROR one: writes
        the full export (CSV), then COMPLETE and ``onNotifyCaptureComplete``.

        Deviation (inferred semantics): the service runs this itself after a stop, as the
        emulator does; calling it is only useful to retry a failed completion.
        """
        with self._lifecycle_lock, self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.OWNER)
            lifecycle.require_state(record, "complete", FINISHING, COMPLETION_ERROR)
            if record.state == COMPLETION_ERROR:
                now = _clock.now_iso()
                record = dataclasses.replace(record, state=FINISHING, date_updated=now)
                tx.put(record)
                tx.put(_history(record.capture_id, FINISHING, "completion retried", now))
                self._files.begin_full_export(tx, record, now)
        answer = self._complete(record.capture_id)
        if answer is None:
            raise UnauthorizedError()  # deleted meanwhile
        return answer

    def _complete(self, capture_id: str) -> views.View | None:
        """FINISHING → COMPLETE (export written) or COMPLETION_ERROR (export failed); None
        when the capture is no longer FINISHING (deleted or completed meanwhile)."""

        def commit() -> views.View | None:
            with self._lifecycle_lock:
                with self._metadata.view() as view:
                    record = view.get(CaptureRecord, capture_id)
                    model = view.get(DataModelRecord, capture_id)
                if record is None or model is None or record.state != FINISHING:
                    return None
                failure = self._files.write_full_export(
                    record, list(attributes_by_id(model.assets))
                )
                with self._metadata.transaction() as tx:
                    now = _clock.now_iso()
                    state = COMPLETION_ERROR if failure else COMPLETE
                    record = dataclasses.replace(record, state=state, date_updated=now)
                    tx.put(record)
                    tx.put(_history(capture_id, state, failure or "full export written", now))
                    return self._view(tx, record)

        return self._events.publish_after(commit, self._completion_event)

    def notify_capture_complete(self, caller: Caller, capture_id: object) -> views.View:
        """Owner only, for a COMPLETE capture: pushes ``onNotifyCaptureComplete`` (again).

        Deviation (inferred semantics): the completion notice is also pushed by the completion
        itself; this mutation re-sends it and changes nothing.
        """

        def commit() -> views.View:
            with self._metadata.view() as view:
                record = require_capture(view, caller, capture_id, Access.OWNER)
                lifecycle.require_state(record, "notify the completion of", COMPLETE)
                return self._view(view, record)

        return self._events.publish_after(commit, self._completion_event)

    def resume_completions(self) -> None:
        """Completes captures left FINISHING by a crash or a restart between stop and COMPLETE."""
        with self._metadata.view() as view:
            pending = view.find(CaptureRecord, state=FINISHING)
        for record in pending:
            logger.info("completing capture %s after a restart", record.capture_id)
            self._complete(record.capture_id)

    # --- tokens ------------------------------------------------------------------------------

    def get_capture_token(self, caller: Caller, capture_id: object) -> views.View:
        """The capture's DATA_CAPTURE_READ_WRITE token, value included; owner only.

        Deviation (inferred semantics): the token is created with the capture, belongs to its
        owner (``userId``), lasts ten years and has ``scope`` ``[captureId]``.
        """
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.OWNER)
            token = view.get(TokenRecord, record.token_id)
            raw = view.get(CaptureTokenRecord, record.token_id)
        assert token is not None
        assert raw is not None
        return common_views.token(token, token_value=raw.token_value)

    def regenerate_token(self, caller: Caller, capture_id: object) -> views.View:
        """Owner only: a new token for the capture; the previous one stops working at once."""
        with self._metadata.transaction() as tx:
            record = require_capture(tx, caller, capture_id, Access.OWNER)
            tx.delete(TokenRecord, record.token_id)
            tx.delete(CaptureTokenRecord, record.token_id)
            record = dataclasses.replace(record, token_id=new_id(IdKind.TOKEN))
            token, raw = _new_token(record, record.token_id)
            for row in (record, token, raw):
                tx.put(row)
        return common_views.token(token, token_value=raw.token_value)

    # --- publishing --------------------------------------------------------------------------

    def publish_data(self, caller: Caller, capture_id: object, data: Any) -> views.View:
        """Writes records to a CAPTURING capture (owner, READ_WRITE members, its token);
        pushes ``onCapturePublishData``. A request in another state is a BadRequestException.

        Each value is checked against the data model; failures are reported in
        ``failedRecords`` by ``recordIndex`` (and ``attributeIndex`` when one value is at
        fault), never raised, and keep no other value out: ``InvalidTimestamp`` (not epoch
        milliseconds, or more than 15 minutes ahead), ``InvalidAttributeId`` (not in the
        model), ``ValueTypeError`` (not a value of the attribute's schema type),
        ``RecordExists`` (the attribute already has a value at that timestamp, stored or
        earlier in the request), ``Unknown`` (a null record, or one without values).

        Deviation (inferred semantics): ``dataWritten`` holds each value written with its
        canonical text (``"1.50"`` → ``"1.5"``, ``"TRUE"`` → ``"true"``) and the timestamp as
        epoch milliseconds; ``logs`` holds one summary line; a value already stored for the
        attribute at that timestamp is ``RecordExists`` even when equal (nothing is
        overwritten); at most 1000 records per request.
        """
        if not isinstance(data, list):
            raise InvalidRequestError("data must be a list of records")
        if len(data) > MAX_RECORDS_PER_PUBLISH:
            raise InvalidRequestError(f"at most {MAX_RECORDS_PER_PUBLISH} records per request")

        def commit() -> views.View:
            with self._lifecycle_lock:
                with self._metadata.view() as view:
                    record = require_capture(view, caller, capture_id, Access.WRITE)
                    lifecycle.require_state(record, "publish to", CAPTURING)
                    model = view.get(DataModelRecord, record.capture_id)
                assert model is not None
                return self._write(record, model, data)

        return self._events.publish_after(commit, self._event_of(ON_CAPTURE_PUBLISH_DATA))

    def _write(self, record: CaptureRecord, model: DataModelRecord, data: list[Any]) -> views.View:
        attributes = attributes_by_id(model.assets)
        failures: list[dict[str, Any]] = []
        values: list[Value] = []
        positions: list[tuple[int, int]] = []  # (record, attribute) index of each value
        seen: set[tuple[int, str]] = set()
        for record_index, item in enumerate(data):
            if not isinstance(item, dict):
                failures.append(_failure(record_index, None, "Unknown", "the record is null"))
                continue
            time_ms = _epoch_ms(item.get("timestamp"))
            if time_ms is None:
                failures.append(
                    _failure(
                        record_index, None, "InvalidTimestamp",
                        "timestamp must be epoch milliseconds, at most 15 minutes ahead",
                    )
                )  # fmt: skip
                continue
            entries = item.get("attributeValues") or []
            if not entries:
                failures.append(_failure(record_index, None, "Unknown", "no attributeValues"))
            for attribute_index, entry in enumerate(entries):
                attribute_id = entry.get("userDefinedId") if isinstance(entry, dict) else None
                attribute = attributes.get(attribute_id) if isinstance(attribute_id, str) else None
                if attribute is None:
                    failures.append(
                        _failure(
                            record_index, attribute_index, "InvalidAttributeId",
                            f"{attribute_id!r} is not an attribute of the data model",
                        )
                    )  # fmt: skip
                    continue
                text = canonical_value(entry.get("value"), attribute.schema_type)
                if text is None:
                    failures.append(
                        _failure(
                            record_index, attribute_index, "ValueTypeError",
                            f"the value is not a valid {attribute.schema_type}",
                        )
                    )  # fmt: skip
                    continue
                if (time_ms, attribute.attribute_id) in seen:
                    failures.append(
                        _failure(
                            record_index, attribute_index, "RecordExists",
                            "this attribute is given twice for this timestamp",
                        )
                    )  # fmt: skip
                    continue
                seen.add((time_ms, attribute.attribute_id))
                values.append(Value(time_ms, attribute.asset_id, attribute.attribute_id, text))
                positions.append((record_index, attribute_index))
        existing = self._store.existing(record.table_name, values)
        fresh: list[tuple[Value, tuple[int, int]]] = []
        for value, position in zip(values, positions, strict=True):
            if (value.time_ms, value.attribute_id) in existing:
                failures.append(_failure(*position, "RecordExists", ALREADY_STORED))
            else:
                fresh.append((value, position))
        refused = self._store.write(record.table_name, [value for value, _ in fresh])
        written = []
        for index, (value, position) in enumerate(fresh):
            if index in refused:
                failures.append(_failure(*position, "RecordExists", ALREADY_STORED))
            else:
                written.append(
                    {
                        "timestamp": str(value.time_ms),
                        "userDefinedId": value.attribute_id,
                        "value": value.text,
                    }
                )
        failures.sort(key=lambda f: (f["recordIndex"], f["attributeIndex"] or -1))
        return {
            "captureId": record.capture_id,
            "dataWritten": written,
            "failedRecords": failures,
            "logs": [
                {
                    "error": bool(failures),
                    "message": f"{len(written)} values written, {len(failures)} failed",
                }
            ],
        }

    # --- sample ------------------------------------------------------------------------------

    def python_sdk_sample(self, caller: Caller, capture_id: object) -> str:
        """A runnable Python script publishing one record of every attribute with avista-dx.

        Deviation: written against the 1.2.1 client's names
        (``dx.dataCapture.publishData(captureId, data)``); avista-dx's data-capture namespace
        is being built alongside. The script reads the token from ``AVISTA_DX_TOKEN``; it
        never contains one.
        """
        with self._metadata.view() as view:
            record = require_capture(view, caller, capture_id, Access.READ)
            model = view.get(DataModelRecord, record.capture_id)
        assert model is not None
        return python_sample(record, model)
