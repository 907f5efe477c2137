"""`avista-dx collab ls|show|share|unshare`: collaboratives and what is shared in them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from .session import Session, command

app = typer.Typer(
    help="Collaboratives: list, show, share and unshare services.", no_args_is_help=True
)

COLUMNS = (("name", "NAME"), ("collaborativeId", "ID"), ("description", "DESCRIPTION"))
SERVICE_COLUMNS = (("serviceType", "TYPE"), ("serviceId", "ID"), ("name", "NAME"))
CollaborativeArgument = Annotated[str, typer.Argument(help="The collaborative's id.")]
ServiceArgument = Annotated[
    str, typer.Argument(help="The service's id (a data store's or a time series database's).")
]
ServiceTypeOption = Annotated[
    str | None,
    typer.Option(help="The service's type, for ids whose prefix does not tell (e.g. DATA_STORE)."),
]


@app.command("ls")
@command
def list_collaboratives(session: Session) -> None:
    """The collaboratives you are a member of (dx.collaboratives.listCollaboratives)."""
    session.out.emit(session.client.collaboratives.listCollaboratives(), COLUMNS)


@app.command("show")
@command
def show(session: Session, collaborative: CollaborativeArgument) -> None:
    """A collaborative, its member organizations and its shared services
    (dx.collaboratives.getCollaborative, listCollaborativeServices)."""
    collaboratives = session.client.collaboratives
    found = collaboratives.getCollaborative(session.expect("collaborative", collaborative))
    services = collaboratives.listCollaborativeServices(collaborative)
    if session.out.json_mode:
        session.out.print_json({**found.model_dump(mode="json"), "services": services})
        return
    session.out.record(
        {
            "name": found.name,
            "id": found.collaborativeId,
            "description": found.description,
            "members": [
                f"{m.organization.name if m.organization else '?'} ({m.memberState})"
                for m in found.memberOrganizations
            ],
        }
    )
    session.out.table([_service_row(s) for s in services], SERVICE_COLUMNS, title="services")


def _service_row(service: Any) -> dict[str, Any]:
    named = service.dataStore or service.timeSeriesDb
    return {
        "serviceType": service.serviceType,
        "serviceId": service.serviceId,
        "name": named.name if named else None,
    }


@app.command("share")
@command
def share(
    session: Session,
    service: ServiceArgument,
    collaborative: CollaborativeArgument,
    service_type: ServiceTypeOption = None,
) -> None:
    """Shares a service you own with a collaborative
    (dx.collaboratives.addServiceToCollaborative)."""
    collaboratives = session.client.collaboratives
    _change_sharing(
        session, collaboratives.addServiceToCollaborative, service, collaborative, service_type
    )


@app.command("unshare")
@command
def unshare(
    session: Session,
    service: ServiceArgument,
    collaborative: CollaborativeArgument,
    service_type: ServiceTypeOption = None,
) -> None:
    """Stops sharing a service with a collaborative
    (dx.collaboratives.removeServiceFromCollaborative)."""
    collaboratives = session.client.collaboratives
    _change_sharing(
        session, collaboratives.removeServiceFromCollaborative, service, collaborative, service_type
    )


def _change_sharing(
    session: Session,
    change: Callable[..., Any],
    service: str,
    collaborative: str,
    service_type: str | None,
) -> None:
    session.expect("collaborative", collaborative)
    changed = change(service, collaborative, serviceType=service_type)
    session.out.emit(_service_row(changed), SERVICE_COLUMNS)
