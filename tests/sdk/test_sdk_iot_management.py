"""dx.iot's methods beyond 1.2.1's (hubs, models, DTDL, endpoints and tokens, groups, last
values of a group or hub, cancel) on the fake exchange, sync and async.

The table rows are tests/sdk/operation_table.Case rows (arguments -> variables sent, a canned
answer, the documented result), run by test_sdk_operation_tables.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from avista_dx import InvalidResponseError, PaginationError
from avista_dx.types_iot import DigitalTwinModel, EndpointLastValues, IotHub
from avista_dx.types_users import AuthenticationToken

from .conftest import ClientFactory
from .driver import Driver
from .fake_exchange import FakeExchange
from .fake_iot import S3
from .operation_table import BadCall, Case, answering

HUB = {"iotHubId": "iotHub.2", "name": "Plant", "description": None, "ownerUserId": "u"}
TELEMETRY = {"name": "speed", "schemaType": "double", "index": 0, "attributeType": "Telemetry"}
MODEL = {
    "modelId": "model.2",
    "dtmi": "dtmi:u:Meter;2",
    "displayName": "Meter",
    "ownerUserId": "u",
    "properties": [
        {"name": "serial", "schemaType": "string", "index": 0, "attributeType": "Property"}
    ],
    "telemetry": [TELEMETRY],
}
ENDPOINT = {
    "iotEndpointId": "iotEndpoint.2",
    "iotHubId": "iotHub.2",
    "modelId": "model.2",
    "name": "Meter 2",
    "ownerUserId": "u",
    "properties": [],
    "telemetry": [TELEMETRY],
}
GROUP = {
    "iotGroupId": "iotGroup.2",
    "iotHubId": "iotHub.2",
    "name": "Roof",
    "ownerUserId": "u",
    "iotEndpointIds": ["iotEndpoint.2"],
}
TOKEN = {
    "tokenId": "token.9",
    "name": "iotEndpoint.2",
    "userId": "u",
    "dateCreated": "2026-01-01T00:00:00Z",
    "dateExpires": "2036-01-01T00:00:00Z",
    "tokenType": "IOT_ENDPOINT_READ_WRITE",
    "tokenValue": "device-secret",
}
DTDL = {
    "@context": "dtmi:dtdl:context;2",
    "@id": "dtmi:u:Meter;2",
    "@type": "Interface",
    "contents": [{"@type": "Telemetry", "name": "speed", "schema": "double"}],
}
NEW_TELEMETRY = [
    {"name": "speed", "schemaType": "double"},
    {"name": "rpm", "schemaType": "integer"},
]

CASES = [
    # -- hubs ---------------------------------------------------------------------------------
    Case("iot.listHubs", (), {}, "iot_listHubs", {}, [HUB, None]),
    Case("iot.getHub", ("iotHub.2",), {}, "iot_getHub", {"iotHubId": "iotHub.2"}, HUB,
         ("name", "Plant")),
    Case("iot.createHub", ("Plant",), {}, "iot_createHub", {"name": "Plant"}, HUB,
         ("iotHubId", "iotHub.2")),
    Case("iot.createHub", ("Plant",), {"description": ""}, "iot_createHub",
         {"name": "Plant", "description": ""}, HUB),
    Case("iot.updateHub", ("iotHub.2",), {"description": "north"}, "iot_updateHub",
         {"iotHubId": "iotHub.2", "description": "north"}, HUB),
    Case("iot.deleteHub", ("iotHub.2",), {}, "iot_deleteHub", {"iotHubId": "iotHub.2"}, HUB),
    Case("iot.listEndpointsInHub", ("iotHub.2",), {}, "iot_listEndpointsInHub",
         {"iotHubId": "iotHub.2"}, [ENDPOINT]),
    # -- models -------------------------------------------------------------------------------
    Case("iot.listModels", (), {}, "iot_listModels", {}, [MODEL]),
    Case("iot.getModel", ("model.2",), {}, "iot_getModel", {"modelId": "model.2"}, MODEL,
         ("dtmi", "dtmi:u:Meter;2")),
    Case("iot.getModelInDTDLFormat", ("model.2",), {}, "iot_getModelInDTDLFormat",
         {"modelId": "model.2"}, json.dumps(DTDL), returns=DTDL),
    Case("iot.updateModel", ("model.2",), {"displayName": "Meter v2"}, "iot_updateModel",
         {"modelId": "model.2", "displayName": "Meter v2"}, MODEL),
    Case("iot.createNewModelVersion", ("model.2",), {}, "iot_createNewModelVersion",
         {"modelId": "model.2"}, MODEL, ("modelId", "model.2")),
    Case("iot.createNewModelVersion", ("model.2",), {"version": 3, "telemetry": NEW_TELEMETRY},
         "iot_createNewModelVersion",
         {"modelId": "model.2", "version": 3, "telemetry": [
             {"name": "speed", "schemaType": "double", "index": 0},
             {"name": "rpm", "schemaType": "integer", "index": 1}]}, MODEL),
    Case("iot.deleteModel", ("model.2",), {}, "iot_deleteModel", {"modelId": "model.2"}, MODEL),
    Case("iot.updateModelUsedByEndpoint", ("iotEndpoint.2", "model.2"), {},
         "iot_updateModelUsedByEndpoint", {"iotEndpointId": "iotEndpoint.2", "modelId": "model.2"},
         ENDPOINT, ("modelId", "model.2")),
    # -- endpoints and their tokens -----------------------------------------------------------
    Case("iot.updateEndpoint", ("iotEndpoint.2",), {"name": "Meter 2b"}, "iot_updateEndpoint",
         {"iotEndpointId": "iotEndpoint.2", "name": "Meter 2b"}, ENDPOINT),
    Case("iot.deleteEndpoint", ("iotEndpoint.2",), {}, "iot_deleteEndpoint",
         {"iotEndpointId": "iotEndpoint.2"}, ENDPOINT, ("name", "Meter 2")),
    Case("iot.getEndpointToken", ("iotEndpoint.2",), {}, "iot_getEndpointToken",
         {"iotEndpointId": "iotEndpoint.2"}, TOKEN, ("tokenValue", "device-secret")),
    Case("iot.regenerateEndpointToken", ("iotEndpoint.2",), {}, "iot_regenerateEndpointToken",
         {"iotEndpointId": "iotEndpoint.2"}, TOKEN, ("tokenType", "IOT_ENDPOINT_READ_WRITE")),
    # -- groups -------------------------------------------------------------------------------
    Case("iot.listGroups", ("iotHub.2",), {}, "iot_listGroups", {"iotHubId": "iotHub.2"},
         [GROUP, None]),
    Case("iot.listGroups", ("iotHub.2",), {"includeEndpoints": True}, "iot_listGroups",
         {"iotHubId": "iotHub.2", "includeEndpoints": True}, [dict(GROUP, endpoints=[ENDPOINT])]),
    Case("iot.createGroup", ("iotHub.2", "Roof"), {"iotEndpointIds": "iotEndpoint.2"},
         "iot_createGroup",
         {"iotHubId": "iotHub.2", "name": "Roof", "iotEndpointIds": ["iotEndpoint.2"]}, GROUP,
         ("iotEndpointIds", ["iotEndpoint.2"])),
    Case("iot.updateGroup", ("iotGroup.2",), {"name": "Attic"}, "iot_updateGroup",
         {"iotGroupId": "iotGroup.2", "name": "Attic"}, GROUP),
    Case("iot.deleteGroup", ("iotGroup.2",), {}, "iot_deleteGroup", {"iotGroupId": "iotGroup.2"},
         GROUP),
    Case("iot.removeEndpointsFromGroup", ("iotGroup.2", ["iotEndpoint.2"]), {},
         "iot_removeEndpointsFromGroup",
         {"iotGroupId": "iotGroup.2", "iotEndpointIds": ["iotEndpoint.2"]}, GROUP),
    # -- cancelling a query -------------------------------------------------------------------
    Case("iot.cancelQuery", ("query.1",), {}, "iot_cancelQuery", {"queryId": "query.1"},
         {"httpStatusCode": 200, "errorMessage": None}, ("httpStatusCode", 200)),
]  # fmt: skip


def test_results_have_the_documented_types(dx: Driver, fake: FakeExchange) -> None:
    answering(fake, "iot_createHub", HUB)
    answering(fake, "iot_getModel", MODEL)
    answering(fake, "iot_getModelInDTDLFormat", json.dumps(DTDL))
    assert isinstance(dx.iot.createHub("Plant"), IotHub)
    model = dx.iot.getModel("model.2")
    assert isinstance(model, DigitalTwinModel)
    assert [t.name for t in model.telemetry] == ["speed"]
    assert dx.iot.getModelInDTDLFormat("model.2") == DTDL  # the JSON-LD, parsed


@pytest.mark.parametrize("document", ["not json", "[1, 2]"])
def test_a_dtdl_document_that_is_not_a_json_object_is_an_invalid_response(
    dx: Driver, fake: FakeExchange, document: str
) -> None:
    answering(fake, "iot_getModelInDTDLFormat", document)
    with pytest.raises(InvalidResponseError, match="DTDL"):
        dx.iot.getModelInDTDLFormat("model.2")


@pytest.mark.parametrize("method", ["getEndpointToken", "regenerateEndpointToken"])
def test_the_endpoint_token_stays_out_of_reprs_and_logs(
    make_dx: ClientFactory, fake: FakeExchange, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    answering(fake, f"iot_{method}", TOKEN)
    with caplog.at_level(logging.DEBUG, logger="avista_dx"):
        token = getattr(make_dx(debug=True).iot, method)("iotEndpoint.2")
    assert isinstance(token, AuthenticationToken)
    assert token.tokenValue == "device-secret"
    assert "device-secret" not in repr(token)
    assert "device-secret" not in str(token)
    assert "device-secret" not in caplog.text


# -- last values of a group or a hub: every nextToken, stored pages ----------------------------


def endpoint_values(endpoint_id: str, value: str) -> dict[str, Any]:
    return {
        "iotEndpointId": endpoint_id,
        "telemetryValues": [
            {"telemetryModel": TELEMETRY, "value": value, "timestamp": "1000"},
            {"telemetryModel": dict(TELEMETRY, name="rpm", index=1), "value": None,
             "timestamp": None},
        ],
    }  # fmt: skip


def paged_last_values(fake: FakeExchange, root: str, pages: int) -> list[dict[str, Any]]:
    """`root` answers one endpoint per page, `pages` pages; the second kept in storage."""
    received: list[dict[str, Any]] = []

    def resolve(info: Any, **arguments: Any) -> dict[str, Any]:
        received.append(arguments)
        index = int(arguments.get("nextToken") or 0)
        if index:
            assert (arguments["clientToken"], arguments["queryId"]) == ("ct", "q")
        data = [endpoint_values(f"iotEndpoint.{index}", str(index))]
        page: dict[str, Any] = {
            "clientToken": "ct",
            "queryId": "q",
            "nextToken": str(index + 1) if index + 1 < pages else None,
            "resultStoredInS3": False,
            "presignedUrl": None,
            "data": data,
        }
        if index == 1:
            fake.blobs["values-1"] = json.dumps(data).encode()
            page.update(resultStoredInS3=True, presignedUrl=f"{S3}/get?key=values-1", data=[])
        return page

    fake.extra_roots[root] = resolve
    return received


@pytest.mark.parametrize(
    ("method", "root", "argument"),
    [
        ("listGroupsEndpointsLastValues", "iot_listGroupsEndpointsLastValues", "iotGroupId"),
        ("listHubsEndpointsLastValues", "iot_listHubsEndpointsLastValues", "iotHubId"),
    ],
)
def test_group_and_hub_last_values_follow_next_token_and_stored_pages(
    dx: Driver, fake: FakeExchange, method: str, root: str, argument: str
) -> None:
    received = paged_last_values(fake, root, pages=3)
    result = getattr(dx.iot, method)("target.1")
    assert fake.invalid_documents == []
    assert all(isinstance(item, EndpointLastValues) for item in result)
    assert [item.iotEndpointId for item in result] == [f"iotEndpoint.{i}" for i in range(3)]
    assert [v.value for v in result[1].telemetryValues] == ["1", None]  # the stored page
    assert result[0].telemetryValues[0].telemetryModel is not None
    assert result[0].telemetryValues[0].telemetryModel.name == "speed"
    assert [r.get("nextToken") for r in received] == [None, "1", "2"]
    assert all(r[argument] == "target.1" for r in received)
    assert [r.url.params["key"] for r in fake.s3_requests] == ["values-1"]


def test_group_last_values_stop_on_a_repeated_token(dx: Driver, fake: FakeExchange) -> None:
    fake.extra_roots["iot_listGroupsEndpointsLastValues"] = lambda info, **arguments: {
        "clientToken": "ct",
        "nextToken": "again",
        "resultStoredInS3": False,
        "data": [],
    }
    with pytest.raises(PaginationError):
        dx.iot.listGroupsEndpointsLastValues("iotGroup.2")


# -- bad input: refused before any request (run by test_sdk_operation_tables) ------------------

BAD_CALLS: list[BadCall] = [
    ("iot.createHub", ("",), {}),
    ("iot.updateHub", ("iotHub.2",), {}),  # nothing to change
    ("iot.getHub", (None,), {}),
    ("iot.updateModel", ("model.2",), {}),
    ("iot.createNewModelVersion", ("model.2",), {"version": 0}),
    ("iot.createNewModelVersion", ("model.2",), {"version": "next"}),
    ("iot.createNewModelVersion", ("model.2",), {"telemetry": [{"name": "x", "schemaType": "f"}]}),
    ("iot.updateEndpoint", ("iotEndpoint.2",), {}),
    ("iot.updateModelUsedByEndpoint", ("iotEndpoint.2", ""), {}),
    ("iot.listGroups", ("iotHub.2",), {"includeEndpoints": "yes"}),
    ("iot.createGroup", ("iotHub.2", "Roof"), {"iotEndpointIds": []}),
    ("iot.createGroup", ("iotHub.2", "bad\ud800"), {}),  # lone surrogate
    ("iot.updateGroup", ("iotGroup.2",), {}),
    ("iot.removeEndpointsFromGroup", ("iotGroup.2", []), {}),
    ("iot.listGroupsEndpointsLastValues", ("",), {}),
    ("iot.listHubsEndpointsLastValues", (None,), {}),
    ("iot.cancelQuery", ("",), {}),
]  # fmt: skip


def test_every_operation_of_iot_admin_graphql_is_tested_here() -> None:
    text = (Path(__file__).resolve().parents[2] / "queries" / "iot_admin.graphql").read_text()
    operations = set(re.findall(r"^(?:query|mutation) ([A-Za-z_]+)", text, re.M))
    paged = {"iot_listGroupsEndpointsLastValues", "iot_listHubsEndpointsLastValues"}
    assert operations - paged <= {case.root for case in CASES}
