"""`AsyncAvistaDigitalExchange`: the documented methods and the namespaces. Every decision lives
in the shared I/O-free modules; the machinery is `AsyncAPIClient`'s."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from functools import cached_property

from .. import _operations as ops
from .._backends import AsyncBackend
from .._pagination import QueryCursor, normalize_max_rows
from .._publishing import Batch, PublishOutcome, make_batches, stops_publishing
from ..errors import DxError
from ..types import (
    Collaborative,
    QueryResult_TimestreamVariables,
    Service,
    TimeSeriesAssetData,
    TimeSeriesDb,
    TimeSeriesInputRecord,
    User,
)
from ._api_client import AsyncAPIClient
from .resources import AsyncDataStores


class AsyncAvistaDigitalExchange(AsyncAPIClient):
    """Client of the Avista Digital Exchange: the documented 21-method API, and namespaces
    (`dataStores`) with the 1.2.1 names.

    Args:
        token: your personal token; defaults to the `AVISTA_DX_TOKEN` environment variable.
        debug: log every operation with its duration and outcome on the `avista_dx` logger.
        endpoint: GraphQL URL; defaults to `AVISTA_DX_ENDPOINT`, then the production URL.
        timeout: seconds, or an `httpx.Timeout` (default: 5 s to connect, 60 s to read).
        max_retries: retries of transient failures (default 2; 0 disables retries).
        http_client: an `httpx.AsyncClient` to use; it is never closed by this client.
        publish_concurrency: publish requests in flight at once (default 4; worker threads on
            the sync client).

    Use it as a context manager, or call `close()`, to release the connection pool.

    Raises:
        ConfigurationError: no token, or an invalid endpoint, timeout or max_retries.
    """

    @cached_property
    def dataStores(self) -> AsyncDataStores:
        """Data Stores: directories, files, downloads and uploads."""
        return AsyncDataStores(self)

    # -- user ---------------------------------------------------------------------------------

    async def getUserInfo(self) -> User:
        """Your user information, with your organization."""
        return await self._execute(ops.get_user_info())

    # -- data stores: the documented root methods are dx.dataStores's own --------------------

    listDataStores = AsyncDataStores.listDataStores
    getDataStore = AsyncDataStores.getDataStore
    getDataStoreDirectory = AsyncDataStores.getDataStoreDirectory
    getDataStoreFileMeta = AsyncDataStores.getDataStoreFileMeta
    downloadDataStoreFile = AsyncDataStores.downloadDataStoreFile
    uploadFileToDataStore = AsyncDataStores.uploadFileToDataStore
    deleteDataStoreFile = AsyncDataStores.deleteDataStoreFile

    # -- time series --------------------------------------------------------------------------

    async def listTimeSeriesDatabases(self) -> list[TimeSeriesDb]:
        """The time series databases you own."""
        return await self._execute(ops.list_time_series_databases())

    async def getTimeSeriesDatabase(self, timeSeriesDbId: str) -> TimeSeriesDb:
        """The metadata of a time series database."""
        return await self._execute(ops.get_time_series_database(timeSeriesDbId))

    async def queryTimeSeriesDatabase(
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
        return await self._execute(
            ops.query_time_series_database(
                timeSeriesDbId, queryString, normalize_max_rows(maxRows), nextToken, clientToken
            )
        )

    async def iterTimeSeriesQuery(
        self, timeSeriesDbId: str, queryString: str, maxRows: int | str | None = None
    ) -> AsyncIterator[QueryResult_TimestreamVariables]:
        """Yields every page of a query, following `NextToken` (empty pages included).

        Raises:
            PaginationError: the server repeated a NextToken.
        """
        cursor = QueryCursor(timeSeriesDbId, queryString, maxRows)
        while not cursor.done:
            page = await self.queryTimeSeriesDatabase(
                timeSeriesDbId, queryString, cursor.max_rows, cursor.next_token, cursor.client_token
            )
            cursor.advance(page)
            yield page

    async def publishToTimeSeriesDatabase(
        self, timeSeriesDbId: str, assetId: str, records: Sequence[TimeSeriesInputRecord]
    ) -> list[TimeSeriesAssetData]:
        """Publishes records of one asset, in requests of at most 100 records sent concurrently
        (`publish_concurrency` in flight).

        Every record is validated before anything is sent. Returns the asset data of all
        requests merged per asset. After a failure that would repeat (bad token, no
        permission, exchange down), the requests not yet sent are not sent.

        Raises:
            InvalidInputError: a record is invalid (its index is in the message).
            PartialPublishError: some requests failed; it lists the written and failed indexes.
            DxError: the only request failed (nothing was written).
            KeyboardInterrupt: (or the task's cancellation) propagates unchanged; its
                `__cause__` is a PublishInterruptedError saying what was written.
        """
        ops.require_id("timeSeriesDbId", timeSeriesDbId)
        ops.require_id("assetId", assetId)
        batches = make_batches(records)
        outcome = PublishOutcome("publishToTimeSeriesDatabase", batches)
        stopped = False

        async def publish(batch: Batch) -> None:
            nonlocal stopped
            if stopped:
                return  # reported as not written
            outcome.sending(batch)
            try:
                call = ops.publish_to_database(timeSeriesDbId, assetId, batch.records)
                outcome.succeeded(batch, await self._execute(call))
            except DxError as error:
                outcome.failed(batch, error)
                stopped = stopped or stops_publishing(error)

        # Ctrl-C or a cancellation propagates unchanged, saying what was written (README).
        with outcome.reporting_interruption():
            await AsyncBackend.run_each(publish, batches, self._publish_concurrency)
        return outcome.finish()

    # -- collaboratives -----------------------------------------------------------------------

    async def listCollaboratives(self) -> list[Collaborative]:
        """The collaboratives you are a member of."""
        return await self._execute(ops.list_collaboratives())

    async def getCollaborative(self, collaborativeId: str) -> Collaborative:
        """The metadata and members of a collaborative."""
        return await self._execute(ops.get_collaborative(collaborativeId))

    async def listCollaborativeServices(self, collaborativeId: str) -> list[Service]:
        """Every service shared in a collaborative, whatever its type."""
        return await self._execute(ops.list_collaborative_services(collaborativeId))

    async def listCollaborativesServiceSharedWith(
        self, serviceId: str, *, serviceType: str | None = None
    ) -> list[Collaborative]:
        """The collaboratives a service you own is shared with.

        The service type comes from the id (`dataStore...`, `timeSeriesDb...`); pass
        `serviceType` for other kinds of services.
        """
        return await self._execute(
            ops.list_collaboratives_service_shared_with(serviceId, serviceType)
        )

    async def addServiceToCollaborative(
        self, serviceId: str, collaborativeId: str, *, serviceType: str | None = None
    ) -> Service:
        """Shares a service with a collaborative."""
        return await self._execute(
            ops.add_service_to_collaborative(serviceId, collaborativeId, serviceType)
        )

    async def removeServiceFromCollaborative(
        self, serviceId: str, collaborativeId: str, *, serviceType: str | None = None
    ) -> Service:
        """Removes a service from a collaborative."""
        return await self._execute(
            ops.remove_service_from_collaborative(serviceId, collaborativeId, serviceType)
        )
