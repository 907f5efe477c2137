"""1.2.1's `DxTypes` namespace: `from avista_dx import DxTypes`, then
`DxTypes.CaptureDataRecordInput(...)`, as with `avista_digital_exchange_sdk`."""

from .types_data_capture import (
    CaptureDataRecordInput,
    PublishCaptureDataFailedRecord,
    PublishCaptureDataResult,
    PublishCaptureDataSuccessfulRecord,
    StartCaptureResult,
    StopCaptureResult,
)

__all__ = [
    "CaptureDataRecordInput",
    "PublishCaptureDataFailedRecord",
    "PublishCaptureDataResult",
    "PublishCaptureDataSuccessfulRecord",
    "StartCaptureResult",
    "StopCaptureResult",
]
