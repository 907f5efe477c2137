"""The documented types of `dx.users`."""

from __future__ import annotations

from avista_dx_graphql import enums
from pydantic import Field

from .types import DxModel, User

__all__ = ["AuthenticationToken", "UserSession"]


class UserSession(DxModel):
    """The caller's session: who the token belongs to."""

    user: User | None = None


class AuthenticationToken(DxModel):
    """A personal authentication token.

    `tokenValue` (the raw token, sent unchanged as the `Authorization` header) is set only in
    the answer of `createAuthenticationToken`; it is left out of the repr so that it never
    reaches a log by accident.
    """

    tokenId: str
    name: str
    userId: str
    dateCreated: str
    """ISO-8601."""
    dateExpires: str
    """ISO-8601."""
    lastActive: str | None = None
    scope: list[str | None] | None = None
    tokenType: enums.AuthenticationTokenType | str | None = None
    tokenValue: str | None = Field(default=None, repr=False)
