"""Organizations, managed by platform admins (``platformAdmin_*Organization*``).

Every method requires the PLATFORM_ADMIN role (otherwise ``Unauthorized``), except that the seed
and the development routes pass ``caller=None`` to ``create_organization``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..errors import InvalidRequestError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore
from ..persistence.models import (
    CollaborativeRecord,
    MemberOrganizationRecord,
    OrganizationRecord,
    UserRecord,
)
from . import validation, views
from .access import Caller, require_record
from .validation import UNSET


class OrganizationService:
    def __init__(self, metadata: MetadataStore) -> None:
        self._metadata = metadata

    def list_organizations(self, caller: Caller) -> list[views.View]:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return [views.organization(r) for r in view.find(OrganizationRecord)]

    def get_organization(self, caller: Caller, organization_id: object) -> views.View:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return views.organization(
                require_record(view, OrganizationRecord, organization_id, "organizationId")
            )

    def create_organization(
        self, caller: Caller | None, name: object, host_organization: object = None
    ) -> views.View:
        """``caller=None`` only for the seed and admin routes (no GraphQL caller)."""
        if caller is not None:
            caller.require_platform_admin()
        record = OrganizationRecord(
            organization_id=new_id(IdKind.ORGANIZATION),
            name=validation.name(name, "name"),
            host_organization=bool(host_organization),
        )
        with self._metadata.transaction() as tx:
            tx.put(record)
        return views.organization(record)

    def update_organization(
        self, caller: Caller, organization_id: object, name: Any = UNSET
    ) -> views.View:
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = require_record(tx, OrganizationRecord, organization_id, "organizationId")
            if name is not UNSET:
                record = dataclasses.replace(record, name=validation.name(name, "name"))
                tx.put(record)
            return views.organization(record)

    def delete_organization(
        self, caller: Caller, organization_id: object, comment: object = None
    ) -> views.View:
        """Only an organization without users and without hosted collaboratives."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = require_record(tx, OrganizationRecord, organization_id, "organizationId")
            key = record.organization_id
            if tx.find(UserRecord, organization_id=key):
                raise InvalidRequestError("the organization still has users")
            if tx.find(CollaborativeRecord, host_organization_id=key):
                raise InvalidRequestError("the organization still hosts collaboratives")
            for membership in tx.find(MemberOrganizationRecord, organization_id=key):
                tx.delete(MemberOrganizationRecord, membership.key)
            tx.delete(OrganizationRecord, key)
        return views.organization(record)
