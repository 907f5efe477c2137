"""`dx.iot`'s operations beyond 1.2.1's: hubs, models and their versions, DTDL, endpoint
management and tokens, groups, last values of a group or a hub, cancelling a query. Same
pattern as `_operations` (every mutation: unsent requests only); 1.2.1's are in `_iot`."""

from __future__ import annotations

import json
from typing import Any, cast

from ._iot import (
    LastValuesPage,
    Paging,
    endpoint_ids,
    last_values_page,
    model_properties,
    model_telemetry,
    paging_arguments,
)
from ._operations import Call, _many, _one, _root
from ._ops_arguments import omitted, optional_flag, require_change
from ._retry import RetrySafety
from ._validation import optional_text, require_id, require_text, whole_number
from .errors import InvalidInputError, InvalidResponseError
from .types_iot import DigitalTwinModel, IotEndpoint, IotGroup, IotHub
from .types_time_series import ServerResponse
from .types_users import AuthenticationToken

# A repeat of a create makes a second object; of an update, delete or token change that did
# happen, it reports an error or replaces the token again: only unsent ones.
WRITE = RetrySafety.UNSENT_ONLY


# -- hubs ---------------------------------------------------------------------------------------


def list_hubs() -> Call[list[IotHub]]:
    return Call(
        "iot_listHubs",
        lambda client, options: client.iot_list_hubs(**options),
        _many(IotHub),
    )


def get_hub(hub_id: str) -> Call[IotHub]:
    op = "iot_getHub"
    hub_id = require_id("iotHubId", hub_id)
    return Call(
        op,
        lambda client, options: client.iot_get_hub(hub_id, **options),
        _one(IotHub, op, f"hub {hub_id!r}"),
    )


def create_hub(name: str, description: str | None) -> Call[IotHub]:
    op = "iot_createHub"
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.iot_create_hub(
            name=name, description=omitted(description), **options
        ),
        _one(IotHub, op, "hub"),
        WRITE,
    )


def update_hub(hub_id: str, name: str | None, description: str | None) -> Call[IotHub]:
    op = "iot_updateHub"
    hub_id = require_id("iotHubId", hub_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.iot_update_hub(
            iot_hub_id=hub_id, name=omitted(name), description=omitted(description), **options
        ),
        _one(IotHub, op, f"hub {hub_id!r}"),
        WRITE,
    )


def delete_hub(hub_id: str) -> Call[IotHub]:
    op = "iot_deleteHub"
    hub_id = require_id("iotHubId", hub_id)
    return Call(
        op,
        lambda client, options: client.iot_delete_hub(hub_id, **options),
        _one(IotHub, op, f"hub {hub_id!r}"),
        WRITE,
    )


def list_endpoints_in_hub(hub_id: str) -> Call[list[IotEndpoint]]:
    hub_id = require_id("iotHubId", hub_id)
    return Call(
        "iot_listEndpointsInHub",
        lambda client, options: client.iot_list_endpoints_in_hub(hub_id, **options),
        _many(IotEndpoint),
    )


# -- models -------------------------------------------------------------------------------------


def list_models() -> Call[list[DigitalTwinModel]]:
    return Call(
        "iot_listModels",
        lambda client, options: client.iot_list_models(**options),
        _many(DigitalTwinModel),
    )


def get_model(model_id: str) -> Call[DigitalTwinModel]:
    op = "iot_getModel"
    model_id = require_id("modelId", model_id)
    return Call(
        op,
        lambda client, options: client.iot_get_model(model_id, **options),
        _one(DigitalTwinModel, op, f"model {model_id!r}"),
    )


def get_model_dtdl(model_id: str) -> Call[dict[str, Any]]:
    """The DTDL document (a JSON string on the wire) parsed: a JSON-LD Interface object."""
    op = "iot_getModelInDTDLFormat"
    model_id = require_id("modelId", model_id)

    def adapt(result: Any) -> dict[str, Any]:
        text = _root(result, "iot_get_model_in_dtdl_format", op, f"model {model_id!r}")
        try:
            document = json.loads(text)
        except ValueError:
            raise InvalidResponseError("the DTDL document is not JSON", operation=op) from None
        if not isinstance(document, dict):
            raise InvalidResponseError("the DTDL document is not a JSON object", operation=op)
        return cast("dict[str, Any]", document)

    return Call(
        op, lambda client, options: client.iot_get_model_in_dtdl_format(model_id, **options), adapt
    )


def update_model(
    model_id: str, display_name: str | None, dtmi_segment: str | None, description: str | None
) -> Call[DigitalTwinModel]:
    op = "iot_updateModel"
    model_id = require_id("modelId", model_id)
    display_name = optional_text("displayName", display_name)
    dtmi_segment = optional_text("dtmiSegment", dtmi_segment)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, displayName=display_name, dtmiSegment=dtmi_segment, description=description)
    return Call(
        op,
        lambda client, options: client.iot_update_model(
            model_id=model_id,
            display_name=omitted(display_name),
            dtmi_segment=omitted(dtmi_segment),
            description=omitted(description),
            **options,
        ),
        _one(DigitalTwinModel, op, f"model {model_id!r}"),
        WRITE,
    )


def create_new_model_version(
    model_id: str,
    version: int | None,
    display_name: str | None,
    description: str | None,
    properties: object,
    telemetry: object,
) -> Call[DigitalTwinModel]:
    op = "iot_createNewModelVersion"
    model_id = require_id("modelId", model_id)
    number = None if version is None else whole_number("version", version)
    if number is not None and number < 1:
        raise InvalidInputError(f"version must be at least 1; got {number}")
    display_name = optional_text("displayName", display_name)
    description = optional_text("description", description, allow_empty=True)
    # Left out, the exchange keeps the model's; given, they replace them (1.2.1's dict shape).
    wire_properties = None if properties is None else model_properties(properties)
    wire_telemetry = None if telemetry is None else model_telemetry(telemetry)
    return Call(
        op,
        lambda client, options: client.iot_create_new_model_version(
            model_id=model_id,
            version=omitted(number),
            display_name=omitted(display_name),
            description=omitted(description),
            properties=omitted(cast("Any", wire_properties)),
            telemetry=omitted(cast("Any", wire_telemetry)),
            **options,
        ),
        _one(DigitalTwinModel, op, "model"),
        WRITE,
    )


def delete_model(model_id: str) -> Call[DigitalTwinModel]:
    op = "iot_deleteModel"
    model_id = require_id("modelId", model_id)
    return Call(
        op,
        lambda client, options: client.iot_delete_model(model_id, **options),
        _one(DigitalTwinModel, op, f"model {model_id!r}"),
        WRITE,
    )


def update_model_used_by_endpoint(endpoint_id: str, model_id: str) -> Call[IotEndpoint]:
    op = "iot_updateModelUsedByEndpoint"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    model_id = require_id("modelId", model_id)
    return Call(
        op,
        lambda client, options: client.iot_update_model_used_by_endpoint(
            iot_endpoint_id=endpoint_id, model_id=model_id, **options
        ),
        _one(IotEndpoint, op, f"endpoint {endpoint_id!r}"),
        WRITE,
    )


# -- endpoints and their tokens -----------------------------------------------------------------


def update_endpoint(
    endpoint_id: str, name: str | None, description: str | None
) -> Call[IotEndpoint]:
    op = "iot_updateEndpoint"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.iot_update_endpoint(
            iot_endpoint_id=endpoint_id,
            name=omitted(name),
            description=omitted(description),
            **options,
        ),
        _one(IotEndpoint, op, f"endpoint {endpoint_id!r}"),
        WRITE,
    )


def delete_endpoint(endpoint_id: str) -> Call[IotEndpoint]:
    op = "iot_deleteEndpoint"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return Call(
        op,
        lambda client, options: client.iot_delete_endpoint(endpoint_id, **options),
        _one(IotEndpoint, op, f"endpoint {endpoint_id!r}"),
        WRITE,
    )


def get_endpoint_token(endpoint_id: str) -> Call[AuthenticationToken]:
    op = "iot_getEndpointToken"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return Call(
        op,
        lambda client, options: client.iot_get_endpoint_token(endpoint_id, **options),
        _one(AuthenticationToken, op, "token"),
    )


def regenerate_endpoint_token(endpoint_id: str) -> Call[AuthenticationToken]:
    op = "iot_regenerateEndpointToken"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return Call(
        op,
        lambda client, options: client.iot_regenerate_endpoint_token(endpoint_id, **options),
        _one(AuthenticationToken, op, "token"),
        WRITE,  # a repeat would replace the token the caller never saw
    )


# -- groups -------------------------------------------------------------------------------------


def list_groups(hub_id: str, include_endpoints: bool | None) -> Call[list[IotGroup]]:
    hub_id = require_id("iotHubId", hub_id)
    include = optional_flag("includeEndpoints", include_endpoints)
    return Call(
        "iot_listGroups",
        lambda client, options: client.iot_list_groups(
            iot_hub_id=hub_id, include_endpoints=omitted(include), **options
        ),
        _many(IotGroup),
    )


def create_group(
    hub_id: str, name: str, description: str | None, ids: object | None
) -> Call[IotGroup]:
    op = "iot_createGroup"
    hub_id = require_id("iotHubId", hub_id)
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    members: list[str | None] | None = None if ids is None else [*endpoint_ids(ids)]
    return Call(
        op,
        lambda client, options: client.iot_create_group(
            iot_hub_id=hub_id,
            name=name,
            description=omitted(description),
            iot_endpoint_ids=omitted(members),
            **options,
        ),
        _one(IotGroup, op, "group"),
        WRITE,
    )


def update_group(group_id: str, name: str | None, description: str | None) -> Call[IotGroup]:
    op = "iot_updateGroup"
    group_id = require_id("iotGroupId", group_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.iot_update_group(
            iot_group_id=group_id, name=omitted(name), description=omitted(description), **options
        ),
        _one(IotGroup, op, f"group {group_id!r}"),
        WRITE,
    )


def delete_group(group_id: str) -> Call[IotGroup]:
    op = "iot_deleteGroup"
    group_id = require_id("iotGroupId", group_id)
    return Call(
        op,
        lambda client, options: client.iot_delete_group(group_id, **options),
        _one(IotGroup, op, f"group {group_id!r}"),
        WRITE,
    )


def remove_endpoints_from_group(group_id: str, ids: object) -> Call[IotGroup]:
    op = "iot_removeEndpointsFromGroup"
    group_id = require_id("iotGroupId", group_id)
    members = endpoint_ids(ids)
    return Call(
        op,
        lambda client, options: client.iot_remove_endpoints_from_group(
            iot_group_id=group_id, iot_endpoint_ids=members, **options
        ),
        _one(IotGroup, op, f"group {group_id!r}"),
        WRITE,
    )


# -- last values of a group or a hub; cancelling a query ----------------------------------------


def list_group_last_values(group_id: str, paging: Paging) -> Call[LastValuesPage]:
    op = "iot_listGroupsEndpointsLastValues"
    group_id = require_id("iotGroupId", group_id)
    return Call(
        op,
        lambda client, options: client.iot_list_groups_endpoints_last_values(
            group_id, **paging_arguments(paging), **options
        ),
        last_values_page(op, "iot_list_groups_endpoints_last_values"),
    )


def list_hub_last_values(hub_id: str, paging: Paging) -> Call[LastValuesPage]:
    op = "iot_listHubsEndpointsLastValues"
    hub_id = require_id("iotHubId", hub_id)
    return Call(
        op,
        lambda client, options: client.iot_list_hubs_endpoints_last_values(
            hub_id, **paging_arguments(paging), **options
        ),
        last_values_page(op, "iot_list_hubs_endpoints_last_values"),
    )


def cancel_query(query_id: str) -> Call[ServerResponse]:
    op = "iot_cancelQuery"
    query_id = require_id("queryId", query_id)
    return Call(
        op,
        lambda client, options: client.iot_cancel_query(query_id, **options),
        _one(ServerResponse, op, "answer"),
        WRITE,
    )
