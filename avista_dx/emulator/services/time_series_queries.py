"""The structured time-series fields: ``timeSeriesDb_listAllAssetLastValues``,
``timeSeriesDb_queryDatabase`` and ``timeSeriesDb_cancelDatabaseQuery``.

Each is a Timestream SQL query the emulator writes and runs through the engine's public query
API over the database's own table; assets are told apart by the ``assetId`` dimension
(``time_series_assets``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore
from ..persistence.models import TimeSeriesDbRecord, TimeSeriesExportRecord, TimeSeriesQueryRecord
from ..timestream import TimestreamEngine, TimestreamError
from . import validation, views
from .access import Access, Caller
from .time_series import _from_engine, _require_database
from .time_series_assets import ASSET_DIMENSION

ASSETS_PER_PAGE = 100
MAX_QUERY_ASSETS = 100
MAX_RESULT_ROWS = 100_000
ENGINE_PAGE_ROWS = 1000
CANCELLED = "CANCELLED"
# The ISO-8601 form the schema documents: 2024-01-31T00:00:00.000Z.
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_of(database: TimeSeriesDbRecord) -> str:
    return f"{quote_identifier(database.database_name)}.{quote_identifier(database.table_name)}"


def iso_from_timestream(text: str) -> str:
    """``2024-01-31 00:00:00.000000000`` (a Timestream timestamp) as ISO-8601 UTC, with
    milliseconds, or nanoseconds when finer."""
    day, _, clock = text.partition(" ")
    whole, _, fraction = clock.partition(".")
    fraction = fraction.ljust(9, "0")
    fraction = fraction[:3] if fraction[3:].strip("0") == "" else fraction
    return f"{day}T{whole}.{fraction}Z"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    category: str


class QueryRunner:
    """Runs the emulator's own SQL over one database's table, page by page, on behalf of
    ``principal`` (a user id: the engine budgets queries per user)."""

    def __init__(
        self, engine: TimestreamEngine, database: TimeSeriesDbRecord, principal: str
    ) -> None:
        self._engine = engine
        self._table = (database.database_name, database.table_name)
        self._principal = principal

    def pages(self, sql: str) -> Iterator[tuple[list[str], list[list[Any]]]]:
        """``(column names, rows)`` per page; a row holds each datum's text (None for null,
        JSON text for a non-scalar)."""
        token: str | None = None
        while True:
            try:
                page = json.loads(
                    self._engine.query_json(
                        sql,
                        can_read=lambda database, table: (database, table) == self._table,
                        max_rows=ENGINE_PAGE_ROWS,
                        next_token=token,
                        principal=self._principal,
                    )
                )
            except TimestreamError as error:
                raise _from_engine(error) from None
            names = [column["Name"] for column in page["ColumnInfo"]]
            yield names, [[_datum_text(d) for d in row["Data"]] for row in page["Rows"]]
            token = page.get("NextToken")
            if not token:
                return

    def rows(self, sql: str) -> list[list[Any]]:
        return [row for _, page in self.pages(sql) for row in page]

    def columns(self) -> list[Column]:
        database, table = self._table
        described = self.rows(f"DESCRIBE {quote_identifier(database)}.{quote_identifier(table)}")
        return [Column(name, kind, category) for name, kind, category in described]


def _datum_text(datum: dict[str, Any]) -> Any:
    if "ScalarValue" in datum:
        return datum["ScalarValue"]
    if datum.get("NullValue"):
        return None
    return json.dumps(datum, separators=(",", ":"))


class TimeSeriesQueryService:
    def __init__(self, metadata: MetadataStore, engine: TimestreamEngine) -> None:
        self._metadata = metadata
        self._engine = engine

    def _database(self, caller: Caller, time_series_db_id: object) -> TimeSeriesDbRecord:
        with self._metadata.view() as view:
            return _require_database(view, caller, time_series_db_id, Access.READ)

    # --- last values -------------------------------------------------------------------------

    def list_all_asset_last_values(
        self,
        caller: Caller,
        time_series_db_id: object,
        next_token: object = None,
        client_token: object = None,
    ) -> views.View:
        """Every asset (by ``assetId``), with each attribute's last value and its time, 100
        assets per page in ``assetId`` order; anyone who may read the database.

        Deviations (inferred semantics): an attribute is a single-measure record's
        ``measure_name`` or a multi-measure value's name; ``name`` is the asset's latest
        ``name`` dimension; ``data`` holds just the last point; values are Timestream's text
        of the stored value (``1.5`` for a published ``1.50``); each page is computed afresh
        (``nextToken`` is a position, so writes between pages can shift it); ``queryId`` is new
        per page and ``clientToken`` is echoed (or generated).
        """
        database = self._database(caller, time_series_db_id)
        offset = _page_offset(next_token, database.time_series_db_id)
        assets = self._last_values(database, caller.user_id)
        page = assets[offset : offset + ASSETS_PER_PAGE]
        end = offset + len(page)
        return {
            "data": page,
            "nextToken": _page_token(database.time_series_db_id, end)
            if end < len(assets)
            else None,
            "queryId": uuid.uuid4().hex,
            "clientToken": _client_token(client_token),
            "queryProgressPercentage": 100.0 if not assets else 100.0 * end / len(assets),
            "resultChunkIndex": offset // ASSETS_PER_PAGE,
        }

    def _last_values(self, database: TimeSeriesDbRecord, principal: str) -> list[dict[str, Any]]:
        runner = QueryRunner(self._engine, database, principal)
        columns = runner.columns()
        if not any(c.name == ASSET_DIMENSION and c.category == "DIMENSION" for c in columns):
            return []
        table, asset = table_of(database), quote_identifier(ASSET_DIMENSION)
        attributes: dict[str, dict[str, dict[str, Any]]] = {}
        for column in columns:
            if column.category not in ("MEASURE_VALUE", "MULTI"):
                continue
            value = quote_identifier(column.name)
            attribute = "measure_name" if column.category == "MEASURE_VALUE" else "NULL"
            grouping = f"{asset}, measure_name" if column.category == "MEASURE_VALUE" else asset
            sql = (
                f"SELECT {asset}, {attribute}, max_by({value}, time), max(time) FROM {table} "
                f"WHERE {value} IS NOT NULL AND {asset} IS NOT NULL GROUP BY {grouping}"
            )
            for asset_id, measure_name, last, at in runner.rows(sql):
                name = measure_name if column.category == "MEASURE_VALUE" else column.name
                text = iso_from_timestream(last) if column.type == "timestamp" else last
                when = iso_from_timestream(at)
                known = attributes.setdefault(asset_id, {}).get(name)
                if known is None or known["lastValueTime"] < when:
                    attributes[asset_id][name] = {
                        "name": name,
                        "attributeType": column.type.upper(),
                        "lastValue": text,
                        "lastValueTime": when,
                        "data": [{"timestamp": when, "value": text}],
                    }
        names: dict[str, str] = {}
        if any(c.name == "name" and c.category == "DIMENSION" for c in columns):
            sql = (
                f"SELECT {asset}, max_by(name, time) FROM {table} "
                f"WHERE name IS NOT NULL AND {asset} IS NOT NULL GROUP BY {asset}"
            )
            names = {asset_id: name for asset_id, name in runner.rows(sql)}
        return [
            {
                "assetId": asset_id,
                "name": names.get(asset_id),
                "attributes": [by_name[key] for key in sorted(by_name)],
            }
            for asset_id, by_name in sorted(attributes.items())
        ]

    # --- structured queries ------------------------------------------------------------------

    def query_database(
        self,
        caller: Caller,
        time_series_db_id: object,
        assets: object,
        query_type: object,
        start_time: object = None,
        end_time: object = None,
        max_rows: object = None,
        next_token: object = None,
        query_string: object = None,
        client_token: object = None,
    ) -> views.View:
        """Builds and checks the Timestream query for the given assets and records it; its rows
        come from ``timeSeriesDb_generateQueryResultExportFile``. Anyone who may read the
        database. ``TIME_PERIOD`` needs ``startTime`` and ``endTime``
        (``YYYY-MM-DDTHH:mm:ss.SSSZ``, both inclusive) and takes an optional ``maxRows``;
        ``LAST_X_ROWS`` needs ``maxRows`` (the most recent rows of the assets together,
        optionally within the times given). ``maxRows`` is 1 to 100,000; at most 100 assets.

        Deviations (inferred semantics): the query runs to completion at once, so a result
        has one chunk (``queryProgressPercentage`` 100, no ``nextToken``, no ``presignedUrl``)
        and ``NEXT_TOKEN`` (or a ``nextToken`` with another type) is a
        ``BadRequestException``; ``queryString`` is the SQL the emulator wrote (the
        ``queryString`` argument is not used); ``attributeNamesFilter`` matches
        ``measure_name``; rows are ordered by time (newest first for ``LAST_X_ROWS``);
        ``clientToken`` is echoed (or generated).
        """
        database = self._database(caller, time_series_db_id)
        if query_type == "NEXT_TOKEN" or next_token is not None:
            raise InvalidRequestError(
                "every emulated query completes in one chunk: there is no next page"
            )
        if query_type not in ("TIME_PERIOD", "LAST_X_ROWS"):
            raise InvalidRequestError("queryType must be TIME_PERIOD, LAST_X_ROWS or NEXT_TOKEN")
        wanted = _asset_filters(assets)
        start, end = _instant(start_time, "startTime"), _instant(end_time, "endTime")
        if query_type == "TIME_PERIOD" and (start is None or end is None):
            raise InvalidRequestError("queryType TIME_PERIOD needs startTime and endTime")
        if start is not None and end is not None and end < start:
            raise InvalidRequestError("endTime is before startTime")
        limit = _max_rows(max_rows, required=query_type == "LAST_X_ROWS")
        runner = QueryRunner(self._engine, database, caller.user_id)
        has_assets = any(c.name == ASSET_DIMENSION for c in runner.columns())
        sql = _structured_sql(database, wanted, start_time, end_time, limit, query_type, has_assets)
        runner.rows(f"SELECT count(*) FROM ({sql})")  # the engine's own checks, before recording
        record = TimeSeriesQueryRecord(
            query_id=new_id(IdKind.TIME_SERIES_QUERY),
            time_series_db_id=database.time_series_db_id,
            user_id=caller.user_id,
            query_string=sql,
            created=_clock.now_iso(),
        )
        with self._metadata.transaction() as tx:
            tx.put(record)
        return {
            "queryId": record.query_id,
            "queryString": sql,
            "clientToken": _client_token(client_token),
            "nextToken": None,
            "presignedUrl": None,
            "queryProgressPercentage": 100.0,
            "resultChunkIndex": 0,
        }

    def cancel_query(
        self, caller: Caller, time_series_db_id: object, query_id: object
    ) -> views.View:
        """Cancels a query of the database: its exports in progress stop (they are never
        delivered) and no new export can start. Anyone who may read the database; cancelling
        twice succeeds.

        Deviation (inferred semantics): the outcome is in-band, as ``ServerResponse``
        suggests: ``httpStatusCode`` 200, or 404 with an ``errorMessage`` for a query id the
        database does not have.
        """
        key = validation.identifier(query_id, "queryId")
        with self._metadata.transaction() as tx:
            database = _require_database(tx, caller, time_series_db_id, Access.READ)
            query = tx.get(TimeSeriesQueryRecord, key)
            if query is None or query.time_series_db_id != database.time_series_db_id:
                return {"httpStatusCode": 404, "errorMessage": f"No query {key} in this database"}
            tx.put(dataclasses.replace(query, state=CANCELLED))
            for export in tx.find(TimeSeriesExportRecord, query_id=key, state="PENDING"):
                tx.put(dataclasses.replace(export, state=CANCELLED))
        return {"httpStatusCode": 200, "errorMessage": None}


def require_query(
    view: Any, caller: Caller, time_series_db_id: object, query_id: object
) -> tuple[TimeSeriesDbRecord, TimeSeriesQueryRecord]:
    """The database (READ access) and its query; ``Unauthorized`` for another database's."""
    key = validation.identifier(query_id, "queryId")
    database = _require_database(view, caller, time_series_db_id, Access.READ)
    query = view.get(TimeSeriesQueryRecord, key)
    if query is None or query.time_series_db_id != database.time_series_db_id:
        raise UnauthorizedError()
    return database, query


def _client_token(value: object) -> str:
    return value if isinstance(value, str) and value else str(uuid.uuid4())


def _page_token(time_series_db_id: str, offset: int) -> str:
    raw = json.dumps({"db": time_series_db_id, "offset": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _page_offset(token: object, time_series_db_id: str) -> int:
    if token is None:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        offset = decoded["offset"]
        valid = decoded["db"] == time_series_db_id and isinstance(offset, int) and offset >= 0
    except (ValueError, KeyError, TypeError, binascii.Error):
        valid = False
    if not valid:
        raise InvalidRequestError("nextToken is not a token of this listing")
    return int(offset)


def _asset_filters(assets: object) -> list[tuple[str, list[str] | None]]:
    if not isinstance(assets, list) or not assets:
        raise InvalidRequestError("assets must list at least one asset")
    if len(assets) > MAX_QUERY_ASSETS:
        raise InvalidRequestError(f"a query covers at most {MAX_QUERY_ASSETS} assets")
    wanted = []
    for index, item in enumerate(assets):
        if not isinstance(item, dict):
            raise InvalidRequestError(f"assets[{index}] must not be null")
        asset_id = validation.identifier(item.get("assetId"), f"assets[{index}].assetId")
        names = item.get("attributeNamesFilter")
        if names is not None and not all(isinstance(n, str) and n for n in names):
            raise InvalidRequestError(f"assets[{index}].attributeNamesFilter holds an empty name")
        wanted.append((asset_id, names))
    return wanted


def _instant(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_INSTANT.fullmatch(value):
        raise InvalidRequestError(f"{what} must be ISO-8601 like 2024-01-31T00:00:00.000Z")
    try:
        return _clock.parse_iso(value)
    except ValueError:
        raise InvalidRequestError(f"{what} is not a valid time") from None


def _max_rows(value: object, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise InvalidRequestError("queryType LAST_X_ROWS needs maxRows")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESULT_ROWS:
        raise InvalidRequestError(f"maxRows must be from 1 to {MAX_RESULT_ROWS}")
    return value


def _structured_sql(
    database: TimeSeriesDbRecord,
    wanted: list[tuple[str, list[str] | None]],
    start_time: object,
    end_time: object,
    limit: int | None,
    query_type: object,
    has_assets: bool,
) -> str:
    asset = quote_identifier(ASSET_DIMENSION)
    alternatives = []
    for asset_id, names in wanted:
        clause = f"{asset} = {quote_literal(asset_id)}"
        if names is not None:
            listed = ", ".join(quote_literal(n) for n in names) or "NULL"
            clause = f"({clause} AND measure_name IN ({listed}))"
        alternatives.append(clause)
    conditions = [f"({' OR '.join(alternatives)})" if has_assets else "1 = 0"]
    if isinstance(start_time, str):
        conditions.append(f"time >= from_iso8601_timestamp({quote_literal(start_time)})")
    if isinstance(end_time, str):
        conditions.append(f"time <= from_iso8601_timestamp({quote_literal(end_time)})")
    order = "time DESC" if query_type == "LAST_X_ROWS" else "time"
    sql = f"SELECT * FROM {table_of(database)} WHERE {' AND '.join(conditions)} ORDER BY {order}"
    return sql if limit is None else f"{sql} LIMIT {limit}"
