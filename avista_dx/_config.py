"""Settings resolved once into a frozen `ClientConfig`: arguments, then environment, then
defaults."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ENDPOINT_ENV,
    PRODUCTION_ENDPOINT,
    TOKEN_ENV,
)
from ._validation import shown, surrogate_problem
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
    problem = token_problem(resolved_token)
    if problem is not None:
        raise ConfigurationError(problem)
    return ClientConfig(
        token=resolved_token,
        endpoint=validate_endpoint(endpoint or env.get(ENDPOINT_ENV) or PRODUCTION_ENDPOINT),
        timeout=to_timeout(DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout),
        max_retries=validate_max_retries(
            DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        ),
        debug=bool(debug),
    )


def token_problem(token: str) -> str | None:
    """Why `token` cannot be sent as the Authorization header, in words that never quote it.

    httpx encodes header values as ASCII, and RFC 9110 allows no control characters in
    them: a zero-width space or a smart quote pasted along with the token would otherwise
    fail deep in httpx with a `UnicodeEncodeError` whose repr holds the whole token.
    """
    if token != token.strip():
        return "the token has surrounding whitespace or a line break"
    for index, char in enumerate(token):
        if not " " <= char <= "~":
            return (
                f"the token contains a character that cannot be sent in an HTTP header "
                f"(U+{ord(char):04X} at index {index} of {len(token)}); tokens are printable "
                "ASCII, so copy it again without the extra character"
            )
    return None


def validate_endpoint(endpoint: Any) -> str:
    if not isinstance(endpoint, str):
        raise ConfigurationError(f"endpoint must be a string, not {type(endpoint).__name__}")
    problem = surrogate_problem("the endpoint", endpoint)
    if problem is not None:
        raise ConfigurationError(problem)
    url, error = _parse_url(endpoint)
    if url is None:
        raise ConfigurationError(f"invalid endpoint {shown(endpoint)}: {error}")
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"invalid endpoint {shown(endpoint)}: expected an http(s) URL")
    if url.port is not None and not 0 < url.port < 65536:
        raise ConfigurationError(f"invalid endpoint {shown(endpoint)}: port {url.port}")
    return str(url)


def _parse_url(endpoint: str) -> tuple[httpx.URL | None, str]:
    # Returns instead of raising inside `except`, so the error carries no chained httpx one.
    try:
        return httpx.URL(endpoint), ""
    except httpx.InvalidURL as exc:
        return None, str(exc)


def to_timeout(timeout: Any) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not _positive(timeout):
        raise ConfigurationError(
            "timeout must be a positive, finite number of seconds, an httpx.Timeout or None, "
            f"not {shown(timeout)}"
        )
    return httpx.Timeout(float(timeout))


def _positive(seconds: float) -> bool:
    # Seconds beyond float range (a huge int) are not a timeout anyone means.
    return 0 < seconds < 1e12 and math.isfinite(seconds)


def validate_max_retries(max_retries: Any) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, not {shown(max_retries)}")
    return max_retries
