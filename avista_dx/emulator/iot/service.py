"""The IoT catalogue: hubs, digital-twin models and their versions, endpoints (properties and
tokens) and groups. Telemetry is :mod:`.data_service`'s.

Unknown ids and denials both answer ``Unauthorized``; see :mod:`.access` for who may do what.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore, MetadataTransaction, MetadataView
from ..persistence.models import TokenRecord
from ..services import validation
from ..services import views as common_views
from ..services.access import Access, Caller, delete_shares
from ..services.users import MAX_TOKEN_DAYS, hash_token, new_token_value
from ..services.validation import UNSET
from ..timestream import TimestreamError
from . import access, models, views
from .access import ENDPOINT_TOKEN_TYPE
from .records import (
    Attribute,
    IotEndpointRecord,
    IotEndpointTokenRecord,
    IotGroupRecord,
    IotHubRecord,
    IotModelRecord,
)
from .telemetry import TelemetryStore, new_table_name

logger = logging.getLogger(__name__)

MAX_GROUP_ENDPOINTS = 1000


def epoch_millis(value: object, what: str) -> int:
    """An epoch-milliseconds string (the schema's IoT timestamps)."""
    if not isinstance(value, str) or not value.strip().lstrip("-").isdigit():
        raise InvalidRequestError(f"{what} must be epoch milliseconds as a string")
    millis = int(value.strip())
    if not 0 <= millis < 2**63 // 1_000_000:
        raise InvalidRequestError(f"{what} is out of range")
    return millis


def _endpoint_ids(value: object, what: str = "iotEndpointIds") -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise InvalidRequestError(f"{what} must be a list")
    ids = [validation.identifier(item, what) for item in value]
    if len(set(ids)) != len(ids):
        raise InvalidRequestError(f"{what} lists an endpoint twice")
    return ids


def _new_token(
    endpoint: IotEndpointRecord, token_id: str
) -> tuple[TokenRecord, IotEndpointTokenRecord]:
    raw = new_token_value()
    now = _clock.utc_now()
    token = TokenRecord(
        token_id=token_id,
        user_id=endpoint.owner_user_id,
        name=f"IoT endpoint {endpoint.iot_endpoint_id}",
        token_hash=hash_token(raw),
        token_type=ENDPOINT_TOKEN_TYPE,
        date_created=_clock.iso(now),
        date_expires=_clock.iso(now + timedelta(days=MAX_TOKEN_DAYS)),
        scope=(endpoint.iot_endpoint_id,),
    )
    return token, IotEndpointTokenRecord(token_id, endpoint.iot_endpoint_id, raw)


def _carried_values(
    values: dict[str, list[str]], properties: Sequence[Attribute]
) -> dict[str, list[str]]:
    """Property values that still fit a (new) model: same name, value valid for its type."""
    kept = {}
    for attribute in properties:
        current = values.get(attribute["name"])
        if current is not None:
            value = models.typed_value(attribute["schemaType"], current[0])
            if value is not None:
                kept[attribute["name"]] = [value, current[1]]
    return kept


def remove_endpoint(tx: MetadataTransaction, record: IotEndpointRecord) -> None:
    """Deletes the endpoint, its token and its group memberships in ``tx`` (its telemetry
    table is dropped after the commit)."""
    for group in tx.find(IotGroupRecord, iot_hub_id=record.iot_hub_id):
        if record.iot_endpoint_id in group.iot_endpoint_ids:
            remaining = tuple(i for i in group.iot_endpoint_ids if i != record.iot_endpoint_id)
            tx.put(dataclasses.replace(group, iot_endpoint_ids=remaining))
    tx.delete(TokenRecord, record.token_id)
    tx.delete(IotEndpointTokenRecord, record.token_id)
    tx.delete(IotEndpointRecord, record.key)


def remove_group(tx: MetadataTransaction, record: IotGroupRecord) -> None:
    delete_shares(tx, record.iot_group_id)
    tx.delete(IotGroupRecord, record.key)


class IotService:
    def __init__(self, metadata: MetadataStore, telemetry: TelemetryStore) -> None:
        self._metadata = metadata
        self._telemetry = telemetry

    # --- hubs --------------------------------------------------------------------------------

    def list_hubs(self, caller: Caller) -> list[views.View]:
        """The caller's own hubs.

        Deviation (inferred semantics): hubs are not shareable (no ServiceType names them),
        so only their owner sees them.
        """
        with self._metadata.view() as view:
            return [views.hub(h) for h in view.find(IotHubRecord, owner_user_id=caller.user_id)]

    def get_hub(self, caller: Caller, iot_hub_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.hub(access.hub(view, caller, iot_hub_id))

    def create_hub(self, caller: Caller, name: object, description: object = None) -> views.View:
        record = IotHubRecord(
            iot_hub_id=new_id(IdKind.IOT_HUB),
            name=validation.name(name, "name"),
            owner_user_id=caller.user_id,
            description=validation.description(description),
        )
        with self._metadata.transaction() as tx:
            tx.put(record)
        return views.hub(record)

    def update_hub(
        self, caller: Caller, iot_hub_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            record = dataclasses.replace(access.hub(tx, caller, iot_hub_id), **changes)
            tx.put(record)
        return views.hub(record)

    def delete_hub(self, caller: Caller, iot_hub_id: object) -> views.View:
        """Deletes the hub with its endpoints (their tokens and telemetry) and groups.

        Deviation (inferred semantics): a hub that still has endpoints or groups is deleted
        with them, as a data store is deleted with its tree.
        """
        with self._metadata.transaction() as tx:
            record = access.hub(tx, caller, iot_hub_id)
            endpoints = tx.find(IotEndpointRecord, iot_hub_id=record.iot_hub_id)
            for endpoint in endpoints:
                remove_endpoint(tx, endpoint)
            for group in tx.find(IotGroupRecord, iot_hub_id=record.iot_hub_id):
                remove_group(tx, group)
            tx.delete(IotHubRecord, record.key)
        for endpoint in endpoints:
            self._telemetry.drop_table(endpoint.table_name)
        return views.hub(record)

    def drop_telemetry_of(self, endpoints: Sequence[IotEndpointRecord]) -> None:
        """Drops deleted endpoints' telemetry tables (after their metadata is gone)."""
        for endpoint in endpoints:
            self._telemetry.drop_table(endpoint.table_name)

    # --- endpoints ---------------------------------------------------------------------------

    def list_endpoints_in_hub(self, caller: Caller, iot_hub_id: object) -> list[views.View]:
        with self._metadata.view() as view:
            record = access.hub(view, caller, iot_hub_id)
            return [
                views.endpoint(view, e)
                for e in view.find(IotEndpointRecord, iot_hub_id=record.iot_hub_id)
            ]

    def get_endpoint(self, caller: Caller, iot_endpoint_id: object) -> views.View:
        """The endpoint with its properties' current values (defaults until set).

        Deviation (inferred semantics): besides the owner and the endpoint's token, members of
        a collaborative that an ``IOT_GROUP`` holding the endpoint is shared with read it.
        """
        with self._metadata.view() as view:
            return views.endpoint(view, access.endpoint(view, caller, iot_endpoint_id, Access.READ))

    def create_endpoint(
        self,
        caller: Caller,
        iot_hub_id: object,
        model_id: object,
        name: object,
        description: object = None,
    ) -> views.View:
        """An endpoint in the caller's hub, typed by one of the caller's models, with its token
        and its (empty) telemetry table; properties start at their default values."""
        endpoint_name = validation.name(name, "name")
        endpoint_description = validation.description(description)
        with self._metadata.view() as view:
            hub = access.hub(view, caller, iot_hub_id)
            model = access.model(view, caller, model_id, Access.OWNER)
        endpoint = IotEndpointRecord(
            iot_endpoint_id=new_id(IdKind.IOT_ENDPOINT),
            iot_hub_id=hub.iot_hub_id,
            model_id=model.model_id,
            owner_user_id=caller.user_id,
            name=endpoint_name,
            table_name=new_table_name(),
            token_id=new_id(IdKind.TOKEN),
            description=endpoint_description,
        )
        token, raw = _new_token(endpoint, endpoint.token_id)
        try:
            self._telemetry.create_table(endpoint.table_name)
        except TimestreamError as error:
            raise InvalidRequestError(error.message) from None
        try:
            with self._metadata.transaction() as tx:
                # Re-checked inside the transaction: the hub or model may have gone meanwhile.
                access.hub(tx, caller, hub.iot_hub_id)
                access.model(tx, caller, model.model_id, Access.OWNER)
                tx.put(endpoint)
                tx.put(token)
                tx.put(raw)
                result = views.endpoint(tx, endpoint)
        except BaseException:
            self._telemetry.drop_table(endpoint.table_name)
            raise
        return result

    def update_endpoint(
        self, caller: Caller, iot_endpoint_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            record = access.endpoint(tx, caller, iot_endpoint_id, Access.OWNER)
            record = dataclasses.replace(record, **changes)
            tx.put(record)
            return views.endpoint(tx, record)

    def update_endpoint_properties(
        self, caller: Caller, iot_endpoint_id: object, properties: object
    ) -> views.View:
        """Sets writable properties' values, all or none; owner, READ_WRITE members and the
        endpoint's token.

        Each value must be valid for the property's schema type. A property that is not
        writable, unknown, or named twice fails the whole call. Deviation (inferred
        semantics): ``writable`` is enforced for every caller, the endpoint's own token too.
        """
        if not isinstance(properties, Sequence) or isinstance(properties, str) or not properties:
            raise InvalidRequestError("properties must be a non-empty list")
        with self._metadata.transaction() as tx:
            record = access.endpoint(tx, caller, iot_endpoint_id, Access.WRITE)
            model = tx.get(IotModelRecord, record.model_id)
            defined = {a["name"]: a for a in (model.properties if model else ())}
            values = dict(record.property_values)
            seen: set[str] = set()
            for item in properties:
                if not isinstance(item, dict):
                    raise InvalidRequestError("properties entries must not be null")
                name = item.get("name")
                attribute = defined.get(name) if isinstance(name, str) else None
                if attribute is None:
                    raise InvalidRequestError(f"the endpoint's model has no property {name!r}")
                if name in seen:
                    raise InvalidRequestError(f"property {name!r} is given twice")
                seen.add(attribute["name"])
                if not attribute.get("writable"):
                    raise InvalidRequestError(f"property {name!r} is not writable")
                value = models.typed_value(attribute["schemaType"], item.get("value"))
                if value is None:
                    raise InvalidRequestError(
                        f"value {models.shown(item.get('value'))} of property {name!r} is not a"
                        f" {attribute['schemaType']}"
                    )
                millis = epoch_millis(item.get("timestamp"), f"timestamp of property {name!r}")
                values[attribute["name"]] = [value, str(millis)]
            record = dataclasses.replace(record, property_values=values)
            tx.put(record)
            return views.endpoint(tx, record)

    def update_model_used_by_endpoint(
        self, caller: Caller, iot_endpoint_id: object, model_id: object
    ) -> views.View:
        """Switches the endpoint to another of the owner's models (typically a new version).

        Deviation (inferred semantics): property values whose name and type still fit the new
        model are kept, the others fall back to the new model's defaults; stored telemetry is
        kept whatever the new model defines.
        """
        with self._metadata.transaction() as tx:
            record = access.endpoint(tx, caller, iot_endpoint_id, Access.OWNER)
            model = access.model(tx, caller, model_id, Access.OWNER)
            record = dataclasses.replace(
                record,
                model_id=model.model_id,
                property_values=_carried_values(record.property_values, model.properties),
            )
            tx.put(record)
            return views.endpoint(tx, record)

    def delete_endpoint(self, caller: Caller, iot_endpoint_id: object) -> views.View:
        """Owner only.

        Deviation (inferred semantics): the endpoint's token, group memberships and stored
        telemetry go with it.
        """
        with self._metadata.transaction() as tx:
            record = access.endpoint(tx, caller, iot_endpoint_id, Access.OWNER)
            result = views.endpoint(tx, record)
            remove_endpoint(tx, record)
        self._telemetry.drop_table(record.table_name)
        return result

    # --- endpoint tokens ---------------------------------------------------------------------

    def get_endpoint_token(self, caller: Caller, iot_endpoint_id: object) -> views.View:
        """The endpoint's IOT_ENDPOINT_READ_WRITE token, value included; owner only.

        Deviation (inferred semantics): the token is created with the endpoint and lasts ten
        years; it publishes to, reads and sets writable properties of that endpoint only.
        """
        with self._metadata.view() as view:
            record = access.endpoint(view, caller, iot_endpoint_id, Access.OWNER)
            token = view.get(TokenRecord, record.token_id)
            raw = view.get(IotEndpointTokenRecord, record.token_id)
        if token is None or raw is None:
            raise UnauthorizedError()
        return common_views.token(token, token_value=raw.token_value)

    def regenerate_endpoint_token(self, caller: Caller, iot_endpoint_id: object) -> views.View:
        """A new token for the endpoint; the previous one stops working at once."""
        with self._metadata.transaction() as tx:
            record = access.endpoint(tx, caller, iot_endpoint_id, Access.OWNER)
            tx.delete(TokenRecord, record.token_id)
            tx.delete(IotEndpointTokenRecord, record.token_id)
            record = dataclasses.replace(record, token_id=new_id(IdKind.TOKEN))
            token, raw = _new_token(record, record.token_id)
            tx.put(record)
            tx.put(token)
            tx.put(raw)
        return common_views.token(token, token_value=raw.token_value)

    # --- groups ------------------------------------------------------------------------------

    def list_groups(
        self, caller: Caller, iot_hub_id: object, include_endpoints: object = None
    ) -> list[views.View]:
        with self._metadata.view() as view:
            hub = access.hub(view, caller, iot_hub_id)
            return [
                views.group(view, g, include_endpoints=bool(include_endpoints))
                for g in view.find(IotGroupRecord, iot_hub_id=hub.iot_hub_id)
            ]

    def get_group(
        self, caller: Caller, iot_group_id: object, include_endpoints: object = None
    ) -> views.View:
        """The group (its owner, and members of the collaboratives it is shared with).

        Deviation (inferred semantics): ``endpoints`` is null unless ``includeEndpoints``.
        """
        with self._metadata.view() as view:
            record = access.group(view, caller, iot_group_id, Access.READ)
            return views.group(view, record, include_endpoints=bool(include_endpoints))

    @staticmethod
    def _hub_endpoints(view: MetadataView, hub_id: str, ids: Sequence[str]) -> None:
        for endpoint_id in ids:
            endpoint = view.get(IotEndpointRecord, endpoint_id)
            if endpoint is None or endpoint.iot_hub_id != hub_id:
                raise InvalidRequestError(f"{endpoint_id} is not an endpoint of hub {hub_id}")

    def create_group(
        self,
        caller: Caller,
        iot_hub_id: object,
        name: object,
        description: object = None,
        iot_endpoint_ids: object = None,
    ) -> views.View:
        """A group of endpoints of one of the caller's hubs.

        Deviation (inferred semantics): a group holds endpoints of its own hub only; groups are
        the IoT objects a collaborative shares (service type ``IOT_GROUP``).
        """
        ids = [] if iot_endpoint_ids is None else _endpoint_ids(iot_endpoint_ids)
        record = IotGroupRecord(
            iot_group_id=new_id(IdKind.IOT_GROUP),
            iot_hub_id="",
            owner_user_id=caller.user_id,
            name=validation.name(name, "name"),
            description=validation.description(description),
            iot_endpoint_ids=tuple(ids),
        )
        with self._metadata.transaction() as tx:
            hub = access.hub(tx, caller, iot_hub_id)
            self._hub_endpoints(tx, hub.iot_hub_id, ids)
            record = dataclasses.replace(record, iot_hub_id=hub.iot_hub_id)
            tx.put(record)
            return views.group(tx, record, include_endpoints=False)

    def update_group(
        self, caller: Caller, iot_group_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            record = access.group(tx, caller, iot_group_id, Access.OWNER)
            record = dataclasses.replace(record, **changes)
            tx.put(record)
            return views.group(tx, record, include_endpoints=False)

    def add_endpoints_to_group(
        self, caller: Caller, iot_group_id: object, iot_endpoint_ids: object
    ) -> views.View:
        """Owner only; all or none. Every endpoint must be of the group's hub and not yet in it.

        Deviation (inferred semantics): adding an endpoint that is already in the group is an
        error, like removing one that is not.
        """
        ids = _endpoint_ids(iot_endpoint_ids)
        if not ids:
            raise InvalidRequestError("iotEndpointIds must not be empty")
        with self._metadata.transaction() as tx:
            record = access.group(tx, caller, iot_group_id, Access.OWNER)
            self._hub_endpoints(tx, record.iot_hub_id, ids)
            present = [i for i in ids if i in record.iot_endpoint_ids]
            if present:
                raise InvalidRequestError(f"already in the group: {', '.join(present)}")
            if len(record.iot_endpoint_ids) + len(ids) > MAX_GROUP_ENDPOINTS:
                raise InvalidRequestError(f"a group holds at most {MAX_GROUP_ENDPOINTS} endpoints")
            record = dataclasses.replace(record, iot_endpoint_ids=(*record.iot_endpoint_ids, *ids))
            tx.put(record)
            return views.group(tx, record, include_endpoints=False)

    def remove_endpoints_from_group(
        self, caller: Caller, iot_group_id: object, iot_endpoint_ids: object
    ) -> views.View:
        """Owner only; all or none: an endpoint that is not in the group fails the call."""
        ids = _endpoint_ids(iot_endpoint_ids)
        if not ids:
            raise InvalidRequestError("iotEndpointIds must not be empty")
        with self._metadata.transaction() as tx:
            record = access.group(tx, caller, iot_group_id, Access.OWNER)
            missing = [i for i in ids if i not in record.iot_endpoint_ids]
            if missing:
                raise InvalidRequestError(f"not in the group: {', '.join(missing)}")
            remaining = tuple(i for i in record.iot_endpoint_ids if i not in set(ids))
            record = dataclasses.replace(record, iot_endpoint_ids=remaining)
            tx.put(record)
            return views.group(tx, record, include_endpoints=False)

    def delete_group(self, caller: Caller, iot_group_id: object) -> views.View:
        """Owner only: the group and its shares go; its endpoints stay."""
        with self._metadata.transaction() as tx:
            record = access.group(tx, caller, iot_group_id, Access.OWNER)
            result = views.group(tx, record, include_endpoints=False)
            remove_group(tx, record)
        return result

    # --- models ------------------------------------------------------------------------------

    def list_models(self, caller: Caller) -> list[views.View]:
        """The caller's own models.

        Deviation (inferred semantics): every version is listed, each as its own model.
        """
        if caller.scope is not None:
            raise UnauthorizedError()
        with self._metadata.view() as view:
            owned = view.find(IotModelRecord, owner_user_id=caller.user_id)
        return [models.model_view(m) for m in owned]

    def get_model(self, caller: Caller, model_id: object) -> views.View:
        """One model version.

        Deviation (inferred semantics): readable by its owner and by whoever can read an
        endpoint that uses it.
        """
        with self._metadata.view() as view:
            return models.model_view(access.model(view, caller, model_id, Access.READ))

    def get_model_dtdl(self, caller: Caller, model_id: object) -> str:
        """The model as a DTDL v2 Interface (JSON-LD text), readable by DTDL v2 and v3 parsers.

        Deviation (inferred semantics): DTDL has no default values, so property defaults are
        left out; the DTMI is ``dtmi:avistadx:<creator>:<dtmiSegment>;<version>``.
        """
        with self._metadata.view() as view:
            return models.dtdl_document(access.model(view, caller, model_id, Access.READ))

    @staticmethod
    def _check_unique_dtmi(
        view: MetadataView, owner: str, segment: str, version: int, model_id: str | None = None
    ) -> None:
        for other in view.find(IotModelRecord, owner_user_id=owner, dtmi_segment=segment):
            if other.version == version and other.model_id != model_id:
                raise InvalidRequestError(f"version {version} of model {segment!r} already exists")

    def create_model(
        self,
        caller: Caller,
        display_name: object,
        dtmi_segment: object,
        description: object = None,
        properties: object = None,
        telemetry: object = None,
    ) -> views.View:
        """Version 1 of a new model; its ``dtmiSegment`` must be new among the caller's models.

        Deviation (inferred semantics): names follow DTDL v2 (letters, digits, underscores, at
        most 64 characters; ``displayName`` at most 64, descriptions at most 512) so that the
        DTDL export is valid; names the telemetry table reserves (``time``,
        ``iotEndpointId``, ``measure_name``, ``ts_*``) are refused.
        """
        if caller.scope is not None:
            raise UnauthorizedError()
        checked_properties, checked_telemetry = models.attributes(properties, telemetry)
        record = IotModelRecord(
            model_id=new_id(IdKind.IOT_MODEL),
            owner_user_id=caller.user_id,
            display_name=models.display_name(display_name),
            dtmi_segment=models.dtmi_segment(dtmi_segment),
            version=1,
            description=models.model_description(description),
            properties=checked_properties,
            telemetry=checked_telemetry,
            dtmi_scope=models.dtmi_scope(caller.user_id),
        )
        with self._metadata.transaction() as tx:
            if tx.find(
                IotModelRecord, owner_user_id=caller.user_id, dtmi_segment=record.dtmi_segment
            ):
                raise InvalidRequestError(
                    f"a model {record.dtmi_segment!r} exists: add a version with"
                    " iot_createNewModelVersion"
                )
            tx.put(record)
        return models.model_view(record)

    def create_new_model_version(
        self,
        caller: Caller,
        model_id: object,
        version: object = None,
        display_name: Any = UNSET,
        description: Any = UNSET,
        properties: Any = UNSET,
        telemetry: Any = UNSET,
    ) -> views.View:
        """A new model (own ``modelId``) with the same ``dtmiSegment`` and a higher version.

        Deviation (inferred semantics): ``version`` defaults to the highest existing version
        plus one and must exceed every existing version; omitted arguments are copied from
        the given model. Endpoints keep their model until ``iot_updateModelUsedByEndpoint``.
        """
        with self._metadata.transaction() as tx:
            source = access.model(tx, caller, model_id, Access.OWNER)
            family = tx.find(
                IotModelRecord, owner_user_id=source.owner_user_id, dtmi_segment=source.dtmi_segment
            )
            highest = max(m.version for m in family)
            new_version = highest + 1 if version is None else models.version(version)
            if new_version <= highest:
                raise InvalidRequestError(f"version must be greater than {highest}")
            if new_version > models.MAX_VERSION:
                raise InvalidRequestError(f"version must be at most {models.MAX_VERSION}")
            new_properties, new_telemetry = models.attributes(
                _raw(source.properties) if properties is UNSET else properties,
                _raw(source.telemetry) if telemetry is UNSET else telemetry,
            )
            record = dataclasses.replace(
                source,
                model_id=new_id(IdKind.IOT_MODEL),
                version=new_version,
                display_name=(
                    source.display_name
                    if display_name is UNSET
                    else models.display_name(display_name)
                ),
                description=(
                    source.description
                    if description is UNSET
                    else models.model_description(description)
                ),
                properties=new_properties,
                telemetry=new_telemetry,
            )
            tx.put(record)
        return models.model_view(record)

    def update_model(
        self,
        caller: Caller,
        model_id: object,
        display_name: Any = UNSET,
        dtmi_segment: Any = UNSET,
        description: Any = UNSET,
    ) -> views.View:
        """Owner only.

        Deviation (inferred semantics): changes this version's names and description only,
        never its attributes (those change through a new version).
        """
        with self._metadata.transaction() as tx:
            record = access.model(tx, caller, model_id, Access.OWNER)
            changes: dict[str, Any] = {}
            if display_name is not UNSET:
                changes["display_name"] = models.display_name(display_name)
            if dtmi_segment is not UNSET:
                changes["dtmi_segment"] = models.dtmi_segment(dtmi_segment)
            if description is not UNSET:
                changes["description"] = models.model_description(description)
            record = dataclasses.replace(record, **changes)
            self._check_unique_dtmi(
                tx, record.owner_user_id, record.dtmi_segment, record.version, record.model_id
            )
            tx.put(record)
        return models.model_view(record)

    def delete_model(self, caller: Caller, model_id: object) -> views.View:
        """Owner only.

        Deviation (inferred semantics): a model that endpoints use cannot be deleted
        (BadRequestException).
        """
        with self._metadata.transaction() as tx:
            record = access.model(tx, caller, model_id, Access.OWNER)
            if tx.find(IotEndpointRecord, model_id=record.model_id):
                raise InvalidRequestError("the model is used by endpoints")
            tx.delete(IotModelRecord, record.key)
        return models.model_view(record)


def _raw(attributes: Sequence[Attribute]) -> list[Attribute]:
    """Stored attributes as inputs again (for a new version that keeps them)."""
    return [dict(a) for a in attributes]
