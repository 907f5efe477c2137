"""`BaseClient`: what both clients share beyond I/O — the constructor's checks, `with_options`,
the settings and the documented local constructors. Generic in the httpx client it holds, as
Stainless's `BaseClient[HttpxClientT, ...]`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

import httpx

from . import _records
from ._config import NOT_GIVEN, ClientConfig, NotGiven, TimeoutTypes, resolve_config
from ._constants import DEFAULT_PUBLISH_CONCURRENCY
from ._graphql_request import JSON_CONTENT_TYPE
from ._logs import setup_logging
from ._network import DEFAULT_NETWORK, NetworkOptions, ProxyTypes, VerifyTypes, resolve_network
from ._retry import RetryPolicy
from .errors import ConfigurationError
from .types import TimeSeriesDimension, TimeSeriesInputRecord, TimeSeriesMeasureValue

HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)
GraphQLClientT = TypeVar("GraphQLClientT")  # the generated Client or AsyncClient
_ClientT = TypeVar("_ClientT", bound="BaseClient[Any, Any]")


class BaseClient(Generic[HttpClientT, GraphQLClientT]):
    """Configuration, retry policy, connection pool ownership and the local constructors.

    A subclass says which httpx client it takes (`_http_client_type`) and builds its own
    pool and generated GraphQL client (`_new_http_client`, `_new_graphql_client`).
    """

    _http_client_type: ClassVar[type[httpx.Client] | type[httpx.AsyncClient]]
    _config: ClientConfig
    _retry: RetryPolicy
    _publish_concurrency: int
    _http: HttpClientT
    _owns_http: bool
    _graphql: GraphQLClientT
    _options: dict[str, Any]
    _network: NetworkOptions

    def __init__(
        self,
        token: str | None = None,
        debug: bool = False,
        *,
        endpoint: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        http_client: HttpClientT | None = None,
        publish_concurrency: int = DEFAULT_PUBLISH_CONCURRENCY,
        verify: VerifyTypes = True,
        proxy: ProxyTypes | None = None,
    ) -> None:
        """Every setting is checked here, before any connection is made (each client's docstring
        describes them)."""
        self._config = resolve_config(
            token, debug=debug, endpoint=endpoint, timeout=timeout, max_retries=max_retries
        )
        self._network = resolve_network(verify, proxy)
        if http_client is not None and self._network != DEFAULT_NETWORK:
            raise ConfigurationError(
                "verify= and proxy= configure the connection pool the client builds; with "
                "http_client=, configure them on that httpx client instead"
            )
        if not isinstance(publish_concurrency, int) or publish_concurrency < 1:
            raise ConfigurationError("publish_concurrency must be an integer >= 1")
        expected = self._http_client_type
        if http_client is not None and not isinstance(http_client, expected):
            raise ConfigurationError(
                f"http_client must be an httpx.{expected.__name__}, "
                f"not {type(http_client).__name__}"
            )
        self._publish_concurrency = publish_concurrency
        self._retry = RetryPolicy(self._config.max_retries)
        self._options = {
            "headers": {"Authorization": self._config.token, **JSON_CONTENT_TYPE},
            "timeout": self._config.timeout,
        }
        setup_logging(self._config.debug)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http_client()
        self._graphql = self._new_graphql_client()

    def _new_http_client(self) -> HttpClientT:
        """The connection pool this client owns when none is passed in."""
        raise NotImplementedError

    def _new_graphql_client(self) -> GraphQLClientT:
        """The generated client on `self._http` and the configured endpoint."""
        raise NotImplementedError

    def with_options(
        self: _ClientT,
        *,
        endpoint: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
    ) -> _ClientT:
        """A copy with other settings that shares this client's connection pool.

        Closing the copy leaves the pool open; close the original when done.
        """
        config = self._config
        copy = type(self)(
            config.token,
            config.debug,
            endpoint=config.endpoint if endpoint is None else endpoint,
            timeout=config.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=config.max_retries if max_retries is None else max_retries,
            http_client=self._http,  # passed in: the copy never closes it
            publish_concurrency=self._publish_concurrency,
        )
        copy._network = self._network  # the shared pool's; the copy's WebSocket uses it too
        return copy

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
        """The httpx options of every GraphQL request: per request, so that a caller's own
        http_client gets the token and timeouts too. Built once (httpx copies them)."""
        return self._options

    def _realtime_options(self) -> dict[str, Any]:
        """The real-time WebSocket's TLS and proxy: the HTTP pool's (`verify=`, `proxy=`)."""
        options: dict[str, Any] = {"proxy": self._network.proxy_url}
        if self._network.ssl_context is not None and self._config.endpoint.startswith("https:"):
            options["ssl"] = self._network.ssl_context  # websockets refuses ssl= for ws://
        return options

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
