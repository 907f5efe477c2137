# Produced by scripts/unasync.py from avista_dx/_async/resources/admin.py: do not edit.
"""`dx.admin`: platform administration (platform administrators only; the methods are the
`platformAdmin_*` operations' names without the prefix)."""

from __future__ import annotations

from collections.abc import Sequence

from ... import _ops_admin as ops
from ...types import Collaborative, Organization, Service, User
from .._resource import SyncAPIResource


class Admin(SyncAPIResource):
    """Organizations, users, collaboratives and off-boarding: `dx.admin.listUsers()`, ...
    Everyone else's calls fail with `UnauthorizedError`."""

    # -- organizations ------------------------------------------------------------------------

    def listOrganizations(self) -> list[Organization]:
        """Every organization of the exchange."""
        return self._execute(ops.list_organizations())

    def getOrganization(self, organizationId: str) -> Organization:
        """One organization."""
        return self._execute(ops.get_organization(organizationId))

    def createOrganization(
        self, name: str, *, hostOrganization: bool | None = None
    ) -> Organization:
        """Creates an organization (a host organization may host collaboratives)."""
        return self._execute(ops.create_organization(name, hostOrganization))

    def updateOrganization(self, organizationId: str, *, name: str | None = None) -> Organization:
        """Renames an organization.

        Raises:
            InvalidInputError: `name` is not given.
        """
        return self._execute(ops.update_organization(organizationId, name))

    def deleteOrganization(
        self, organizationId: str, *, comment: str | None = None
    ) -> Organization:
        """Deletes an organization; returns what it was."""
        return self._execute(ops.delete_organization(organizationId, comment))

    # -- users --------------------------------------------------------------------------------

    def listUsers(self, *, organizationId: str | None = None) -> list[User]:
        """Every user, or those of one organization."""
        return self._execute(ops.list_users(organizationId))

    def getUser(self, userId: str) -> User:
        """One user."""
        return self._execute(ops.get_user(userId))

    def createUser(
        self,
        organizationId: str,
        email: str,
        firstName: str,
        lastName: str,
        *,
        mobile: str | None = None,
        userRoles: Sequence[str] | None = None,
    ) -> User:
        """Creates (invites) a user of an organization; `userRoles` among `"DATA_CONSUMER"`,
        `"DATA_PROVIDER"`, `"DATA_COMPLIANCE"`, `"PLATFORM_ADMIN"`."""
        return self._execute(
            ops.create_user(organizationId, email, firstName, lastName, mobile, userRoles)
        )

    def updateUser(
        self,
        userId: str,
        *,
        firstName: str | None = None,
        lastName: str | None = None,
        userAccountState: str | None = None,
        userRoles: Sequence[str] | None = None,
    ) -> User:
        """Changes a user's names, account state (`"ACTIVE"`, `"DISABLED"`, `"PENDING"`) or
        roles (the whole new list).

        Raises:
            InvalidInputError: nothing to change is given.
        """
        return self._execute(
            ops.update_user(userId, firstName, lastName, userAccountState, userRoles)
        )

    def deleteUser(self, userId: str) -> User:
        """Deletes a user; returns what it was."""
        return self._execute(ops.delete_user(userId))

    def resendUserInvitation(self, userId: str) -> User:
        """Sends a pending user's invitation again."""
        return self._execute(ops.resend_user_invitation(userId))

    # -- collaboratives -----------------------------------------------------------------------

    def listCollaboratives(
        self, *, includeMemberOrganizations: bool | None = None
    ) -> list[Collaborative]:
        """Every collaborative of the exchange."""
        return self._execute(ops.list_collaboratives(includeMemberOrganizations))

    def getCollaborative(
        self, collaborativeId: str, *, includeMemberOrganizations: bool | None = None
    ) -> Collaborative:
        """One collaborative."""
        return self._execute(ops.get_collaborative(collaborativeId, includeMemberOrganizations))

    def createCollaborative(self, name: str, *, description: str | None = None) -> Collaborative:
        """Creates a collaborative hosted by your organization."""
        return self._execute(ops.create_collaborative(name, description))

    def updateCollaborative(
        self, collaborativeId: str, *, name: str | None = None, description: str | None = None
    ) -> Collaborative:
        """Renames a collaborative or changes its description.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return self._execute(ops.update_collaborative(collaborativeId, name, description))

    def deleteCollaborative(
        self, collaborativeId: str, *, comment: str | None = None
    ) -> Collaborative:
        """Deletes a collaborative; returns what it was."""
        return self._execute(ops.delete_collaborative(collaborativeId, comment))

    def addCollaborativeMember(
        self, collaborativeId: str, userId: str, *, permission: str | None = None
    ) -> Collaborative:
        """Adds a user to a collaborative (`"READ_ONLY"` or `"READ_WRITE"`)."""
        return self._execute(ops.add_collaborative_member(collaborativeId, userId, permission))

    def updateCollaborativeMember(
        self, collaborativeId: str, userId: str, permission: str
    ) -> Collaborative:
        """Changes a member's permission (`"READ_ONLY"` or `"READ_WRITE"`)."""
        return self._execute(ops.update_collaborative_member(collaborativeId, userId, permission))

    def removeCollaborativeMember(self, collaborativeId: str, userId: str) -> Collaborative:
        """Removes a user from a collaborative."""
        return self._execute(ops.remove_collaborative_member(collaborativeId, userId))

    # -- off-boarding -------------------------------------------------------------------------

    def deleteUsersCollaboratives(self, userId: str) -> list[Collaborative]:
        """Deletes every collaborative a user owns; returns them."""
        return self._execute(ops.delete_users_collaboratives(userId))

    def deleteUsersServices(self, userId: str) -> list[Service]:
        """Deletes every service (data store, database, ...) a user owns; returns them."""
        return self._execute(ops.delete_users_services(userId))

    def migrateUsersCollaborativesOwnership(
        self, currentOwnerUserId: str, transferToUserId: str
    ) -> list[Collaborative]:
        """Gives every collaborative of one user to another; returns them."""
        return self._execute(ops.migrate_users_collaboratives(currentOwnerUserId, transferToUserId))

    def migrateUsersServicesOwnership(
        self, currentOwnerUserId: str, transferToUserId: str
    ) -> list[Service]:
        """Gives every service of one user to another; returns them."""
        return self._execute(ops.migrate_users_services(currentOwnerUserId, transferToUserId))
