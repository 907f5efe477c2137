# ruff: noqa: E501  (GraphQL documents read best on one line)
"""A leaving user's IoT objects: deleted with their services, or handed over with them."""

from __future__ import annotations

from .conftest import Harness
from .iot_helpers import PUBLISH, endpoint_token, now_ms, record

GET_ENDPOINT = "query($e: ID!) { iot_getEndpoint(iotEndpointId: $e) { ownerUserId } }"
GET_MODEL = "query($m: ID!) { iot_getModel(modelId: $m) { dtmi ownerUserId } }"


def _tables(harness: Harness) -> list[str]:
    from avista_dx.emulator.iot.records import IotEndpointRecord

    with harness.emulator.metadata.view() as view:
        return [r.table_name for r in view.find(IotEndpointRecord)]


def test_deleting_a_users_services_deletes_their_iot(harness: Harness) -> None:
    tables = _tables(harness)
    token = endpoint_token(harness)
    services = harness.data(
        "admin",
        "mutation($u: ID!) { platformAdmin_deleteUsersServices(userId: $u) { serviceId serviceType } }",
        u=harness.ids["owner"],
    )
    assert {"serviceId": harness.ids["iotGroup"], "serviceType": "IOT_GROUP"} in services
    assert harness.data("owner", "query { iot_listHubs { name } }") == []
    assert harness.data("owner", "query { iot_listModels { dtmi } }") == []
    assert harness.post(token, GET_ENDPOINT, e=harness.ids["iotEndpoint"]).status_code == 401
    assert not any(harness.emulator.engine.table_exists("dx_iot", t) for t in tables)
    listed = harness.data(
        "reader",
        "query($c: ID!) { collaborative_listCollaborativeServices(collaborativeId: $c) { serviceType } }",
        c=harness.ids["collaborative"],
    )
    assert listed == []


def test_migrating_a_users_services_hands_over_their_iot(harness: Harness) -> None:
    model_before = harness.data("owner", GET_MODEL, m=harness.ids["iotModel"])
    token = endpoint_token(harness)
    services = harness.data(
        "admin",
        "mutation($a: ID!, $b: ID!) { platformAdmin_migrateUsersServicesOwnership(currentOwnerUserId: $a, transferToUserId: $b) { serviceId serviceType } }",
        a=harness.ids["owner"],
        b=harness.ids["outsider"],
    )
    assert {"serviceId": harness.ids["iotGroup"], "serviceType": "IOT_GROUP"} in services
    assert [h["name"] for h in harness.data("outsider", "query { iot_listHubs { name } }")] == [
        "Demo hub"
    ]
    assert harness.data("owner", "query { iot_listHubs { name } }") == []
    assert harness.data("outsider", GET_ENDPOINT, e=harness.ids["iotEndpoint"]) == {
        "ownerUserId": harness.ids["outsider"]
    }
    model_after = harness.data("outsider", GET_MODEL, m=harness.ids["iotModel"])
    assert model_after == {"dtmi": model_before["dtmi"], "ownerUserId": harness.ids["outsider"]}
    # The endpoint's token keeps working, now for the new owner.
    assert harness.data(
        token, PUBLISH, e=harness.ids["iotEndpoint"], data=[record(now_ms(), Temperature="1")]
    )["recordsWritten"]
    # The former owner keeps only what the shared group gives a READ_WRITE member.
    token_query = "query($e: ID!) { iot_getEndpointToken(iotEndpointId: $e) { tokenId } }"
    assert harness.error_type("owner", token_query, e=harness.ids["iotEndpoint"]) == "Unauthorized"
    assert harness.data("outsider", token_query, e=harness.ids["iotEndpoint"])


def test_a_user_who_owns_iot_objects_cannot_be_deleted(harness: Harness) -> None:
    harness.data("writer", 'mutation { iot_createHub(name: "Mine") { iotHubId } }')
    delete = "mutation($u: ID!) { platformAdmin_deleteUser(userId: $u) { userId } }"
    body = harness.gql("admin", delete, u=harness.ids["writer"])
    assert body["errors"][0]["errorType"] == "BadRequestException"
    assert "still owns services" in body["errors"][0]["message"]
