"""`verify=` and `proxy=` (1.2.1's corporate-TLS option, and proxies through httpx)."""

from __future__ import annotations

import ssl
import warnings
from pathlib import Path

import httpx
import pytest

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, ConfigurationError
from avista_dx._network import InsecureTransportWarning

CLIENTS = [AvistaDigitalExchange, AsyncAvistaDigitalExchange]


def pool_context(client: object) -> ssl.SSLContext:
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    context: ssl.SSLContext = pool._ssl_context
    return context


@pytest.mark.parametrize("client_type", CLIENTS)
def test_an_ssl_context_is_used_as_given(client_type: type) -> None:
    context = ssl.create_default_context()
    dx = client_type("t", verify=context)
    assert pool_context(dx) is context
    assert dx._network.ssl_context is context  # the WebSocket gets the same trust


@pytest.mark.parametrize("client_type", CLIENTS)
def test_a_ca_bundle_path_is_loaded_into_a_context(client_type: type) -> None:
    import certifi

    dx = client_type("t", verify=Path(certifi.where()))
    context = pool_context(dx)
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs()  # the bundle's CAs


@pytest.mark.parametrize("client_type", CLIENTS)
def test_a_missing_ca_bundle_is_a_configuration_error(tmp_path: Path, client_type: type) -> None:
    with pytest.raises(ConfigurationError, match="not a readable PEM"):
        client_type("t", verify=str(tmp_path / "missing.pem"))
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(ConfigurationError):
        client_type("t", verify=tmp_path / "junk.pem")


@pytest.mark.parametrize("client_type", CLIENTS)
def test_verify_false_warns_and_checks_nothing(client_type: type) -> None:
    with pytest.warns(InsecureTransportWarning, match="intercepted"):
        dx = client_type("t", verify=False)
    context = pool_context(dx)
    assert context.verify_mode is ssl.CERT_NONE
    assert not context.check_hostname


@pytest.mark.parametrize("client_type", CLIENTS)
def test_the_default_verifies_without_a_warning(client_type: type) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dx = client_type("t")
    assert dx._network.ssl_context is None
    assert pool_context(dx).verify_mode is ssl.CERT_REQUIRED


@pytest.mark.parametrize("bad", [1, "", object()])
def test_other_verify_values_are_refused(bad: object) -> None:
    with pytest.raises(ConfigurationError):
        AvistaDigitalExchange("t", verify=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("client_type", CLIENTS)
def test_a_proxy_routes_the_pool(client_type: type) -> None:
    dx = client_type("t", proxy="http://proxy.corp:3128")
    assert dx._network.proxy_url == "http://proxy.corp:3128"
    mounts = dx._http._mounts  # type: ignore[attr-defined]
    (proxied,) = [t._pool._proxy_url for t in mounts.values() if t is not None]
    assert (proxied.host, proxied.port) == (b"proxy.corp", 3128)


def test_a_bad_proxy_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="invalid proxy"):
        AvistaDigitalExchange("t", proxy="ftp://proxy.corp")


def test_verify_or_proxy_with_an_own_http_client_is_refused() -> None:
    with httpx.Client() as http:
        with pytest.raises(ConfigurationError, match="http_client"):
            AvistaDigitalExchange("t", http_client=http, proxy="http://proxy.corp:3128")
        with pytest.raises(ConfigurationError, match="http_client"):
            AvistaDigitalExchange("t", http_client=http, verify=ssl.create_default_context())


def test_with_options_keeps_the_network_settings() -> None:
    context = ssl.create_default_context()
    dx = AvistaDigitalExchange("t", verify=context, proxy="http://proxy.corp:3128")
    copy = dx.with_options(max_retries=0)
    assert copy._network == dx._network
    assert copy._http is dx._http


def test_the_websocket_gets_the_same_trust_and_proxy() -> None:
    context = ssl.create_default_context()
    dx = AvistaDigitalExchange(
        "t", endpoint="https://a.appsync-api.test/graphql", verify=context, proxy="http://p:1"
    )
    assert dx._realtime_options() == {"proxy": "http://p:1", "ssl": context}
    plain = AvistaDigitalExchange("t", endpoint="http://127.0.0.1:4000/graphql", verify=context)
    assert plain._realtime_options() == {"proxy": None}  # websockets refuses ssl= for ws://


@pytest.mark.parametrize("context", [None, ssl.create_default_context()])
def test_the_realtime_socket_is_opened_with_a_context_only_when_one_is_set(
    context: ssl.SSLContext | None,
) -> None:
    import asyncio

    pytest.importorskip("websockets")
    from avista_dx._realtime import RealtimeConnection
    from avista_dx.errors import RealtimeConnectionError

    seen: dict[str, object] = {}

    async def refuse(url: str, **options: object) -> None:
        seen.update(options)
        raise OSError("no network in this test")

    async def scenario() -> None:
        connection = RealtimeConnection(
            "https://a.appsync-api.test/graphql", "t", ssl=context, open_socket=refuse
        )
        with pytest.raises(RealtimeConnectionError):
            await connection.subscribe(
                'subscription { onIotPublish(iotEndpointId: "e") { iotEndpointId } }'
            )
        await connection.close()

    asyncio.run(scenario())
    assert ("ssl" in seen) is (context is not None)
    assert seen["proxy"] is True  # websockets' default: the proxy environment variables
