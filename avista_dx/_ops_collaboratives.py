"""`dx.collaboratives`'s membership operations: organizations' requests to join and their
approval. Same pattern as `_operations`."""

from __future__ import annotations

from avista_dx_graphql.enums import CollaborativeMemberOrganizationState

from ._operations import Call, _many, _one
from ._ops_arguments import choice, omitted, optional_flag, optional_id
from ._retry import RetrySafety
from ._validation import require_id
from .types import Collaborative, CollaborativeMemberOrganization

MEMBER_STATES = tuple(state.value for state in CollaborativeMemberOrganizationState)


def list_member_organization_requests(
    collaborative_id: str | None, include_approved: bool | None, include_denied: bool | None
) -> Call[list[Collaborative]]:
    collaborative_id = optional_id("collaborativeId", collaborative_id)
    include_approved = optional_flag("includeApprovedRequests", include_approved)
    include_denied = optional_flag("includeDeniedRequests", include_denied)
    return Call(
        "collaborative_listCollaborativeMemberOrganizationRequests",
        lambda client, options: (
            client.collaborative_list_collaborative_member_organization_requests(
                collaborative_id=omitted(collaborative_id),
                include_approved_requests=omitted(include_approved),
                include_denied_requests=omitted(include_denied),
                **options,
            )
        ),
        _many(Collaborative),
    )


def update_member_organization(
    collaborative_id: str, organization_id: str, member_state: str
) -> Call[CollaborativeMemberOrganization]:
    op = "collaborative_updateCollaborativeMemberOrganization"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    organization_id = require_id("organizationId", organization_id)
    state = CollaborativeMemberOrganizationState(choice("memberState", member_state, MEMBER_STATES))
    return Call(
        op,
        lambda client, options: client.collaborative_update_collaborative_member_organization(
            collaborative_id=collaborative_id,
            organization_id=organization_id,
            member_state=state,
            **options,
        ),
        _one(
            CollaborativeMemberOrganization,
            op,
            "member organization",
        ),
        # A repeat of a done approval may report the request as already decided.
        RetrySafety.UNSENT_ONLY,
    )
