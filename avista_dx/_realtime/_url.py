"""The real-time URL rule (docs/protocol.md §6.1): derived from the GraphQL URL, never twice.

``https`` → ``wss``, ``http`` → ``ws``, and the service's ``appsync-api`` host becomes its
``appsync-realtime-api`` host; port and path stay. The *API host* (the GraphQL URL's host, with
its port when it has one) goes into every authorization header of the connection.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ..errors import ConfigurationError

_SCHEMES = {"https": "wss", "http": "ws"}
_API_LABEL = ".appsync-api."
_REALTIME_LABEL = ".appsync-realtime-api."


def realtime_url(graphql_url: str) -> str:
    parts = urlsplit(graphql_url)
    scheme = _SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.netloc:
        raise ConfigurationError("the GraphQL endpoint must be an http:// or https:// URL")
    return urlunsplit(
        (scheme, parts.netloc.replace(_API_LABEL, _REALTIME_LABEL), parts.path, "", "")
    )


def api_host(graphql_url: str) -> str:
    """The host (and port) of the GraphQL endpoint, as AppSync's authorization expects it."""
    netloc = urlsplit(graphql_url).netloc
    return netloc.rsplit("@", 1)[-1]
