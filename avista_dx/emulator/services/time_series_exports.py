"""Export files of ``timeSeriesDb_queryDatabase`` queries:
``timeSeriesDb_generateQueryResultExportFile`` writes the rows (CSV with the ``csv`` module, or
JSON) in a background thread; once the file is committed, ``onNotifyTimeSeriesQueryExportComplete``
is pushed with its presigned URL (``/_presigned/exports/<id>``), as
``timeSeriesDb_notifyTimeSeriesQueryExportComplete`` pushes it on request.

Files live in their own blob store (so the data-store blob sweep at start leaves them alone);
exports still pending when the emulator stopped are written again at the next start.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import _clock
from ..errors import AppSyncError, InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import BlobStore, MetadataStore, StagedBlob
from ..persistence.models import TimeSeriesDbRecord, TimeSeriesExportRecord, TimeSeriesQueryRecord
from ..realtime.broker import Event, EventBroker
from ..realtime.sources import ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE
from ..timestream import TimestreamEngine
from . import validation, views
from .access import Access, Caller
from .time_series import _require_database, database_readable
from .time_series_queries import CANCELLED, QueryRunner, require_query
from .transfers import PRESIGNED_PATH, TransferDeniedError, UrlSigner

logger = logging.getLogger(__name__)

EXPORT_PATH = PRESIGNED_PATH + "/exports"
CONTENT_TYPES = {"CSV": "text/csv; charset=utf-8", "JSON": "application/json"}
PENDING, READY, FAILED = "PENDING", "READY", "FAILED"
WRITE_BATCH_BYTES = 256 * 1024


class ExportCancelledError(Exception):
    """The query was cancelled while its file was being written."""


def _file_format(value: object) -> str:
    if value is None:
        return "CSV"
    if value not in CONTENT_TYPES:
        raise InvalidRequestError("fileFormat must be CSV or JSON")
    return str(value)


def _encoded_rows(
    file_format: str, pages: Iterator[tuple[list[str], list[list[Any]]]]
) -> Iterator[str]:
    """The file's text, a page at a time: CSV (a header, then a line per row; nulls empty) or
    a JSON array of ``{column: value}`` objects (nulls ``null``)."""
    first = True
    for names, rows in pages:
        buffer = io.StringIO()
        if file_format == "CSV":
            writer = csv.writer(buffer, lineterminator="\r\n")
            if first:
                writer.writerow(names)
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        else:
            for row in rows:
                buffer.write("[" if first else ",")
                buffer.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False))
                first = False
        first = False
        yield buffer.getvalue()
    if file_format == "JSON":
        yield "[]" if first else "]"


class TimeSeriesExportService:
    def __init__(
        self,
        metadata: MetadataStore,
        engine: TimestreamEngine,
        files: BlobStore,
        signer: UrlSigner,
        events: EventBroker,
    ) -> None:
        self._metadata = metadata
        self._engine = engine
        self._files = files
        self._signer = signer
        self._events = events
        self._closing = threading.Event()
        self._workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dx-ts-export")
        with metadata.view() as view:
            unfinished = view.find(TimeSeriesExportRecord, state=PENDING)
        for export in unfinished:  # the emulator stopped while writing them
            self._workers.submit(self._write, export.export_id)

    def generate(
        self,
        caller: Caller,
        base_url: str,
        time_series_db_id: object,
        query_id: object,
        file_format: object = None,
    ) -> views.View:
        """Starts writing the query's rows to a file; anyone who may read the database. The
        file's URL arrives with ``onNotifyTimeSeriesQueryExportComplete(queryId)``.

        Deviations (inferred semantics): ``fileFormat`` defaults to CSV (a header row of
        column names, then one line per row, nulls empty; JSON is an array of objects); the
        emulator pushes the completion event itself when the file is committed (on the
        service an exporter calls ``timeSeriesDb_notifyTimeSeriesQueryExportComplete``); while
        an export of the same query and format is being written, asking again starts no other;
        a cancelled query is a ``BadRequestException``; a query that fails while exporting
        pushes nothing.
        """
        fmt = _file_format(file_format)
        with self._metadata.transaction() as tx:
            database, query = require_query(tx, caller, time_series_db_id, query_id)
            if query.state == CANCELLED:
                raise InvalidRequestError(f"query {query.query_id} was cancelled")
            running = [
                e
                for e in tx.find(TimeSeriesExportRecord, query_id=query.query_id, state=PENDING)
                if e.file_format == fmt
            ]
            export = None
            if not running:
                export = TimeSeriesExportRecord(
                    export_id=new_id(IdKind.TIME_SERIES_EXPORT),
                    query_id=query.query_id,
                    time_series_db_id=database.time_series_db_id,
                    file_format=fmt,
                    requested_by_user_id=caller.user_id,
                    base_url=base_url,
                    created=_clock.now_iso(),
                )
                tx.put(export)
        if export is not None:
            self._workers.submit(self._write, export.export_id)
        return {
            "queryId": query.query_id,
            "timeSeriesDbId": database.time_series_db_id,
            "fileFormat": fmt,
        }

    def notify_complete(
        self, caller: Caller, base_url: str, file_format: object, query_id: object
    ) -> views.View:
        """The query's finished export file (the latest one in ``fileFormat``), pushed again to
        ``onNotifyTimeSeriesQueryExportComplete(queryId)``; anyone who may read the database.

        Deviation (inferred semantics): no finished file yet is a ``BadRequestException``
        (the schema's ``url`` cannot be null).
        """
        fmt = _file_format(file_format)
        key = validation.identifier(query_id, "queryId")

        def finished() -> TimeSeriesExportRecord:
            with self._metadata.view() as view:
                query = view.get(TimeSeriesQueryRecord, key)
                if query is None:
                    raise UnauthorizedError()
                _require_database(view, caller, query.time_series_db_id, Access.READ)
                ready = [
                    e
                    for e in view.find(TimeSeriesExportRecord, query_id=key, state=READY)
                    if e.file_format == fmt
                ]
            if not ready:
                raise InvalidRequestError(f"no {fmt} export of query {key} has finished")
            return ready[-1]

        export = self._events.publish_after(finished, lambda done: self._event(done, base_url))
        return self._view(export, base_url)

    def _view(self, export: TimeSeriesExportRecord, base_url: str) -> views.View:
        return {
            "queryId": export.query_id,
            "fileType": export.file_format,
            "fileSizeBytes": export.file_size_bytes,
            "url": self._signer.url(base_url, "GET", export.export_id, path=EXPORT_PATH),
        }

    def _event(self, export: TimeSeriesExportRecord, base_url: str) -> Event:
        database_id = export.time_series_db_id
        return Event(
            ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE,
            {"queryId": export.query_id},
            self._view(export, base_url),
            readable_by=lambda reader: database_readable(self._metadata, reader, database_id),
        )

    # --- the background writer -------------------------------------------------------------

    def _write(self, export_id: str) -> None:
        try:
            self._write_file(export_id)
        except Exception:  # a worker thread: log, never raise into the pool
            logger.exception("time-series export %s failed", export_id)

    def _write_file(self, export_id: str) -> None:
        with self._metadata.view() as view:
            export = view.get(TimeSeriesExportRecord, export_id)
            database = (
                None if export is None else view.get(TimeSeriesDbRecord, export.time_series_db_id)
            )
            query = None if export is None else view.get(TimeSeriesQueryRecord, export.query_id)
        if export is None or export.state != PENDING:
            return
        if database is None or query is None:
            self._finish(export, FAILED, error="the database or the query no longer exists")
            return
        staged = self._files.stage()
        try:
            self._fill(staged, export, query, database)
            staged.seal()
        except ExportCancelledError:
            self._files.discard(staged)
            return
        except AppSyncError as error:
            self._files.discard(staged)
            self._finish(export, FAILED, error=error.message)
            return
        except BaseException:
            self._files.discard(staged)
            raise
        self._events.publish_after(
            lambda: self._commit(export, staged),
            lambda committed: (
                None if committed is None else self._event(committed, committed.base_url)
            ),
        )

    def _fill(
        self,
        staged: StagedBlob,
        export: TimeSeriesExportRecord,
        query: TimeSeriesQueryRecord,
        database: TimeSeriesDbRecord,
    ) -> None:
        pending: list[bytes] = []
        pending_bytes = 0
        runner = QueryRunner(self._engine, database, export.requested_by_user_id)
        pages = runner.pages(query.query_string)
        for text in _encoded_rows(export.file_format, pages):
            if self._closing.is_set() or self._cancelled(export):
                raise ExportCancelledError()
            data = text.encode()
            pending.append(data)
            pending_bytes += len(data)
            if pending_bytes >= WRITE_BATCH_BYTES:
                staged.write(b"".join(pending))
                pending, pending_bytes = [], 0
        if pending:
            staged.write(b"".join(pending))

    def _cancelled(self, export: TimeSeriesExportRecord) -> bool:
        with self._metadata.view() as view:
            current = view.get(TimeSeriesExportRecord, export.export_id)
        return current is None or current.state != PENDING

    def _commit(
        self, export: TimeSeriesExportRecord, staged: StagedBlob
    ) -> TimeSeriesExportRecord | None:
        """File first, then the record: a crash in between leaves a file no record claims."""
        with self._metadata.transaction() as tx:
            current = tx.get(TimeSeriesExportRecord, export.export_id)
            if current is None or current.state != PENDING:
                self._files.discard(staged)  # cancelled while the last page was written
                return None
            size = staged.size
            self._files.commit(staged, export.export_id)
            committed = dataclasses.replace(current, state=READY, file_size_bytes=size)
            tx.put(committed)
        logger.info("time-series export %s written (%d bytes)", export.export_id, size)
        return committed

    def _finish(self, export: TimeSeriesExportRecord, state: str, error: str) -> None:
        with self._metadata.transaction() as tx:
            current = tx.get(TimeSeriesExportRecord, export.export_id)
            if current is not None and current.state == PENDING:
                tx.put(dataclasses.replace(current, state=state, error_message=error))

    # --- downloads and lifecycle ---------------------------------------------------------------

    def open_file(self, export_id: str) -> tuple[TimeSeriesExportRecord, int]:
        with self._metadata.view() as view:
            export = view.get(TimeSeriesExportRecord, export_id)
        size = None if export is None else self._files.size(export_id)
        if export is None or export.state != READY or size is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        return export, size

    def read(self, export_id: str, start: int, end: int) -> Iterator[bytes]:
        return self._files.read(export_id, start, end)

    def wait_idle(self) -> None:
        """Blocks until every export submitted so far has been written (tests, shutdown)."""
        self._workers.submit(lambda: None).result()

    def delete_files(self) -> None:
        """Removes every export file (the emulator's reset; records go with the metadata)."""
        for key in self._files.keys():  # noqa: SIM118 (a BlobStore, not a dict)
            self._files.delete(key)

    def close(self) -> None:
        """Stops the writer: an export in progress is abandoned and resumed at the next start."""
        self._closing.set()
        self._workers.shutdown(wait=True, cancel_futures=True)
