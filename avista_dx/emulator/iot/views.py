"""IoT records → dicts shaped like the schema's IoT types."""

from __future__ import annotations

from typing import Any

from ..persistence import MetadataView
from .models import attribute_view
from .records import IotEndpointRecord, IotGroupRecord, IotHubRecord, IotModelRecord

View = dict[str, Any]


def hub(record: IotHubRecord) -> View:
    return {
        "iotHubId": record.iot_hub_id,
        "name": record.name,
        "description": record.description,
        "ownerUserId": record.owner_user_id,
    }


def endpoint(view: MetadataView, record: IotEndpointRecord) -> View:
    model = view.get(IotModelRecord, record.model_id)
    properties, telemetry = [], []
    if model is not None:
        for attribute in model.properties:
            value, timestamp = record.property_values.get(
                attribute["name"], [attribute.get("defaultValue"), None]
            )
            properties.append(
                {**attribute_view(attribute, "Property"), "value": value, "timestamp": timestamp}
            )
        telemetry = [attribute_view(a, "Telemetry") for a in model.telemetry]
    return {
        "iotEndpointId": record.iot_endpoint_id,
        "iotHubId": record.iot_hub_id,
        "modelId": record.model_id,
        "ownerUserId": record.owner_user_id,
        "name": record.name,
        "description": record.description,
        "properties": properties,
        "telemetry": telemetry,
    }


def group(view: MetadataView, record: IotGroupRecord, *, include_endpoints: bool) -> View:
    endpoints = None
    if include_endpoints:
        endpoints = []
        for endpoint_id in record.iot_endpoint_ids:
            member = view.get(IotEndpointRecord, endpoint_id)
            if member is not None:
                endpoints.append(endpoint(view, member))
    return {
        "iotGroupId": record.iot_group_id,
        "iotHubId": record.iot_hub_id,
        "ownerUserId": record.owner_user_id,
        "name": record.name,
        "description": record.description,
        "iotEndpointIds": list(record.iot_endpoint_ids),
        "endpoints": endpoints,
    }
