"""`AsyncAPIClient`: the client's machinery under the documented methods — the one retry
driver, GraphQL execution, the presigned transfers and the upload-with-rollback flow."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import httpx
from avista_dx_graphql.async_client import AsyncClient

from .. import _operations as ops
from .._backends import AsyncBackend
from .._base_client import BaseClient
from .._download_sinks import DownloadSink, DownloadTarget, download_sink
from .._error_mapping import MAPPABLE_ERRORS, map_error
from .._graphql_request import request_body
from .._logs import logger
from .._retry import RetrySafety
from .._transfers import (
    ProgressCallback,
    UploadBody,
    check_transfer_status,
    checked_presigned_url,
    content_length,
    download_failure,
    etag_md5,
    expected_size,
    strip_credentials,
    transfer_failure,
    upload_failure,
)
from ..errors import DownloadError, DxError, InvalidResponseError, UploadError
from ..types import DataStoreFile

if TYPE_CHECKING:
    from .._realtime import AsyncRealtimeConnection, AsyncSubscription
    from .._subscriptions import SubscriptionCall

T = TypeVar("T")
_SelfT = TypeVar("_SelfT", bound="AsyncAPIClient")


class AsyncGraphQLClient(AsyncClient):
    """The generated client, posting its request as bytes (`_graphql_request`): the same
    request, for a fraction of the CPU. Everything else (documents, variables, `get_data`,
    result models) is the generated code's."""

    async def _execute_json(
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any],
        **kwargs: Any,
    ) -> Any:
        # kwargs: the SDK's request options, whose headers include the JSON content type.
        return await self.http_client.post(
            url=self.url, content=request_body(query, operation_name, variables), **kwargs
        )


class AsyncAnswerPassingClient(AsyncGraphQLClient):
    """Passes each checked answer up as `ops.RawAnswer` instead of returning it to the
    generated method: for calls whose adaptation validates the answer itself, once, into the
    documented types (`ops.RootAdaptation`), not into the generated models first."""

    def get_data(self, response: Any) -> dict[str, Any]:
        raise ops.RawAnswer(super().get_data(response))


class AsyncAPIClient(BaseClient[httpx.AsyncClient, AsyncGraphQLClient]):
    _http_client_type: ClassVar[type[httpx.AsyncClient]] = httpx.AsyncClient
    _realtime_connection: AsyncRealtimeConnection | None = None  # opened on first subscribe

    def _new_http_client(self) -> httpx.AsyncClient:
        network = self._network
        return httpx.AsyncClient(verify=network.httpx_verify, proxy=network.proxy)

    def _new_graphql_client(self) -> AsyncGraphQLClient:
        # httpx's keyword-only post() is narrower than the generated Protocol, fine at runtime.
        return AsyncGraphQLClient(url=self._config.endpoint, http_client=self._http)  # type: ignore[arg-type]

    @cached_property
    def _answer_passing(self) -> AsyncAnswerPassingClient:
        return AsyncAnswerPassingClient(url=self._config.endpoint, http_client=self._http)  # type: ignore[arg-type]

    @property
    def _client(self) -> AsyncAPIClient:
        """The client is its own resource host (see `AsyncResourceHost`)."""
        return self

    async def close(self) -> None:
        """Stops the subscriptions and closes the real-time WebSocket, then the connection
        pool unless it was passed in as `http_client`."""
        realtime, self._realtime_connection = self._realtime_connection, None
        if realtime is not None:
            await realtime.close()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _SelfT) -> _SelfT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # -- the retry driver ---------------------------------------------------------------------

    async def _retrying(
        self,
        operation: str,
        safety: RetrySafety,
        attempt: Callable[[], Awaitable[T]],
        retried: type[DxError] = DxError,
    ) -> T:
        """Runs `attempt` until it succeeds, sleeping between tries as the retry policy says.

        Only a `retried` error is considered for another try (and raised when it may not be
        repeated); anything else, Ctrl-C and cancellation included, propagates at once.
        """
        attempts = self._retry.start(operation, safety)
        while True:
            try:
                result = await attempt()
            except retried as error:
                delay = attempts.delay_or_raise(error, error)
            else:
                attempts.succeeded()
                return result
            await AsyncBackend.sleep(delay)

    async def _execute(self, call: ops.Call[T]) -> T:
        """One GraphQL operation: its failures become `DxError`s, retried as `call` allows."""

        async def attempt() -> T:
            try:
                adapt = call.adapt
                if isinstance(adapt, ops.RootAdaptation):
                    try:
                        await call.send(self._answer_passing, self._request_options())
                    except ops.RawAnswer as answer:
                        return adapt.from_data(answer.data, call.operation)
                    raise AssertionError("the answer-passing client returned")  # pragma: no cover
                return adapt(await call.send(self._graphql, self._request_options()))
            except MAPPABLE_ERRORS as exc:
                raise map_error(exc, call.operation) from exc

        return await self._retrying(call.operation, call.safety, attempt)

    # -- real-time subscriptions --------------------------------------------------------------

    def _realtime(self) -> AsyncRealtimeConnection:
        """The client's one real-time connection, built on first use (needs the `realtime`
        extra); its socket opens with the first subscription."""
        if self._realtime_connection is None:
            from .._realtime import AsyncRealtimeConnection

            self._realtime_connection = AsyncRealtimeConnection(
                self._config.endpoint, self._config.token, **self._realtime_options()
            )
        return self._realtime_connection

    async def _subscribe(self, call: SubscriptionCall[Any]) -> AsyncSubscription:
        """Starts `call`; returns after the exchange acknowledged it (`start_ack`), so an
        action that triggers its event may follow at once (docs/protocol.md §6.3)."""
        return await self._realtime().subscribe(
            call.query, call.variables, operation_name=call.operation, operation=call.operation
        )

    async def _events(self, call: SubscriptionCall[T]) -> AsyncIterator[T]:
        """The typed events of `call`; the subscription stops when the iteration ends."""
        async with await self._subscribe(call) as events:
            async for data in events:
                yield call.adapt(data)

    async def _notice_after(self, notice: SubscriptionCall[T], trigger: ops.Call[Any]) -> T:
        """Starts `notice`, waits for its `start_ack`, only then sends `trigger` (an export
        that pushes `notice` when done) and returns the first event: the event cannot come
        before the subscription (docs/protocol.md §6.3). The subscription stops on return."""
        async with await self._subscribe(notice) as events:
            await self._execute(trigger)
            async for data in events:
                return notice.adapt(data)
        raise InvalidResponseError(
            f"the {notice.operation} subscription ended without an event",
            operation=notice.operation,
        )

    # -- presigned transfers ------------------------------------------------------------------

    async def _download(
        self,
        file_id: str,
        meta: DataStoreFile,
        target: DownloadTarget,
        progress: ProgressCallback | None,
    ) -> None:
        # Each try asks for a fresh presigned URL (they expire); failing to get one is not
        # a transfer failure and is not tried again here (`_execute` retried it already).
        await self._download_to(
            target,
            expected_size(meta),
            progress,
            "downloadDataStoreFile",
            lambda: self._execute(ops.get_download_url(file_id)),
        )
        logger.debug("downloaded %s to %s", file_id, target)

    async def _save_url(
        self,
        url: str,
        target: DownloadTarget,
        operation: str,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Streams a presigned GET to `target` (atomically, as downloads), retried."""

        async def same_url() -> str:
            return url

        await self._download_to(target, None, progress, operation, same_url)

    async def _download_to(
        self,
        target: DownloadTarget,
        size: int | None,
        progress: ProgressCallback | None,
        operation: str,
        presigned_url: Callable[[], Awaitable[str]],
    ) -> None:
        async def attempt() -> None:
            url = await presigned_url()
            sink = download_sink(target, size, progress)
            try:
                await self._receive(url, sink)
            except BaseException as exc:
                failure = download_failure(exc, sink, operation)
                if failure is exc:
                    raise
                raise failure from exc

        # A GET changes nothing, so a transient failure is retried from scratch.
        await self._retrying(operation, RetrySafety.IDEMPOTENT, attempt, DownloadError)

    async def _fetch_url(self, url: str, operation: str) -> bytes:
        """The body of a presigned GET (a result document), retried."""

        async def attempt() -> bytes:
            return (await self._presigned_get(url)).content

        return await self._retrying(operation, RetrySafety.IDEMPOTENT, attempt, DownloadError)

    async def _stored_md5(self, file_id: str) -> str | None:
        """The MD5 of a file's bytes as its storage states it (the `ETag` of a one-byte
        ranged GET of a fresh presigned URL), or None when the ETag is not an MD5."""

        async def attempt() -> str | None:
            url = await self._execute(ops.get_download_url(file_id))
            response = await self._presigned_get(url, {"Range": "bytes=0-0"})
            return etag_md5(response.headers.get("etag"))

        return await self._retrying("sync", RetrySafety.IDEMPOTENT, attempt, DownloadError)

    async def _presigned_get(
        self, url: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """One whole presigned GET that answered 2xx; any failure as a `DownloadError`."""
        request = strip_credentials(
            self._http.build_request(
                "GET",
                checked_presigned_url(url, DownloadError),
                headers=headers,
                timeout=self._config.timeout,
            )
        )
        try:
            response = await self._http.send(request)
            check_transfer_status(response, DownloadError)
        except BaseException as exc:
            failure = transfer_failure(exc, DownloadError)
            if failure is exc:
                raise
            raise failure from exc
        return response

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
            await AsyncBackend.write_stream(sink, response.aiter_raw())
        finally:
            await response.aclose()
        await AsyncBackend.commit(sink)

    async def _upload(
        self, create: ops.Call[ops.PresignedUpload], body: UploadBody
    ) -> DataStoreFile:
        """Creates the file record, PUTs the bytes and returns the new file's metadata; on any
        failure after the record exists, deletes it again."""
        presigned = await self._execute(create)
        file_id = presigned.data_store_file_id
        return await self._put_or_roll_back(
            presigned.url,
            body,
            "uploadFileToDataStore",
            ops.delete_data_store_file(file_id),
            lambda: self._execute(ops.get_data_store_file(file_id)),
        )

    async def _put_or_roll_back(
        self,
        url: str,
        body: UploadBody,
        operation: str,
        rollback: ops.Call[Any],
        finish: Callable[[], Awaitable[T]],
    ) -> T:
        """PUTs `body` to the presigned `url` of a record just created, then returns
        `finish()`; on any failure, runs `rollback` (which deletes the record) first."""
        try:
            if not url:
                raise UploadError("the exchange returned no upload URL")
            checked_url = checked_presigned_url(url, UploadError)

            async def attempt() -> None:
                try:
                    await self._send(checked_url, body)
                except BaseException as exc:
                    failure = transfer_failure(exc, UploadError)
                    if failure is exc:
                        raise
                    raise failure from exc

            # A PUT to the same presigned URL replaces the object: repeating it is safe.
            await self._retrying(operation, RetrySafety.IDEMPOTENT, attempt, UploadError)
            return await finish()
        except BaseException as exc:
            rollback_error = await self._roll_back(rollback)
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt and friends, after the cleanup
            raise upload_failure(exc, rollback_error, operation) from exc

    async def _send(self, url: httpx.URL, body: UploadBody) -> None:
        request = strip_credentials(
            self._http.build_request(
                "PUT",
                url,
                content=AsyncBackend.upload_content(body),
                headers=body.headers,
                timeout=self._config.timeout,
            )
        )
        response = await self._http.send(request)
        check_transfer_status(response, UploadError)

    async def _roll_back(self, rollback: ops.Call[Any]) -> DxError | None:
        try:
            with AsyncBackend.shielded():
                await self._execute(rollback)
        except DxError as error:
            logger.warning("could not undo the failed upload (%s): %s", rollback.operation, error)
            return error
        return None
