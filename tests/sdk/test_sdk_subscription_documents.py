"""The subscription documents (sent over the real-time WebSocket, so not in queries/) validate
against schema.graphql and are named after their single root field, like queries/'s."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, OperationType, parse, validate

from avista_dx import _data_capture, _ops_data_capture, _ops_data_stores, _subscriptions

from .fake_exchange import SCHEMA

DOCUMENTS = [
    _subscriptions.ON_IOT_PUBLISH,
    _subscriptions.ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE,
    _subscriptions.ON_TIME_SERIES_DB_PUBLISH,
    _subscriptions.ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE,
    _data_capture.ON_CAPTURE_PUBLISH_DATA,
    _ops_data_capture.ON_START_CAPTURE,
    _ops_data_capture.ON_STOP_CAPTURE,
    _ops_data_capture.ON_NOTIFY_CAPTURE_COMPLETE,
    _ops_data_stores.ON_NOTIFY_UPLOAD_COMPLETE,
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_subscription_validates_and_is_named_after_its_root_field(document: str) -> None:
    parsed = parse(document)
    assert validate(SCHEMA, parsed) == []
    (operation,) = parsed.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.operation is OperationType.SUBSCRIPTION
    (root,) = operation.selection_set.selections
    assert operation.name is not None
    assert operation.name.value == root.name.value  # type: ignore[attr-defined]


def test_calls_carry_their_document_and_variables() -> None:
    call = _subscriptions.on_iot_publish("iotEndpointId.1")
    assert (call.operation, call.variables) == (
        "onIotPublish",
        {"iotEndpointId": "iotEndpointId.1"},
    )
    assert call.query == _subscriptions.ON_IOT_PUBLISH
    capture = _data_capture.on_capture_publish_data("captureId.1")
    assert capture.variables == {"captureId": "captureId.1"}
