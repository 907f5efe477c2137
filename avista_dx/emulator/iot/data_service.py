"""IoT telemetry: publish, last values, time-range queries, their CSV exports and cancellation.

Telemetry lives in the Timestream engine (:mod:`.telemetry`); result documents (query chunks,
export files, large last-values pages) are blobs served by presigned GET like data-store files.
Publishes and export completions reach real-time subscribers through the event broker.
"""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import io
import json
import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import BlobStore, MetadataStore, MetadataTransaction, MetadataView
from ..realtime import Event, EventBroker
from ..realtime.sources import ON_IOT_PUBLISH, ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE
from ..services import validation
from ..services.access import Access, Caller
from ..services.transfers import Downloadable, UrlSigner
from ..timestream import TimestreamError
from . import access
from .models import attribute_view, shown, typed_value
from .records import (
    IotEndpointRecord,
    IotModelRecord,
    IotQueryRecord,
    IotResultBlobRecord,
)
from .service import epoch_millis
from .telemetry import NANOS_PER_MILLI, Point, TelemetryStore, time_range_sql

logger = logging.getLogger(__name__)

View = dict[str, Any]

MAX_PUBLISH_RECORDS: Final = 1000
MAX_QUERY_ENDPOINTS: Final = 100
CHUNK_ROWS: Final = 1000  # rows per iot_queryByTimeRange page (Timestream's MaxRows limit)
LAST_VALUES_PAGE: Final = 50  # endpoints per last-values page
# A last-values page larger than this (JSON bytes) is stored in S3 instead of inline.
INLINE_RESULT_LIMIT: Final = 256 * 1024
QUERY_RETENTION: Final = timedelta(days=1)
NANOS_PER_UNIT: Final = {
    "SECONDS": 10**9,
    "MILLISECONDS": 10**6,
    "MICROSECONDS": 10**3,
    "NANOSECONDS": 1,
}
MAX_TIME_NS: Final = 2**63 - 1
CSV_FIXED_COLUMNS: Final = ("iotEndpointId", "name", "timestamp")


@dataclass(frozen=True, slots=True)
class Paging:
    """What a paged IoT read passes back: ``nextToken``, ``clientToken``, ``queryId`` and
    ``queryString`` (None when omitted; empty strings count as omitted)."""

    next_token: str | None = None
    client_token: str | None = None
    query_id: str | None = None
    query_string: str | None = None

    @classmethod
    def from_arguments(cls, arguments: dict[str, Any]) -> Paging:
        values = {}
        for name, key in (
            ("next_token", "nextToken"), ("client_token", "clientToken"),
            ("query_id", "queryId"), ("query_string", "queryString"),
        ):  # fmt: skip
            value = arguments.get(key)
            if value is not None and not isinstance(value, str):
                raise InvalidRequestError(f"{key} must be a string")
            values[name] = value or None
        return cls(**values)


NO_PAGING: Final = Paging()


def _record_error(error_type: str, message: str) -> View:
    return {"errorType": error_type, "errorMessage": message}


def _engine_error(error: TimestreamError) -> InvalidRequestError:
    return InvalidRequestError(error.message)


class _PageToken:
    """The opaque ``nextToken`` of a last-values listing: which listing, and where it stands."""

    @staticmethod
    def encode(target_id: str, offset: int) -> str:
        raw = json.dumps({"t": target_id, "o": offset}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(token: object, target_id: str, total: int) -> int:
        if not isinstance(token, str) or len(token) > 1024:
            raise InvalidRequestError("nextToken is not valid")
        try:
            decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            offset = decoded["o"]
            valid = decoded["t"] == target_id and isinstance(offset, int) and 0 < offset < total
        except (binascii.Error, ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            raise InvalidRequestError("nextToken is not valid for this listing")
        return int(offset)


class IotDataService:
    def __init__(
        self,
        metadata: MetadataStore,
        blobs: BlobStore,
        telemetry: TelemetryStore,
        signer: UrlSigner,
        events: EventBroker,
    ) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._telemetry = telemetry
        self._signer = signer
        self._events = events
        self._publish_lock = threading.Lock()  # duplicate check and write are one step
        self._workers: set[threading.Thread] = set()
        self._closed = False
        self.inline_result_limit = INLINE_RESULT_LIMIT

    # --- blobs served by presigned GET -------------------------------------------------------

    def downloadable(self, key: str) -> Downloadable | None:
        """A result blob for the presigned GET route (None: not an IoT result)."""
        with self._metadata.view() as view:
            record = view.get(IotResultBlobRecord, key)
        if record is None:
            return None
        return Downloadable(record.blob_key, record.content_type, record.created)

    def _write_blob(
        self, owner: str, kind: str, content_type: str, content: bytes, query_id: str | None = None
    ) -> IotResultBlobRecord:
        """Writes a result document's bytes; its record is put by the caller's transaction
        (bytes first: a crash in between leaves an orphan blob, dropped at the next start)."""
        record = IotResultBlobRecord(
            blob_key=new_id(IdKind.IOT_RESULT),
            owner_user_id=owner,
            kind=kind,
            content_type=content_type,
            created=_clock.now_iso(),
            query_id=query_id,
        )
        staged = self._blobs.stage()
        try:
            staged.write(content)
            staged.seal()
            self._blobs.commit(staged, record.blob_key)
        except BaseException:
            self._blobs.discard(staged)
            raise
        return record

    def _drop_blobs(
        self, tx: MetadataTransaction, query_id: str, kinds: Sequence[str]
    ) -> list[str]:
        keys = []
        for record in tx.find(IotResultBlobRecord, query_id=query_id):
            if record.kind in kinds:
                tx.delete(IotResultBlobRecord, record.key)
                keys.append(record.blob_key)
        return keys

    # --- publish -----------------------------------------------------------------------------

    def publish(self, caller: Caller, iot_endpoint_id: object, data: object) -> View:
        """Writes telemetry records; owner, READ_WRITE members and the endpoint's token.

        Each record is checked on its own and reported in ``recordsWritten`` or
        ``failedRecords``: MISSING_TIME_UNIT, INVALID_TIMESTAMP (missing, not an integer, or
        more than 15 minutes ahead, as Timestream refuses), MISSING_DATA (no attributes),
        UNEXPECTED_ATTRIBUTE (not a telemetry attribute of the model, or given twice),
        INCORRECT_VALUE_TYPE (not valid for the attribute's schema type), DUPLICATE_ENTRY (a
        record exists at that timestamp, or an earlier record of the request has it).
        Deviation (inferred semantics): a missing ``timeUnit`` is a MISSING_TIME_UNIT failure,
        not a default; timestamps are returned in epoch milliseconds.
        """
        if not isinstance(data, Sequence) or isinstance(data, str):
            raise InvalidRequestError("data must be a list of records")
        if not data or len(data) > MAX_PUBLISH_RECORDS:
            raise InvalidRequestError(f"data must hold 1 to {MAX_PUBLISH_RECORDS} records")
        with self._metadata.view() as view:
            endpoint = access.endpoint(view, caller, iot_endpoint_id, Access.WRITE)
            model = view.get(IotModelRecord, endpoint.model_id)
        telemetry = {a["name"]: a["schemaType"] for a in (model.telemetry if model else ())}
        properties = {a["name"] for a in (model.properties if model else ())}
        failed: dict[int, tuple[View, list[View]]] = {}
        accepted: list[tuple[int, Point, View]] = []
        for index, item in enumerate(data):
            record_view, point, errors = self._check_record(
                endpoint.iot_endpoint_id, item, telemetry, properties
            )
            if errors or point is None:
                failed[index] = (record_view, errors)
            else:
                accepted.append((index, point, record_view))
        return self._events.publish_after(
            lambda: self._write(endpoint, accepted, failed),
            lambda result: self._publish_event(endpoint.iot_endpoint_id, result),
        )

    def _publish_event(self, endpoint_id: str, result: View) -> Event | None:
        if not result["recordsWritten"]:
            return None
        return Event(
            ON_IOT_PUBLISH,
            {"iotEndpointId": endpoint_id},
            result,
            readable_by=lambda reader: self._can_read_endpoint(reader, endpoint_id),
        )

    def _can_read_endpoint(self, reader: Caller, endpoint_id: str) -> bool:
        with self._metadata.view() as view:
            record = view.get(IotEndpointRecord, endpoint_id)
            return (
                record is not None and access.endpoint_access(view, reader, record) >= Access.READ
            )

    def _write(
        self,
        endpoint: IotEndpointRecord,
        accepted: list[tuple[int, Point, View]],
        failed: dict[int, tuple[View, list[View]]],
    ) -> View:
        """Checks for duplicates and writes, as one step; the publish's result."""
        with self._publish_lock:
            accepted = self._without_duplicates(endpoint, accepted, failed)
            try:
                refused = self._telemetry.write(
                    endpoint.table_name, endpoint.iot_endpoint_id, [p for _, p, _ in accepted]
                )
            except TimestreamError as error:
                raise _engine_error(error) from None
            written = []
            for position, (index, _point, record_view) in enumerate(accepted):
                reason = refused.get(position)
                if reason is None:
                    written.append(record_view)
                else:
                    kind = "INVALID_TIMESTAMP" if "future" in reason else "UNKNOWN"
                    failed[index] = (record_view, [_record_error(kind, reason)])
        return {
            "iotEndpointId": endpoint.iot_endpoint_id,
            "recordsWritten": written,
            "failedRecords": [
                {"record": failed[i][0], "errors": failed[i][1]} for i in sorted(failed)
            ],
        }

    @staticmethod
    def _check_record(
        endpoint_id: str, item: object, telemetry: dict[str, str], properties: set[str]
    ) -> tuple[View, Point | None, list[View]]:
        if not isinstance(item, dict):
            item = {}
        raw_attributes = item.get("attributes")
        attributes = raw_attributes if isinstance(raw_attributes, list) else []
        record_view: View = {
            "iotEndpointId": endpoint_id,
            "timestamp": item.get("timestamp"),
            "attributes": [
                {
                    "name": a.get("name"),
                    "value": a.get("value"),
                    "schemaType": telemetry.get(a.get("name", "")),
                }
                for a in attributes
                if isinstance(a, dict)
            ],
        }
        errors: list[View] = []
        time_ns = None
        unit, timestamp = item.get("timeUnit"), item.get("timestamp")
        if unit is None:
            errors.append(_record_error("MISSING_TIME_UNIT", "timeUnit is required"))
        if timestamp is None or not str(timestamp).strip():
            errors.append(_record_error("INVALID_TIMESTAMP", "timestamp is required"))
        elif not str(timestamp).strip().isdigit():
            errors.append(
                _record_error("INVALID_TIMESTAMP", f"timestamp {timestamp!r} is not an epoch time")
            )
        elif unit in NANOS_PER_UNIT:
            time_ns = int(str(timestamp).strip()) * NANOS_PER_UNIT[unit]
            if time_ns > MAX_TIME_NS:
                errors.append(_record_error("INVALID_TIMESTAMP", "timestamp is out of range"))
                time_ns = None
            else:
                record_view["timestamp"] = str(time_ns // NANOS_PER_MILLI)
        if not attributes:
            errors.append(_record_error("MISSING_DATA", "the record has no attributes"))
        values: dict[str, str] = {}
        for attribute in attributes:
            if not isinstance(attribute, dict):
                errors.append(_record_error("MISSING_DATA", "an attribute entry is null"))
                continue
            name = attribute.get("name")
            schema_type = telemetry.get(name) if isinstance(name, str) else None
            if schema_type is None:
                hint = (
                    " (a property: set it with iot_updateEndpointProperties)"
                    if name in properties
                    else ""
                )
                errors.append(
                    _record_error(
                        "UNEXPECTED_ATTRIBUTE",
                        f"{shown(name)} is not a telemetry attribute of the endpoint's model{hint}",
                    )
                )
                continue
            assert isinstance(name, str)
            if name in values:
                errors.append(_record_error("UNEXPECTED_ATTRIBUTE", f"{name!r} is given twice"))
                continue
            value = typed_value(schema_type, attribute.get("value"))
            if value is None:
                errors.append(
                    _record_error(
                        "INCORRECT_VALUE_TYPE",
                        f"value {shown(attribute.get('value'))} of {name!r} is not a {schema_type}",
                    )
                )
                continue
            values[name] = value
        point = Point(time_ns, values) if time_ns is not None and not errors else None
        return record_view, point, errors

    def _without_duplicates(
        self,
        endpoint: IotEndpointRecord,
        accepted: list[tuple[int, Point, View]],
        failed: dict[int, tuple[View, list[View]]],
    ) -> list[tuple[int, Point, View]]:
        try:
            stored = self._telemetry.existing_times(
                endpoint.table_name, [p.time_ns for _, p, _ in accepted]
            )
        except TimestreamError as error:
            raise _engine_error(error) from None
        seen: set[int] = set()
        kept = []
        for index, point, record_view in accepted:
            if point.time_ns in stored or point.time_ns in seen:
                failed[index] = (
                    record_view,
                    [
                        _record_error(
                            "DUPLICATE_ENTRY",
                            "A record already exists for this endpoint at the given timestamp.",
                        )
                    ],
                )
            else:
                seen.add(point.time_ns)
                kept.append((index, point, record_view))
        return kept

    # --- last values -------------------------------------------------------------------------

    def _endpoint_last_values(self, view: MetadataView, endpoint: IotEndpointRecord) -> View:
        model = view.get(IotModelRecord, endpoint.model_id)
        telemetry = list(model.telemetry) if model else []
        try:
            found = self._telemetry.last_values(endpoint.table_name, [a["name"] for a in telemetry])
        except TimestreamError as error:
            raise _engine_error(error) from None
        return {
            "iotEndpointId": endpoint.iot_endpoint_id,
            "telemetryValues": [
                {
                    "telemetryModel": attribute_view(attribute, "Telemetry"),
                    "value": found.get(attribute["name"], (None, None))[0],
                    "timestamp": found.get(attribute["name"], (None, None))[1],
                }
                for attribute in telemetry
            ],
        }

    def _last_values_page(
        self,
        caller: Caller,
        base_url: str,
        target_id: str,
        endpoints: Sequence[IotEndpointRecord],
        paging: Paging,
    ) -> View:
        offset = 0
        if paging.next_token is not None:
            offset = _PageToken.decode(paging.next_token, target_id, len(endpoints))
        page = endpoints[offset : offset + LAST_VALUES_PAGE]
        with self._metadata.view() as view:
            data = [self._endpoint_last_values(view, e) for e in page]
        end = offset + len(page)
        result: View = {
            "queryId": paging.query_id or str(uuid.uuid4()),
            "nextToken": _PageToken.encode(target_id, end) if end < len(endpoints) else None,
            "clientToken": paging.client_token or str(uuid.uuid4()),
            "resultChunkIndex": str(offset // LAST_VALUES_PAGE),
            "resultStoredInS3": False,
            "presignedUrl": None,
            "data": data,
        }
        document = json.dumps(data, separators=(",", ":")).encode()
        if len(document) > self.inline_result_limit:
            blob = self._write_blob(caller.user_id, "lastValues", "application/json", document)
            with self._metadata.transaction() as tx:
                tx.put(blob)
            result.update(
                resultStoredInS3=True,
                presignedUrl=self._signer.url(base_url, "GET", blob.blob_key),
                data=[],
            )
        return result

    def list_endpoint_last_values(
        self,
        caller: Caller,
        base_url: str,
        iot_endpoint_id: object,
        paging: Paging = NO_PAGING,
    ) -> View:
        """The newest value and time (epoch ms) of each telemetry attribute of the endpoint.

        A page larger than 256 KiB is not inline: ``resultStoredInS3`` is true and
        ``presignedUrl`` GETs the page's ``data`` as a JSON document.
        Deviation (inferred semantics): ``queryId`` and ``clientToken`` are echoed (or
        generated), ``queryString`` is ignored; attributes never published have null values.
        """
        with self._metadata.view() as view:
            endpoint = access.endpoint(view, caller, iot_endpoint_id, Access.READ)
        return self._last_values_page(
            caller, base_url, endpoint.iot_endpoint_id, [endpoint], paging
        )

    def list_group_last_values(
        self,
        caller: Caller,
        base_url: str,
        iot_group_id: object,
        paging: Paging = NO_PAGING,
    ) -> View:
        """Last values of every endpoint of the group, 50 endpoints per page (``nextToken``).

        Deviation (inferred semantics): as for one endpoint; the page token is opaque and
        bound to the group.
        """
        with self._metadata.view() as view:
            group = access.group(view, caller, iot_group_id, Access.READ)
            endpoints = [
                e
                for e in (view.get(IotEndpointRecord, i) for i in group.iot_endpoint_ids)
                if e is not None
            ]
        return self._last_values_page(caller, base_url, group.iot_group_id, endpoints, paging)

    def list_hub_last_values(
        self,
        caller: Caller,
        base_url: str,
        iot_hub_id: object,
        paging: Paging = NO_PAGING,
    ) -> View:
        """Last values of every endpoint of the caller's hub, 50 endpoints per page.

        Deviation (inferred semantics): as for a group; only the hub's owner lists it.
        """
        with self._metadata.view() as view:
            hub = access.hub(view, caller, iot_hub_id)
            endpoints = view.find(IotEndpointRecord, iot_hub_id=hub.iot_hub_id)
        return self._last_values_page(caller, base_url, hub.iot_hub_id, endpoints, paging)

    # --- time-range queries ------------------------------------------------------------------

    def query_by_time_range(
        self,
        caller: Caller,
        base_url: str,
        endpoint_query_filters: object,
        start_time: object,
        end_time: object,
        paging: Paging = NO_PAGING,
    ) -> View:
        """One page (up to 1000 rows) of a telemetry query over endpoints the caller can read.

        The first call plans a Timestream query and returns its ``queryId`` and
        ``queryString``; each further call passes back ``nextToken``, ``clientToken``,
        ``queryId`` and ``queryString`` unchanged (anything else is refused). Each page's
        rows are a chunk that ``presignedUrl`` GETs as JSON; after the last page (no
        ``nextToken``) ``iot_generateQueryResultExport`` writes them all to one CSV.
        Deviation (inferred semantics): rows are records holding at least one requested
        attribute, in time order; a repeated or stale ``nextToken`` is an error; pages are
        lost with the engine's tokens on a restart (start the query again).
        """
        start_ms = epoch_millis(start_time, "startTime")
        end_ms = epoch_millis(end_time, "endTime")
        if start_ms > end_ms:
            raise InvalidRequestError("startTime must not be after endTime")
        next_token = paging.next_token
        if next_token is None:
            if paging.query_id is not None:
                raise InvalidRequestError("nextToken is required to continue a query")
            record = self._plan_query(
                caller, endpoint_query_filters, start_time, end_time, start_ms, end_ms,
                paging.client_token,
            )  # fmt: skip
        else:
            record = self._continuing(caller, paging)
            if (record.start_time, record.end_time) != (start_time, end_time):
                raise InvalidRequestError("startTime and endTime must be those of the first page")
        try:
            columns, rows, engine_token = self._telemetry.page(
                record.query_string, record.tables, CHUNK_ROWS,
                None if next_token is None else record.next_token, record.owner_user_id,
            )  # fmt: skip
        except TimestreamError as error:
            raise _engine_error(error) from None
        chunk = json.dumps(self._chunk_rows(record, columns, rows), separators=(",", ":"))
        blob = self._write_blob(
            caller.user_id, "chunk", "application/json", chunk.encode(), record.query_id
        )
        pruned: list[str] = []
        try:
            updated = self._record_page(
                record, paging.next_token is None, blob, engine_token, pruned
            )
        except BaseException:
            self._blobs.delete(blob.blob_key)
            raise
        for key in pruned:
            self._blobs.delete(key)
        return {
            "queryId": updated.query_id,
            "queryString": updated.query_string,
            "nextToken": updated.next_token,
            "clientToken": updated.client_token,
            "startTime": updated.start_time,
            "endTime": updated.end_time,
            "resultChunkIndex": str(updated.chunks - 1),
            "presignedUrl": self._signer.url(base_url, "GET", blob.blob_key),
        }

    def _record_page(
        self,
        record: IotQueryRecord,
        first: bool,
        blob: IotResultBlobRecord,
        engine_token: str | None,
        pruned: list[str],
    ) -> IotQueryRecord:
        """Commits one page: its chunk and where the query stands (new on the first page)."""
        with self._metadata.transaction() as tx:
            if first:
                pruned.extend(self._prune(tx))
                current: IotQueryRecord | None = record
            else:
                current = tx.get(IotQueryRecord, record.query_id)
                if current is None or current.state == "CANCELLED":
                    raise InvalidRequestError("the query was cancelled")
                if current.next_token != record.next_token:
                    raise InvalidRequestError("nextToken is not the query's current token")
            assert current is not None
            tx.put(blob)
            updated = dataclasses.replace(
                current,
                chunks=current.chunks + 1,
                next_token=engine_token,
                state="RUNNING" if engine_token else "FINISHED",
            )
            tx.put(updated)
        return updated

    def _plan_query(
        self,
        caller: Caller,
        filters: object,
        start_time: object,
        end_time: object,
        start_ms: int,
        end_ms: int,
        client_token: str | None,
    ) -> IotQueryRecord:
        if not isinstance(filters, Sequence) or isinstance(filters, str) or not filters:
            raise InvalidRequestError("endpointQueryFilters must be a non-empty list")
        if len(filters) > MAX_QUERY_ENDPOINTS:
            raise InvalidRequestError(f"a query covers at most {MAX_QUERY_ENDPOINTS} endpoints")
        selections: list[tuple[str, str, list[str]]] = []
        names: dict[str, str] = {}
        columns: list[str] = []
        with self._metadata.view() as view:
            for item in filters:
                if not isinstance(item, dict):
                    raise InvalidRequestError("endpointQueryFilters entries must not be null")
                endpoint = access.endpoint(view, caller, item.get("iotEndpointId"), Access.READ)
                if endpoint.iot_endpoint_id in names:
                    raise InvalidRequestError(f"{endpoint.iot_endpoint_id} is filtered twice")
                model = view.get(IotModelRecord, endpoint.model_id)
                known = {a["name"] for a in (model.telemetry if model else ())}
                wanted = item.get("attributeNames") or []
                if not wanted:
                    raise InvalidRequestError("attributeNames must not be empty")
                unknown = [n for n in wanted if n not in known]
                if unknown:
                    raise InvalidRequestError(
                        f"not telemetry of {endpoint.iot_endpoint_id}:"
                        f" {', '.join(map(str, unknown))}"
                    )
                names[endpoint.iot_endpoint_id] = endpoint.name
                selections.append((endpoint.iot_endpoint_id, endpoint.table_name, list(wanted)))
                columns.extend(n for n in wanted if n not in columns)
        try:
            existing = {table: self._telemetry.columns(table) for _, table, _ in selections}
        except TimestreamError as error:
            raise _engine_error(error) from None
        return IotQueryRecord(
            query_id=new_id(IdKind.IOT_QUERY),
            owner_user_id=caller.user_id,
            query_string=time_range_sql(selections, columns, start_ms, end_ms, existing),
            client_token=client_token or str(uuid.uuid4()),
            start_time=str(start_time),
            end_time=str(end_time),
            columns=tuple(columns),
            endpoints=names,
            tables=tuple(table for _, table, _ in selections),
            created=_clock.now_iso(),
        )

    def _continuing(self, caller: Caller, paging: Paging) -> IotQueryRecord:
        with self._metadata.view() as view:
            record = self._owned_query(view, caller, paging.query_id)
            if record.state == "CANCELLED":
                raise InvalidRequestError("the query was cancelled")
            if record.state == "FINISHED" or paging.next_token != record.next_token:
                raise InvalidRequestError("nextToken is not the query's current token")
            if paging.query_string is not None and paging.query_string != record.query_string:
                raise InvalidRequestError("queryString must be the one the first page returned")
            if paging.client_token is not None and paging.client_token != record.client_token:
                raise InvalidRequestError("clientToken must be the one the first page returned")
            for endpoint_id in record.endpoints:  # access may have been withdrawn meanwhile
                access.endpoint(view, caller, endpoint_id, Access.READ)
        return record

    @staticmethod
    def _owned_query(view: MetadataView, caller: Caller, query_id: object) -> IotQueryRecord:
        key = validation.identifier(query_id, "queryId")
        record = view.get(IotQueryRecord, key)
        if record is None or caller.scope is not None or record.owner_user_id != caller.user_id:
            raise UnauthorizedError()
        return record

    @staticmethod
    def _chunk_rows(
        record: IotQueryRecord, columns: list[str], rows: list[list[str | None]]
    ) -> list[View]:
        """Engine rows → ``{iotEndpointId, name, timestamp, <attribute>: value}`` objects."""
        result = []
        for row in rows:
            cells = dict(zip(columns, row, strict=True))
            endpoint_id = cells.get("iotEndpointId") or ""
            entry: View = {
                "iotEndpointId": endpoint_id,
                "name": record.endpoints.get(endpoint_id),
                "timestamp": cells.get("time"),
            }
            entry.update((name, cells.get(name)) for name in record.columns)
            result.append(entry)
        return result

    def _prune(self, tx: MetadataTransaction) -> list[str]:
        """Queries older than a day go, with their chunks and exports; returns the blobs to
        delete once ``tx`` has committed."""
        cutoff = _clock.iso(_clock.utc_now() - QUERY_RETENTION)
        keys = []
        for old in tx.find(IotQueryRecord):
            if old.created < cutoff and old.export_state != "RUNNING":
                keys.extend(self._drop_blobs(tx, old.query_id, ("chunk", "export")))
                tx.delete(IotQueryRecord, old.key)
        for blob in tx.find(IotResultBlobRecord, kind="lastValues"):
            if blob.created < cutoff:
                tx.delete(IotResultBlobRecord, blob.key)
                keys.append(blob.blob_key)
        return keys

    def cancel_query(self, caller: Caller, query_id: object) -> View:
        """Cancels the caller's query: no more pages or exports; its chunks and export go.

        Deviation (inferred semantics): cancelling a finished or cancelled query succeeds,
        as Timestream's CancelQuery does, and says so in ``errorMessage``.
        """
        with self._metadata.transaction() as tx:
            record = self._owned_query(tx, caller, query_id)
            if record.state == "CANCELLED":
                return {"httpStatusCode": 200, "errorMessage": "The query was already cancelled."}
            message = "The query had finished." if record.state == "FINISHED" else None
            keys = self._drop_blobs(tx, record.query_id, ("chunk", "export"))
            export_state = "FAILED" if record.export_state == "RUNNING" else record.export_state
            tx.put(
                dataclasses.replace(
                    record, state="CANCELLED", next_token=None, export_state=export_state,
                    export_error="cancelled" if export_state == "FAILED" else record.export_error,
                )
            )  # fmt: skip
        for key in keys:
            self._blobs.delete(key)
        return {"httpStatusCode": 200, "errorMessage": message}

    # --- exports -----------------------------------------------------------------------------

    def generate_export(
        self, caller: Caller, base_url: str, query_id: object, file_format: object = None
    ) -> View:
        """Starts writing a finished query's rows to one CSV file in the background.

        The file has a header row (``iotEndpointId``, ``name``, ``timestamp``, then the
        queried attributes). When it is written, ``onNotifyIotQueryExportComplete`` carries
        its presigned URL; ``iot_notifyQueryExportComplete`` answers the same once complete.
        Deviation (inferred semantics): asking again while an export runs or after it
        completed starts nothing new; a failed export can be asked for again.
        """
        fmt = "CSV" if file_format is None else file_format
        if fmt != "CSV":
            raise InvalidRequestError("fileFormat must be CSV")
        with self._metadata.transaction() as tx:
            record = self._owned_query(tx, caller, query_id)
            if record.state != "FINISHED":
                raise InvalidRequestError(
                    "the query was cancelled"
                    if record.state == "CANCELLED"
                    else "the query has pages left: follow nextToken first"
                )
            start = record.export_state in (None, "FAILED")
            if start:
                record = dataclasses.replace(
                    record, export_state="RUNNING", export_format=fmt, export_base_url=base_url,
                    export_error=None,
                )  # fmt: skip
                tx.put(record)
        if start:
            self._start_export(record.query_id)
        return {"queryId": record.query_id, "fileFormat": fmt}

    def _start_export(self, query_id: str) -> None:
        worker = threading.Thread(
            target=self._run_export, args=(query_id,), name=f"iot-export-{query_id}", daemon=True
        )
        self._workers.add(worker)
        worker.start()

    def resume_exports(self) -> None:
        """Restarts the exports a shutdown interrupted (called once the emulator is wired)."""
        with self._metadata.view() as view:
            running = [q.query_id for q in view.find(IotQueryRecord) if q.export_state == "RUNNING"]
        for query_id in running:
            self._start_export(query_id)

    def _run_export(self, query_id: str) -> None:
        try:
            self._write_export(query_id)
        except Exception as error:
            logger.exception("IoT export %s failed", query_id)
            if not self._closed:
                with self._metadata.transaction() as tx:
                    record = tx.get(IotQueryRecord, query_id)
                    if record is not None and record.export_state == "RUNNING":
                        tx.put(
                            dataclasses.replace(
                                record, export_state="FAILED", export_error=type(error).__name__
                            )
                        )
        finally:
            self._workers.discard(threading.current_thread())

    def _write_export(self, query_id: str) -> None:
        with self._metadata.view() as view:
            record = view.get(IotQueryRecord, query_id)
            chunks = [
                c for c in view.find(IotResultBlobRecord, query_id=query_id) if c.kind == "chunk"
            ]
        if record is None or record.export_state != "RUNNING" or self._closed:
            return
        header = [*CSV_FIXED_COLUMNS, *record.columns]
        staged = self._blobs.stage()
        try:
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=header, lineterminator="\r\n")
            writer.writeheader()
            for chunk in chunks:
                rows = json.loads(b"".join(self._blobs.read(chunk.blob_key)))
                writer.writerows(rows)
                staged.write(text.getvalue().encode())
                text.seek(0)
                text.truncate()
            staged.write(text.getvalue().encode())
            staged.seal()
            with self._metadata.transaction() as tx:
                current = tx.get(IotQueryRecord, query_id)
                if current is None or current.export_state != "RUNNING" or self._closed:
                    self._blobs.discard(staged)
                    return
                export = IotResultBlobRecord(
                    blob_key=new_id(IdKind.IOT_RESULT),
                    owner_user_id=current.owner_user_id,
                    kind="export",
                    content_type="text/csv",
                    created=_clock.now_iso(),
                    query_id=query_id,
                )
                self._blobs.commit(staged, export.blob_key)
                tx.put(export)
                completed = dataclasses.replace(
                    current, export_state="COMPLETE", export_size=staged.size
                )
                tx.put(completed)
        except BaseException:
            self._blobs.discard(staged)
            raise
        self._announce_export(completed, completed.export_base_url or "")

    def _export_view(self, record: IotQueryRecord, base_url: str) -> View:
        with self._metadata.view() as view:
            (export,) = [
                b for b in view.find(IotResultBlobRecord, query_id=record.query_id)
                if b.kind == "export"
            ]  # fmt: skip
        return {
            "queryId": record.query_id,
            "fileFormat": record.export_format or "CSV",
            "fileSizeBytes": record.export_size,
            "url": self._signer.url(base_url, "GET", export.blob_key),
        }

    def _announce_export(self, record: IotQueryRecord, base_url: str) -> View:
        """The one place an export's completion is announced to subscribers (the query's
        owner only); called after the completion has committed."""
        export = self._export_view(record, base_url)
        owner = record.owner_user_id
        self._events.publish(
            Event(
                ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE,
                {"queryId": record.query_id},
                export,
                readable_by=lambda reader: reader.scope is None and reader.user_id == owner,
            )
        )
        return export

    def notify_export_complete(
        self, caller: Caller, base_url: str, query_id: object, file_format: object = None
    ) -> View:
        """The completed export of the caller's query (and its ``onNotify…`` event again).

        On the service the export job calls this; here the emulator announces completion
        itself, and a client may call it to poll. Deviation (inferred semantics): before the
        export is complete it answers BadRequestException saying where the export stands.
        """
        with self._metadata.view() as view:
            record = self._owned_query(view, caller, query_id)
        if file_format is not None and record.export_format not in (None, file_format):
            raise InvalidRequestError(f"the export's fileFormat is {record.export_format}")
        if record.state == "CANCELLED":
            raise InvalidRequestError("the query was cancelled")
        if record.export_state != "COMPLETE":
            state = {None: "was not requested", "RUNNING": "is still running"}.get(
                record.export_state, f"failed ({record.export_error})"
            )
            raise InvalidRequestError(f"the export {state}")
        return self._announce_export(record, base_url)

    def close(self, timeout: float = 5.0) -> None:
        """Stops taking exports and waits briefly for the running ones (resumed at start)."""
        self._closed = True
        for worker in list(self._workers):
            worker.join(timeout)
