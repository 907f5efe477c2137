"""Platform administration: organizations, users, collaboratives and their members.

Every method requires the PLATFORM_ADMIN role (otherwise ``Unauthorized``). Platform admins
have no special access to other users' data stores or databases.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..iot.offboarding import migrate_users_iot, owns_iot, remove_users_iot
from ..iot.service import IotService
from ..persistence import BlobStore, MetadataStore, MetadataView
from ..persistence.models import (
    CollaborativeRecord,
    DataStoreRecord,
    MemberOrganizationRecord,
    MemberUserRecord,
    OrganizationRecord,
    ShareRecord,
    TimeSeriesDbRecord,
    TokenRecord,
    UserRecord,
    collaborative_link_key,
)
from . import validation, views
from .access import Caller
from .data_stores import remove_data_store
from .time_series import TimeSeriesService, remove_database
from .users import hash_token, new_token_value
from .validation import UNSET

USER_ROLES = frozenset({"DATA_COMPLIANCE", "DATA_CONSUMER", "DATA_PROVIDER", "PLATFORM_ADMIN"})
ACCOUNT_STATES = frozenset({"ACTIVE", "DISABLED", "PENDING"})
PERMISSIONS = frozenset({"READ_ONLY", "READ_WRITE"})


def _get(view: MetadataView, cls: Any, key: object, what: str) -> Any:
    record = view.get(cls, validation.identifier(key, what))
    if record is None:
        raise UnauthorizedError()
    return record


def _migration_users(
    view: MetadataView, current_owner_user_id: object, transfer_to_user_id: object
) -> tuple[UserRecord, UserRecord]:
    """The two distinct users of a migrateUsers* call: from whom, to whom."""
    source = _get(view, UserRecord, current_owner_user_id, "currentOwnerUserId")
    target = _get(view, UserRecord, transfer_to_user_id, "transferToUserId")
    if source.user_id == target.user_id:
        raise InvalidRequestError("currentOwnerUserId and transferToUserId are the same user")
    return source, target


def _roles(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(role not in USER_ROLES for role in value):
        raise InvalidRequestError(f"userRoles must be a list of {', '.join(sorted(USER_ROLES))}")
    return tuple(dict.fromkeys(value))


class PlatformAdminService:
    def __init__(
        self,
        metadata: MetadataStore,
        blobs: BlobStore,
        time_series: TimeSeriesService,
        iot: IotService,
    ) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._time_series = time_series
        self._iot = iot

    # --- organizations -----------------------------------------------------------------------

    def list_organizations(self, caller: Caller) -> list[views.View]:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return [views.organization(r) for r in view.find(OrganizationRecord)]

    def get_organization(self, caller: Caller, organization_id: object) -> views.View:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return views.organization(
                _get(view, OrganizationRecord, organization_id, "organizationId")
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
            record = _get(tx, OrganizationRecord, organization_id, "organizationId")
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
            record = _get(tx, OrganizationRecord, organization_id, "organizationId")
            key = record.organization_id
            if tx.find(UserRecord, organization_id=key):
                raise InvalidRequestError("the organization still has users")
            if tx.find(CollaborativeRecord, host_organization_id=key):
                raise InvalidRequestError("the organization still hosts collaboratives")
            for membership in tx.find(MemberOrganizationRecord, organization_id=key):
                tx.delete(MemberOrganizationRecord, membership.key)
            tx.delete(OrganizationRecord, key)
        return views.organization(record)

    # --- users -------------------------------------------------------------------------------

    def list_users(self, caller: Caller, organization_id: object = None) -> list[views.View]:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            if organization_id is None:
                users = view.find(UserRecord)
            else:
                org = _get(view, OrganizationRecord, organization_id, "organizationId")
                users = view.find(UserRecord, organization_id=org.organization_id)
            return [views.user(view, u) for u in users]

    def get_user(self, caller: Caller, user_id: object) -> views.View:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return views.user(view, _get(view, UserRecord, user_id, "userId"))

    def create_user(
        self,
        caller: Caller | None,
        organization_id: object,
        email: object,
        first_name: object,
        last_name: object,
        mobile: object = None,
        user_roles: object = None,
        *,
        user_account_state: str = "PENDING",
    ) -> views.View:
        """A user of an organization, PENDING until invited (the emulator has no invitations).

        Deviation: the service e-mails an invitation; here tokens come from the admin route
        ``POST /_emulator/tokens`` (see docs/emulator.md).
        """
        if caller is not None:
            caller.require_platform_admin()
        address = validation.email(email)
        if mobile is not None and (not isinstance(mobile, str) or len(mobile) > 32):
            raise InvalidRequestError("mobile must be a phone number of at most 32 characters")
        with self._metadata.transaction() as tx:
            org = _get(tx, OrganizationRecord, organization_id, "organizationId")
            if any(u.email.lower() == address.lower() for u in tx.find(UserRecord)):
                raise InvalidRequestError(f"a user with email {address!r} already exists")
            record = UserRecord(
                user_id=new_id(IdKind.USER),
                organization_id=org.organization_id,
                email=address,
                first_name=validation.name(first_name, "firstName"),
                last_name=validation.name(last_name, "lastName"),
                mobile=mobile,
                user_account_state=user_account_state,
                user_roles=_roles(user_roles),
            )
            tx.put(record)
            return views.user(tx, record)

    def update_user(
        self,
        caller: Caller,
        user_id: object,
        first_name: Any = UNSET,
        last_name: Any = UNSET,
        user_account_state: Any = UNSET,
        user_roles: Any = UNSET,
    ) -> views.View:
        caller.require_platform_admin()
        changes: dict[str, Any] = {}
        if first_name is not UNSET and first_name is not None:
            changes["first_name"] = validation.name(first_name, "firstName")
        if last_name is not UNSET and last_name is not None:
            changes["last_name"] = validation.name(last_name, "lastName")
        if user_account_state is not UNSET and user_account_state is not None:
            if user_account_state not in ACCOUNT_STATES:
                raise InvalidRequestError("userAccountState is not a valid state")
            changes["user_account_state"] = user_account_state
        if user_roles is not UNSET:
            roles = [r for r in (user_roles or []) if r is not None]
            changes["user_roles"] = _roles(roles)
        with self._metadata.transaction() as tx:
            record = _get(tx, UserRecord, user_id, "userId")
            if (
                record.user_id == caller.user_id
                and "user_roles" in changes
                and "PLATFORM_ADMIN" not in changes["user_roles"]
            ):
                raise InvalidRequestError(
                    "platform admins cannot remove their own PLATFORM_ADMIN role"
                )
            record = dataclasses.replace(record, **changes)
            tx.put(record)
            return views.user(tx, record)

    def delete_user(self, caller: Caller, user_id: object) -> views.View:
        """Only a user who owns no services; their tokens and memberships go with them."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = _get(tx, UserRecord, user_id, "userId")
            key = record.user_id
            if key == caller.user_id:
                raise InvalidRequestError("platform admins cannot delete themselves")
            owns_stores = bool(tx.find(DataStoreRecord, owner_user_id=key)) or owns_iot(tx, key)
            if owns_stores or tx.find(TimeSeriesDbRecord, owner_user_id=key):
                raise InvalidRequestError(
                    "the user still owns services: delete or migrate them first "
                    "(platformAdmin_deleteUsersServices or "
                    "platformAdmin_migrateUsersServicesOwnership)"
                )
            result = views.user(tx, record)
            for token in tx.find(TokenRecord, user_id=key):
                tx.delete(TokenRecord, token.key)
            for member in tx.find(MemberUserRecord, user_id=key):
                tx.delete(MemberUserRecord, member.key)
            tx.delete(UserRecord, key)
        return result

    def resend_invitation(self, caller: Caller, user_id: object) -> views.View:
        """Deviation: no e-mail is sent; the user is returned unchanged."""
        return self.get_user(caller, user_id)

    def issue_token(
        self, user_id: str, name: str, days: int = 365, raw_value: str | None = None
    ) -> tuple[views.View, str]:
        """A personal token for any user (seed data and the admin route; no GraphQL caller).

        ``raw_value`` fixes the token (documented development tokens); otherwise it is random.
        """
        raw = raw_value or new_token_value()
        now = _clock.utc_now()
        record = TokenRecord(
            token_id=new_id(IdKind.TOKEN),
            user_id=user_id,
            name=validation.name(name, "name"),
            token_hash=hash_token(raw),
            token_type="USER_FULL_ACCESS",
            date_created=_clock.iso(now),
            date_expires=_clock.iso(now + timedelta(days=days)),
        )
        with self._metadata.transaction() as tx:
            user = tx.get(UserRecord, user_id)
            if user is None:
                raise InvalidRequestError(f"user {user_id} does not exist")
            if user.user_account_state == "PENDING":
                tx.put(dataclasses.replace(user, user_account_state="ACTIVE"))
            if tx.find(TokenRecord, token_hash=record.token_hash):
                raise InvalidRequestError("that token value is already in use")
            tx.put(record)
        return views.token(record, token_value=raw), raw

    # --- collaboratives ----------------------------------------------------------------------

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
            record = _get(view, CollaborativeRecord, collaborative_id, "collaborativeId")
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
            record = _get(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            record = dataclasses.replace(record, **changes)
            tx.put(record)
            return views.collaborative(tx, record)

    def delete_collaborative(
        self, caller: Caller, collaborative_id: object, comment: object = None
    ) -> views.View:
        """The collaborative, its memberships and its shares (the services themselves stay)."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            record = _get(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
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
            record = _get(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            user = _get(tx, UserRecord, user_id, "userId")
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
            record = _get(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
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
            record = _get(tx, CollaborativeRecord, collaborative_id, "collaborativeId")
            user_key = validation.identifier(user_id, "userId")
            if not tx.delete(
                MemberUserRecord, collaborative_link_key(record.collaborative_id, user_key)
            ):
                raise InvalidRequestError("the user is not a member of the collaborative")
            return views.collaborative(tx, record)

    def delete_users_collaboratives(self, caller: Caller, user_id: object) -> list[views.View]:
        """Removes the user from every collaborative; returns those collaboratives.

        Deviation (inferred semantics): the collaboratives themselves are kept.
        """
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            user = _get(tx, UserRecord, user_id, "userId")
            result = []
            for member in tx.find(MemberUserRecord, user_id=user.user_id):
                tx.delete(MemberUserRecord, member.key)
                collaborative = tx.get(CollaborativeRecord, member.collaborative_id)
                if collaborative is not None:
                    result.append(views.collaborative(tx, collaborative))
            return result

    def delete_users_services(self, caller: Caller, user_id: object) -> list[views.View]:
        """Deletes every data store (with its files' bytes), database and IoT hub (with its
        endpoints' telemetry and its groups) and model the user owns."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            user = _get(tx, UserRecord, user_id, "userId")
            services, files, databases = [], [], []
            for store in tx.find(DataStoreRecord, owner_user_id=user.user_id):
                services.append(views.service(tx, store))
                files.extend(remove_data_store(tx, store))
            for database in tx.find(TimeSeriesDbRecord, owner_user_id=user.user_id):
                services.append(views.service(tx, database))
                remove_database(tx, database)
                databases.append(database)
            groups, endpoints, result_blobs = remove_users_iot(tx, user.user_id)
            services.extend(groups)
        for key in [record.key for record in files] + result_blobs:
            self._blobs.delete(key)
        for database in databases:
            self._time_series.drop_table_of(database)
        self._iot.drop_telemetry_of(endpoints)
        return services

    def migrate_users_collaboratives(
        self, caller: Caller, current_owner_user_id: object, transfer_to_user_id: object
    ) -> list[views.View]:
        """Moves the user's collaborative memberships (with their permissions) to another user."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            source, target = _migration_users(tx, current_owner_user_id, transfer_to_user_id)
            result = []
            for member in tx.find(MemberUserRecord, user_id=source.user_id):
                tx.delete(MemberUserRecord, member.key)
                moved = MemberUserRecord(member.collaborative_id, target.user_id, member.permission)
                if tx.get(MemberUserRecord, moved.key) is None:
                    tx.put(moved)
                collaborative = tx.get(CollaborativeRecord, member.collaborative_id)
                if collaborative is not None:
                    result.append(views.collaborative(tx, collaborative))
            return result

    def migrate_users_services(
        self, caller: Caller, current_owner_user_id: object, transfer_to_user_id: object
    ) -> list[views.View]:
        """Makes another user the owner of every data store, database and IoT object the user
        owns (an endpoint's token then acts for the new owner)."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            source, target = _migration_users(tx, current_owner_user_id, transfer_to_user_id)
            services = []
            for store in tx.find(DataStoreRecord, owner_user_id=source.user_id):
                store = dataclasses.replace(store, owner_user_id=target.user_id)
                tx.put(store)
                services.append(views.service(tx, store))
            for database in tx.find(TimeSeriesDbRecord, owner_user_id=source.user_id):
                database = dataclasses.replace(database, owner_user_id=target.user_id)
                tx.put(database)
                services.append(views.service(tx, database))
            services.extend(migrate_users_iot(tx, source.user_id, target.user_id))
            return services
