"""Users' sessions and personal tokens, and authentication of requests."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from .. import _clock
from ..errors import InvalidRequestError, TokenRejectedError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import MetadataStore
from ..persistence.models import TokenRecord, UserRecord
from . import validation, views
from .access import Caller

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "dxemu_"
MAX_TOKEN_DAYS = 3650
PERSONAL_TOKEN_TYPE = "USER_FULL_ACCESS"


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class UserService:
    def __init__(self, metadata: MetadataStore) -> None:
        self._metadata = metadata

    def authenticate(self, raw_token: str | None) -> Caller:
        """The caller behind an ``Authorization`` value, or :class:`TokenRejectedError`.

        Deviation: ``lastActive`` is not updated per request (it would turn reads into writes).
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
        return Caller(user=user, token_id=token.token_id, token_type=token.token_type, scope=scope)

    def session(self, caller: Caller) -> views.View:
        """The caller's user and organization.

        Deviation: ``lastActive`` is not tracked (it would turn every read into a write).
        """
        with self._metadata.view() as view:
            user = view.get(UserRecord, caller.user_id)
            if user is None:
                raise UnauthorizedError()
            return {"user": views.user(view, user)}

    def list_tokens(self, caller: Caller) -> list[views.View]:
        """The caller's personal tokens.

        Deviation (inferred semantics): IoT endpoint tokens, though issued in the owner's
        name, are managed with ``iot_getEndpointToken`` and ``iot_regenerateEndpointToken``
        and are neither listed nor deleted here.
        """
        with self._metadata.view() as view:
            found = view.find(TokenRecord, user_id=caller.user_id, token_type=PERSONAL_TOKEN_TYPE)
        return [views.token(t) for t in found]

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
            token_type=PERSONAL_TOKEN_TYPE,
            date_created=_clock.iso(now),
            date_expires=_clock.iso(now + timedelta(days=days_before_expiration)),
        )
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
                or token.token_type != PERSONAL_TOKEN_TYPE
            ):
                raise UnauthorizedError()
            tx.delete(TokenRecord, key)
        return views.token(token)
