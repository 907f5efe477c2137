"""Time-series databases: metadata here, records and SQL in the Timestream engine.

Each ``TimeSeriesDb`` is one Timestream table. Access follows data stores: owner and READ_WRITE
members publish, every member with access queries, only the owner updates or deletes.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, cast

from ..errors import (
    AppSyncError,
    InvalidRequestError,
    InvalidTimestreamRequestError,
    PublishRejectedError,
    UnauthorizedError,
)
from ..ids import IdKind, new_id
from ..persistence import MetadataStore, MetadataTransaction, MetadataView
from ..persistence.models import TimeSeriesDbRecord
from ..realtime.broker import Event, EventBroker
from ..realtime.sources import ON_TIME_SERIES_DB_PUBLISH
from ..timestream import (
    ConflictError,
    QueryTimeoutError,
    QueryValidationError,
    RejectedRecordsError,
    ResourceNotFoundError,
    ThrottlingError,
    TimestreamAccessDenied,
    TimestreamEngine,
    TimestreamError,
    TimestreamValidationError,
)
from . import validation, views
from .access import Access, Caller, delete_shares, service_access
from .time_series_assets import with_asset_dimension
from .validation import UNSET

logger = logging.getLogger(__name__)

TIMESTREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,256}")


def _rejected(error: TimestreamError) -> AppSyncError:
    assert isinstance(error, RejectedRecordsError)
    return PublishRejectedError(error.message, error.rejected_records)


def _unauthorized(error: TimestreamError) -> AppSyncError:
    # The contract's exact denial: it never tells whether a table exists.
    return UnauthorizedError()


# The engine's errors as the exchange's, most specific first: the one place where the
# Timestream engine meets the AppSync error contract.
_ENGINE_ERRORS: tuple[
    tuple[type[TimestreamError], Callable[[TimestreamError], AppSyncError]], ...
] = (
    (ConflictError, lambda error: InvalidRequestError(error.message)),
    (TimestreamValidationError, lambda error: InvalidTimestreamRequestError(error.message)),
    (QueryValidationError, lambda error: InvalidTimestreamRequestError(error.message)),
    (QueryTimeoutError, lambda error: InvalidTimestreamRequestError(error.message)),
    (ThrottlingError, lambda error: InvalidTimestreamRequestError(error.message)),
    (RejectedRecordsError, _rejected),
    (ResourceNotFoundError, _unauthorized),
    (TimestreamAccessDenied, _unauthorized),
)


def _from_engine(error: TimestreamError) -> AppSyncError:
    """The exchange's error for an engine error (``InternalFailure`` for anything else)."""
    for engine_error, exchange_error in _ENGINE_ERRORS:
        if isinstance(error, engine_error):
            return exchange_error(error)
    logger.error("time-series engine failure: %s", error.message)
    return AppSyncError("An internal failure occurred while processing the time-series request.")


def _require_database(
    view: MetadataView, caller: Caller, time_series_db_id: object, needed: Access
) -> TimeSeriesDbRecord:
    key = validation.identifier(time_series_db_id, "timeSeriesDbId")
    database = view.get(TimeSeriesDbRecord, key)
    if database is None:
        raise UnauthorizedError()
    access = service_access(view, caller.user, database.time_series_db_id, database.owner_user_id)
    if access < needed:
        raise UnauthorizedError()
    return database


def database_readable(metadata: MetadataStore, caller: Caller, time_series_db_id: str) -> bool:
    """Whether the caller may read the database (the ``readable_by`` of its events)."""
    with metadata.view() as view:
        try:
            _require_database(view, caller, time_series_db_id, Access.READ)
        except UnauthorizedError:
            return False
    return True


def remove_database(tx: MetadataTransaction, record: TimeSeriesDbRecord) -> None:
    """Deletes the database's metadata and shares in ``tx``; its table is dropped after the
    commit (``TimeSeriesService.drop_table_of``)."""
    delete_shares(tx, record.time_series_db_id)
    tx.delete(TimeSeriesDbRecord, record.key)


class TimeSeriesService:
    def __init__(
        self, metadata: MetadataStore, engine: TimestreamEngine, events: EventBroker
    ) -> None:
        self._metadata = metadata
        self._engine = engine
        self._events = events

    def list_databases(self, caller: Caller) -> list[views.View]:
        """The databases the caller owns (shared ones are listed per collaborative)."""
        with self._metadata.view() as view:
            owned = view.find(TimeSeriesDbRecord, owner_user_id=caller.user_id)
        return [views.time_series_db(record) for record in owned]

    def get_database(self, caller: Caller, time_series_db_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.time_series_db(
                _require_database(view, caller, time_series_db_id, Access.READ)
            )

    def create_database(
        self, caller: Caller, name: object, description: object = None
    ) -> views.View:
        """A new database and its (empty) Timestream table.

        ``databaseName`` is one per owner and ``tableName`` one per database, generated as valid
        Timestream names. The table is created first and dropped again if the metadata cannot
        be written, so neither exists without the other.
        """
        db_name = validation.name(name, "name")
        db_description = validation.description(description)
        owner_part = caller.user_id.rsplit(".", 1)[-1][:16]
        record = TimeSeriesDbRecord(
            time_series_db_id=new_id(IdKind.TIME_SERIES_DB),
            name=db_name,
            owner_user_id=caller.user_id,
            database_name=f"dx_{owner_part}",
            table_name=f"tsdb_{uuid.uuid4().hex}",
            description=db_description,
        )
        assert TIMESTREAM_NAME.fullmatch(record.database_name)
        assert TIMESTREAM_NAME.fullmatch(record.table_name)
        try:
            self._engine.create_table(record.database_name, record.table_name)
        except TimestreamError as error:
            raise _from_engine(error) from None
        try:
            with self._metadata.transaction() as tx:
                tx.put(record)
        except BaseException:
            self._engine.drop_table(record.database_name, record.table_name)
            raise
        return views.time_series_db(record)

    def update_database(
        self, caller: Caller, time_series_db_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        """Owner only; the Timestream names never change."""
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            record = _require_database(tx, caller, time_series_db_id, Access.OWNER)
            record = dataclasses.replace(record, **changes)
            tx.put(record)
        return views.time_series_db(record)

    def delete_database(self, caller: Caller, time_series_db_id: object) -> views.View:
        """Owner only: the metadata and shares in one transaction, then the table's records."""
        with self._metadata.transaction() as tx:
            record = _require_database(tx, caller, time_series_db_id, Access.OWNER)
            remove_database(tx, record)
        self.drop_table_of(record)
        return views.time_series_db(record)

    def drop_table_of(self, record: TimeSeriesDbRecord) -> None:
        """Drops a deleted database's records (after its metadata is gone)."""
        if self._engine.table_exists(record.database_name, record.table_name):
            self._engine.drop_table(record.database_name, record.table_name)

    def publish(
        self, caller: Caller, time_series_db_id: object, asset_id: object, data: Any
    ) -> list[dict[str, Any]]:
        """WriteRecords for one asset; READ_WRITE access (or ownership) required.

        Deviation (inferred semantics): each record is stored with a dimension ``assetId``
        holding the asset (a record naming another asset there is a ``ValidationException``).

        Once written, pushes ``onTimeSeriesDbPublish(timeSeriesDbId, assetId)`` to the
        subscribers who may read the database.
        """
        asset = validation.identifier(asset_id, "assetId")
        with self._metadata.view() as view:
            record = _require_database(view, caller, time_series_db_id, Access.WRITE)
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise InvalidTimestreamRequestError("data.records must be a list of records")
        database_id = record.time_series_db_id

        def fan_out(written: list[dict[str, Any]]) -> None:
            # The engine runs it after the commit, in commit order: concurrent publishes are
            # not serialised around their commits, so they can share one (group commit).
            self._events.publish(
                Event(
                    ON_TIME_SERIES_DB_PUBLISH,
                    {"timeSeriesDbId": database_id, "assetId": asset},
                    written,
                    readable_by=lambda reader: self._can_read_database(reader, database_id),
                )
            )

        try:
            return self._engine.publish(
                record.database_name,
                record.table_name,
                asset,
                with_asset_dimension(records, asset),
                after_commit=fan_out,
            )
        except TimestreamError as error:
            raise _from_engine(error) from None

    def _can_read_database(self, caller: Caller, time_series_db_id: str) -> bool:
        return database_readable(self._metadata, caller, time_series_db_id)

    def query(
        self,
        caller: Caller,
        time_series_db_id: object,
        query_string: object,
        max_rows: object = None,
        next_token: object = None,
        client_token: object = None,
    ) -> views.View:
        """One page of a Timestream query; every table it touches must be readable by the caller.

        ``clientToken`` is echoed (one is generated when none is sent); on a first call it makes
        the query idempotent within Timestream's 5-minute window (same QueryId and page).
        """
        with self._metadata.view() as view:
            _require_database(view, caller, time_series_db_id, Access.READ)
        if not isinstance(query_string, str) or not query_string.strip():
            raise InvalidTimestreamRequestError("queryString must not be empty")
        sent = client_token if isinstance(client_token, str) and client_token else None
        try:
            result = self._engine.query_json(
                query_string,
                can_read=lambda database, table: self._can_read(caller, database, table),
                # GraphQL has typed both (Int, String); the engine checks their ranges.
                max_rows=cast("int | None", max_rows),
                next_token=cast("str | None", next_token),
                principal=caller.user_id,
                # Only a token the client chose can be sent again: a generated one is not kept.
                client_token=sent if next_token is None else None,
            )
        except TimestreamError as error:
            raise _from_engine(error) from None
        return {"resultJSONString": result, "clientToken": sent or str(uuid.uuid4())}

    def _can_read(self, caller: Caller, database_name: str, table_name: str) -> bool:
        with self._metadata.view() as view:
            for record in view.find(
                TimeSeriesDbRecord, database_name=database_name, table_name=table_name
            ):
                access = service_access(
                    view, caller.user, record.time_series_db_id, record.owner_user_id
                )
                return access >= Access.READ
        return False
