"""`dx.users`: your session and your personal authentication tokens."""

from __future__ import annotations

from ... import _ops_users as ops
from ...types_users import AuthenticationToken, UserSession
from .._resource import AsyncAPIResource


class AsyncUsers(AsyncAPIResource):
    """Users: `dx.users.createAuthenticationToken("ci", 30)`, ..."""

    async def getUserSession(self) -> UserSession:
        """Your session: the user the client's token belongs to."""
        return await self._execute(ops.get_user_session())

    async def listAuthenticationTokens(self) -> list[AuthenticationToken]:
        """Your authentication tokens (without their values)."""
        return await self._execute(ops.list_tokens())

    async def createAuthenticationToken(
        self, name: str, daysBeforeExpiration: int
    ) -> AuthenticationToken:
        """Creates a token valid for `daysBeforeExpiration` days; its `tokenValue` is in this
        answer only (keep it: the exchange never shows it again)."""
        return await self._execute(ops.create_token(name, daysBeforeExpiration))

    async def deleteAuthenticationToken(self, tokenId: str) -> AuthenticationToken:
        """Deletes (revokes) a token; returns what it was."""
        return await self._execute(ops.delete_token(tokenId))
