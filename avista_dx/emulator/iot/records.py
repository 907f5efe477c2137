"""The IoT rows of the metadata store (registered in ``records.ALL_RECORD_TYPES``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..persistence.models import Record

# A model attribute as stored: name, schemaType, description, defaultValue, writable, index.
# Plain dicts (JSON types) so every metadata store can hold them.
Attribute = dict[str, Any]


@dataclass(frozen=True, slots=True)
class IotHubRecord(Record):
    KIND: ClassVar[str] = "iot_hub"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    iot_hub_id: str
    name: str
    owner_user_id: str
    description: str | None = None

    @property
    def key(self) -> str:
        return self.iot_hub_id


@dataclass(frozen=True, slots=True)
class IotModelRecord(Record):
    """One version of a digital-twin model; versions share ``dtmi_segment`` and the owner."""

    KIND: ClassVar[str] = "iot_model"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    model_id: str
    owner_user_id: str
    display_name: str
    dtmi_segment: str
    version: int
    description: str | None = None
    properties: tuple[Attribute, ...] = ()
    telemetry: tuple[Attribute, ...] = ()
    # The DTMI's owner segment, fixed at creation so a model keeps its DTMI when migrated.
    dtmi_scope: str = ""

    @property
    def key(self) -> str:
        return self.model_id


@dataclass(frozen=True, slots=True)
class IotEndpointRecord(Record):
    """An endpoint; ``property_values`` maps a property name to ``[value, epoch ms]``."""

    KIND: ClassVar[str] = "iot_endpoint"
    INDEXED: ClassVar[tuple[str, ...]] = ("iot_hub_id", "model_id")
    iot_endpoint_id: str
    iot_hub_id: str
    model_id: str
    owner_user_id: str
    name: str
    table_name: str
    token_id: str
    description: str | None = None
    property_values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.iot_endpoint_id


@dataclass(frozen=True, slots=True)
class IotEndpointTokenRecord(Record):
    """The raw value of an endpoint's token: ``iot_getEndpointToken`` hands it out again, so
    unlike a personal token it cannot be kept as a hash only (the hash authenticates)."""

    KIND: ClassVar[str] = "iot_endpoint_token"
    token_id: str
    iot_endpoint_id: str
    token_value: str = field(repr=False)

    @property
    def key(self) -> str:
        return self.token_id


@dataclass(frozen=True, slots=True)
class IotGroupRecord(Record):
    KIND: ClassVar[str] = "iot_group"
    INDEXED: ClassVar[tuple[str, ...]] = ("iot_hub_id", "owner_user_id")
    iot_group_id: str
    iot_hub_id: str
    owner_user_id: str
    name: str
    description: str | None = None
    iot_endpoint_ids: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.iot_group_id


@dataclass(frozen=True, slots=True)
class IotQueryRecord(Record):
    """A time-range query run: its pages (chunks) and its export.

    ``state``: RUNNING (pages remain) → FINISHED, or CANCELLED. ``export_state``: None →
    RUNNING → COMPLETE or FAILED. ``endpoints`` maps each endpoint id to its name.
    """

    KIND: ClassVar[str] = "iot_query"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    query_id: str
    owner_user_id: str
    query_string: str
    client_token: str
    start_time: str
    end_time: str
    columns: tuple[str, ...]
    endpoints: dict[str, str]
    tables: tuple[str, ...]
    created: str
    state: str = "RUNNING"
    chunks: int = 0
    next_token: str | None = None
    export_state: str | None = None
    export_format: str | None = None
    export_size: int | None = None
    export_base_url: str | None = None
    export_error: str | None = None

    @property
    def key(self) -> str:
        return self.query_id


@dataclass(frozen=True, slots=True)
class IotResultBlobRecord(Record):
    """A result document kept as a blob (query chunk, export file, large last-values page),
    downloadable by presigned GET; ``query_id`` ties chunks and exports to their query."""

    KIND: ClassVar[str] = "iot_result_blob"
    INDEXED: ClassVar[tuple[str, ...]] = ("query_id",)
    blob_key: str
    owner_user_id: str
    kind: str  # "chunk", "export" or "lastValues"
    content_type: str
    created: str
    query_id: str | None = None

    @property
    def key(self) -> str:
        return self.blob_key


IOT_RECORD_TYPES: tuple[type[Record], ...] = (
    IotHubRecord,
    IotModelRecord,
    IotEndpointRecord,
    IotEndpointTokenRecord,
    IotGroupRecord,
    IotQueryRecord,
    IotResultBlobRecord,
)
