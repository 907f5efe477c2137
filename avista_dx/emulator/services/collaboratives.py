"""Collaboratives: organizations sharing data stores and time-series databases.

A collaborative is visible to users of its host organization and of its approved member
organizations. Only a service's owner shares or unshares it, and only with a collaborative the
owner can see. The host organization's users (and platform admins) approve or deny members.
"""

from __future__ import annotations

from .. import _clock
from ..data_capture.records import CaptureRecord
from ..errors import InvalidRequestError, UnauthorizedError
from ..iot.records import IotGroupRecord
from ..persistence import MetadataStore, MetadataView
from ..persistence.models import (
    CollaborativeRecord,
    DataStoreRecord,
    MemberOrganizationRecord,
    OrganizationRecord,
    ShareRecord,
    TimeSeriesDbRecord,
    collaborative_link_key,
)
from . import validation, views
from .access import Caller, is_active_member_organization

SHAREABLE_TYPES = ("DATA_STORE", "TIME_SERIES_DB", "DATA_CAPTURE", "IOT_GROUP")
SETTABLE_MEMBER_STATES = frozenset({"APPROVED", "DENIED_ACCESS", "PENDING_APPROVAL"})


def visible_collaborative(
    view: MetadataView, caller: Caller, collaborative_id: object
) -> CollaborativeRecord:
    key = validation.identifier(collaborative_id, "collaborativeId")
    record = view.get(CollaborativeRecord, key)
    if record is None or not is_active_member_organization(view, key, caller.organization_id):
        raise UnauthorizedError()
    return record


def _service_record(
    view: MetadataView, service_type: str, service_id: str
) -> views.ServiceRecord | None:
    """The record of a service, or None when no such service exists (any more)."""
    if service_type == "DATA_STORE":
        return view.get(DataStoreRecord, service_id)
    if service_type == "TIME_SERIES_DB":
        return view.get(TimeSeriesDbRecord, service_id)
    if service_type == "DATA_CAPTURE":
        return view.get(CaptureRecord, service_id)
    if service_type == "IOT_GROUP":
        return view.get(IotGroupRecord, service_id)
    return None


def service_view(view: MetadataView, service_type: str, service_id: str) -> views.View | None:
    """The ``Service`` for a shared id, or None when the service no longer exists."""
    record = _service_record(view, service_type, service_id)
    return None if record is None else views.service(view, record)


def _owned_service(
    view: MetadataView, caller: Caller, service_type: object, service_id: object
) -> views.View:
    """The caller's own service; other types than data stores and databases do not exist here."""
    key = validation.identifier(service_id, "serviceId")
    if service_type not in SHAREABLE_TYPES:
        raise UnauthorizedError()
    assert isinstance(service_type, str)
    record = _service_record(view, service_type, key)
    if record is None or record.owner_user_id != caller.user_id:
        raise UnauthorizedError()
    return views.service(view, record)


class CollaborativeService:
    def __init__(self, metadata: MetadataStore) -> None:
        self._metadata = metadata

    def list_collaboratives(self, caller: Caller) -> list[views.View]:
        """Collaboratives whose host or approved member organization is the caller's.

        Deviation (inferred semantics): visibility follows the caller's organization; access to
        the shared services additionally needs the user's own membership.
        """
        with self._metadata.view() as view:
            return [
                views.collaborative(view, record)
                for record in view.find(CollaborativeRecord)
                if is_active_member_organization(
                    view, record.collaborative_id, caller.organization_id
                )
            ]

    def get_collaborative(self, caller: Caller, collaborative_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.collaborative(view, visible_collaborative(view, caller, collaborative_id))

    def list_services(self, caller: Caller, collaborative_id: object) -> list[views.View]:
        with self._metadata.view() as view:
            record = visible_collaborative(view, caller, collaborative_id)
            services = []
            for share in view.find(ShareRecord, collaborative_id=record.collaborative_id):
                found = service_view(view, share.service_type, share.service_id)
                if found is not None:
                    services.append(found)
            return services

    def list_shared_with(
        self, caller: Caller, service_type: object, service_id: object
    ) -> list[views.View]:
        """The collaboratives the caller's own service is shared with."""
        with self._metadata.view() as view:
            service = _owned_service(view, caller, service_type, service_id)
            result = []
            for share in view.find(ShareRecord, service_id=service["serviceId"]):
                record = view.get(CollaborativeRecord, share.collaborative_id)
                if record is not None:
                    result.append(views.collaborative(view, record))
            return result

    def add_service(
        self, caller: Caller, collaborative_id: object, service_type: object, service_id: object
    ) -> views.View:
        """The owner shares a service with a collaborative their organization belongs to."""
        with self._metadata.transaction() as tx:
            record = visible_collaborative(tx, caller, collaborative_id)
            service = _owned_service(tx, caller, service_type, service_id)
            share = ShareRecord(
                record.collaborative_id, service["serviceType"], service["serviceId"]
            )
            if tx.get(ShareRecord, share.key) is not None:
                raise InvalidRequestError("the service is already shared with this collaborative")
            tx.put(share)
        return service

    def remove_service(
        self, caller: Caller, collaborative_id: object, service_type: object, service_id: object
    ) -> views.View:
        with self._metadata.transaction() as tx:
            record = visible_collaborative(tx, caller, collaborative_id)
            service = _owned_service(tx, caller, service_type, service_id)
            key = collaborative_link_key(record.collaborative_id, service["serviceId"])
            if not tx.delete(ShareRecord, key):
                raise InvalidRequestError("the service is not shared with this collaborative")
        return service

    def list_member_requests(
        self,
        caller: Caller,
        collaborative_id: object = None,
        include_approved: object = None,
        include_denied: object = None,
    ) -> list[views.View]:
        """For the host organization's users (and platform admins): memberships by state.

        Pending requests always; approved and denied ones when asked for.
        """
        states = {"PENDING_APPROVAL"}
        if include_approved:
            states |= {"APPROVED", "HOST_ORGANIZATION"}
        if include_denied:
            states.add("DENIED_ACCESS")
        with self._metadata.view() as view:
            if collaborative_id is not None:
                key = validation.identifier(collaborative_id, "collaborativeId")
                found = view.get(CollaborativeRecord, key)
                records = [] if found is None else [found]
                if not records or not self._may_manage(caller, records[0]):
                    raise UnauthorizedError()
            else:
                records = [r for r in view.find(CollaborativeRecord) if self._may_manage(caller, r)]
            return [
                views.collaborative(view, record, member_states=frozenset(states))
                for record in records
            ]

    @staticmethod
    def _may_manage(caller: Caller, record: CollaborativeRecord) -> bool:
        return (
            caller.user.is_platform_admin or caller.organization_id == record.host_organization_id
        )

    def update_member_organization(
        self,
        caller: Caller,
        collaborative_id: object,
        organization_id: object,
        member_state: object,
    ) -> views.View:
        """Approve, deny or reset an organization's membership (creating the request if none).

        Deviation: the service has no mutation for an organization to request membership, so
        the host may set the state of any organization directly.
        """
        if member_state not in SETTABLE_MEMBER_STATES:
            raise InvalidRequestError(
                f"memberState must be one of {', '.join(sorted(SETTABLE_MEMBER_STATES))}"
            )
        assert isinstance(member_state, str)
        org_key = validation.identifier(organization_id, "organizationId")
        collab_key = validation.identifier(collaborative_id, "collaborativeId")
        with self._metadata.transaction() as tx:
            record = tx.get(CollaborativeRecord, collab_key)
            if record is None or not self._may_manage(caller, record):
                raise UnauthorizedError()
            if tx.get(OrganizationRecord, org_key) is None:
                raise InvalidRequestError(f"organization {org_key} does not exist")
            if org_key == record.host_organization_id:
                raise InvalidRequestError("the host organization's membership cannot be changed")
            existing = tx.get(MemberOrganizationRecord, collaborative_link_key(collab_key, org_key))
            now = _clock.now_iso()
            membership = MemberOrganizationRecord(
                collaborative_id=collab_key,
                organization_id=org_key,
                member_state=member_state,
                submitted_timestamp=existing.submitted_timestamp if existing else now,
                submitted_by_user_id=existing.submitted_by_user_id if existing else caller.user_id,
                access_approved_by_user_id=caller.user_id if member_state == "APPROVED" else None,
            )
            tx.put(membership)
            return views.member_organization(tx, membership)
