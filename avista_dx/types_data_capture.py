"""The documented types of `dx.dataCapture` (1.2.1's `DxTypes.*` names and attributes).

1.2.1's data capture methods were coroutines of its only client. Here they are coroutines of
the async client and plain methods of the sync one; their results may also be awaited, so
1.2.1 code (`result = await dx.dataCapture.startCapture(...)`) runs on the sync client as is.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from avista_dx_graphql import enums
from pydantic import Field

from .types import DxModel, ObjectList

__all__ = [
    "CaptureDataRecordInput",
    "DataCapture",
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
    """When a data capture starts and stops: the scheduled and actual times, and whether each
    is `MANUAL` or `SCHEDULED` (`startTimeType`, `stopTimeType`)."""

    actualStartTime: str | None = None
    actualStopTime: str | None = None
    scheduledStartTime: str | None = None
    scheduledStopTime: str | None = None
    startTimeType: enums.DataCaptureTimeConfigType | str | None = None
    stopTimeType: enums.DataCaptureTimeConfigType | str | None = None


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
