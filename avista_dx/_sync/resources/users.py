# Produced by scripts/unasync.py from avista_dx/_async/resources/users.py: do not edit.
"""`dx.users`: your session and your personal authentication tokens."""

from __future__ import annotations

from ... import _ops_users as ops
from ...types_users import AuthenticationToken, UserSession
from .._resource import SyncAPIResource


class Users(SyncAPIResource):
    """Users: `dx.users.createAuthenticationToken("ci", 30)`, ..."""

    def getUserSession(self) -> UserSession:
        """Your session: the user the client's token belongs to."""
        return self._execute(ops.get_user_session())

    def listAuthenticationTokens(self) -> list[AuthenticationToken]:
        """Your authentication tokens (without their values)."""
        return self._execute(ops.list_tokens())

    def createAuthenticationToken(
        self, name: str, daysBeforeExpiration: int
    ) -> AuthenticationToken:
        """Creates a token valid for `daysBeforeExpiration` days; its `tokenValue` is in this
        answer only (keep it: the exchange never shows it again)."""
        return self._execute(ops.create_token(name, daysBeforeExpiration))

    def deleteAuthenticationToken(self, tokenId: str) -> AuthenticationToken:
        """Deletes (revokes) a token; returns what it was."""
        return self._execute(ops.delete_token(tokenId))
