"""Settings resolved once into a frozen `ClientConfig`: arguments, then environment, then
defaults."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ENDPOINT_ENV,
    PRODUCTION_ENDPOINT,
    TOKEN_ENV,
)
from .errors import ConfigurationError

TimeoutTypes = float | httpx.Timeout | None


class NotGiven:
    """Marks an argument the caller did not pass (None is a meaningful timeout)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to talk to the exchange. The token is kept out of repr."""

    token: str = field(repr=False)
    endpoint: str
    timeout: httpx.Timeout
    max_retries: int
    debug: bool

    def replace(self, **changes: object) -> ClientConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def resolve_config(
    token: str | None,
    *,
    debug: bool = False,
    endpoint: str | None = None,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> ClientConfig:
    env = os.environ if environ is None else environ
    resolved_token = token if token is not None else env.get(TOKEN_ENV)
    if not resolved_token or not isinstance(resolved_token, str) or not resolved_token.strip():
        raise ConfigurationError(
            f"no token: pass `token` or set the {TOKEN_ENV} environment variable "
            "(create one at https://energy.collaboratives.io)"
        )
    if resolved_token != resolved_token.strip() or any(c in resolved_token for c in "\r\n"):
        raise ConfigurationError("the token has surrounding whitespace or a line break")
    return ClientConfig(
        token=resolved_token,
        endpoint=validate_endpoint(endpoint or env.get(ENDPOINT_ENV) or PRODUCTION_ENDPOINT),
        timeout=to_timeout(DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout),
        max_retries=validate_max_retries(
            DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        ),
        debug=bool(debug),
    )


def validate_endpoint(endpoint: str) -> str:
    try:
        url = httpx.URL(endpoint)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"invalid endpoint {endpoint!r}: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"invalid endpoint {endpoint!r}: expected an http(s) URL")
    return str(url)


def to_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is not None and (isinstance(timeout, bool) or timeout <= 0):
        raise ConfigurationError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return httpx.Timeout(timeout)


def validate_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, not {max_retries!r}")
    return max_retries
