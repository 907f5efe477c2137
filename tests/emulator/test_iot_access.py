# ruff: noqa: E501  (the matrix reads best as one case per line)
"""The IoT rows of the access matrix: every iot_* field × owner, READ_WRITE member, READ_ONLY
member, outsider, platform admin, the demo endpoint's token and another endpoint's token.

The demo group (holding ``iotEndpoint``, not ``iotEndpoint2``) is shared with the demo
collaborative, so members reach that endpoint and the group; hubs and models stay the owner's.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Harness
from .iot_helpers import (
    EXPORT,
    LAST_VALUES,
    PUBLISH,
    QUERY,
    endpoint_token,
    finished_query,
    now_ms,
    record,
    wait_for_export,
)
from .test_access_matrix import OWNER, READERS, ROLES, WRITERS, Case, _ids, check_access

TOKEN_ROLES = ("endpoint", "otherEndpoint")
ENDPOINT = {"endpoint"}
OTHER_ENDPOINT = {"otherEndpoint"}  # iotEndpoint2's token: the cases on iotEndpoint2 are its own

IOT_CALLER_SCOPED = {"iot_listHubs", "iot_createHub", "iot_listModels", "iot_createModel"}


def _new_model(h: Harness) -> dict[str, Any]:
    model = h.data(
        "owner",
        'mutation { iot_createModel(displayName: "Spare", dtmiSegment: "Spare") { modelId } }',
    )
    return {"m": model["modelId"]}


def _query(h: Harness) -> dict[str, Any]:
    return {"q": finished_query(h)}


def _exported_query(h: Harness) -> dict[str, Any]:
    query_id = finished_query(h)
    h.data("owner", EXPORT, q=query_id)
    wait_for_export(h, "owner", query_id)
    return {"q": query_id}


def _publish_variables(h: Harness) -> dict[str, Any]:
    return {"e": h.ids["iotEndpoint"], "data": [record(now_ms(), Temperature="21.5")]}


def _time_range(h: Harness) -> dict[str, Any]:
    return {
        "f": [
            {"iotEndpointId": h.ids["iotEndpoint"], "attributeNames": ["Temperature", "Humidity"]}
        ],
        "s": str(now_ms() - 7_200_000),
        "e": str(now_ms()),
    }


HUB, EP, EP2, GROUP, MODEL = "iotHub", "iotEndpoint", "iotEndpoint2", "iotGroup", "iotModel"

IOT_CASES = [
    # --- hubs
    Case("iot_getHub", "query($h: ID!) { iot_getHub(iotHubId: $h) { name } }", OWNER, _ids(h=HUB)),
    Case(
        "iot_updateHub",
        'mutation($h: ID!) { iot_updateHub(iotHubId: $h, name: "Renamed") { name } }',
        OWNER,
        _ids(h=HUB),
    ),
    Case(
        "iot_deleteHub",
        "mutation($h: ID!) { iot_deleteHub(iotHubId: $h) { name } }",
        OWNER,
        _ids(h=HUB),
    ),
    Case(
        "iot_listEndpointsInHub",
        "query($h: ID!) { iot_listEndpointsInHub(iotHubId: $h) { name } }",
        OWNER,
        _ids(h=HUB),
    ),
    Case(
        "iot_listHubsEndpointsLastValues",
        f"query($h: ID!) {{ iot_listHubsEndpointsLastValues(iotHubId: $h) {LAST_VALUES} }}",
        OWNER,
        _ids(h=HUB),
    ),
    # --- endpoints
    Case(
        "iot_getEndpoint",
        "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) { name properties { name value } } }",
        READERS | ENDPOINT,
        _ids(e=EP),
    ),
    Case(
        "iot_getEndpoint",
        "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) { name } }",
        OWNER | OTHER_ENDPOINT,
        _ids(e=EP2),
    ),
    Case(
        "iot_createEndpoint",
        'mutation($h: ID!, $m: ID!) { iot_createEndpoint(iotHubId: $h, modelId: $m, name: "New") { name } }',
        OWNER,
        _ids(h=HUB, m=MODEL),
    ),
    Case(
        "iot_updateEndpoint",
        'mutation($e: ID!) { iot_updateEndpoint(iotEndpointId: $e, description: "d") { name } }',
        OWNER,
        _ids(e=EP),
    ),
    Case(
        "iot_updateEndpointProperties",
        'mutation($e: ID!) { iot_updateEndpointProperties(iotEndpointId: $e, properties: [{name: "Latitude", value: "47.1", timestamp: "1700000000000"}]) { name } }',
        WRITERS | ENDPOINT,
        _ids(e=EP),
    ),
    Case(
        "iot_updateEndpointProperties",
        'mutation($e: ID!) { iot_updateEndpointProperties(iotEndpointId: $e, properties: [{name: "Latitude", value: "47.1", timestamp: "1700000000000"}]) { name } }',
        OWNER | OTHER_ENDPOINT,
        _ids(e=EP2),
    ),
    Case(
        "iot_updateModelUsedByEndpoint",
        "mutation($e: ID!, $m: ID!) { iot_updateModelUsedByEndpoint(iotEndpointId: $e, modelId: $m) { modelId } }",
        OWNER,
        _ids(e=EP, m=MODEL),
    ),
    Case(
        "iot_deleteEndpoint",
        "mutation($e: ID!) { iot_deleteEndpoint(iotEndpointId: $e) { name } }",
        OWNER,
        _ids(e=EP),
    ),
    Case(
        "iot_getEndpointToken",
        "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e) { tokenValue } }",
        OWNER,
        _ids(e=EP),
    ),
    Case(
        "iot_regenerateEndpointToken",
        "mutation($e: ID!) { iot_regenerateEndpointToken(iotEndpointId: $e) { tokenValue } }",
        OWNER,
        _ids(e=EP),
    ),
    Case(
        "iot_listEndpointLastValues",
        f"query($e: ID!) {{ iot_listEndpointLastValues(iotEndpointId: $e) {LAST_VALUES} }}",
        READERS | ENDPOINT,
        _ids(e=EP),
    ),
    Case("iot_publish", PUBLISH, WRITERS | ENDPOINT, _publish_variables),
    Case(
        "iot_publish",
        PUBLISH,
        OWNER | OTHER_ENDPOINT,
        lambda h: {**_publish_variables(h), "e": h.ids[EP2]},
    ),
    # --- groups
    Case(
        "iot_listGroups",
        "query($h: ID!) { iot_listGroups(iotHubId: $h, includeEndpoints: true) { name } }",
        OWNER,
        _ids(h=HUB),
    ),
    Case(
        "iot_getGroup",
        "query($g: ID!) { iot_getGroup(iotGroupId: $g, includeEndpoints: true) { name endpoints { name } } }",
        READERS,
        _ids(g=GROUP),
    ),
    Case(
        "iot_createGroup",
        'mutation($h: ID!, $e: ID!) { iot_createGroup(iotHubId: $h, name: "G", iotEndpointIds: [$e]) { name } }',
        OWNER,
        _ids(h=HUB, e=EP2),
    ),
    Case(
        "iot_updateGroup",
        'mutation($g: ID!) { iot_updateGroup(iotGroupId: $g, name: "G2") { name } }',
        OWNER,
        _ids(g=GROUP),
    ),
    Case(
        "iot_addEndpointsToGroup",
        "mutation($g: ID!, $e: ID!) { iot_addEndpointsToGroup(iotGroupId: $g, iotEndpointIds: [$e]) { iotEndpointIds } }",
        OWNER,
        _ids(g=GROUP, e=EP2),
    ),
    Case(
        "iot_removeEndpointsFromGroup",
        "mutation($g: ID!, $e: ID!) { iot_removeEndpointsFromGroup(iotGroupId: $g, iotEndpointIds: [$e]) { iotEndpointIds } }",
        OWNER,
        _ids(g=GROUP, e=EP),
    ),
    Case(
        "iot_deleteGroup",
        "mutation($g: ID!) { iot_deleteGroup(iotGroupId: $g) { name } }",
        OWNER,
        _ids(g=GROUP),
    ),
    Case(
        "iot_listGroupsEndpointsLastValues",
        f"query($g: ID!) {{ iot_listGroupsEndpointsLastValues(iotGroupId: $g) {LAST_VALUES} }}",
        READERS,
        _ids(g=GROUP),
    ),
    # --- models
    Case(
        "iot_getModel",
        "query($m: ID!) { iot_getModel(modelId: $m) { dtmi } }",
        READERS,
        _ids(m=MODEL),
    ),
    Case(
        "iot_getModelInDTDLFormat",
        "query($m: ID!) { iot_getModelInDTDLFormat(modelId: $m) }",
        READERS,
        _ids(m=MODEL),
    ),
    Case(
        "iot_createNewModelVersion",
        "mutation($m: ID!) { iot_createNewModelVersion(modelId: $m) { dtmi } }",
        OWNER,
        _ids(m=MODEL),
    ),
    Case(
        "iot_updateModel",
        'mutation($m: ID!) { iot_updateModel(modelId: $m, description: "d") { dtmi } }',
        OWNER,
        _ids(m=MODEL),
    ),
    Case(
        "iot_deleteModel",
        "mutation($m: ID!) { iot_deleteModel(modelId: $m) { dtmi } }",
        OWNER,
        _new_model,
    ),
    # --- queries and exports (a query is its creator's)
    Case("iot_queryByTimeRange", QUERY, READERS, _time_range),
    Case("iot_generateQueryResultExport", EXPORT, OWNER, _query),
    Case(
        "iot_cancelQuery",
        "mutation($q: ID!) { iot_cancelQuery(queryId: $q) { httpStatusCode } }",
        OWNER,
        _query,
    ),
    Case(
        "iot_notifyQueryExportComplete",
        "mutation($q: String!) { iot_notifyQueryExportComplete(queryId: $q) { url } }",
        OWNER,
        _exported_query,
    ),
]


def _token(harness: Harness, role: str) -> str | None:
    if role == "endpoint":
        return endpoint_token(harness, "iotEndpoint")
    if role == "otherEndpoint":
        return endpoint_token(harness, "iotEndpoint2")
    return None


@pytest.mark.parametrize("role", ROLES + TOKEN_ROLES)
@pytest.mark.parametrize("case", IOT_CASES, ids=lambda c: c.field)
def test_iot_access(harness: Harness, case: Case, role: str) -> None:
    check_access(harness, case, role, _token(harness, role))


@pytest.mark.parametrize(
    "document",
    [
        "query { iot_listHubs { name } }",
        'mutation { iot_createHub(name: "H") { name } }',
        "query { iot_listModels { dtmi } }",
        'mutation { iot_createModel(displayName: "M", dtmiSegment: "M") { dtmi } }',
        "query { user_getUserSession { user { userId } } }",
        "query { storage_listDataStores { name } }",
    ],
)
def test_an_endpoint_token_reaches_nothing_else(harness: Harness, document: str) -> None:
    body = harness.gql(endpoint_token(harness), document)
    assert [e["errorType"] for e in body["errors"]] == ["Unauthorized"], body


def test_caller_scoped_fields_act_on_the_caller(harness: Harness) -> None:
    assert [h["name"] for h in harness.data("owner", "query { iot_listHubs { name } }")] == [
        "Demo hub"
    ]
    assert harness.data("writer", "query { iot_listHubs { name } }") == []
    created = harness.data(
        "writer", 'mutation { iot_createHub(name: "Mine") { name ownerUserId } }'
    )
    assert created == {"name": "Mine", "ownerUserId": harness.ids["writer"]}
    assert [h["name"] for h in harness.data("writer", "query { iot_listHubs { name } }")] == [
        "Mine"
    ]
    assert [
        m["displayName"] for m in harness.data("owner", "query { iot_listModels { displayName } }")
    ] == ["Thermostat"]
    assert harness.data("reader", "query { iot_listModels { displayName } }") == []
    model = harness.data(
        "reader", 'mutation { iot_createModel(displayName: "R", dtmiSegment: "R") { ownerUserId } }'
    )
    assert model == {"ownerUserId": harness.ids["reader"]}


def test_unsharing_the_group_withdraws_member_access(harness: Harness) -> None:
    query = "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) { name } }"
    assert harness.data("reader", query, e=harness.ids["iotEndpoint"]) == {"name": "Roof sensor"}
    harness.data(
        "owner",
        "mutation($c: ID!, $g: ID!) { collaborative_removeServiceFromCollaborative(collaborativeId: $c,"
        " serviceType: IOT_GROUP, serviceId: $g) { serviceId } }",
        c=harness.ids["collaborative"],
        g=harness.ids["iotGroup"],
    )
    assert harness.error_type("reader", query, e=harness.ids["iotEndpoint"]) == "Unauthorized"


def test_shared_group_is_listed_as_a_collaborative_service(harness: Harness) -> None:
    services = harness.data(
        "reader",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c)"
        " { serviceId serviceType iotEndpointGroup { iotGroupId name iotEndpointIds } } }",
        c=harness.ids["collaborative"],
    )
    (group,) = [s for s in services if s["serviceType"] == "IOT_GROUP"]
    assert group["serviceId"] == harness.ids["iotGroup"]
    assert group["iotEndpointGroup"] == {
        "iotGroupId": harness.ids["iotGroup"],
        "name": "Demo group",
        "iotEndpointIds": [harness.ids["iotEndpoint"]],
    }
