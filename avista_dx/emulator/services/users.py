"""Users and their tokens: authentication of requests, the caller's session and personal
tokens, and platform admins' management of users (``platformAdmin_*User*``) with token issuing
for the seed and the development routes.

Platform-admin methods require the PLATFORM_ADMIN role (otherwise ``Unauthorized``); the seed
passes ``caller=None`` to ``create_user``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError, TokenRejectedError, UnauthorizedError
from ..ids import IdKind, new_id
from ..iot.access import owns_iot
from ..persistence import MetadataStore
from ..persistence.models import (
    DataStoreRecord,
    MemberUserRecord,
    OrganizationRecord,
    TimeSeriesDbRecord,
    TokenRecord,
    UserRecord,
)
from . import validation, views
from .access import Caller, require_record
from .activity import ActivityTracker
from .validation import UNSET

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "dxemu_"
MAX_TOKEN_DAYS = 3650
PERSONAL_TOKEN = "USER_FULL_ACCESS"
USER_ROLES = frozenset({"DATA_COMPLIANCE", "DATA_CONSUMER", "DATA_PROVIDER", "PLATFORM_ADMIN"})
ACCOUNT_STATES = frozenset({"ACTIVE", "DISABLED", "PENDING"})


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _token_record(user_id: str, name: str, days: int, raw_token: str) -> TokenRecord:
    now = _clock.utc_now()
    return TokenRecord(
        token_id=new_id(IdKind.TOKEN),
        user_id=user_id,
        name=name,
        token_hash=hash_token(raw_token),
        token_type=PERSONAL_TOKEN,
        date_created=_clock.iso(now),
        date_expires=_clock.iso(now + timedelta(days=days)),
    )


def _roles(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(role not in USER_ROLES for role in value):
        raise InvalidRequestError(f"userRoles must be a list of {', '.join(sorted(USER_ROLES))}")
    return tuple(dict.fromkeys(value))


class UserService:
    def __init__(self, metadata: MetadataStore) -> None:
        self._metadata = metadata
        self._activity = ActivityTracker(metadata)

    # --- the caller: authentication, session and personal tokens -------------------------------

    def authenticate(self, raw_token: str | None) -> Caller:
        """The caller behind an ``Authorization`` value, or :class:`TokenRejectedError`.

        Records the user's ``lastActive`` (written at most once a minute per user).
        """
        if not raw_token or not raw_token.strip():
            raise TokenRejectedError("missing token")
        digest = hash_token(raw_token.strip())
        with self._metadata.view() as view:
            found = view.find(TokenRecord, token_hash=digest)
            if not found:
                raise TokenRejectedError("unknown token")
            token = found[0]
            if _clock.parse_iso(token.date_expires) <= _clock.utc_now():
                raise TokenRejectedError("expired token")
            user = view.get(UserRecord, token.user_id)
        if user is None or user.user_account_state == "DISABLED":
            raise TokenRejectedError("user disabled or deleted")
        scope = token.scope[0] if token.scope else None
        return Caller(
            user=self._activity.touch(user),
            token_id=token.token_id,
            token_type=token.token_type,
            scope=scope,
        )

    def session(self, caller: Caller) -> views.View:
        """The caller's user and organization (``lastActive`` to the minute)."""
        with self._metadata.view() as view:
            user = view.get(UserRecord, caller.user_id)
            if user is None:
                raise UnauthorizedError()
            return {"user": views.user(view, user)}

    def list_tokens(self, caller: Caller) -> list[views.View]:
        """The caller's personal tokens (a capture's or an endpoint's own token is not one)."""
        with self._metadata.view() as view:
            tokens = view.find(TokenRecord, user_id=caller.user_id, token_type=PERSONAL_TOKEN)
        return [views.token(t) for t in tokens]

    def create_token(
        self, caller: Caller, name: object, days_before_expiration: object
    ) -> views.View:
        """A USER_FULL_ACCESS token; its value is returned once and stored only as a hash."""
        token_name = validation.name(name, "name")
        if not isinstance(days_before_expiration, int) or not (
            1 <= days_before_expiration <= MAX_TOKEN_DAYS
        ):
            raise InvalidRequestError(
                f"daysBeforeExpiration must be between 1 and {MAX_TOKEN_DAYS}"
            )
        raw = new_token_value()
        now = _clock.utc_now()
        record = TokenRecord(
            token_id=new_id(IdKind.TOKEN),
            user_id=caller.user_id,
            name=token_name,
            token_hash=hash_token(raw),
            token_type=PERSONAL_TOKEN,
            date_created=_clock.iso(now),
            date_expires=_clock.iso(now + timedelta(days=days_before_expiration)),
        )
        record = _token_record(caller.user_id, token_name, days_before_expiration, raw)
        with self._metadata.transaction() as tx:
            tx.put(record)
        return views.token(record, token_value=raw)

    def delete_token(self, caller: Caller, token_id: object) -> views.View:
        """Deletes one of the caller's tokens (the calling token too); it stops working at once."""
        key = validation.identifier(token_id, "tokenId")
        with self._metadata.transaction() as tx:
            token = tx.get(TokenRecord, key)
            if (
                token is None
                or token.user_id != caller.user_id
                or token.token_type != PERSONAL_TOKEN
                or token.scope
            ):
                raise UnauthorizedError()
            tx.delete(TokenRecord, key)
        return views.token(token)

    # --- platform admins: users of every organization, tokens for any user -------------------

    def list_users(self, caller: Caller, organization_id: object = None) -> list[views.View]:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            if organization_id is None:
                users = view.find(UserRecord)
            else:
                org = require_record(view, OrganizationRecord, organization_id, "organizationId")
                users = view.find(UserRecord, organization_id=org.organization_id)
            return [views.user(view, u) for u in users]

    def get_user(self, caller: Caller, user_id: object) -> views.View:
        caller.require_platform_admin()
        with self._metadata.view() as view:
            return views.user(view, require_record(view, UserRecord, user_id, "userId"))

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
            org = require_record(tx, OrganizationRecord, organization_id, "organizationId")
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
            record = require_record(tx, UserRecord, user_id, "userId")
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
            record = require_record(tx, UserRecord, user_id, "userId")
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
        record = _token_record(user_id, validation.name(name, "name"), days, raw)
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
