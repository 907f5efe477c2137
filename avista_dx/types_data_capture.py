"""The documented types of `dx.dataCapture` (1.2.1's `DxTypes.*` names and attributes).

1.2.1's data capture methods were coroutines of its only client. Here they are coroutines of
the async client and plain methods of the sync one; their results may also be awaited, so
1.2.1 code (`result = await dx.dataCapture.startCapture(...)`) runs on the sync client as is.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from avista_dx_graphql import enums
from pydantic import ConfigDict, Field

from .types import DxModel, ObjectList
from .types_users import AuthenticationToken

__all__ = [
    "AuthenticationToken",
    "CaptureDataRecordInput",
    "DataCapture",
    "DataCaptureAsset",
    "DataCaptureAssetAttribute",
    "DataCaptureAssetAttributeInput",
    "DataCaptureAssetInput",
    "DataCaptureAttachment",
    "DataCaptureDataExport",
    "DataCaptureDataModel",
    "DataCaptureDataModelExport",
    "DataCaptureDataModelInput",
    "DataCaptureStateChange",
    "DataCaptureTimeSettings",
    "PublishCaptureDataFailedRecord",
    "PublishCaptureDataResult",
    "PublishCaptureDataSuccessfulRecord",
    "StartCaptureResult",
    "StopCaptureResult",
]


class _AlreadyDone(DxModel):
    """A result that may be awaited as well (it is ready): 1.2.1 awaited these."""

    def __await__(self) -> Generator[Any, None, Any]:
        return self
        yield  # a generator: awaiting it returns self at once


class CaptureDataRecordInput(DxModel):
    """A record to publish: `attributeValues` maps attribute ids (`userDefinedId`) to values."""

    timestamp: str | int
    """Epoch milliseconds (or an ISO-8601 string with `timeUnit="ISO8601"`)."""
    timeUnit: str = "MILLISECONDS"
    attributeValues: dict[str, Any]


class DataCaptureTimeSettings(DxModel):
    """When the capture starts and stops (times ISO-8601); `errors` say why the settings are
    not usable (then `state` is ERROR and the capture is not READY)."""

    actualStartTime: str | None = None
    actualStopTime: str | None = None
    scheduledStartTime: str | None = None
    scheduledStopTime: str | None = None
    startTimeType: enums.DataCaptureTimeConfigType | str | None = None
    stopTimeType: enums.DataCaptureTimeConfigType | str | None = None
    errors: list[str | None] | None = None
    state: enums.DataCaptureTimeConfigurationState | str | None = None


class DataCaptureAssetAttribute(DxModel):
    """An attribute of an asset; records name it by its `userDefinedId`."""

    userDefinedId: str
    displayName: str
    schemaType: enums.DataCaptureAssetAttributeSchemaType | str
    attributeType: enums.DataCaptureAssetAttributeType | str = "TELEMETRY"
    description: str | None = None
    unit: str | None = None


class DataCaptureAsset(DxModel):
    """An asset of a data model: caller-chosen `userDefinedId` and its attributes."""

    userDefinedId: str
    displayName: str
    description: str | None = None
    attributes: ObjectList[DataCaptureAssetAttribute] | None = Field(default_factory=list)


class DataCaptureDataModel(DxModel):
    """What a capture records: its assets (`items`). `state` is ERROR, with `errors`, for a
    model the capture cannot start with."""

    items: ObjectList[DataCaptureAsset] = Field(default_factory=list)
    state: enums.DataCaptureDataModelState | str | None = None
    errors: list[str | None] | None = None
    version: int | None = None
    dateCreated: str | None = None
    dateUpdated: str | None = None


class DataCaptureStateChange(DxModel):
    """One step of a capture's `stateHistory`."""

    newState: enums.DataCaptureState | str
    dateCreated: str
    message: str | None = None


class DataCapture(DxModel):
    """A data capture and where it stands (`state`: READY, CAPTURING, FINISHING, ...)."""

    captureId: str
    captureType: enums.DataCaptureType | str | None = None
    displayName: str | None = None
    description: str | None = None
    ownerUserId: str | None = None
    state: enums.DataCaptureState | str | None = None
    dateCreated: str | None = None
    dateUpdated: str | None = None
    timeSettings: DataCaptureTimeSettings | None = None
    stateHistory: ObjectList[DataCaptureStateChange] | None = None
    dataModel: DataCaptureDataModel | None = None
    """Set when asked for (`includeDataModel`, `includeDataModels`)."""


class DataCaptureDataModelExport(DxModel):
    """The data model as a document: `contents` (the text of the file `fileName`)."""

    captureId: str
    fileName: str
    contents: str


class DataCaptureAttachment(DxModel):
    """A file attached to a capture. `error` is FILE_UPLOAD_INCOMPLETE while (or when) its
    bytes never arrived."""

    attachmentId: str
    attachmentType: enums.DataCaptureAttachmentType | str | None = None
    name: str | None = None
    description: str | None = None
    ownerUserId: str | None = None
    dateCreated: str | None = None
    dateUpdated: str | None = None
    error: enums.DataCaptureAttachmentError | str | None = None


class DataCaptureDataExport(DxModel):
    """A CSV export of a capture's data: `url` (a presigned GET) once `state` is COMPLETE."""

    state: enums.DataCaptureDataExportState | str
    exportType: enums.DataCaptureDataExportType | str | None = None
    name: str | None = None
    url: str | None = Field(default=None, repr=False)  # a presigned URL is a credential
    dateStarted: str | None = None
    dateCompleted: str | None = None
    logs: list[str | None] | None = None


class _Input(DxModel):
    """An argument the caller builds: an unknown key is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class DataCaptureAssetAttributeInput(_Input):
    """An attribute of an asset in `updateDataModel`'s model (`attributeType` TELEMETRY by
    default); records name it by its `userDefinedId`."""

    userDefinedId: str
    displayName: str
    schemaType: str
    """boolean, double, integer or string."""
    attributeType: str = "TELEMETRY"
    description: str | None = None
    unit: str | None = None


class DataCaptureAssetInput(_Input):
    """An asset in `updateDataModel`'s model: caller-chosen `userDefinedId` and its attributes."""

    userDefinedId: str
    displayName: str
    attributes: list[DataCaptureAssetAttributeInput]
    description: str | None = None


class DataCaptureDataModelInput(_Input):
    """`updateDataModel`'s model: the whole list of assets (it replaces the previous one)."""

    assets: list[DataCaptureAssetInput]


class StartCaptureResult(_AlreadyDone):
    """`dataCapture.startCapture`'s result. Failures raise a `DxError` (1.2.1 also set
    `success=False`), so a returned result has `success` True and `error` None."""

    success: bool
    captureId: str
    startedAt: str | None = None
    error: str | None = None
    capture: DataCapture | None = None


class StopCaptureResult(_AlreadyDone):
    """`dataCapture.stopCapture`'s result (see `StartCaptureResult`)."""

    success: bool
    captureId: str
    stoppedAt: str | None = None
    error: str | None = None
    capture: DataCapture | None = None


class PublishCaptureDataSuccessfulRecord(DxModel):
    """A value that was written."""

    timestamp: str
    timeUnit: str
    attributeId: str
    attributeValue: str


class PublishCaptureDataFailedRecord(DxModel):
    """A value (or a whole record, `attributeId` None) that was not written, and why.

    `recordIndex`/`attributeIndex` are the exchange's positions in the published list; the
    other fields are read back from the published records (a `subscribeToData` event, which
    has no input to read, carries the indexes only).
    """

    timestamp: str | None = None
    timeUnit: str | None = None
    attributeId: str | None = None
    attributeValue: str | None = None
    message: str
    errorType: enums.DataCaptureRecordError | str | None = None
    recordIndex: int | None = None
    attributeIndex: int | None = None


class PublishCaptureDataResult(_AlreadyDone):
    """`dataCapture.publishData`'s result, also each `subscribeToData` event.

    `success` is False when some values were refused (they are in `recordsFailed`, matched
    back to the input by the exchange's record and attribute indexes; `error` sums them up).
    """

    success: bool
    captureId: str
    recordsWritten: ObjectList[PublishCaptureDataSuccessfulRecord] | None = Field(
        default_factory=list
    )
    recordsFailed: ObjectList[PublishCaptureDataFailedRecord] | None = Field(default_factory=list)
    error: str | None = None
