# ruff: noqa: E501  (GraphQL documents read best on one line)
"""IoT catalogue: hubs, models and versions, the DTDL export, endpoints and their properties,
endpoint tokens and groups, through raw GraphQL."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import Harness
from .iot_helpers import ENDPOINT_FIELDS, MODEL_FIELDS, PUBLISH, endpoint_token, now_ms, record

CREATE_MODEL = (
    "mutation($n: String!, $s: String!, $p: [ModelPropertyInput], $t: [ModelTelemetryInput]) {"
    " iot_createModel(displayName: $n, dtmiSegment: $s, properties: $p, telemetry: $t) "
    + MODEL_FIELDS
    + " }"
)
NEW_VERSION = (
    "mutation($m: ID!, $v: Int, $t: [ModelTelemetryInput]) {"
    " iot_createNewModelVersion(modelId: $m, version: $v, telemetry: $t) " + MODEL_FIELDS + " }"
)
GET_ENDPOINT = "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) " + ENDPOINT_FIELDS + " }"
UPDATE_PROPERTIES = (
    "mutation($e: ID!, $p: [EndpointPropertyInput]!) {"
    " iot_updateEndpointProperties(iotEndpointId: $e, properties: $p) " + ENDPOINT_FIELDS + " }"
)
GROUP_FIELDS = "{ iotGroupId iotHubId name iotEndpointIds endpoints { iotEndpointId } }"
ADD = (
    "mutation($g: ID!, $e: [ID]!) { iot_addEndpointsToGroup(iotGroupId: $g, iotEndpointIds: $e) "
    + GROUP_FIELDS
    + " }"
)
REMOVE = (
    "mutation($g: ID!, $e: [ID]!) { iot_removeEndpointsFromGroup(iotGroupId: $g,"
    " iotEndpointIds: $e) " + GROUP_FIELDS + " }"
)
# DTDL v2's DTMI grammar (the metamodel's identifier pattern).
DTMI = re.compile(
    r"^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*"
    r";[1-9][0-9]{0,8}$"
)


def test_model_keeps_attributes_in_index_order_with_defaults(harness: Harness) -> None:
    model = harness.data(
        "owner",
        CREATE_MODEL,
        n="Meter",
        s="Meter",
        p=[
            {"name": "b", "schemaType": "integer", "index": 1, "defaultValue": " 7 "},
            {"name": "a", "schemaType": "boolean", "index": 0, "writable": True},
        ],
        t=[{"name": "kwh", "schemaType": "double"}],
    )
    assert [p["name"] for p in model["properties"]] == ["a", "b"]
    assert model["properties"][1] == {
        "name": "b", "attributeType": "Property", "schemaType": "integer", "description": None,
        "defaultValue": "7", "writable": False, "index": 1,
    }  # fmt: skip
    assert model["telemetry"] == [
        {"name": "kwh", "attributeType": "Telemetry", "schemaType": "double",
         "description": None, "index": 0}
    ]  # fmt: skip
    assert DTMI.match(model["dtmi"])
    assert model["dtmi"].endswith(":Meter;1")


@pytest.mark.parametrize(
    ("properties", "telemetry", "message"),
    [
        ([{"name": "x y", "schemaType": "double"}], [], "must be 1 to 64"),
        ([{"name": "a", "schemaType": "double"}], [{"name": "A", "schemaType": "string"}], "twice"),
        ([{"name": "a", "schemaType": "integer", "defaultValue": "1.5"}], [], "not a integer"),
        ([], [{"name": "time", "schemaType": "double"}], "reserved"),
        ([], [{"name": "iotEndpointId", "schemaType": "double"}], "reserved"),
        ([{"name": "a", "schemaType": "double", "index": 0},
          {"name": "b", "schemaType": "double", "index": 0}], [], "unique"),
    ],
)  # fmt: skip
def test_bad_models_are_refused(
    harness: Harness, properties: list[object], telemetry: list[object], message: str
) -> None:
    body = harness.gql("owner", CREATE_MODEL, n="Bad", s="Bad", p=properties, t=telemetry)
    assert body["errors"][0]["errorType"] == "BadRequestException"
    assert message in body["errors"][0]["message"]
    assert all(
        m["displayName"] != "Bad"
        for m in harness.data("owner", "{ iot_listModels { displayName } }")
    )


def test_dtmi_segment_must_be_new_and_valid(harness: Harness) -> None:
    body = harness.gql("owner", CREATE_MODEL, n="Again", s="Thermostat")
    assert "iot_createNewModelVersion" in body["errors"][0]["message"]
    assert harness.error_type("owner", CREATE_MODEL, n="x", s="9lives") == "BadRequestException"


def test_dtdl_export_is_a_dtdl_interface(harness: Harness) -> None:
    text = harness.data(
        "reader",
        "query($m: ID!) { iot_getModelInDTDLFormat(modelId: $m) }",
        m=harness.ids["iotModel"],
    )
    document = json.loads(text)
    assert document["@context"] == "dtmi:dtdl:context;2"
    assert document["@type"] == "Interface"
    assert DTMI.match(document["@id"])
    assert document["displayName"] == "Thermostat"
    assert document["contents"] == [
        {"@type": "Property", "name": "Latitude", "schema": "double",
         "description": "Where the sensor is", "writable": True},
        {"@type": "Property", "name": "Firmware", "schema": "string", "writable": False},
        {"@type": "Telemetry", "name": "Temperature", "schema": "double",
         "description": "Degrees Celsius"},
        {"@type": "Telemetry", "name": "Humidity", "schema": "double"},
    ]  # fmt: skip
    model = harness.data(
        "owner", "query($m: ID!) { iot_getModel(modelId: $m) { dtmi } }", m=harness.ids["iotModel"]
    )
    assert document["@id"] == model["dtmi"]


def test_versions_and_switching_an_endpoint_to_a_new_version(harness: Harness) -> None:
    v2 = harness.data("owner", NEW_VERSION, m=harness.ids["iotModel"])
    assert v2["dtmi"].endswith(":Thermostat;2")
    assert v2["modelId"] != harness.ids["iotModel"]
    assert [t["name"] for t in v2["telemetry"]] == ["Temperature", "Humidity"]
    v5 = harness.data(
        "owner",
        NEW_VERSION,
        m=v2["modelId"],
        v=5,
        t=[{"name": "Pressure", "schemaType": "integer"}],
    )
    assert v5["dtmi"].endswith(";5")
    assert [t["name"] for t in v5["telemetry"]] == ["Pressure"]
    body = harness.gql("owner", NEW_VERSION, m=harness.ids["iotModel"], v=3)
    assert "greater than 5" in body["errors"][0]["message"]

    endpoint = harness.ids["iotEndpoint"]
    harness.data(
        "owner", UPDATE_PROPERTIES, e=endpoint,
        p=[{"name": "Latitude", "value": "10.5", "timestamp": "1700000000000"}],
    )  # fmt: skip
    switched = harness.data(
        "owner",
        "mutation($e: ID!, $m: ID!) { iot_updateModelUsedByEndpoint(iotEndpointId: $e, modelId: $m)"
        " { modelId properties { name value } telemetry { name } } }",
        e=endpoint,
        m=v5["modelId"],
    )
    assert switched["modelId"] == v5["modelId"]
    assert {"name": "Latitude", "value": "10.5"} in switched["properties"]  # kept
    assert switched["telemetry"] == [{"name": "Pressure"}]
    # The old telemetry attribute is no longer publishable, the new one is.
    result = harness.data(
        "owner", PUBLISH, e=endpoint,
        data=[record(now_ms(), Temperature="1.0"), record(now_ms() + 1, Pressure="3")],
    )  # fmt: skip
    assert [f["errors"][0]["errorType"] for f in result["failedRecords"]] == [
        "UNEXPECTED_ATTRIBUTE"
    ]
    assert len(result["recordsWritten"]) == 1
    # A model in use cannot be deleted; an unused one can.
    delete = "mutation($m: ID!) { iot_deleteModel(modelId: $m) { modelId } }"
    assert harness.error_type("owner", delete, m=v5["modelId"]) == "BadRequestException"
    assert harness.data("owner", delete, m=v2["modelId"]) == {"modelId": v2["modelId"]}


def test_endpoint_properties_start_at_defaults_and_only_writable_ones_change(
    harness: Harness,
) -> None:
    endpoint = harness.ids["iotEndpoint"]
    before = harness.data("owner", GET_ENDPOINT, e=endpoint)
    assert [
        (p["name"], p["value"], p["writable"], p["timestamp"]) for p in before["properties"]
    ] == [
        ("Latitude", "47.658779", True, None),
        ("Firmware", "1.0.0", False, None),
    ]
    updated = harness.data(
        "writer", UPDATE_PROPERTIES, e=endpoint,
        p=[{"name": "Latitude", "value": "48.25", "timestamp": "1700000000000"}],
    )  # fmt: skip
    assert updated["properties"][0]["value"] == "48.25"
    assert updated["properties"][0]["timestamp"] == "1700000000000"
    for properties, message in (
        ([{"name": "Firmware", "value": "2.0.0", "timestamp": "1"}], "not writable"),
        ([{"name": "Latitude", "value": "north", "timestamp": "1"}], "not a double"),
        ([{"name": "Nope", "value": "1", "timestamp": "1"}], "no property"),
        ([{"name": "Latitude", "value": "1", "timestamp": "soon"}], "epoch milliseconds"),
        (
            [{"name": "Latitude", "value": "1", "timestamp": "1"},
             {"name": "Firmware", "value": "2.0.0", "timestamp": "1"}],
            "not writable",
        ),
    ):  # fmt: skip
        body = harness.gql("owner", UPDATE_PROPERTIES, e=endpoint, p=properties)
        assert body["errors"][0]["errorType"] == "BadRequestException", body
        assert message in body["errors"][0]["message"]
    # Nothing of the refused calls was applied.
    after = harness.data("owner", GET_ENDPOINT, e=endpoint)
    assert [p["value"] for p in after["properties"]] == ["48.25", "1.0.0"]


def test_endpoint_token_kind_and_regeneration(harness: Harness) -> None:
    endpoint = harness.ids["iotEndpoint"]
    token = harness.data(
        "owner",
        "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e)"
        " { tokenId userId tokenType scope tokenValue dateExpires } }",
        e=endpoint,
    )
    assert token["tokenType"] == "IOT_ENDPOINT_READ_WRITE"
    assert token["scope"] == [endpoint]
    assert token["userId"] == harness.ids["owner"]
    old = token["tokenValue"]
    assert harness.data(old, GET_ENDPOINT, e=endpoint)["iotEndpointId"] == endpoint
    assert endpoint_token(harness) == old  # the same token until regenerated
    new = harness.data(
        "owner",
        "mutation($e: ID!) { iot_regenerateEndpointToken(iotEndpointId: $e) { tokenValue tokenType } }",
        e=endpoint,
    )
    assert new["tokenType"] == "IOT_ENDPOINT_READ_WRITE"
    assert new["tokenValue"] != old
    assert harness.post(old, GET_ENDPOINT, e=endpoint).status_code == 401
    assert harness.data(
        new["tokenValue"], PUBLISH, e=endpoint, data=[record(now_ms(), Temperature="2")]
    )["recordsWritten"]
    assert endpoint_token(harness) == new["tokenValue"]


def test_an_endpoint_token_cannot_publish_to_another_endpoint(harness: Harness) -> None:
    other = endpoint_token(harness, "iotEndpoint2")
    body = harness.gql(
        other, PUBLISH, e=harness.ids["iotEndpoint"], data=[record(now_ms(), Temperature="1")]
    )
    assert [e["errorType"] for e in body["errors"]] == ["Unauthorized"]
    assert (
        harness.gql(other, GET_ENDPOINT, e=harness.ids["iotEndpoint"])["errors"][0]["message"]
        == "Unauthorized"
    )


def test_group_membership_rules(harness: Harness) -> None:
    group, one, two = (
        harness.ids["iotGroup"],
        harness.ids["iotEndpoint"],
        harness.ids["iotEndpoint2"],
    )
    added = harness.data("owner", ADD, g=group, e=[two])
    assert added["iotEndpointIds"] == [one, two]
    assert harness.error_type("owner", ADD, g=group, e=[two]) == "BadRequestException"
    # Removing an endpoint that is not in the group fails the whole call.
    removed = harness.data("owner", REMOVE, g=group, e=[one])
    assert removed["iotEndpointIds"] == [two]
    body = harness.gql("owner", REMOVE, g=group, e=[one, two])
    assert body["errors"][0]["errorType"] == "BadRequestException"
    assert one in body["errors"][0]["message"]
    get_group = (
        "query($g: ID!, $i: Boolean) { iot_getGroup(iotGroupId: $g, includeEndpoints: $i) "
        + GROUP_FIELDS
        + " }"
    )
    assert harness.data("owner", get_group, g=group, i=True)["endpoints"] == [
        {"iotEndpointId": two}
    ]
    assert harness.data("owner", get_group, g=group)["endpoints"] is None
    # Endpoints of another hub, unknown endpoints, and repeated ids are refused.
    other_hub = harness.data("owner", 'mutation { iot_createHub(name: "Other") { iotHubId } }')[
        "iotHubId"
    ]
    stranger = harness.data(
        "owner",
        'mutation($h: ID!, $m: ID!) { iot_createEndpoint(iotHubId: $h, modelId: $m, name: "S") { iotEndpointId } }',
        h=other_hub,
        m=harness.ids["iotModel"],
    )["iotEndpointId"]
    for ids in ([stranger], ["iotEndpointId.unknown"], [one, one], []):
        assert harness.error_type("owner", ADD, g=group, e=ids) == "BadRequestException"
    # The group's new members are now reachable by collaborative members; removed ones not.
    reader_get = "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) { name } }"
    assert harness.data("reader", reader_get, e=two) == {"name": "Basement sensor"}
    assert harness.error_type("reader", reader_get, e=one) == "Unauthorized"


def _tables(harness: Harness) -> list[str]:
    from avista_dx.emulator.iot.records import IotEndpointRecord

    with harness.emulator.metadata.view() as view:
        return [r.table_name for r in view.find(IotEndpointRecord)]


def test_deleting_an_endpoint_and_a_hub(harness: Harness) -> None:
    tables = _tables(harness)
    assert len(tables) == 2
    assert all(harness.emulator.engine.table_exists("dx_iot", t) for t in tables)
    endpoint = harness.ids["iotEndpoint"]
    token = endpoint_token(harness)
    harness.data(
        "owner", "mutation($e: ID!) { iot_deleteEndpoint(iotEndpointId: $e) { name } }", e=endpoint
    )
    assert harness.post(token, GET_ENDPOINT, e=endpoint).status_code == 401
    group = harness.data(
        "owner",
        "query($g: ID!) { iot_getGroup(iotGroupId: $g) { iotEndpointIds } }",
        g=harness.ids["iotGroup"],
    )
    assert group == {"iotEndpointIds": []}
    assert not harness.emulator.engine.table_exists("dx_iot", tables[0])
    harness.data(
        "owner",
        "mutation($h: ID!) { iot_deleteHub(iotHubId: $h) { name } }",
        h=harness.ids["iotHub"],
    )
    assert harness.data("owner", "{ iot_listHubs { name } }") == []
    assert (
        harness.error_type("owner", GET_ENDPOINT, e=harness.ids["iotEndpoint2"]) == "Unauthorized"
    )
    assert (
        harness.error_type(
            "owner",
            "query($g: ID!) { iot_getGroup(iotGroupId: $g) { name } }",
            g=harness.ids["iotGroup"],
        )
        == "Unauthorized"
    )
    assert _tables(harness) == []
    assert not any(harness.emulator.engine.table_exists("dx_iot", t) for t in tables)


def test_null_name_and_cleared_description_on_update(harness: Harness) -> None:
    update = "mutation($h: ID!, $n: String, $d: String) { iot_updateHub(iotHubId: $h, name: $n, description: $d) { name description } }"
    hub = harness.ids["iotHub"]
    assert harness.data("owner", update, h=hub, d=None) == {"name": "Demo hub", "description": None}
    assert harness.error_type("owner", update, h=hub, n=None) == "BadRequestException"


def test_endpoint_tokens_are_not_personal_tokens(harness: Harness) -> None:
    token = harness.data(
        "owner",
        "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e) { tokenId } }",
        e=harness.ids["iotEndpoint"],
    )
    listed = harness.data("owner", "query { user_listAuthenticationTokens { tokenId tokenType } }")
    assert {t["tokenType"] for t in listed} == {"USER_FULL_ACCESS"}
    delete = "mutation($t: ID!) { user_deleteAuthenticationToken(tokenId: $t) { tokenId } }"
    assert harness.error_type("owner", delete, t=token["tokenId"]) == "Unauthorized"
    assert harness.data(endpoint_token(harness), GET_ENDPOINT, e=harness.ids["iotEndpoint"])
