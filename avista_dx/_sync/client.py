# Produced by scripts/unasync.py from avista_dx/_async/client.py: do not edit.
"""`AvistaDigitalExchange`: the documented methods and the namespaces. Every decision lives
in the shared I/O-free modules; the machinery is `SyncAPIClient`'s."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

from .. import _operations as ops
from .._backends import SyncBackend
from .._pagination import QueryCursor, normalize_max_rows
from .._publishing import Batch, PublishOutcome, make_batches, stops_publishing
from .._raw_graphql import raw_graphql
from .._record_table import TimeSeriesRecords
from .._transfers import ProgressOption, check_progress, progress_callback
from ..errors import DxError
from ..types import (
    QueryResult_TimestreamVariables,
    TimeSeriesAssetData,
    TimeSeriesDb,
    TimeSeriesInputRecord,
    User,
)
from ._api_client import SyncAPIClient
from .resources import (
    Admin,
    Collaboratives,
    DataCapture,
    DataStores,
    Iot,
    TimeSeries,
    Users,
)


class AvistaDigitalExchange(SyncAPIClient):
    """Client of the Avista Digital Exchange: the documented 21-method API, and namespaces
    (`dataStores`, `timeSeries`, `collaboratives`, `users`, `admin`).

    Args:
        token: your personal token; defaults to the `AVISTA_DX_TOKEN` environment variable.
        debug: log every operation with its duration and outcome on the `avista_dx` logger.
        endpoint: GraphQL URL; defaults to `AVISTA_DX_ENDPOINT`, then the production URL.
        timeout: seconds, or an `httpx.Timeout` (default: 5 s to connect, 60 s to read).
        max_retries: retries of transient failures (default 2; 0 disables retries).
        http_client: an `httpx.Client` to use; it is never closed by this client.
        publish_concurrency: publish requests in flight at once (default 4; worker threads on
            the sync client).
        verify: TLS trust, as in 1.2.1: True (default: httpx's CA bundle), the path of a
            corporate CA bundle (PEM) or directory, an `ssl.SSLContext`, or False (no checks:
            debugging only; warns). Used by HTTP and by the real-time WebSocket.
        proxy: an explicit proxy URL (or `httpx.Proxy`) for HTTP and the WebSocket; by default
            the `HTTPS_PROXY`-style environment variables apply.

    Use it as a context manager, or call `close()`, to release the connection pool.

    Raises:
        ConfigurationError: no token, or an invalid endpoint, timeout, max_retries, verify or
            proxy.
    """

    @cached_property
    def dataStores(self) -> DataStores:
        """Data Stores: directories, files, downloads and uploads."""
        return DataStores(self)

    @cached_property
    def iot(self) -> Iot:
        """IoT: endpoints, groups, models, telemetry and subscriptions."""
        return Iot(self)

    @cached_property
    def dataCapture(self) -> DataCapture:
        """Data capture: start, stop, publish and subscribe."""
        return DataCapture(self)

    @cached_property
    def timeSeries(self) -> TimeSeries:
        """Time series databases: create, update, delete; last values; structured queries."""
        return TimeSeries(self)

    @cached_property
    def collaboratives(self) -> Collaboratives:
        """Collaboratives: shared services and member organizations."""
        return Collaboratives(self)

    @cached_property
    def users(self) -> Users:
        """Your session and authentication tokens."""
        return Users(self)

    @cached_property
    def admin(self) -> Admin:
        """Platform administration (platform administrators only)."""
        return Admin(self)

    # -- user ---------------------------------------------------------------------------------

    def getUserInfo(self) -> User:
        """Your user information, with your organization."""
        return self._execute(ops.get_user_info())

    # -- data stores: the documented root methods are dx.dataStores's own --------------------

    listDataStores = DataStores.listDataStores
    getDataStore = DataStores.getDataStore
    getDataStoreDirectory = DataStores.getDataStoreDirectory
    getDataStoreFileMeta = DataStores.getDataStoreFileMeta
    downloadDataStoreFile = DataStores.downloadDataStoreFile
    uploadFileToDataStore = DataStores.uploadFileToDataStore
    deleteDataStoreFile = DataStores.deleteDataStoreFile

    # -- time series --------------------------------------------------------------------------

    def listTimeSeriesDatabases(self) -> list[TimeSeriesDb]:
        """The time series databases you own."""
        return self._execute(ops.list_time_series_databases())

    def getTimeSeriesDatabase(self, timeSeriesDbId: str) -> TimeSeriesDb:
        """The metadata of a time series database."""
        return self._execute(ops.get_time_series_database(timeSeriesDbId))

    def queryTimeSeriesDatabase(
        self,
        timeSeriesDbId: str,
        queryString: str,
        maxRows: int | str | None = None,
        nextToken: str | None = None,
        clientToken: str | None = None,
    ) -> QueryResult_TimestreamVariables:
        """Runs a Timestream SQL query and returns one page.

        Reference the table as `"<databaseName>"."<tableName>"`. For the next page pass the
        same `queryString` and `maxRows` with the previous page's `NextToken` and
        `clientToken`, or let `iterTimeSeriesQuery` do it.
        """
        return self._execute(
            ops.query_time_series_database(
                timeSeriesDbId, queryString, normalize_max_rows(maxRows), nextToken, clientToken
            )
        )

    def iterTimeSeriesQuery(
        self, timeSeriesDbId: str, queryString: str, maxRows: int | str | None = None
    ) -> Iterator[QueryResult_TimestreamVariables]:
        """Yields every page of a query, following `NextToken` (empty pages included).

        Raises:
            PaginationError: the server repeated a NextToken.
        """
        cursor = QueryCursor(timeSeriesDbId, queryString, maxRows)
        while not cursor.done:
            page = self.queryTimeSeriesDatabase(
                timeSeriesDbId, queryString, cursor.max_rows, cursor.next_token, cursor.client_token
            )
            cursor.advance(page)
            yield page

    def publishToTimeSeriesDatabase(
        self,
        timeSeriesDbId: str,
        assetId: str,
        records: Sequence[TimeSeriesInputRecord] | TimeSeriesRecords,
        *,
        progress: ProgressOption = None,
        keep_data: bool = True,
    ) -> list[TimeSeriesAssetData]:
        """Publishes records of one asset, in requests of at most 100 records sent concurrently
        (`publish_concurrency` in flight).

        Every record is validated before anything is sent (`TimeSeriesRecords`, from
        `records_from_rows` or `records_from_dataframe`, were validated when built, and are
        rendered to JSON one request at a time). Returns the asset data of all requests
        merged per asset; `keep_data=False` keeps only each attribute's last value (its
        `data` empty), so that publishing millions of records does not hold every returned
        data point. After a failure that would repeat (bad token, no permission, exchange
        down), the requests not yet sent are not sent. `progress` is a callable
        `(records done, total)` called after each request, or True for a tqdm bar.

        Raises:
            InvalidInputError: a record is invalid (its index is in the message).
            PartialPublishError: some requests failed; it lists the written and failed indexes.
            DxError: the only request failed (nothing was written).
            KeyboardInterrupt: (or the task's cancellation) propagates unchanged; its
                `__cause__` is a PublishInterruptedError saying what was written.
        """
        ops.require_id("timeSeriesDbId", timeSeriesDbId)
        ops.require_id("assetId", assetId)
        check_progress(progress)
        batches = make_batches(records)
        outcome = PublishOutcome(
            "publishToTimeSeriesDatabase",
            batches,
            progress=progress_callback(progress, "publish", unit="records"),
            keep_data=bool(keep_data),
        )
        stopped = False

        def publish(batch: Batch) -> None:
            nonlocal stopped
            if stopped:
                return  # reported as not written
            outcome.sending(batch)
            try:
                call = ops.publish_to_database(
                    timeSeriesDbId, assetId, batch.records_json(), keep_data=outcome.keep_data
                )
                outcome.succeeded(batch, self._execute(call))
            except DxError as error:
                outcome.failed(batch, error)
                stopped = stopped or stops_publishing(error)

        # Ctrl-C or a cancellation propagates unchanged, saying what was written (README).
        with outcome.reporting_interruption():
            SyncBackend.run_each(publish, batches, self._publish_concurrency)
        return outcome.finish()

    # -- collaboratives: the documented root methods are dx.collaboratives's own -------------

    listCollaboratives = Collaboratives.listCollaboratives
    getCollaborative = Collaboratives.getCollaborative
    listCollaborativeServices = Collaboratives.listCollaborativeServices
    listCollaborativesServiceSharedWith = Collaboratives.listCollaborativesServiceSharedWith
    addServiceToCollaborative = Collaboratives.addServiceToCollaborative
    removeServiceFromCollaborative = Collaboratives.removeServiceFromCollaborative

    # -- the raw door -------------------------------------------------------------------------

    def graphql(
        self,
        document: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """Runs any GraphQL query or mutation of the exchange; returns the response's `data`.

        For what the typed API does not cover yet. The same token, timeouts, logging and
        error mapping as every typed method; a query is retried on transient failures, a
        mutation only when the request provably never reached the exchange. `variables` is
        sent as JSON (never pasted into the document) and never modified.

        Raises:
            InvalidInputError: the document does not parse, has several operations and no
                `operation_name`, or is a subscription (nothing is sent).
            DxError: what the exchange answered (`GraphQLError` and its subclasses carry
                `errors` and any partial `data`).
        """
        return self._execute(raw_graphql(document, variables, operation_name))
