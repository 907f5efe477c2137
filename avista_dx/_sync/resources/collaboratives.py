# Produced by scripts/unasync.py from avista_dx/_async/resources/collaboratives.py: do not edit.
"""`dx.collaboratives`: collaboratives, their shared services and member organizations."""

from __future__ import annotations

from ... import _operations as ops
from ... import _ops_collaboratives as members
from ...types import Collaborative, CollaborativeMemberOrganization, Service
from .._resource import SyncAPIResource, SyncResourceHost


class Collaboratives(SyncAPIResource):
    """Collaboratives: `dx.collaboratives.listCollaboratives()`, ... The sharing methods are
    also documented root methods of the client (`dx.listCollaboratives()`)."""

    def listCollaboratives(self: SyncResourceHost) -> list[Collaborative]:
        """The collaboratives you are a member of."""
        return self._execute(ops.list_collaboratives())

    def getCollaborative(self: SyncResourceHost, collaborativeId: str) -> Collaborative:
        """The metadata and members of a collaborative."""
        return self._execute(ops.get_collaborative(collaborativeId))

    def listCollaborativeServices(self: SyncResourceHost, collaborativeId: str) -> list[Service]:
        """Every service shared in a collaborative, whatever its type."""
        return self._execute(ops.list_collaborative_services(collaborativeId))

    def listCollaborativesServiceSharedWith(
        self: SyncResourceHost, serviceId: str, *, serviceType: str | None = None
    ) -> list[Collaborative]:
        """The collaboratives a service you own is shared with.

        The service type comes from the id (`dataStore...`, `timeSeriesDb...`); pass
        `serviceType` for other kinds of services.
        """
        return self._execute(ops.list_collaboratives_service_shared_with(serviceId, serviceType))

    def addServiceToCollaborative(
        self: SyncResourceHost,
        serviceId: str,
        collaborativeId: str,
        *,
        serviceType: str | None = None,
    ) -> Service:
        """Shares a service with a collaborative."""
        return self._execute(
            ops.add_service_to_collaborative(serviceId, collaborativeId, serviceType)
        )

    def removeServiceFromCollaborative(
        self: SyncResourceHost,
        serviceId: str,
        collaborativeId: str,
        *,
        serviceType: str | None = None,
    ) -> Service:
        """Removes a service from a collaborative."""
        return self._execute(
            ops.remove_service_from_collaborative(serviceId, collaborativeId, serviceType)
        )

    # -- member organizations -----------------------------------------------------------------

    def listCollaborativeMemberOrganizationRequests(
        self,
        *,
        collaborativeId: str | None = None,
        includeApprovedRequests: bool | None = None,
        includeDeniedRequests: bool | None = None,
    ) -> list[Collaborative]:
        """Organizations' requests to join collaboratives (of one, with `collaborativeId`),
        each collaborative with its `memberOrganizations` (state, who asked, when). Pending
        requests only unless the `include...` flags say otherwise."""
        return self._execute(
            members.list_member_organization_requests(
                collaborativeId, includeApprovedRequests, includeDeniedRequests
            )
        )

    def updateCollaborativeMemberOrganization(
        self, collaborativeId: str, organizationId: str, memberState: str
    ) -> CollaborativeMemberOrganization:
        """Approves (`"APPROVED"`) or denies (`"DENIED_ACCESS"`) an organization's membership
        of a collaborative; returns the membership as it is now."""
        return self._execute(
            members.update_member_organization(collaborativeId, organizationId, memberState)
        )
