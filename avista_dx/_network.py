"""`verify=` and `proxy=`: how the client's connections trust the server and reach it.

Resolved once per client into `NetworkOptions`, shared by the HTTP pool (httpx) and the
real-time WebSocket (websockets), so both transports trust the same certificates and use the
same proxy. I/O-free apart from reading the CA file the caller names.
"""

from __future__ import annotations

import os
import ssl
import warnings
from dataclasses import dataclass
from typing import Union

import httpx

from .errors import ConfigurationError

VerifyTypes = Union[bool, str, "os.PathLike[str]", ssl.SSLContext]
ProxyTypes = str | httpx.URL | httpx.Proxy


class InsecureTransportWarning(UserWarning):
    """`verify=False`: certificates are not checked, so the token can be intercepted."""


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """`ssl_context` None means each library's own default trust (certifi for httpx)."""

    ssl_context: ssl.SSLContext | None
    proxy: httpx.Proxy | None

    @property
    def httpx_verify(self) -> ssl.SSLContext | bool:
        """`verify=` of the `httpx.Client`/`AsyncClient` the client owns."""
        return True if self.ssl_context is None else self.ssl_context

    @property
    def proxy_url(self) -> str | None:
        return None if self.proxy is None else str(self.proxy.url)


DEFAULT_NETWORK = NetworkOptions(None, None)


def resolve_network(verify: VerifyTypes, proxy: ProxyTypes | None) -> NetworkOptions:
    return NetworkOptions(_ssl_context(verify), _proxy(proxy))


def _ssl_context(verify: VerifyTypes) -> ssl.SSLContext | None:
    if verify is True:
        return None
    if verify is False:
        warnings.warn(
            "verify=False disables TLS certificate checks: the token can be intercepted. "
            "Use it only for short-lived local debugging.",
            InsecureTransportWarning,
            stacklevel=4,
        )
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str | os.PathLike):
        path = os.fspath(verify)
        if not path:
            raise ConfigurationError("verify= is an empty path")
        try:
            if os.path.isdir(path):
                return ssl.create_default_context(capath=path)
            return ssl.create_default_context(cafile=path)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(
                f"verify={path!r}: not a readable PEM CA bundle or directory ({exc})"
            ) from exc
    raise ConfigurationError(
        "verify must be True, False, the path of a CA bundle (PEM) or an ssl.SSLContext, "
        f"not {type(verify).__name__}"
    )


def _proxy(proxy: ProxyTypes | None) -> httpx.Proxy | None:
    if proxy is None:
        return None
    if isinstance(proxy, httpx.Proxy):
        return proxy
    try:
        return httpx.Proxy(proxy)
    except (ValueError, TypeError, httpx.InvalidURL) as exc:
        raise ConfigurationError(f"invalid proxy {str(proxy)!r}: {exc}") from exc
