"""The IoT part of a user's offboarding (``platformAdmin_deleteUsersServices`` and
``platformAdmin_migrateUsersServicesOwnership``): hubs with their endpoints and groups, models,
endpoint tokens and queries. Only groups are ``Service``s (``IOT_GROUP``), so only they are
returned; the rest goes, or moves, with them.
"""

from __future__ import annotations

import dataclasses

from ..persistence import MetadataTransaction
from ..persistence.models import TokenRecord
from ..services import views as common_views
from .records import (
    IotEndpointRecord,
    IotGroupRecord,
    IotHubRecord,
    IotModelRecord,
    IotQueryRecord,
    IotResultBlobRecord,
)
from .service import remove_endpoint, remove_group

View = dict[str, object]


def remove_users_iot(
    tx: MetadataTransaction, user_id: str
) -> tuple[list[common_views.View], list[IotEndpointRecord], list[str]]:
    """Deletes the user's IoT objects in ``tx``; returns the groups as services, the endpoints
    whose telemetry tables and the result blobs to drop after the commit."""
    services, endpoints, blobs = [], [], []
    for hub in tx.find(IotHubRecord, owner_user_id=user_id):
        for endpoint in tx.find(IotEndpointRecord, iot_hub_id=hub.iot_hub_id):
            remove_endpoint(tx, endpoint)
            endpoints.append(endpoint)
        for group in tx.find(IotGroupRecord, iot_hub_id=hub.iot_hub_id):
            services.append(common_views.service(tx, group))
            remove_group(tx, group)
        tx.delete(IotHubRecord, hub.key)
    for model in tx.find(IotModelRecord, owner_user_id=user_id):
        tx.delete(IotModelRecord, model.key)
    for query in tx.find(IotQueryRecord, owner_user_id=user_id):
        tx.delete(IotQueryRecord, query.key)
    for blob in tx.find(IotResultBlobRecord, owner_user_id=user_id):
        tx.delete(IotResultBlobRecord, blob.key)
        blobs.append(blob.blob_key)
    return services, endpoints, blobs


def migrate_users_iot(
    tx: MetadataTransaction, source_id: str, target_id: str
) -> list[common_views.View]:
    """Makes ``target_id`` the owner of the user's hubs, endpoints (and their tokens), groups,
    models and queries in ``tx``; returns the groups as services."""
    services = []
    for hub in tx.find(IotHubRecord, owner_user_id=source_id):
        tx.put(dataclasses.replace(hub, owner_user_id=target_id))
        for endpoint in tx.find(IotEndpointRecord, iot_hub_id=hub.iot_hub_id):
            tx.put(dataclasses.replace(endpoint, owner_user_id=target_id))
            token = tx.get(TokenRecord, endpoint.token_id)
            if token is not None:
                tx.put(dataclasses.replace(token, user_id=target_id))
        for group in tx.find(IotGroupRecord, iot_hub_id=hub.iot_hub_id):
            group = dataclasses.replace(group, owner_user_id=target_id)
            tx.put(group)
            services.append(common_views.service(tx, group))
    for model in tx.find(IotModelRecord, owner_user_id=source_id):
        tx.put(dataclasses.replace(model, owner_user_id=target_id))
    for query in tx.find(IotQueryRecord, owner_user_id=source_id):
        tx.put(dataclasses.replace(query, owner_user_id=target_id))
    for blob in tx.find(IotResultBlobRecord, owner_user_id=source_id):
        tx.put(dataclasses.replace(blob, owner_user_id=target_id))
    return services
