"""The exceptions raised by avista-dx.

Every error derives from `DxError` and carries the name of the GraphQL operation (or
transfer step) that failed and the server's message where there is one::

    DxError
    ├── ConfigurationError                 bad client settings (no token, bad endpoint, timeout...)
    ├── InvalidInputError                  an argument was rejected before any request was sent
    │   └── LocalFileNotFoundError         the file to upload is missing or not a regular file
    ├── APIConnectionError                 the request did not complete (DNS, refused, reset...)
    │   ├── APITimeoutError                    ... because a connect/read/write/pool timeout hit
    │   └── RealtimeConnectionError            the real-time WebSocket was lost for good
    ├── APIError                           the exchange answered with an error
    │   ├── AuthenticationError            HTTP 401/403 or errorType UnauthorizedException
    │   ├── PermissionDeniedError          message "Unauthorized": denied, or no such object
    │   ├── NotFoundError                  a null root value without errors
    │   ├── BadRequestError                the server rejected an argument or the document
    │   │   └── RejectedRecordsError           a publish had rejected records (nothing written)
    │   ├── RateLimitError                 HTTP 429 or a throttling errorType
    │   ├── ServerError                    HTTP 5xx or errorType InternalFailure
    │   ├── NotImplementedByServerError    errorType NotImplemented (the emulator's gaps)
    │   ├── APIStatusError                 any other non-2xx HTTP status
    │   └── GraphQLError                   any other GraphQL error
    ├── InvalidResponseError               the response was not JSON or not the expected shape
    ├── TransferError                      a presigned S3 upload/download failed
    │   ├── UploadError                        (rolled back; `rollback_error` if that failed too)
    │   └── DownloadError                      (nothing is left at the target)
    ├── PaginationError                    the server repeated a NextToken
    ├── PathError                          a data-store path (dx.dataStores.resolve, walk, ...)
    │   ├── PathNotFoundError                  a component does not exist (also a NotFoundError)
    │   ├── AmbiguousPathError                 several entries share a name (also InvalidInputError)
    │   ├── PathExistsError                    mkdir of an existing path (also FileExistsError)
    │   └── PathTypeError                      a file where a directory is needed, or the reverse
    └── PartialPublishError                some batches of a publish were written, others not
        └── PublishInterruptedError            ... because Ctrl-C or a cancellation stopped it
                                               (never raised: the `__cause__` of the interrupt)

The names raised by the original SDK stay importable as aliases: `UnauthorizedException`
(`AuthenticationError`), `Unauthorized` (`PermissionDeniedError`), `QueryFailed` and
`MutationFailed` (`APIError`), `MissingDataInResultException` (`InvalidResponseError`),
`InvalidParameterException` (`InvalidInputError`), `FileNotFoundException`
(`LocalFileNotFoundError`) and `FileUploadException` (`UploadError`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousPathError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "DownloadError",
    "DxError",
    "FileNotFoundException",
    "FileUploadException",
    "GraphQLError",
    "InvalidInputError",
    "InvalidParameterException",
    "InvalidResponseError",
    "LocalFileNotFoundError",
    "MissingDataInResultException",
    "MutationFailed",
    "NotFoundError",
    "NotImplementedByServerError",
    "PaginationError",
    "PartialPublishError",
    "PathError",
    "PathExistsError",
    "PathNotFoundError",
    "PathTypeError",
    "PermissionDeniedError",
    "PublishInterruptedError",
    "QueryFailed",
    "RateLimitError",
    "RealtimeConnectionError",
    "RejectedRecordsError",
    "ServerError",
    "TransferError",
    "Unauthorized",
    "UnauthorizedException",
    "UploadError",
]


class DxError(Exception):
    """Root of every avista-dx error.

    Attributes:
        message: what went wrong, including the server's message where there is one.
        operation: the GraphQL operation or transfer step that failed, if any.
    """

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation

    def __str__(self) -> str:
        if self.operation:
            return f"{self.operation}: {self.message}"
        return self.message


class ConfigurationError(DxError):
    """The client cannot be configured as asked (for example no token was given)."""


class InvalidInputError(DxError, ValueError):
    """An argument was rejected on the client, before any request was sent."""


class LocalFileNotFoundError(InvalidInputError, FileNotFoundError):
    """The local file to upload does not exist or is not a regular file."""


class APIConnectionError(DxError):
    """The HTTP request did not complete: connection refused or reset, DNS failure, ...

    Attributes:
        request_sent: False when the failure certainly happened before the request reached
            the exchange (connect error or timeout, pool timeout), so it had no effect.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, request_sent: bool = True
    ) -> None:
        super().__init__(message, operation=operation)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


class RealtimeConnectionError(APIConnectionError):
    """The real-time WebSocket could not be opened, or was lost and could not be reopened
    (refused upgrade, network failure, no ``connection_ack`` or keep-alive in time)."""


class APIError(DxError):
    """The exchange answered with an error.

    Attributes:
        status_code: the HTTP status of the response.
        error_type: AppSync's `errorType` of the first error that decided the class, if any.
        errors: every entry of the response's `errors[]`, unchanged.
        data: the response's (possibly partial) `data`, unchanged.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status_code: int | None = None,
        error_type: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        data: Mapping[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.status_code = status_code
        self.error_type = error_type
        self.errors: list[Mapping[str, Any]] = list(errors)
        self.data = data
        # Seconds the server asked us to wait (Retry-After), used by the retry policy.
        self.retry_after = retry_after


class AuthenticationError(APIError):
    """The token is missing, invalid or expired (HTTP 401/403, `UnauthorizedException`)."""


class PermissionDeniedError(APIError):
    """The caller may not do this, or the object does not exist (message `Unauthorized`).

    The exchange never reveals whether a denied object exists.
    """


class NotFoundError(APIError):
    """The exchange returned no object (a null root value without errors)."""


class BadRequestError(APIError):
    """The server rejected an argument, a record or the document itself.

    Covers `ValidationError` (GraphQL validation), `BadRequestException` (argument or
    state conflict), `ValidationException` (Timestream request) and HTTP 400/413.
    """


class RejectedRecordsError(BadRequestError):
    """A publish had rejected records; the exchange wrote none of that request's records.

    Attributes:
        rejected_records: AppSync's `errorInfo.RejectedRecords` entries
            (`RecordIndex`, `Reason`, optional `ExistingVersion`), indexes within the request.
    """

    def __init__(
        self,
        message: str,
        *,
        rejected_records: Sequence[Mapping[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.rejected_records: list[Mapping[str, Any]] = list(rejected_records)


class RateLimitError(APIError):
    """The exchange throttled the request (HTTP 429 or a throttling `errorType`)."""


class ServerError(APIError):
    """The exchange failed (HTTP 5xx or `InternalFailure`)."""


class NotImplementedByServerError(APIError):
    """The server does not implement this root field (`NotImplemented`, emulator only)."""


class APIStatusError(APIError):
    """A non-2xx HTTP status that no more specific class covers."""


class GraphQLError(APIError):
    """A GraphQL error that no more specific class covers."""


class InvalidResponseError(DxError):
    """The response was not JSON, had neither `data` nor `errors`, or had an unexpected shape.

    Attributes:
        unparseable: True when the body was not a GraphQL JSON object at all (a cut
            connection or a proxy page, worth retrying), False for a wrong shape.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, unparseable: bool = False
    ) -> None:
        super().__init__(message, operation=operation)
        self.unparseable = unparseable


class TransferError(DxError):
    """A presigned S3 transfer failed.

    Attributes:
        transient: the storage answered 408, 429 or 5xx, or the connection failed: a later
            attempt may succeed (the SDK already retried it `max_retries` times).
    """

    def __init__(
        self, message: str, *, operation: str | None = None, transient: bool = False
    ) -> None:
        super().__init__(message, operation=operation)
        self.transient = transient


class UploadError(TransferError):
    """An upload failed; the new file record was deleted again.

    Attributes:
        rollback_error: the error of the rollback (`deleteDataStoreFile`) when it failed
            too, in which case an orphan file record may remain on the exchange.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        transient: bool = False,
        rollback_error: BaseException | None = None,
    ) -> None:
        super().__init__(message, operation=operation, transient=transient)
        self.rollback_error = rollback_error

    def __str__(self) -> str:
        text = super().__str__()
        if self.rollback_error is not None:
            text += f" (the rollback failed too: {self.rollback_error})"
        return text


class DownloadError(TransferError):
    """A download failed; nothing was written at the target."""


class PaginationError(DxError):
    """The server returned a NextToken it had already returned (the query would never end)."""


class PathError(DxError):
    """A data-store path could not be used as asked.

    Attributes:
        path: the path as the caller gave it.
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


class PathNotFoundError(PathError, NotFoundError):
    """A component of a data-store path does not exist.

    Attributes:
        missing: the first component that was not found (a store name or id, or an entry name).
        parent: the path of the directory where it was looked for ("" for the store itself).
    """

    def __init__(self, message: str, *, path: str, missing: str, parent: str) -> None:
        super().__init__(message, path=path)
        self.missing = missing
        self.parent = parent


class AmbiguousPathError(PathError, InvalidInputError):
    """Several entries of one directory (or several stores) have the name a path uses; the
    exchange allows that. Use one of `ids` in place of the name to choose.

    Attributes:
        name: the shared name.
        ids: the ids of every entry of that name, in listing order.
    """

    def __init__(self, message: str, *, path: str, name: str, ids: Sequence[str]) -> None:
        super().__init__(message, path=path)
        self.name = name
        self.ids = list(ids)


class PathExistsError(PathError, FileExistsError):
    """`mkdir` of a path that exists (without `exist_ok`), or exists as a file."""


class PathTypeError(PathError):
    """The path names a file where a directory is needed, or a directory where a file is."""


class PartialPublishError(DxError):
    """Some requests of a publish failed; others were written.

    Attributes:
        written_indexes: indexes (into the caller's records) that the exchange wrote.
        failed_indexes: indexes that were not written; publish exactly these again.
        errors: the error of each failed request, keyed by the index of its first record.
        results: the per-asset data returned by the requests that succeeded.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        written_indexes: Sequence[int],
        failed_indexes: Sequence[int],
        errors: Mapping[int, DxError],
        results: Sequence[Any] = (),
    ) -> None:
        super().__init__(message, operation=operation)
        self.written_indexes = list(written_indexes)
        self.failed_indexes = list(failed_indexes)
        self.errors = dict(errors)
        self.results = list(results)


class PublishInterruptedError(PartialPublishError):
    """What a publish had done when a `KeyboardInterrupt` (sync) or a cancellation (async)
    stopped it.

    It is never raised itself: the interrupt propagates unchanged (same type, same object, so
    `except Exception` never swallows it and asyncio/anyio still see their cancellation), with
    this error as its `__cause__`::

        except KeyboardInterrupt as interrupt:
            report = interrupt.__cause__  # PublishInterruptedError
            written = report.written_indexes
            raise

    Attributes:
        unconfirmed_indexes: the records of requests that were in flight: the exchange may or
            may not have written them. They are also in `failed_indexes`: publishing them
            again with the same values and `Version` is harmless (Timestream deduplicates an
            identical record).
    """

    def __init__(
        self, message: str, *, unconfirmed_indexes: Sequence[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.unconfirmed_indexes = list(unconfirmed_indexes)


# Names raised by the original avista_digital_exchange_sdk, kept so `except` clauses keep working.
UnauthorizedException = AuthenticationError
Unauthorized = PermissionDeniedError
QueryFailed = APIError
MutationFailed = APIError
MissingDataInResultException = InvalidResponseError
InvalidParameterException = InvalidInputError
FileNotFoundException = LocalFileNotFoundError
FileUploadException = UploadError
