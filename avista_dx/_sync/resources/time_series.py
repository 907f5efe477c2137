# Produced by scripts/unasync.py from avista_dx/_async/resources/time_series.py: do not edit.
"""`dx.timeSeries`: managing time series databases, last values, structured queries, exports
(method names: the operations' without `timeSeriesDb_`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ... import _operations as ops
from ... import _ops_time_series as ts
from ... import _subscriptions as subscriptions
from ..._backends import SyncBackend
from ...types import TimeSeriesAssetData, TimeSeriesDb
from ...types_time_series import (
    ServerResponse,
    TimeSeriesLastValues,
    TimeSeriesQueryExport,
    TimeSeriesQueryExportRequest,
    TimeSeriesQueryResult,
)
from .._resource import SyncAPIResource


class TimeSeries(SyncAPIResource):
    """Time series databases: `dx.timeSeries.createDatabase("Weather")`, ... The Timestream SQL
    query and the publishing of records are the root methods `queryTimeSeriesDatabase`,
    `iterTimeSeriesQuery` and `publishToTimeSeriesDatabase`."""

    def listDatabases(self) -> list[TimeSeriesDb]:
        """The time series databases you own (as the root `listTimeSeriesDatabases`)."""
        return self._execute(ops.list_time_series_databases())

    def getDatabase(self, timeSeriesDbId: str) -> TimeSeriesDb:
        """The metadata of a database (as the root `getTimeSeriesDatabase`)."""
        return self._execute(ops.get_time_series_database(timeSeriesDbId))

    def createDatabase(self, name: str, *, description: str | None = None) -> TimeSeriesDb:
        """Creates a database you own; query it as `"<databaseName>"."<tableName>"`."""
        return self._execute(ts.create_database(name, description))

    def updateDatabase(
        self, timeSeriesDbId: str, *, name: str | None = None, description: str | None = None
    ) -> TimeSeriesDb:
        """Renames a database or changes its description; returns it as it is now.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return self._execute(ts.update_database(timeSeriesDbId, name, description))

    def deleteDatabase(self, timeSeriesDbId: str) -> TimeSeriesDb:
        """Deletes a database and its records; returns what it was."""
        return self._execute(ts.delete_database(timeSeriesDbId))

    def listAllAssetLastValues(
        self,
        timeSeriesDbId: str,
        *,
        nextToken: str | None = None,
        clientToken: str | None = None,
    ) -> TimeSeriesLastValues:
        """One chunk of the last value of every attribute of every asset of a database.

        For the next chunk pass the previous one's `nextToken` and `clientToken`.
        """
        return self._execute(ts.list_all_asset_last_values(timeSeriesDbId, nextToken, clientToken))

    def queryDatabase(
        self,
        timeSeriesDbId: str,
        queryType: str,
        assets: Sequence[str | Mapping[str, Any]],
        *,
        startTime: str | None = None,
        endTime: str | None = None,
        maxRows: int | None = None,
        queryString: str | None = None,
        nextToken: str | None = None,
        clientToken: str | None = None,
    ) -> TimeSeriesQueryResult:
        """A structured query of some assets' attributes, without SQL.

        `queryType` is `"TIME_PERIOD"` (needs `startTime` and `endTime`, ISO-8601
        `YYYY-MM-DDTHH:mm:ss.SSSZ`), `"LAST_X_ROWS"` (with `maxRows`) or `"NEXT_TOKEN"` (needs
        `nextToken`). `assets` are asset ids, or `{"assetId": ..., "attributeNamesFilter":
        [...]}` mappings to choose attributes. The rows are in the file at the result's
        `presignedUrl`.

        Raises:
            InvalidInputError: an unknown `queryType`, no asset, or a missing argument that
                `queryType` needs.
        """
        return self._execute(
            ts.query_database(
                timeSeriesDbId,
                queryType,
                assets,
                start_time=startTime,
                end_time=endTime,
                max_rows=maxRows,
                query_string=queryString,
                next_token=nextToken,
                client_token=clientToken,
            )
        )

    def generateQueryResultExportFile(
        self, timeSeriesDbId: str, queryId: str, *, fileFormat: str | None = None
    ) -> TimeSeriesQueryExportRequest:
        """Starts an export of a query's whole result (`"CSV"` or `"JSON"`); its URL arrives
        by the `onNotifyTimeSeriesQueryExportComplete(queryId)` subscription (subscribe
        first, or use `exportQueryResult`, which does both in order)."""
        return self._execute(ts.generate_query_export(timeSeriesDbId, queryId, fileFormat))

    def exportQueryResult(
        self, timeSeriesDbId: str, queryId: str, *, fileFormat: str | None = None
    ) -> str:
        """Exports a structured query's whole result (`queryDatabase`'s `queryId`, `"CSV"`
        by default or `"JSON"`) and returns the presigned URL of the file.

        Subscribes to `onNotifyTimeSeriesQueryExportComplete`, waits for the exchange's
        `start_ack`, only then calls `generateQueryResultExportFile`, and returns with the
        completion event, as `dx.iot.queryByTimeRange` does. Needs the `realtime` extra.

        Raises:
            InvalidInputError: a bad id or file format (nothing is sent).
            BadRequestError: the exchange refused the export (e.g. an unknown query).
            RealtimeConnectionError: the real-time connection failed.
        """
        trigger = ts.generate_query_export(timeSeriesDbId, queryId, fileFormat)
        notice = subscriptions.on_time_series_query_export_complete(queryId)
        export = self._client._notice_after(notice, trigger)
        return export.url

    def onTimeSeriesDbPublish(
        self, timeSeriesDbId: str, assetId: str
    ) -> Iterator[list[TimeSeriesAssetData]]:
        """Each publish to one asset of a database, as it happens: the assets' data that
        `publishToTimeSeriesDatabase` wrote. An async iterator on the async client, an
        iterator on the sync one; the subscription stops when the loop ends. Needs the
        `realtime` extra.

        Raises:
            InvalidInputError: a bad id (nothing is sent).
            AuthenticationError, BadRequestError, RealtimeConnectionError: as the subscription
                or the connection fails.
        """
        call = subscriptions.on_time_series_db_publish(timeSeriesDbId, assetId)
        return SyncBackend.events(self._client._events(call))

    def onNotifyTimeSeriesQueryExportComplete(
        self, queryId: str
    ) -> Iterator[TimeSeriesQueryExport]:
        """The completion of each export of a query (`generateQueryResultExportFile`):
        `url` is the file's presigned GET. Iterated like `onTimeSeriesDbPublish`; to export
        and wait in one call, `exportQueryResult`.

        Raises:
            InvalidInputError: a bad id (nothing is sent).
            AuthenticationError, BadRequestError, RealtimeConnectionError: as the subscription
                or the connection fails.
        """
        call = subscriptions.on_time_series_query_export_complete(queryId)
        return SyncBackend.events(self._client._events(call))

    def cancelDatabaseQuery(self, timeSeriesDbId: str, queryId: str) -> ServerResponse:
        """Cancels a structured query (`queryDatabase`'s `queryId`): its exports stop.

        The outcome is in the answer: `httpStatusCode` 200, or 404 with an `errorMessage`
        for a query id the database does not have.
        """
        return self._execute(ts.cancel_query(timeSeriesDbId, queryId))
