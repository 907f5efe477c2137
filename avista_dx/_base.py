"""What the sync and async clients share beyond I/O: configuration and the local constructors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from . import _records
from ._config import (
    ClientConfig,
    NotGiven,
    TimeoutTypes,
    resolve_config,
    to_timeout,
    validate_endpoint,
    validate_max_retries,
)
from ._logs import setup_logging
from ._retry import RetryPolicy
from ._transfers import DownloadSink, transfer_failure
from .errors import ConfigurationError, DownloadError, DxError, TransferError, UploadError
from .types import (
    DataStoreFile,
    TimeSeriesDimension,
    TimeSeriesInputRecord,
    TimeSeriesMeasureValue,
)


class BaseExchangeClient:
    """Configuration, retry policy and the documented local constructors (`createTimeSeries*`)."""

    _config: ClientConfig
    _retry: RetryPolicy
    _publish_concurrency: int

    def _configure(
        self,
        token: str | None,
        debug: bool,
        endpoint: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
        publish_concurrency: int,
    ) -> None:
        self._config = resolve_config(
            token, debug=debug, endpoint=endpoint, timeout=timeout, max_retries=max_retries
        )
        if not isinstance(publish_concurrency, int) or publish_concurrency < 1:
            raise ConfigurationError("publish_concurrency must be an integer >= 1")
        self._publish_concurrency = publish_concurrency
        self._retry = RetryPolicy(self._config.max_retries)
        setup_logging(self._config.debug)

    def _configured_copy(
        self,
        *,
        endpoint: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | None,
    ) -> dict[str, Any]:
        config = self._config
        if endpoint is not None:
            config = config.replace(endpoint=validate_endpoint(endpoint))
        if not isinstance(timeout, NotGiven):
            config = config.replace(timeout=to_timeout(timeout))
        if max_retries is not None:
            config = config.replace(max_retries=validate_max_retries(max_retries))
        return {"_config": config, "_retry": RetryPolicy(config.max_retries)}

    @property
    def endpoint(self) -> str:
        """The GraphQL URL this client talks to."""
        return self._config.endpoint

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    def _request_options(self) -> dict[str, Any]:
        # Per request, so that a caller's own http_client gets the token and timeouts too.
        return {"headers": {"Authorization": self._config.token}, "timeout": self._config.timeout}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self._config.endpoint!r})"

    # -- documented local constructors (no request) -------------------------------------------

    def createTimeSeriesMeasureValue(
        self, Type: str, Name: str, Value: str
    ) -> TimeSeriesMeasureValue:
        """A measure of a MULTI record. `Type`: DOUBLE, BIGINT, VARCHAR, BOOLEAN or TIMESTAMP.

        Raises:
            InvalidInputError: an unknown type, an empty name, or a value not of that type.
        """
        return _records.measure_value(Type, Name, Value)

    def createTimeSeriesDimension(
        self, DimensionValueType: str, Name: str, Value: str
    ) -> TimeSeriesDimension:
        """A dimension (metadata attribute) of a record. `DimensionValueType`: VARCHAR."""
        return _records.dimension(DimensionValueType, Name, Value)

    def createTimeSeriesInputRecord(
        self,
        Time: str,
        TimeUnit: str,
        MeasureName: str,
        MeasureValueType: str,
        MeasureValue: str | None = None,
        MeasureValues: Sequence[TimeSeriesMeasureValue] | None = None,
        Dimensions: Sequence[TimeSeriesDimension] | None = None,
        Version: int | None = 1,
    ) -> TimeSeriesInputRecord:
        """A time series record.

        `Time` is an epoch integer (string) in `TimeUnit` (SECONDS, MILLISECONDS, MICROSECONDS
        or NANOSECONDS). `MULTI` records need `MeasureValues`, the others `MeasureValue`.
        `Version` defaults to 1; None leaves it out. Empty `Dimensions` are left out.

        Raises:
            InvalidInputError: any rule above is broken (nothing is sent).
        """
        return _records.input_record(
            Time,
            TimeUnit,
            MeasureName,
            MeasureValueType,
            MeasureValue,
            MeasureValues,
            Dimensions,
            Version,
        )


def expected_size(meta: DataStoreFile) -> int | None:
    """`storageSizeBytes` when usable (it is a 32-bit Int on the exchange)."""
    size = meta.storageSizeBytes
    return size if size is not None and size >= 0 else None


def download_failure(exc: BaseException, sink: DownloadSink, operation: str) -> BaseException:
    """Discards the partial file and returns what to raise (or retry) for `exc`."""
    sink.discard()
    failure = transfer_failure(exc, DownloadError)
    if isinstance(failure, DownloadError):
        failure.operation = failure.operation or operation
    return failure


def upload_failure(exc: Exception, rollback_error: DxError | None) -> UploadError:
    """The `UploadError` to raise for `exc` once the file record was rolled back.

    It keeps whether the cause was transient (the retries were spent on a storage fault), so
    callers can decide to try the whole upload again later.
    """
    message = exc.message if isinstance(exc, UploadError) else f"upload failed: {exc}"
    return UploadError(
        message,
        operation="uploadFileToDataStore",
        transient=isinstance(exc, TransferError) and exc.transient,
        rollback_error=rollback_error,
    )
