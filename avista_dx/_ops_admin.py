"""`dx.admin`'s operations (platform administrators only): organizations, users,
collaboratives and their members, off-boarding. Same pattern as `_operations`; every mutation
is repeated only when provably unsent (a repeat of a create makes a second object, of an
update or delete that did happen reports an error)."""

from __future__ import annotations

from collections.abc import Sequence

from avista_dx_graphql.enums import CollaborativeMemberPermission, UserAccountState, UserRole

from ._operations import Call, _many, _one
from ._ops_arguments import choice, omitted, optional_flag, optional_id, require_change
from ._retry import RetrySafety
from ._validation import optional_text, require_id, require_sequence, require_text
from .types import Collaborative, Organization, Service, User

WRITE = RetrySafety.UNSENT_ONLY
ROLES = tuple(role.value for role in UserRole)
ACCOUNT_STATES = tuple(state.value for state in UserAccountState)
PERMISSIONS = tuple(permission.value for permission in CollaborativeMemberPermission)


def _roles(roles: Sequence[str] | None) -> list[UserRole] | None:
    if roles is None:
        return None
    return [
        UserRole(choice(f"userRoles[{index}]", role, ROLES))
        for index, role in enumerate(require_sequence("userRoles", roles))
    ]


def _permission(permission: str) -> CollaborativeMemberPermission:
    return CollaborativeMemberPermission(choice("permission", permission, PERMISSIONS))


# -- organizations ----------------------------------------------------------------------------


def list_organizations() -> Call[list[Organization]]:
    return Call(
        "platformAdmin_listOrganizations",
        lambda client, options: client.platform_admin_list_organizations(**options),
        _many(Organization),
    )


def get_organization(organization_id: str) -> Call[Organization]:
    op = "platformAdmin_getOrganization"
    organization_id = require_id("organizationId", organization_id)
    return Call(
        op,
        lambda client, options: client.platform_admin_get_organization(organization_id, **options),
        _one(Organization, op, f"organization {organization_id!r}"),
    )


def create_organization(name: str, host_organization: bool | None) -> Call[Organization]:
    op = "platformAdmin_createOrganization"
    name = require_text("name", name)
    host = optional_flag("hostOrganization", host_organization)
    return Call(
        op,
        lambda client, options: client.platform_admin_create_organization(
            name=name, host_organization=omitted(host), **options
        ),
        _one(Organization, op, "organization"),
        WRITE,
    )


def update_organization(organization_id: str, name: str | None) -> Call[Organization]:
    op = "platformAdmin_updateOrganization"
    organization_id = require_id("organizationId", organization_id)
    name = optional_text("name", name)
    require_change(op, name=name)
    return Call(
        op,
        lambda client, options: client.platform_admin_update_organization(
            organization_id=organization_id, name=omitted(name), **options
        ),
        _one(Organization, op, "organization"),
        WRITE,
    )


def delete_organization(organization_id: str, comment: str | None) -> Call[Organization]:
    op = "platformAdmin_deleteOrganization"
    organization_id = require_id("organizationId", organization_id)
    comment = optional_text("comment", comment, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.platform_admin_delete_organization(
            organization_id=organization_id, comment=omitted(comment), **options
        ),
        _one(Organization, op, "organization"),
        WRITE,
    )


# -- users ------------------------------------------------------------------------------------


def list_users(organization_id: str | None) -> Call[list[User]]:
    organization_id = optional_id("organizationId", organization_id)
    return Call(
        "platformAdmin_listUsers",
        lambda client, options: client.platform_admin_list_users(
            organization_id=omitted(organization_id), **options
        ),
        _many(User),
    )


def get_user(user_id: str) -> Call[User]:
    op = "platformAdmin_getUser"
    user_id = require_id("userId", user_id)
    return Call(
        op,
        lambda client, options: client.platform_admin_get_user(user_id, **options),
        _one(User, op, f"user {user_id!r}"),
    )


def create_user(
    organization_id: str,
    email: str,
    first_name: str,
    last_name: str,
    mobile: str | None,
    user_roles: Sequence[str] | None,
) -> Call[User]:
    op = "platformAdmin_createUser"
    organization_id = require_id("organizationId", organization_id)
    email = require_text("email", email)
    first_name = require_text("firstName", first_name)
    last_name = require_text("lastName", last_name)
    mobile = optional_text("mobile", mobile)
    roles = _roles(user_roles)
    return Call(
        op,
        lambda client, options: client.platform_admin_create_user(
            organization_id=organization_id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            mobile=omitted(mobile),
            user_roles=omitted(roles),
            **options,
        ),
        _one(User, op, "user"),
        WRITE,
    )


def update_user(
    user_id: str,
    first_name: str | None,
    last_name: str | None,
    user_account_state: str | None,
    user_roles: Sequence[str] | None,
) -> Call[User]:
    op = "platformAdmin_updateUser"
    user_id = require_id("userId", user_id)
    first_name = optional_text("firstName", first_name)
    last_name = optional_text("lastName", last_name)
    state = (
        None
        if user_account_state is None
        else UserAccountState(choice("userAccountState", user_account_state, ACCOUNT_STATES))
    )
    roles = _roles(user_roles)
    require_change(
        op, firstName=first_name, lastName=last_name, userAccountState=state, userRoles=roles
    )
    wire_roles: list[UserRole | None] | None = None if roles is None else list(roles)
    return Call(
        op,
        lambda client, options: client.platform_admin_update_user(
            user_id=user_id,
            first_name=omitted(first_name),
            last_name=omitted(last_name),
            user_account_state=omitted(state),
            user_roles=omitted(wire_roles),
            **options,
        ),
        _one(User, op, f"user {user_id!r}"),
        WRITE,
    )


def delete_user(user_id: str) -> Call[User]:
    op = "platformAdmin_deleteUser"
    user_id = require_id("userId", user_id)
    return Call(
        op,
        lambda client, options: client.platform_admin_delete_user(user_id, **options),
        _one(User, op, f"user {user_id!r}"),
        WRITE,
    )


def resend_user_invitation(user_id: str) -> Call[User]:
    op = "platformAdmin_resendUserInvitation"
    user_id = require_id("userId", user_id)
    return Call(
        op,
        lambda client, options: client.platform_admin_resend_user_invitation(user_id, **options),
        _one(User, op, f"user {user_id!r}"),
        WRITE,  # a repeat sends a second e-mail
    )


# -- collaboratives ---------------------------------------------------------------------------


def list_collaboratives(include_members: bool | None) -> Call[list[Collaborative]]:
    include = optional_flag("includeMemberOrganizations", include_members)
    return Call(
        "platformAdmin_listCollaboratives",
        lambda client, options: client.platform_admin_list_collaboratives(
            include_member_organizations=omitted(include), **options
        ),
        _many(Collaborative),
    )


def get_collaborative(collaborative_id: str, include_members: bool | None) -> Call[Collaborative]:
    op = "platformAdmin_getCollaborative"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    include = optional_flag("includeMemberOrganizations", include_members)
    return Call(
        op,
        lambda client, options: client.platform_admin_get_collaborative(
            collaborative_id=collaborative_id,
            include_member_organizations=omitted(include),
            **options,
        ),
        _one(
            Collaborative,
            op,
            f"collaborative {collaborative_id!r}",
        ),
    )


def create_collaborative(name: str, description: str | None) -> Call[Collaborative]:
    op = "platformAdmin_createCollaborative"
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.platform_admin_create_collaborative(
            name=name, description=omitted(description), **options
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


def update_collaborative(
    collaborative_id: str, name: str | None, description: str | None
) -> Call[Collaborative]:
    op = "platformAdmin_updateCollaborative"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.platform_admin_update_collaborative(
            collaborative_id=collaborative_id,
            name=omitted(name),
            description=omitted(description),
            **options,
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


def delete_collaborative(collaborative_id: str, comment: str | None) -> Call[Collaborative]:
    op = "platformAdmin_deleteCollaborative"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    comment = optional_text("comment", comment, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.platform_admin_delete_collaborative(
            collaborative_id=collaborative_id, comment=omitted(comment), **options
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


def add_collaborative_member(
    collaborative_id: str, user_id: str, permission: str | None
) -> Call[Collaborative]:
    op = "platformAdmin_addCollaborativeMember"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    user_id = require_id("userId", user_id)
    level = None if permission is None else _permission(permission)
    return Call(
        op,
        lambda client, options: client.platform_admin_add_collaborative_member(
            collaborative_id=collaborative_id, user_id=user_id, permission=omitted(level), **options
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


def update_collaborative_member(
    collaborative_id: str, user_id: str, permission: str
) -> Call[Collaborative]:
    op = "platformAdmin_updateCollaborativeMember"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    user_id = require_id("userId", user_id)
    level = _permission(permission)
    return Call(
        op,
        lambda client, options: client.platform_admin_update_collaborative_member(
            collaborative_id=collaborative_id, user_id=user_id, permission=level, **options
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


def remove_collaborative_member(collaborative_id: str, user_id: str) -> Call[Collaborative]:
    op = "platformAdmin_removeCollaborativeMember"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    user_id = require_id("userId", user_id)
    return Call(
        op,
        lambda client, options: client.platform_admin_remove_collaborative_member(
            collaborative_id=collaborative_id, user_id=user_id, **options
        ),
        _one(Collaborative, op, "collaborative"),
        WRITE,
    )


# -- off-boarding -----------------------------------------------------------------------------


def delete_users_collaboratives(user_id: str) -> Call[list[Collaborative]]:
    user_id = require_id("userId", user_id)
    return Call(
        "platformAdmin_deleteUsersCollaboratives",
        lambda client, options: client.platform_admin_delete_users_collaboratives(
            user_id, **options
        ),
        _many(Collaborative),
        WRITE,
    )


def delete_users_services(user_id: str) -> Call[list[Service]]:
    user_id = require_id("userId", user_id)
    return Call(
        "platformAdmin_deleteUsersServices",
        lambda client, options: client.platform_admin_delete_users_services(user_id, **options),
        _many(Service),
        WRITE,
    )


def migrate_users_collaboratives(current_owner: str, transfer_to: str) -> Call[list[Collaborative]]:
    current_owner = require_id("currentOwnerUserId", current_owner)
    transfer_to = require_id("transferToUserId", transfer_to)
    return Call(
        "platformAdmin_migrateUsersCollaborativesOwnership",
        lambda client, options: client.platform_admin_migrate_users_collaboratives_ownership(
            current_owner_user_id=current_owner, transfer_to_user_id=transfer_to, **options
        ),
        _many(Collaborative),
        WRITE,
    )


def migrate_users_services(current_owner: str, transfer_to: str) -> Call[list[Service]]:
    current_owner = require_id("currentOwnerUserId", current_owner)
    transfer_to = require_id("transferToUserId", transfer_to)
    return Call(
        "platformAdmin_migrateUsersServicesOwnership",
        lambda client, options: client.platform_admin_migrate_users_services_ownership(
            current_owner_user_id=current_owner, transfer_to_user_id=transfer_to, **options
        ),
        _many(Service),
        WRITE,
    )
