"""A platform admin's collaboratives: creating them and managing their member users.

Every method requires the PLATFORM_ADMIN role (otherwise ``Unauthorized``). What members do
inside a collaborative (sharing services, member organizations' requests) is
``collaboratives.py``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore
from ..persistence.models import (
    CollaborativeRecord,
    MemberOrganizationRecord,
    MemberUserRecord,
    OrganizationRecord,
    ShareRecord,
    UserRecord,
    collaborative_link_key,
)
from . import validation, views
from .access import Caller, require_record
from .validation import UNSET

PERMISSIONS = frozenset({"READ_ONLY", "READ_WRITE"})


class CollaborativeAdminService:
    def __init__(self, metadata: MetadataStore) -> None:
        self._metadata = metadata

    def list_collaboratives(
        self, caller: Caller, include_members: object = None
    ) -> list[views.View]:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return [
                views.collaborative(view, r, include_members=bool(include_members))
                for r in view.find(CollaborativeRecord)
            ]

    def get_collaborative(
        self, caller: Caller, collaborative_id: object, include_members: object = None
    ) -> views.View:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            record = require_record(view, CollaborativeRecord, collaborative_id, "collaborativeId")
            return views.collaborative(view, record, include_members=bool(include_members))

    def create_collaborative(
        self,
        caller: Caller,
        name: object,
        description: object = None,
        *,
        host_organization_id: str | None = None,
    ) -> views.View:
        """A collaborative with its host organization as first member.

        Deviation (inferred semantics): the host is the calling admin's organization.
        """
        caller.require_platform_admin()
        host = host_organization_id or caller.organization_id
        record = CollaborativeRecord(
            collaborative_id=new_id(IdKind.COLLABORATIVE),
            name=validation.name(name, "name"),
            host_organization_id=host,
            description=validation.description(description),
        )
        with self._metadata.transaction() as tx:
            if tx.get(OrganizationRecord, host) is None:
                raise InvalidRequestError(f"organization {host} does not exist")
            tx.put(record)
            tx.put(
                MemberOrganizationRecord(
                    collaborative_id=record.collaborative_id,
                    organization_id=host,
                    member_state="HOST_ORGANIZATION",
                    submitted_timestamp=_clock.now_iso(),
                    submitted_by_user_id=caller.user_id,
                    access_approved_by_user_id=caller.user_id,
                )
            )
            return views.collaborative(tx, record)

    def update_collaborative(
        self, caller: Caller, collaborative_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        caller.require_platform_admin()
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            record = require_record(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            record = dataclasses.replace(record, **changes)
            tx.put(record)
            return views.collaborative(tx, record)

    def delete_collaborative(
        self, caller: Caller, collaborative_id: object, comment: object = None
    ) -> views.View:
        """The collaborative, its memberships and its shares (the services themselves stay)."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = require_record(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            result = views.collaborative(tx, record)
            key = record.collaborative_id
            for cls in (MemberOrganizationRecord, MemberUserRecord, ShareRecord):
                for child in tx.find(cls, collaborative_id=key):
                    tx.delete(cls, child.key)
            tx.delete(CollaborativeRecord, key)
        return result

    def add_member(
        self, caller: Caller, collaborative_id: object, user_id: object, permission: object = None
    ) -> views.View:
        """Adds a user (READ_ONLY unless told); their organization becomes an approved member."""
        caller.require_platform_admin()
        level = "READ_ONLY" if permission is None else permission
        if level not in PERMISSIONS:
            raise InvalidRequestError("permission must be READ_ONLY or READ_WRITE")
        assert isinstance(level, str)
        with self._metadata.transaction() as tx:
            record = require_record(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            user = require_record(tx, UserRecord, user_id, "userId")
            member = MemberUserRecord(record.collaborative_id, user.user_id, level)
            if tx.get(MemberUserRecord, member.key) is not None:
                raise InvalidRequestError("the user is already a member of the collaborative")
            org_key = collaborative_link_key(record.collaborative_id, user.organization_id)
            membership = tx.get(MemberOrganizationRecord, org_key)
            if membership is None or membership.member_state in (
                "PENDING_APPROVAL",
                "DENIED_ACCESS",
            ):
                now = _clock.now_iso()
                tx.put(
                    MemberOrganizationRecord(
                        collaborative_id=record.collaborative_id,
                        organization_id=user.organization_id,
                        member_state="APPROVED",
                        submitted_timestamp=membership.submitted_timestamp if membership else now,
                        submitted_by_user_id=caller.user_id,
                        access_approved_by_user_id=caller.user_id,
                    )
                )
            tx.put(member)
            return views.collaborative(tx, record)

    def update_member(
        self, caller: Caller, collaborative_id: object, user_id: object, permission: object
    ) -> views.View:
        caller.require_platform_admin()
        if permission not in PERMISSIONS:
            raise InvalidRequestError("permission must be READ_ONLY or READ_WRITE")
        assert isinstance(permission, str)
        with self._metadata.transaction() as tx:
            record = require_record(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            user_key = validation.identifier(user_id, "userId")
            member = tx.get(
                MemberUserRecord, collaborative_link_key(record.collaborative_id, user_key)
            )
            if member is None:
                raise InvalidRequestError("the user is not a member of the collaborative")
            tx.put(dataclasses.replace(member, permission=permission))
            return views.collaborative(tx, record)

    def remove_member(
        self, caller: Caller, collaborative_id: object, user_id: object
    ) -> views.View:
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = require_record(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            user_key = validation.identifier(user_id, "userId")
            if not tx.delete(
                MemberUserRecord, collaborative_link_key(record.collaborative_id, user_key)
            ):
                raise InvalidRequestError("the user is not a member of the collaborative")
            return views.collaborative(tx, record)
