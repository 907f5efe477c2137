"""Who may do what: the caller, and their access to a shared service.

A user reaches a data store or time-series database by owning it, or through a collaborative
it is shared with, when the user's organization is the host or an approved member of that
collaborative and the user is one of its members; the member's permission decides between
reading and writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TypeVar

from ..errors import UnauthorizedError
from ..persistence import MetadataTransaction, MetadataView
from ..persistence.models import (
    MemberOrganizationRecord,
    MemberUserRecord,
    Record,
    ShareRecord,
    UserRecord,
    collaborative_link_key,
)
from . import validation

ACTIVE_MEMBER_STATES = frozenset({"APPROVED", "HOST_ORGANIZATION"})

R = TypeVar("R", bound=Record)


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2
    OWNER = 3


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of one request."""

    user: UserRecord
    token_id: str
    # A scoped token (a capture's or an IoT endpoint's) acts only on this object, through few
    # root fields.
    token_type: str = "USER_FULL_ACCESS"
    scope: str | None = None

    @property
    def user_id(self) -> str:
        return self.user.user_id

    @property
    def organization_id(self) -> str:
        return self.user.organization_id

    def require_platform_admin(self) -> None:
        if self.scope is not None or not self.user.is_platform_admin:
            raise UnauthorizedError()


def require_record(view: MetadataView, cls: type[R], key: object, what: str) -> R:
    """The record named by the id argument ``what``, or ``Unauthorized`` when there is none."""
    record = view.get(cls, validation.identifier(key, what))
    if record is None:
        raise UnauthorizedError()
    return record


def is_active_member_organization(view: MetadataView, collaborative_id: str, org_id: str) -> bool:
    membership = view.get(
        MemberOrganizationRecord, collaborative_link_key(collaborative_id, org_id)
    )
    return membership is not None and membership.member_state in ACTIVE_MEMBER_STATES


def collaborative_permission(view: MetadataView, user: UserRecord, collaborative_id: str) -> Access:
    """READ or WRITE for an active member user of the collaborative, else NONE."""
    if not is_active_member_organization(view, collaborative_id, user.organization_id):
        return Access.NONE
    member = view.get(MemberUserRecord, collaborative_link_key(collaborative_id, user.user_id))
    if member is None:
        return Access.NONE
    return Access.WRITE if member.permission == "READ_WRITE" else Access.READ


def delete_shares(tx: MetadataTransaction, service_id: str) -> None:
    """Unshares a service that is being deleted from every collaborative."""
    for share in tx.find(ShareRecord, service_id=service_id):
        tx.delete(ShareRecord, share.key)


def service_access(view: MetadataView, user: UserRecord, service_id: str, owner_id: str) -> Access:
    if user.user_id == owner_id:
        return Access.OWNER
    best = Access.NONE
    for share in view.find(ShareRecord, service_id=service_id):
        best = max(best, collaborative_permission(view, user, share.collaborative_id))
    return best
