"""`avista-dx iot …`: everyday IoT tasks (dx.iot): look at endpoints and groups, publish
telemetry, read last values, set properties."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .arguments import TIME_HELP, assignments, timestamp
from .session import Session, command

app = typer.Typer(
    help="IoT hubs and endpoints: list, show, publish telemetry, last values.",
    no_args_is_help=True,
)

EndpointArgument = Annotated[str, typer.Argument(help="The endpoint's id (iotEndpointId.…).")]
ValuesArgument = Annotated[list[str], typer.Argument(help="NAME=VALUE pairs.", show_default=False)]
ATTRIBUTE_COLUMNS = (
    ("name", "NAME"),
    ("kind", "KIND"),
    ("schemaType", "TYPE"),
    ("value", "VALUE"),
    ("timestamp", "TIME"),
)
LAST_VALUE_COLUMNS = (("attributeName", "ATTRIBUTE"), ("lastValue", "VALUE"), ("timestamp", "TIME"))


HUB_COLUMNS = (("name", "HUB"), ("iotHubId", "ID"), ("description", "DESCRIPTION"))
ENDPOINT_COLUMNS = (
    ("hub", "HUB"),
    ("name", "ENDPOINT"),
    ("iotEndpointId", "ID"),
    ("modelId", "MODEL"),
)


@app.command("hubs")
@command
def list_hubs(session: Session) -> None:
    """The IoT hubs you own (dx.iot.listHubs)."""
    session.out.emit(session.client.iot.listHubs(), HUB_COLUMNS)


@app.command("ls")
@command
def list_endpoints(
    session: Session,
    hub: Annotated[
        str | None, typer.Option(help="Only this hub's endpoints (its id; default: every hub's).")
    ] = None,
) -> None:
    """The endpoints of your hubs (dx.iot.listHubs, listEndpointsInHub)."""
    iot = session.client.iot
    hubs = [iot.getHub(session.expect("IoT hub", hub))] if hub else iot.listHubs()
    rows = [
        {**endpoint.model_dump(mode="json"), "hub": found.name}
        for found in hubs
        for endpoint in iot.listEndpointsInHub(found.iotHubId)
    ]
    session.out.emit(rows, ENDPOINT_COLUMNS)


@app.command("get")
@command
def get_endpoint(session: Session, endpoint: EndpointArgument) -> None:
    """An endpoint: its properties (with their values) and its telemetry attributes
    (dx.iot.getEndpoint)."""
    found = session.client.iot.getEndpoint(session.expect("IoT endpoint", endpoint))
    if session.out.json_mode:
        session.out.print_json(found)
        return
    session.out.record(
        {
            "name": found.name,
            "id": found.iotEndpointId,
            "model": found.modelId,
            "hub": found.iotHubId,
        }
    )
    attributes = [
        {"name": p.name, "kind": "property", "schemaType": p.schemaType, "value": p.value,
         "timestamp": p.timestamp}
        for p in found.properties
    ] + [
        {"name": t.name, "kind": "telemetry", "schemaType": t.schemaType}
        for t in found.telemetry
    ]  # fmt: skip
    session.out.table(attributes, ATTRIBUTE_COLUMNS)


@app.command("group")
@command
def get_group(
    session: Session,
    group: Annotated[str, typer.Argument(help="The group's id (iotGroupId.…).")],
) -> None:
    """A group and its endpoints (dx.iot.getGroup)."""
    found = session.client.iot.getGroup(session.expect("IoT group", group), True)
    if session.out.json_mode:
        session.out.print_json(found)
        return
    session.out.record({"name": found.name, "id": found.iotGroupId, "hub": found.iotHubId})
    session.out.table(
        [e.model_dump() for e in found.endpoints],
        (("name", "ENDPOINT"), ("iotEndpointId", "ID"), ("modelId", "MODEL")),
    )


@app.command("publish")
@command
def publish(
    session: Session,
    endpoint: EndpointArgument,
    values: ValuesArgument,
    at: Annotated[str | None, typer.Option("--time", help=TIME_HELP)] = None,
) -> None:
    """Publishes one telemetry record: `avista-dx iot publish ID temperature=21.5`
    (dx.iot.publish). Refused values are reported, and the exit code is 1."""
    stamp, unit = timestamp(at)
    record = {
        "attributes": assignments(values, "telemetry value"),
        "timestamp": stamp,
        "timeUnit": unit,
    }
    result = session.client.iot.publish(session.expect("IoT endpoint", endpoint), [record])
    if session.out.json_mode:
        session.out.print_json(result)
    for written in result.recordsWritten:
        session.out.line(f"written at {written.timestamp}: " + _values(written.attributes))
    for failed in result.failedRecords:
        reasons = "; ".join(f"{e.errorType}: {e.errorMessage}" for e in failed.errors)
        session.out.line(f"refused: {_values(failed.record.attributes)} ({reasons})")
    if result.failedRecords:
        raise typer.Exit(1)


def _values(attributes: list[Any]) -> str:
    return " ".join(f"{a.name}={a.value}" for a in attributes)


@app.command("last")
@command
def last_values(session: Session, endpoint: EndpointArgument) -> None:
    """The last value of each telemetry attribute (dx.iot.listEndpointLastValues)."""
    values = session.client.iot.listEndpointLastValues(session.expect("IoT endpoint", endpoint))
    session.out.emit(list(values), LAST_VALUE_COLUMNS)


@app.command("set")
@command
def set_properties(session: Session, endpoint: EndpointArgument, values: ValuesArgument) -> None:
    """Sets writable properties: `avista-dx iot set ID setpoint=20`
    (dx.iot.updateEndpointProperties)."""
    properties = assignments(values, "property")
    updated = session.client.iot.updateEndpointProperties(
        session.expect("IoT endpoint", endpoint), properties
    )
    session.out.emit(
        [p.model_dump() for p in updated.properties if p.name in properties], ATTRIBUTE_COLUMNS
    )
