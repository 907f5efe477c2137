"""Time-series databases: metadata here, records and SQL in the Timestream engine.

Each ``TimeSeriesDb`` is one Timestream table. Access follows data stores: owner and READ_WRITE
members publish, every member with access queries, only the owner updates or deletes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import uuid
from typing import Any

from ..errors import (
    InvalidTimestreamRequestError,
    NotImplementedFieldError,
    RecordsRejectedError,
    UnauthorizedError,
)
from ..ids import IdKind, new_id
from ..records import ShareRecord, TimeSeriesDbRecord
from ..storage import MetadataStore, MetadataView
from ..timestream import (
    QueryValidationError,
    RejectedRecordsError,
    TimestreamAccessDenied,
    TimestreamEngine,
    TimestreamValidationError,
)
from . import validation, views
from .access import Access, Caller, service_access
from .validation import UNSET

logger = logging.getLogger(__name__)

TIMESTREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,256}")
MAX_QUERY_LENGTH = 262_144  # Timestream's QueryString limit
MAX_ROWS_LIMIT = 1000
ENGINE_UNAVAILABLE = "the time-series engine is not available in this build"


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


class TimeSeriesService:
    def __init__(self, metadata: MetadataStore, engine: TimestreamEngine) -> None:
        self._metadata = metadata
        self._engine = engine

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
        Timestream names. Deviation: when the engine is unavailable, the metadata is still created
        (the table is created by the first publish once an engine exists).
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
            record = dataclasses.replace(record, table_created=True)
        except NotImplementedError:
            logger.info("%s: database %s has no table yet", ENGINE_UNAVAILABLE, record.key)
        with self._metadata.transaction() as tx:
            tx.put(record)
        return views.time_series_db(record)

    def update_database(
        self, caller: Caller, time_series_db_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        """Owner only; the Timestream names never change."""
        changes: dict[str, Any] = {}
        if name is not UNSET and name is not None:
            changes["name"] = validation.name(name, "name")
        if description is not UNSET:
            changes["description"] = validation.description(description)
        with self._metadata.transaction() as tx:
            record = _require_database(tx, caller, time_series_db_id, Access.OWNER)
            record = dataclasses.replace(record, **changes)
            tx.put(record)
        return views.time_series_db(record)

    def delete_database(self, caller: Caller, time_series_db_id: object) -> views.View:
        """Owner only: the metadata and shares in one transaction, then the table's records."""
        with self._metadata.transaction() as tx:
            record = _require_database(tx, caller, time_series_db_id, Access.OWNER)
            for share in tx.find(ShareRecord, service_id=record.time_series_db_id):
                tx.delete(ShareRecord, share.key)
            tx.delete(TimeSeriesDbRecord, record.time_series_db_id)
        self.drop_table_of(record)
        return views.time_series_db(record)

    def drop_table_of(self, record: TimeSeriesDbRecord) -> None:
        """Drops a deleted database's records (after its metadata is gone)."""
        if record.table_created:
            self._engine.drop_table(record.database_name, record.table_name)

    def publish(
        self, caller: Caller, time_series_db_id: object, asset_id: object, data: Any
    ) -> list[dict[str, Any]]:
        """WriteRecords for one asset; READ_WRITE access (or ownership) required."""
        asset = validation.identifier(asset_id, "assetId")
        with self._metadata.view() as view:
            record = _require_database(view, caller, time_series_db_id, Access.WRITE)
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise InvalidTimestreamRequestError("data.records must be a list of records")
        try:
            self._ensure_table(record)
            return self._engine.publish(record.database_name, record.table_name, asset, records)
        except RejectedRecordsError as error:
            raise RecordsRejectedError(error.message, error.rejected_records) from None
        except (TimestreamValidationError, QueryValidationError) as error:
            raise InvalidTimestreamRequestError(error.message) from None
        except NotImplementedError:
            raise NotImplementedFieldError(
                "timeSeriesDb_publishToDatabase", ENGINE_UNAVAILABLE
            ) from None

    def _ensure_table(self, record: TimeSeriesDbRecord) -> None:
        """Creates the table of a database made while no engine was available."""
        if record.table_created:
            return
        with self._metadata.transaction() as tx:
            current = tx.get(TimeSeriesDbRecord, record.time_series_db_id)
            if current is None or current.table_created:
                return
            self._engine.create_table(record.database_name, record.table_name)
            tx.put(dataclasses.replace(current, table_created=True))

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

        Deviation: ``clientToken`` is echoed (or generated) but does not make retries idempotent.
        """
        with self._metadata.view() as view:
            record = _require_database(view, caller, time_series_db_id, Access.READ)
        if not isinstance(query_string, str) or not query_string.strip():
            raise InvalidTimestreamRequestError("queryString must not be empty")
        if len(query_string) > MAX_QUERY_LENGTH:
            raise InvalidTimestreamRequestError(
                f"queryString is longer than {MAX_QUERY_LENGTH} characters"
            )
        if max_rows is not None and (
            not isinstance(max_rows, int) or not 1 <= max_rows <= MAX_ROWS_LIMIT
        ):
            raise InvalidTimestreamRequestError(f"maxRows must be between 1 and {MAX_ROWS_LIMIT}")
        if next_token is not None and (not isinstance(next_token, str) or not next_token):
            raise InvalidTimestreamRequestError("nextToken must be a non-empty string")
        try:
            self._ensure_table(record)
            result = self._engine.query(
                query_string,
                can_read=lambda database, table: self._can_read(caller, database, table),
                max_rows=max_rows,
                next_token=next_token,
            )
        except TimestreamAccessDenied:
            raise UnauthorizedError() from None
        except (QueryValidationError, TimestreamValidationError) as error:
            raise InvalidTimestreamRequestError(error.message) from None
        except NotImplementedError:
            raise NotImplementedFieldError(
                "timeSeriesDb_queryDatabaseWithTimestreamQuery", ENGINE_UNAVAILABLE
            ) from None
        token = client_token if isinstance(client_token, str) and client_token else None
        return {
            "resultJSONString": json.dumps(result, separators=(",", ":")),
            "clientToken": token or str(uuid.uuid4()),
        }

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
