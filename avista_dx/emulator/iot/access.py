"""Who may do what with IoT objects.

Inferred from the schema (only ``IOT_GROUP`` is a shareable service type): hubs, models and
endpoints belong to their owner; a group shared with a collaborative gives its members access
to the group and to the endpoints in it, READ_WRITE members writing (publish, property
updates) and READ_ONLY members reading. Only owners change the catalogue. An endpoint token
acts for its endpoint alone.
"""

from __future__ import annotations

from ..errors import UnauthorizedError
from ..persistence import MetadataView
from ..services import validation
from ..services.access import Access, Caller, service_access
from .records import IotEndpointRecord, IotGroupRecord, IotHubRecord, IotModelRecord

ENDPOINT_TOKEN_TYPE = "IOT_ENDPOINT_READ_WRITE"
# Root fields an IOT_ENDPOINT_READ_WRITE token may call (or, for onIotPublish, subscribe to),
# each only for its own endpoint.
ENDPOINT_TOKEN_FIELDS = frozenset(
    {
        "iot_publish",
        "iot_getEndpoint",
        "iot_listEndpointLastValues",
        "iot_updateEndpointProperties",
        "onIotPublish",
    }
)


def _user_access(caller: Caller) -> bool:
    """False for a scoped (endpoint) token: it never reaches objects through its user."""
    return caller.scope is None


def hub(view: MetadataView, caller: Caller, iot_hub_id: object) -> IotHubRecord:
    """Hubs are their owner's alone."""
    key = validation.identifier(iot_hub_id, "iotHubId")
    record = view.get(IotHubRecord, key)
    if record is None or not _user_access(caller) or record.owner_user_id != caller.user_id:
        raise UnauthorizedError()
    return record


def group_access(view: MetadataView, caller: Caller, record: IotGroupRecord) -> Access:
    if not _user_access(caller):
        return Access.NONE
    return service_access(view, caller.user, record.iot_group_id, record.owner_user_id)


def group(
    view: MetadataView, caller: Caller, iot_group_id: object, needed: Access
) -> IotGroupRecord:
    key = validation.identifier(iot_group_id, "iotGroupId")
    record = view.get(IotGroupRecord, key)
    if record is None or group_access(view, caller, record) < needed:
        raise UnauthorizedError()
    return record


def endpoint_access(view: MetadataView, caller: Caller, record: IotEndpointRecord) -> Access:
    if caller.scope is not None:
        # An endpoint token writes to (and reads) its own endpoint; it owns nothing.
        own = caller.token_type == ENDPOINT_TOKEN_TYPE and caller.scope == record.iot_endpoint_id
        return Access.WRITE if own else Access.NONE
    if record.owner_user_id == caller.user_id:
        return Access.OWNER
    best = Access.NONE
    for candidate in view.find(IotGroupRecord, iot_hub_id=record.iot_hub_id):
        if record.iot_endpoint_id in candidate.iot_endpoint_ids:
            best = max(best, min(group_access(view, caller, candidate), Access.WRITE))
    return best


def endpoint(
    view: MetadataView, caller: Caller, iot_endpoint_id: object, needed: Access
) -> IotEndpointRecord:
    key = validation.identifier(iot_endpoint_id, "iotEndpointId")
    record = view.get(IotEndpointRecord, key)
    if record is None or endpoint_access(view, caller, record) < needed:
        raise UnauthorizedError()
    return record


def model(view: MetadataView, caller: Caller, model_id: object, needed: Access) -> IotModelRecord:
    """The owner has every right; a user who can read an endpoint of the model can read it."""
    key = validation.identifier(model_id, "modelId")
    record = view.get(IotModelRecord, key)
    if record is None or not _user_access(caller):
        raise UnauthorizedError()
    if record.owner_user_id == caller.user_id:
        return record
    if needed <= Access.READ and any(
        endpoint_access(view, caller, used_by) >= Access.READ
        for used_by in view.find(IotEndpointRecord, model_id=key)
    ):
        return record
    raise UnauthorizedError()


def owns_iot(view: MetadataView, user_id: str) -> bool:
    return bool(
        view.find(IotHubRecord, owner_user_id=user_id)
        or view.find(IotModelRecord, owner_user_id=user_id)
    )
