"""The SDK's I/O-free real-time protocol machine and URL rule (no socket, no clock)."""

from __future__ import annotations

import base64
import json

import pytest

pytest.importorskip("websockets")

from avista_dx._realtime import (
    ClientProtocol,
    SubscriptionRequest,
    _protocol,
    api_host,
    realtime_url,
)
from avista_dx.errors import ConfigurationError


@pytest.mark.parametrize(
    ("graphql_url", "expected"),
    [
        (
            "https://abc.appsync-api.us-west-2.amazonaws.com/graphql",
            "wss://abc.appsync-realtime-api.us-west-2.amazonaws.com/graphql",
        ),
        ("http://127.0.0.1:4000/graphql", "ws://127.0.0.1:4000/graphql"),
        ("https://proxy.example/appsync-api/graphql", "wss://proxy.example/appsync-api/graphql"),
    ],
)
def test_the_realtime_url_is_derived_from_the_graphql_url(graphql_url: str, expected: str) -> None:
    assert realtime_url(graphql_url) == expected


def test_the_api_host_keeps_the_port_and_rejects_other_schemes() -> None:
    assert api_host("http://127.0.0.1:4000/graphql") == "127.0.0.1:4000"
    with pytest.raises(ConfigurationError):
        realtime_url("ftp://example/graphql")


def ready(protocol: ClientProtocol, timeout_ms: int = 300_000, now: float = 0.0) -> None:
    protocol.initialise(now)
    event = protocol.receive(
        json.dumps({"type": "connection_ack", "payload": {"connectionTimeoutMs": timeout_ms}}), now
    )
    assert event == _protocol.ConnectionAcknowledged(timeout_ms)


def test_the_keep_alive_timeout_is_read_in_milliseconds() -> None:
    protocol = ClientProtocol("h", "t", ack_timeout=10)
    protocol.initialise(100.0)
    assert protocol.deadline() == 110.0  # before the ack: the ack timeout
    ready(protocol, 600, now=100.0)
    assert protocol.deadline() == pytest.approx(100.6)  # 600 ms, not 600 s
    assert protocol.receive('{"type": "ka"}', 101.0) is None
    assert protocol.deadline() == pytest.approx(101.6)


def test_start_carries_its_own_authorization_and_a_json_string() -> None:
    protocol = ClientProtocol("api.host", "secret-token", ack_timeout=10)
    with pytest.raises(RuntimeError):
        protocol.start("1", SubscriptionRequest("subscription { x }"))  # before the ack
    ready(protocol)
    message = json.loads(protocol.start("1", SubscriptionRequest("subscription { x }", {"a": 1})))
    assert message["type"] == "start"
    assert message["id"] == "1"
    assert json.loads(message["payload"]["data"]) == {
        "query": "subscription { x }",
        "variables": {"a": 1},
    }
    assert message["payload"]["extensions"]["authorization"] == {
        "host": "api.host",
        "Authorization": "secret-token",
    }
    assert "secret-token" not in repr(protocol)


def test_messages_map_to_events_and_stopped_ids_get_nothing() -> None:
    protocol = ClientProtocol("h", "t", ack_timeout=10)
    ready(protocol)
    protocol.start("1", SubscriptionRequest("s"))
    assert protocol.receive('{"type": "start_ack", "id": "1"}', 1) == _protocol.Started("1")
    data = '{"type": "data", "id": "1", "payload": {"data": {"x": 1}}}'
    assert protocol.receive(data, 1) == _protocol.Data("1", {"data": {"x": 1}})
    assert json.loads(protocol.stop("1") or "") == {"type": "stop", "id": "1"}
    assert protocol.receive(data, 1) is None  # after stop: nothing more
    assert protocol.receive('{"type": "complete", "id": "1"}', 1) == _protocol.Completed("1")
    assert protocol.subscription_ids == []
    assert protocol.receive('{"type": "surprise"}', 1) is None  # unknown types are ignored
    assert protocol.receive("not json", 1) is None


def test_error_payloads_are_objects_with_a_list() -> None:
    protocol = ClientProtocol("h", "t", ack_timeout=10)
    ready(protocol)
    protocol.start("1", SubscriptionRequest("s"))
    error = {"errorType": "MaxSubscriptionsReachedError", "message": "Max number"}
    failed = protocol.receive(
        json.dumps({"type": "error", "id": "1", "payload": {"errors": [error]}}), 1
    )
    assert failed == _protocol.Failed("1", [error])
    # A lone object instead of a list (seen from AppSync's LimitExceededError) still parses.
    lone = protocol.receive(json.dumps({"type": "error", "payload": {"errors": error}}), 1)
    assert lone == _protocol.ServerError([error])
    rejected = protocol.receive(
        json.dumps(
            {
                "type": "connection_error",
                "payload": {"errors": [{"errorType": "UnauthorizedException"}]},
            }
        ),
        1,
    )
    assert rejected == _protocol.ConnectionRejected([{"errorType": "UnauthorizedException"}])


def test_a_lost_connection_returns_the_subscriptions_to_restart() -> None:
    protocol = ClientProtocol("h", "t", ack_timeout=10)
    ready(protocol)
    kept, stopping = SubscriptionRequest("a"), SubscriptionRequest("b")
    protocol.start("1", kept)
    protocol.start("2", stopping)
    protocol.stop("2")
    assert protocol.connection_lost() == [("1", kept)]
    assert protocol.stop("1") is None  # nothing to stop on a socket that is gone


def test_the_header_parameter_is_base64_json() -> None:
    decoded = json.loads(base64.b64decode(_protocol.encode_header("h:1", "tok")))
    assert decoded == {"host": "h:1", "Authorization": "tok"}


def test_without_the_extra_the_import_names_it() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['websockets'] = None\n"
        "import avista_dx\n"
        "try:\n"
        "    import avista_dx._realtime\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "avista-dx[realtime]" in result.stdout
