"""`AsyncAvistaDigitalExchange`: the asynchronous client. Like the sync client it only sends,
sleeps and closes; every decision lives in the shared I/O-free modules."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

import anyio
import anyio.to_thread
import httpx
from avista_dx_graphql.async_base_client import Response
from avista_dx_graphql.async_client import AsyncClient

from . import _operations as ops
from ._base import BaseExchangeClient, download_failure, expected_size, upload_failure
from ._config import NOT_GIVEN, NotGiven, TimeoutTypes
from ._constants import DEFAULT_PUBLISH_CONCURRENCY, TRANSFER_CHUNK_BYTES
from ._error_mapping import MAPPABLE_ERRORS, map_error
from ._forward_compat import drop_unknown_directory_entries
from ._logs import logger
from ._pagination import QueryCursor, normalize_max_rows
from ._publishing import Batch, PublishOutcome, make_batches, stops_publishing
from ._retry import RetrySafety
from ._transfers import (
    DownloadSink,
    ProgressOption,
    UploadBody,
    check_transfer_status,
    checked_presigned_url,
    cloud_file_name,
    content_length,
    plan_upload,
    progress_callback,
    resolve_download_target,
    strip_credentials,
    transfer_failure,
)
from .errors import ConfigurationError, DownloadError, DxError, UploadError
from .types import (
    Collaborative,
    DataStore,
    DataStoreDirectory,
    DataStoreFile,
    QueryResult_TimestreamVariables,
    Service,
    TimeSeriesAssetData,
    TimeSeriesDb,
    TimeSeriesInputRecord,
    User,
)

T = TypeVar("T")


class _GraphQLAsyncClient(AsyncClient):
    """The generated client, tolerant of directory entries a newer exchange may add."""

    def get_data(self, response: Response) -> dict[str, Any]:
        return drop_unknown_directory_entries(super().get_data(response))


class AsyncAvistaDigitalExchange(BaseExchangeClient):
    """Asynchronous client of the Avista Digital Exchange: the documented methods as coroutines.

    Args:
        token: your personal token; defaults to the `AVISTA_DX_TOKEN` environment variable.
        debug: log every operation with its duration and outcome on the `avista_dx` logger.
        endpoint: GraphQL URL; defaults to `AVISTA_DX_ENDPOINT`, then the production URL.
        timeout: seconds, or an `httpx.Timeout` (default: 5 s to connect, 60 s to read).
        max_retries: retries of transient failures (default 2; 0 disables retries).
        http_client: an `httpx.AsyncClient` to use; it is never closed by this client.
        publish_concurrency: publish requests in flight at once (default 4).

    Use it as an async context manager, or await `close()`, to release the connection pool.

    Raises:
        ConfigurationError: no token, or an invalid endpoint, timeout or max_retries.
    """

    def __init__(
        self,
        token: str | None = None,
        debug: bool = False,
        *,
        endpoint: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        publish_concurrency: int = DEFAULT_PUBLISH_CONCURRENCY,
    ) -> None:
        self._configure(token, debug, endpoint, timeout, max_retries, publish_concurrency)
        self._owns_http = http_client is None
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError(
                f"http_client must be an httpx.AsyncClient, not {type(http_client).__name__}"
            )
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        # httpx's keyword-only post() is narrower than the generated Protocol, fine at runtime.
        self._graphql = _GraphQLAsyncClient(url=self._config.endpoint, http_client=self._http)  # type: ignore[arg-type]

    def with_options(
        self,
        *,
        endpoint: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
    ) -> AsyncAvistaDigitalExchange:
        """A copy with other settings that shares this client's connection pool.

        Closing the copy leaves the pool open; close the original when done.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.__dict__.update(
            self._configured_copy(endpoint=endpoint, timeout=timeout, max_retries=max_retries)
        )
        clone._owns_http = False
        clone._graphql = _GraphQLAsyncClient(url=clone._config.endpoint, http_client=self._http)  # type: ignore[arg-type]
        return clone

    async def close(self) -> None:
        """Closes the connection pool, unless it was passed in as `http_client`."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncAvistaDigitalExchange:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _execute(self, call: ops.Call[T]) -> T:
        attempts = self._retry.start(call.operation, call.safety)
        while True:
            try:
                sent = call.send(self._graphql, self._request_options())
                result = call.adapt(await cast(Awaitable[object], sent))
            except MAPPABLE_ERRORS as exc:
                error = map_error(exc, call.operation)
                delay = attempts.delay_or_raise(error, exc)
                await anyio.sleep(delay)
            else:
                attempts.succeeded()
                return result

    # -- user ---------------------------------------------------------------------------------

    async def getUserInfo(self) -> User:
        """Your user information, with your organization."""
        return await self._execute(ops.get_user_info())

    # -- data stores --------------------------------------------------------------------------

    async def listDataStores(self) -> list[DataStore]:
        """The data stores you own."""
        return await self._execute(ops.list_data_stores())

    async def getDataStore(self, dataStoreId: str) -> DataStore:
        """The metadata of a data store."""
        return await self._execute(ops.get_data_store(dataStoreId))

    async def getDataStoreDirectory(self, dataStoreDirectoryId: str) -> DataStoreDirectory:
        """A directory with its files and sub-directories (one level, in one request)."""
        return await self._execute(ops.get_data_store_directory(dataStoreDirectoryId))

    async def getDataStoreFileMeta(self, dataStoreFileId: str) -> DataStoreFile:
        """The metadata of a file."""
        return await self._execute(ops.get_data_store_file(dataStoreFileId))

    async def downloadDataStoreFile(
        self,
        dataStoreFileId: str,
        writeLocation: str | os.PathLike[str],
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Downloads a file; returns its metadata.

        If `writeLocation` is an existing directory the file keeps its cloud name there;
        otherwise `writeLocation` is the file path (replaced if it exists). The bytes are
        streamed to a temporary file that is renamed into place only when complete, so a
        failure leaves nothing at the target. `progress` is a callable `(done, total)` or
        True for a tqdm bar.

        Raises:
            DownloadError: the transfer failed or the size differs from `storageSizeBytes`.
        """
        meta = await self.getDataStoreFileMeta(dataStoreFileId)
        target = resolve_download_target(writeLocation, meta.fileName)
        progress_to = progress_callback(progress, meta.fileName)
        # A GET changes nothing, so a transient failure is retried from scratch, each time
        # with a fresh presigned URL (they expire).
        attempts = self._retry.start("downloadDataStoreFile", RetrySafety.IDEMPOTENT)
        while True:
            url = await self._execute(ops.get_download_url(dataStoreFileId))
            sink = DownloadSink(target, expected_size(meta), progress_to)
            try:
                await self._receive(url, sink)
            except BaseException as exc:
                failure = download_failure(exc, sink, "downloadDataStoreFile")
                delay = attempts.delay_or_raise(failure, exc)
            else:
                attempts.succeeded()
                logger.debug("downloaded %s to %s", dataStoreFileId, target)
                return meta
            await anyio.sleep(delay)

    async def _receive(self, url: str, sink: DownloadSink) -> None:
        request = strip_credentials(
            self._http.build_request(
                "GET", checked_presigned_url(url, DownloadError), timeout=self._config.timeout
            )
        )
        response = await self._http.send(request, stream=True)
        try:
            check_transfer_status(response, DownloadError)
            sink.open(content_length(response))
            # Network chunks are gathered into buffers of TRANSFER_CHUNK_BYTES, each written
            # by a worker thread: the event loop never waits on the disk.
            buffer = bytearray()
            async for chunk in response.aiter_raw():
                buffer += chunk
                if len(buffer) >= TRANSFER_CHUNK_BYTES:
                    await anyio.to_thread.run_sync(sink.write_bytes, bytes(buffer))
                    sink.advance(len(buffer))
                    buffer.clear()
            if buffer:
                await anyio.to_thread.run_sync(sink.write_bytes, bytes(buffer))
                sink.advance(len(buffer))
        finally:
            await response.aclose()
        await anyio.to_thread.run_sync(sink.commit)  # fsync and rename

    async def uploadFileToDataStore(
        self,
        dataStoreId: str,
        dataStoreDirectoryId: str,
        localPath: str | os.PathLike[str],
        name: str | None = None,
        description: str | None = None,
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Uploads a local file; returns the new file's metadata.

        The cloud name is `name` or the local file name, split at the first `.` into name
        and extension. The file is streamed, never read whole. On any failure after the
        file record was created, the record is deleted again.

        Raises:
            LocalFileNotFoundError: `localPath` is not a regular file.
            UploadError: the transfer failed (`rollback_error` is set if the cleanup failed).
        """
        plan = plan_upload(localPath, name)
        body = UploadBody(
            plan, progress_callback(progress, cloud_file_name(plan.name, plan.extension))
        )
        presigned = await self._execute(
            ops.create_data_store_file(
                dataStoreId, dataStoreDirectoryId, plan.name, plan.extension, description
            )
        )
        file_id = presigned.data_store_file_id
        try:
            if not presigned.url:
                raise UploadError("the exchange returned no upload URL")
            url = checked_presigned_url(presigned.url, UploadError)
            # A PUT to the same presigned URL replaces the object: repeating it is safe.
            attempts = self._retry.start("uploadFileToDataStore", RetrySafety.IDEMPOTENT)
            while True:
                try:
                    await self._send(url, body)
                except BaseException as exc:
                    failure = transfer_failure(exc, UploadError)
                    delay = attempts.delay_or_raise(failure, exc)
                else:
                    attempts.succeeded()
                    break
                await anyio.sleep(delay)
            return await self.getDataStoreFileMeta(file_id)
        except BaseException as exc:
            rollback_error = await self._rollback_upload(file_id)
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt and friends, after the cleanup
            raise upload_failure(exc, rollback_error) from exc

    async def _send(self, url: httpx.URL, body: UploadBody) -> None:
        request = strip_credentials(
            self._http.build_request(
                "PUT",
                url,
                content=body.async_chunks(),
                headers=body.headers,
                timeout=self._config.timeout,
            )
        )
        response = await self._http.send(request)
        check_transfer_status(response, UploadError)

    async def _rollback_upload(self, file_id: str) -> DxError | None:
        try:
            # Shielded: a cancelled upload must still delete the record it created.
            with anyio.CancelScope(shield=True):
                await self._execute(ops.delete_data_store_file(file_id))
        except DxError as error:
            logger.warning("could not delete the failed upload %s: %s", file_id, error)
            return error
        return None

    async def deleteDataStoreFile(self, dataStoreFileId: str) -> DataStoreFile:
        """Deletes a file; returns the deleted file's metadata."""
        return await self._execute(ops.delete_data_store_file(dataStoreFileId))

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
        """Yields every page of a query (`async for`), following `NextToken`.

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
        requests merged per asset.

        Raises:
            InvalidInputError: a record is invalid (its index is in the message).
            PartialPublishError: some requests failed; it lists the written and failed indexes.
            DxError: the only request failed (nothing was written).
        """
        ops.require_id("timeSeriesDbId", timeSeriesDbId)
        ops.require_id("assetId", assetId)
        batches = make_batches(records)
        outcome = PublishOutcome("publishToTimeSeriesDatabase", batches)
        limiter = anyio.Semaphore(self._publish_concurrency)
        stopped = False

        async def publish(batch: Batch) -> None:
            nonlocal stopped
            async with limiter:
                if stopped:
                    return  # reported as not written
                try:
                    call = ops.publish_to_database(timeSeriesDbId, assetId, batch.records)
                    outcome.succeeded(batch, await self._execute(call))
                except DxError as error:
                    outcome.failed(batch, error)
                    stopped = stopped or stops_publishing(error)

        async with anyio.create_task_group() as tasks:
            for batch in batches:
                tasks.start_soon(publish, batch)
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
