"""`dx.collaboratives`: collaboratives, their shared services and member organizations."""

from __future__ import annotations

from ... import _operations as ops
from ... import _ops_collaboratives as members
from ...types import Collaborative, CollaborativeMemberOrganization, Service
from .._resource import AsyncAPIResource, AsyncResourceHost


class AsyncCollaboratives(AsyncAPIResource):
    """Collaboratives: `dx.collaboratives.listCollaboratives()`, ... The sharing methods are
    also documented root methods of the client (`dx.listCollaboratives()`)."""

    async def listCollaboratives(self: AsyncResourceHost) -> list[Collaborative]:
        """The collaboratives you are a member of."""
        return await self._execute(ops.list_collaboratives())

    async def getCollaborative(self: AsyncResourceHost, collaborativeId: str) -> Collaborative:
        """The metadata and members of a collaborative."""
        return await self._execute(ops.get_collaborative(collaborativeId))

    async def listCollaborativeServices(
        self: AsyncResourceHost, collaborativeId: str
    ) -> list[Service]:
        """Every service shared in a collaborative, whatever its type."""
        return await self._execute(ops.list_collaborative_services(collaborativeId))

    async def listCollaborativesServiceSharedWith(
        self: AsyncResourceHost, serviceId: str, *, serviceType: str | None = None
    ) -> list[Collaborative]:
        """The collaboratives a service you own is shared with.

        The service type comes from the id (`dataStore...`, `timeSeriesDb...`); pass
        `serviceType` for other kinds of services.
        """
        return await self._execute(
            ops.list_collaboratives_service_shared_with(serviceId, serviceType)
        )

    async def addServiceToCollaborative(
        self: AsyncResourceHost,
        serviceId: str,
        collaborativeId: str,
        *,
        serviceType: str | None = None,
    ) -> Service:
        """Shares a service with a collaborative."""
        return await self._execute(
            ops.add_service_to_collaborative(serviceId, collaborativeId, serviceType)
        )

    async def removeServiceFromCollaborative(
        self: AsyncResourceHost,
        serviceId: str,
        collaborativeId: str,
        *,
        serviceType: str | None = None,
    ) -> Service:
        """Removes a service from a collaborative."""
        return await self._execute(
            ops.remove_service_from_collaborative(serviceId, collaborativeId, serviceType)
        )

    # -- member organizations -----------------------------------------------------------------

    async def listCollaborativeMemberOrganizationRequests(
        self,
        *,
        collaborativeId: str | None = None,
        includeApprovedRequests: bool | None = None,
        includeDeniedRequests: bool | None = None,
    ) -> list[Collaborative]:
        """Organizations' requests to join collaboratives (of one, with `collaborativeId`),
        each collaborative with its `memberOrganizations` (state, who asked, when). Pending
        requests only unless the `include...` flags say otherwise."""
        return await self._execute(
            members.list_member_organization_requests(
                collaborativeId, includeApprovedRequests, includeDeniedRequests
            )
        )

    async def updateCollaborativeMemberOrganization(
        self, collaborativeId: str, organizationId: str, memberState: str
    ) -> CollaborativeMemberOrganization:
        """Approves (`"APPROVED"`) or denies (`"DENIED_ACCESS"`) an organization's membership
        of a collaborative; returns the membership as it is now."""
        return await self._execute(
            members.update_member_organization(collaborativeId, organizationId, memberState)
        )
