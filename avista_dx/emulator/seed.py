"""Seeds, created once per data directory: ``demo`` (a small platform to try the SDK against)
and ``admin`` (just a platform admin, to build your own platform with ``platformAdmin_*``).

Its development tokens are fixed and documented (docs/emulator.md), like the well-known
credentials of other local emulators; never use them anywhere but a local emulator.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from . import _clock
from .persistence.models import SettingRecord, TokenRecord, UserRecord
from .services import Caller
from .services.users import hash_token

if TYPE_CHECKING:
    from .api import Services
    from .persistence import MetadataStore
    from .services import TransferService

logger = logging.getLogger(__name__)

SEED_MARKER = "seed:demo"
ADMIN_SEED_MARKER = "seed:admin"
ADMIN_TOKEN = "dx-admin-token"
TOKEN_DAYS = 3650

# role → (first name, last name, email, organization index, roles, development token)
DEMO_USERS: dict[str, tuple[str, str, str, int, tuple[str, ...], str]] = {
    "admin": (
        "Ada",
        "Admin",
        "admin@avista.example",
        0,
        ("PLATFORM_ADMIN",),
        "dx-demo-admin-token",
    ),
    "owner": (
        "Olivia",
        "Owner",
        "owner@avista.example",
        0,
        ("DATA_PROVIDER",),
        "dx-demo-owner-token",
    ),
    "writer": (
        "Walter",
        "Writer",
        "writer@northwind.example",
        1,
        ("DATA_PROVIDER",),
        "dx-demo-writer-token",
    ),
    "reader": (
        "Rita",
        "Reader",
        "reader@northwind.example",
        1,
        ("DATA_CONSUMER",),
        "dx-demo-reader-token",
    ),
    "outsider": (
        "Oscar",
        "Outsider",
        "outsider@northwind.example",
        1,
        ("DATA_CONSUMER",),
        "dx-demo-outsider-token",
    ),
}
DEMO_ORGANIZATIONS = (("Avista Utilities", True), ("Northwind Energy", False))

# path in the store → file bytes
DEMO_FILES: dict[str, bytes] = {
    "README.md": b"# Demo data store\n\nSample files for the avista-dx emulator.\n",
    "readings/2024/january.csv": (
        b"time,meter,kwh\n2024-01-01T00:00:00Z,m-1,1.5\n2024-01-01T01:00:00Z,m-1,1.25\n"
    ),
    "readings/2024/february.csv": b"time,meter,kwh\n2024-02-01T00:00:00Z,m-1,1.75\n",
    "reports/summary.txt": b"Consumption fell 3% month over month.\n",
    "archive.tar.gz": bytes(range(256)) * 16,
}


class SeedTarget(Protocol):
    """What a seed works on (an ``Emulator`` is one): the metadata store for its marker and
    the fixed tokens, the services to create the platform, the transfers for the files' bytes."""

    @property
    def metadata(self) -> MetadataStore: ...

    @property
    def services(self) -> Services: ...

    @property
    def transfers(self) -> TransferService: ...


@dataclass(frozen=True, slots=True)
class DemoSeed:
    """Tokens by role (admin, owner, writer, reader, outsider) and the ids of the demo objects."""

    tokens: dict[str, str] = field(repr=False)  # credentials never appear in a repr
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DemoIds:
    """The ids of the demo seed's objects (see docs/emulator.md, "The demo seed")."""

    host_organization: str  # Avista Utilities
    member_organization: str  # Northwind Energy
    users: Mapping[str, str]  # role (admin, owner, writer, reader, outsider) → user id
    data_store: str  # "Demo data store", owned by the owner
    home_directory: str
    files: Mapping[str, str]  # path in the store ("readings/2024/january.csv") → file id
    time_series_db: str  # "Demo meters"
    collaborative: str  # "Demo collaborative", sharing the store and the database

    @classmethod
    def of(cls, ids: Mapping[str, str]) -> DemoIds:
        """Typed, from a demo seed's ``DemoSeed.ids``; ``ValueError`` for another seed's."""
        if DEMO_ID_KEYS - ids.keys():
            raise ValueError("the emulator was not started with the demo seed (seed='demo')")
        return cls(
            host_organization=ids["organization1"],
            member_organization=ids["organization2"],
            users=MappingProxyType({role: ids[role] for role in DEMO_USERS}),
            data_store=ids["dataStore"],
            home_directory=ids["homeDirectory"],
            files=MappingProxyType({path: ids[f"file:{path}"] for path in DEMO_FILES}),
            time_series_db=ids["timeSeriesDb"],
            collaborative=ids["collaborative"],
        )


# The keys of DemoSeed.ids that a demo seed has.
DEMO_ID_KEYS = frozenset(
    {"organization1", "organization2", "dataStore", "homeDirectory", "timeSeriesDb"}
    | {"collaborative", *DEMO_USERS}
    | {f"file:{path}" for path in DEMO_FILES}
)


def _caller(target: SeedTarget, user_id: str) -> Caller:
    with target.metadata.view() as view:
        user = view.get(UserRecord, user_id)
    assert user is not None
    return Caller(user=user, token_id="seed")


def seed_admin(target: SeedTarget) -> DemoSeed:
    """One organization ("Emulator") with one platform admin, token ``dx-admin-token``."""
    tokens = {"admin": ADMIN_TOKEN}
    with target.metadata.view() as view:
        marker = view.get(SettingRecord, ADMIN_SEED_MARKER)
    if marker is not None:
        _renew_tokens(target, tokens)
        return DemoSeed(tokens=tokens, ids=dict(i.split("=", 1) for i in marker.value.split(";")))
    org = target.services.organizations.create_organization(None, "Emulator", True)
    user = target.services.users.create_user(
        None, org["organizationId"], "admin@emulator.example", "Platform", "Admin", None,
        ["PLATFORM_ADMIN"], user_account_state="ACTIVE",
    )  # fmt: skip
    target.services.users.issue_token(user["userId"], "admin", TOKEN_DAYS, raw_value=ADMIN_TOKEN)
    ids = {"organization": org["organizationId"], "admin": user["userId"]}
    with target.metadata.transaction() as tx:
        tx.put(SettingRecord(ADMIN_SEED_MARKER, ";".join(f"{k}={v}" for k, v in ids.items())))
    return DemoSeed(tokens=tokens, ids=ids)


def apply_seed(target: SeedTarget, name: str | None) -> DemoSeed | None:
    """Creates (or finds) the named seed; ``None`` seeds nothing."""
    if name is None:
        return None
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r} (known: {', '.join(SEEDS)})")
    return SEEDS[name](target)


def seed_demo(target: SeedTarget) -> DemoSeed:
    """Creates the demo platform unless this data directory already has it."""
    tokens = {role: spec[5] for role, spec in DEMO_USERS.items()}
    with target.metadata.view() as view:
        marker = view.get(SettingRecord, SEED_MARKER)
    if marker is not None:
        ids = _parse_ids(marker.value)
        _renew_tokens(target, tokens)
        return DemoSeed(tokens=tokens, ids=ids)
    ids = _create(target, tokens)
    with target.metadata.transaction() as tx:
        tx.put(SettingRecord(SEED_MARKER, ";".join(f"{k}={v}" for k, v in ids.items())))
    logger.info("demo seed created")
    return DemoSeed(tokens=tokens, ids=ids)


def current_demo_ids(target: SeedTarget) -> DemoIds:
    """The ids of the demo objects now: a reset re-creates them under new ids."""
    with target.metadata.view() as view:
        marker = view.get(SettingRecord, SEED_MARKER)
    if marker is None:
        raise ValueError("the emulator was not started with the demo seed (seed='demo')")
    return DemoIds.of(_parse_ids(marker.value))


def _parse_ids(marker_value: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in marker_value.split(";") if item)


def _renew_tokens(target: SeedTarget, tokens: dict[str, str]) -> None:
    """The fixed tokens last ten years; a data directory reused that late gets them renewed."""
    now = _clock.utc_now()
    renew_before = _clock.iso(now + timedelta(days=365))
    with target.metadata.transaction() as tx:
        for raw in tokens.values():
            for token in tx.find(TokenRecord, token_hash=hash_token(raw)):
                if token.date_expires < renew_before:
                    expires = _clock.iso(now + timedelta(days=TOKEN_DAYS))
                    tx.put(dataclasses.replace(token, date_expires=expires))


def _create(target: SeedTarget, tokens: dict[str, str]) -> dict[str, str]:
    services = target.services
    ids: dict[str, str] = {}
    org_ids = []
    for index, (name, host) in enumerate(DEMO_ORGANIZATIONS):
        org = services.organizations.create_organization(None, name, host)
        org_ids.append(org["organizationId"])
        ids[f"organization{index + 1}"] = org["organizationId"]
    for role, (first, last, email, org_index, roles, raw) in DEMO_USERS.items():
        user = services.users.create_user(
            None,
            org_ids[org_index],
            email,
            first,
            last,
            None,
            list(roles),
            user_account_state="ACTIVE",
        )
        ids[role] = user["userId"]
        services.users.issue_token(user["userId"], "demo", TOKEN_DAYS, raw_value=raw)

    owner, admin = _caller(target, ids["owner"]), _caller(target, ids["admin"])
    storage = target.services.data_stores
    store = storage.create_data_store(owner, "Demo data store", "Meter readings and reports")
    ids["dataStore"] = store["dataStoreId"]
    ids["homeDirectory"] = store["homeDirectoryId"]
    directories = {"": store["homeDirectoryId"]}
    for path, content in DEMO_FILES.items():
        parts = path.split("/")
        parent = ""
        for part in parts[:-1]:
            current = f"{parent}/{part}".lstrip("/")
            if current not in directories:
                created = storage.create_directory(
                    owner, ids["dataStore"], directories[parent], part
                )
                directories[current] = created["dataStoreDirectoryId"]
            parent = current
        name, _, extension = parts[-1].partition(".")
        presigned = storage.create_file(
            owner, "http://seed", ids["dataStore"], directories[parent], name, extension
        )
        staged = target.transfers.stage()
        staged.write(content)
        upload_id = presigned["uploadId"]
        target.transfers.commit_upload(
            presigned["itemId"],
            upload_id,
            staged,
            "text/plain",
            hashlib.md5(content, usedforsecurity=False).hexdigest(),
        )
        ids[f"file:{path}"] = presigned["itemId"]

    database = target.services.time_series.create_database(
        owner, "Demo meters", "Hourly energy use"
    )
    ids["timeSeriesDb"] = database["timeSeriesDbId"]
    _publish_demo_records(target, owner, ids["timeSeriesDb"])

    collaborative = services.collaborative_admin.create_collaborative(
        admin, "Demo collaborative", "Avista shares meter data with Northwind"
    )
    ids["collaborative"] = collaborative["collaborativeId"]
    for role, permission in (
        ("owner", "READ_WRITE"),
        ("writer", "READ_WRITE"),
        ("reader", "READ_ONLY"),
    ):
        services.collaborative_admin.add_member(admin, ids["collaborative"], ids[role], permission)
    collaboratives = target.services.collaboratives
    collaboratives.add_service(owner, ids["collaborative"], "DATA_STORE", ids["dataStore"])
    collaboratives.add_service(owner, ids["collaborative"], "TIME_SERIES_DB", ids["timeSeriesDb"])
    ids["capture"] = _create_capture(target, owner)
    collaboratives.add_service(owner, ids["collaborative"], "DATA_CAPTURE", ids["capture"])
    ids.update(_create_iot(target, owner))
    collaboratives.add_service(owner, ids["collaborative"], "IOT_GROUP", ids["iotGroup"])
    return ids


DEMO_MODEL_PROPERTIES = [
    {"name": "Latitude", "schemaType": "double", "defaultValue": "47.658779", "writable": True,
     "description": "Where the sensor is"},
    {"name": "Firmware", "schemaType": "string", "defaultValue": "1.0.0", "writable": False},
]  # fmt: skip
DEMO_MODEL_TELEMETRY = [
    {"name": "Temperature", "schemaType": "double", "description": "Degrees Celsius"},
    {"name": "Humidity", "schemaType": "double"},
]


def _create_iot(target: SeedTarget, owner: Caller) -> dict[str, str]:
    """A hub with a model, two endpoints (the first in a group, which the caller shares) and
    an hour of readings of the first endpoint."""
    iot = target.services.iot
    hub = iot.create_hub(owner, "Demo hub", "Sensors on the roof")
    model = iot.create_model(
        owner, "Thermostat", "Thermostat", "A temperature and humidity sensor",
        DEMO_MODEL_PROPERTIES, DEMO_MODEL_TELEMETRY,
    )  # fmt: skip
    ids = {"iotHub": hub["iotHubId"], "iotModel": model["modelId"]}
    for key, name in (("iotEndpoint", "Roof sensor"), ("iotEndpoint2", "Basement sensor")):
        endpoint = iot.create_endpoint(owner, ids["iotHub"], ids["iotModel"], name)
        ids[key] = endpoint["iotEndpointId"]
    group = iot.create_group(owner, ids["iotHub"], "Demo group", None, [ids["iotEndpoint"]])
    ids["iotGroup"] = group["iotGroupId"]
    start = int(datetime.now(timezone.utc).timestamp() * 1000) - 3_600_000
    records = [
        {
            "timestamp": str(start + minute * 60_000),
            "timeUnit": "MILLISECONDS",
            "attributes": [
                {"name": "Temperature", "value": f"{20 + (minute % 10) * 0.5:.1f}"},
                {"name": "Humidity", "value": f"{40 + minute % 7}"},
            ],
        }
        for minute in range(0, 60, 5)
    ]
    target.services.iot_data.publish(owner, ids["iotEndpoint"], records)
    return ids


DEMO_CAPTURE_MODEL = {
    "assets": [
        {
            "userDefinedId": "pump-1",
            "displayName": "Pump 1",
            "description": "The main feed pump",
            "attributes": [
                {"userDefinedId": "temperature", "displayName": "Temperature", "unit": "degC",
                 "attributeType": "TELEMETRY", "schemaType": "double"},
                {"userDefinedId": "pressure", "displayName": "Pressure", "unit": "kPa",
                 "attributeType": "TELEMETRY", "schemaType": "double"},
                {"userDefinedId": "running", "displayName": "Running",
                 "attributeType": "TELEMETRY", "schemaType": "boolean"},
            ],
        }
    ]
}  # fmt: skip


def _create_capture(target: SeedTarget, owner: Caller) -> str:
    """A CAPTURING capture of one pump, with ten minutes of readings."""
    captures = target.services.data_capture
    capture = captures.create_capture(owner, "STANDARD", "Demo capture", "Pump test run")
    capture_id: str = capture["captureId"]
    captures.update_data_model(owner, capture_id, DEMO_CAPTURE_MODEL)
    captures.start_capture(owner, capture_id)
    start = int(datetime.now(timezone.utc).timestamp() * 1000) - 600_000
    records = [
        {
            "timestamp": str(start + minute * 60_000),
            "attributeValues": [
                {"userDefinedId": "temperature", "value": f"{40 + minute * 0.5:.1f}"},
                {"userDefinedId": "pressure", "value": f"{300 + minute * 2}"},
                {"userDefinedId": "running", "value": "true"},
            ],
        }
        for minute in range(10)
    ]
    captures.publish_data(owner, capture_id, records)
    return capture_id


def _publish_demo_records(target: SeedTarget, owner: Caller, time_series_db_id: str) -> None:
    """A day of hourly readings for one meter."""
    start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(
        days=1
    )
    records = [
        {
            "Time": str(int((start + timedelta(hours=hour)).timestamp() * 1000)),
            "TimeUnit": "MILLISECONDS",
            "MeasureName": "kwh",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": f"{1.0 + (hour % 6) * 0.25:.2f}",
            "Dimensions": [{"Name": "name", "Value": "Meter 1", "DimensionValueType": "VARCHAR"}],
            "Version": 1,
        }
        for hour in range(24)
    ]
    target.services.time_series.publish(owner, time_series_db_id, "meter-1", {"records": records})


SEEDS: dict[str, Callable[[SeedTarget], DemoSeed]] = {"demo": seed_demo, "admin": seed_admin}
