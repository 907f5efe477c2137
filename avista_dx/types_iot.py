"""The documented types of `dx.iot` (the 1.2.1 names and attributes).

`PublishIotDataResult` (returned by `iot.publish` and yielded by `iot.subscribeToEndpoint`)
is documented by 1.2.1 both as a dict and through attributes: it supports both
(`result.recordsWritten` and `result["recordsWritten"]`).
"""

from __future__ import annotations

from typing import Any, TypedDict

from avista_dx_graphql import enums
from pydantic import Field, computed_field

from .types import DxModel, ObjectList

__all__ = [
    "DigitalTwinModel",
    "EndpointLastValue",
    "EndpointLastValues",
    "EndpointProperty",
    "EndpointTelemetry",
    "IotAttributeValue",
    "IotDataRecord",
    "IotDataRecordError",
    "IotEndpoint",
    "IotFailedRecord",
    "IotGroup",
    "IotHub",
    "IotQueryExport",
    "ModelProperty",
    "ModelTelemetry",
    "PublishIotDataResult",
    "TelemetryValue",
]


class _ReadsLikeADict(DxModel):
    """`result["key"]` reads the documented dict shape (`model_dump()`), as 1.2.1's dicts."""

    def __getitem__(self, key: str) -> Any:
        return self.model_dump()[key]

    def keys(self) -> list[str]:
        return list(self.model_dump())


class ModelTelemetry(DxModel):
    """A telemetry field of a digital twin model (DTDL Telemetry): values go to time series."""

    name: str
    description: str | None = None
    schemaType: enums.ModelSchemaType | str
    """"integer", "double", "string", "boolean", "dateTime" or "duration"."""
    index: int | None = None
    attributeType: enums.ModelAttributeType | str | None = None


class EndpointTelemetry(ModelTelemetry):
    """A telemetry attribute of an endpoint (its model's); query its values separately."""


class ModelProperty(DxModel):
    """A property (state variable) of a digital twin model (DTDL Property)."""

    name: str
    description: str | None = None
    schemaType: enums.ModelSchemaType | str
    defaultValue: str | None = None
    """The original value, as a string whatever the schema type."""
    writable: bool | None = None
    index: int | None = None
    attributeType: enums.ModelAttributeType | str | None = None


class EndpointProperty(DxModel):
    """A property of an endpoint with its current value (no history)."""

    name: str
    description: str | None = None
    schemaType: enums.ModelSchemaType | str
    writable: bool | None = None
    value: str | None = None
    """The current value, as a string whatever the schema type."""
    timestamp: str | None = None
    """Epoch milliseconds at which the current value was written, as a string."""
    defaultValue: str | None = None
    attributeType: enums.ModelAttributeType | str | None = None


class DigitalTwinModel(DxModel):
    """A digital twin model: the properties and telemetry its endpoints have."""

    modelId: str
    dtmi: str | None = None
    ownerUserId: str | None = None
    displayName: str
    description: str | None = None
    properties: ObjectList[ModelProperty] = Field(default_factory=list)
    telemetry: ObjectList[ModelTelemetry] = Field(default_factory=list)


class IotHub(DxModel):
    """An IoT hub: the container of endpoints and groups, owned by one user."""

    iotHubId: str
    name: str
    description: str | None = None
    ownerUserId: str | None = None


class IotEndpoint(DxModel):
    """An IoT endpoint (a device) of a hub, typed by a digital twin model."""

    iotEndpointId: str
    iotHubId: str | None = None
    modelId: str | None = None
    name: str
    description: str | None = None
    ownerUserId: str | None = None
    properties: ObjectList[EndpointProperty] = Field(default_factory=list)
    telemetry: ObjectList[EndpointTelemetry] = Field(default_factory=list)


class IotGroup(DxModel):
    """A group of endpoints of one hub; `endpoints` is filled when asked for."""

    iotGroupId: str
    iotHubId: str | None = None
    name: str
    description: str | None = None
    ownerUserId: str | None = None
    iotEndpointIds: ObjectList[str] = Field(default_factory=list)
    endpoints: ObjectList[IotEndpoint] = Field(default_factory=list)


class IotAttributeValue(DxModel):
    """One attribute value of a telemetry record, as a string with its schema type."""

    name: str | None = None
    value: str | None = None
    schemaType: str | None = None


class IotDataRecord(_ReadsLikeADict):
    """A telemetry record: epoch-millisecond `timestamp` (a string) and attribute values."""

    timestamp: str | None = None
    iotEndpointId: str | None = None
    attributes: ObjectList[IotAttributeValue] = Field(default_factory=list)


class IotDataRecordError(DxModel):
    """Why the exchange refused a record (`DUPLICATE_ENTRY`, `INCORRECT_VALUE_TYPE`, ...)."""

    errorType: enums.IotDataRecordErrorType | str
    errorMessage: str


class IotFailedRecord(_ReadsLikeADict):
    """A record the exchange did not write, with why."""

    record: IotDataRecord
    errors: ObjectList[IotDataRecordError] = Field(default_factory=list)


class PublishIotDataResult(_ReadsLikeADict):
    """What a publish wrote and refused (`failedRecords`, also readable as `recordsFailed`)."""

    iotEndpointId: str | None = None
    recordsWritten: ObjectList[IotDataRecord] = Field(default_factory=list)
    failedRecords: ObjectList[IotFailedRecord] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recordsFailed(self) -> list[IotFailedRecord]:
        """1.2.1's dict key for `failedRecords`."""
        return self.failedRecords


class IotQueryExport(DxModel):
    """The file an export of a time-range query was written to (`url`: presigned GET, CSV)."""

    queryId: str
    fileFormat: str | None = None
    fileSizeBytes: int | None = None
    url: str


class EndpointLastValue(TypedDict):
    """One telemetry attribute's last value (1.2.1's dict)."""

    attributeName: str
    lastValue: str | None
    timestamp: str | None
    """Epoch milliseconds, as a string (None when nothing was published)."""


class TelemetryValue(DxModel):
    """The last value of one telemetry attribute of an endpoint."""

    telemetryModel: ModelTelemetry | None = None
    """The attribute's definition (its `name`, `schemaType`, ...)."""
    value: str | None = None
    """As a string whatever the schema type; None when nothing was published."""
    timestamp: str | None = None
    """Epoch milliseconds, as a string."""


class EndpointLastValues(DxModel):
    """The last values of the telemetry attributes of one endpoint (of a group or a hub)."""

    iotEndpointId: str
    telemetryValues: ObjectList[TelemetryValue] = Field(default_factory=list)
