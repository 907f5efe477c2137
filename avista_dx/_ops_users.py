"""`dx.users`'s operations: the session and personal authentication tokens. Same pattern as
`_operations` (every mutation: unsent requests only)."""

from __future__ import annotations

from ._operations import Call, _many, _one
from ._retry import RetrySafety
from ._validation import require_id, require_text, whole_number
from .errors import InvalidInputError
from .types_users import AuthenticationToken, UserSession


def get_user_session() -> Call[UserSession]:
    op = "user_getUserSession"
    return Call(
        op,
        lambda client, options: client.user_get_user_session(**options),
        _one(UserSession, op, "session"),
    )


def list_tokens() -> Call[list[AuthenticationToken]]:
    return Call(
        "user_listAuthenticationTokens",
        lambda client, options: client.user_list_authentication_tokens(**options),
        _many(AuthenticationToken),
    )


def create_token(name: str, days_before_expiration: int) -> Call[AuthenticationToken]:
    op = "user_createAuthenticationToken"
    name = require_text("name", name)
    days = whole_number("daysBeforeExpiration", days_before_expiration)
    if days < 1:
        raise InvalidInputError(f"daysBeforeExpiration must be at least 1; got {days}")
    return Call(
        op,
        lambda client, options: client.user_create_authentication_token(
            name=name, days_before_expiration=days, **options
        ),
        _one(AuthenticationToken, op, "token"),
        # A repeat would mint a second token the caller never sees: only unsent ones.
        RetrySafety.UNSENT_ONLY,
    )


def delete_token(token_id: str) -> Call[AuthenticationToken]:
    op = "user_deleteAuthenticationToken"
    token_id = require_id("tokenId", token_id)
    return Call(
        op,
        lambda client, options: client.user_delete_authentication_token(token_id, **options),
        _one(AuthenticationToken, op, f"token {token_id!r}"),
        # A repeat of a done delete reports the token as gone instead of returning it.
        RetrySafety.UNSENT_ONLY,
    )
