"""`dx.dataCapture`'s operations (docs/protocol.md §7.3): 1.2.1's records to the wire and the
exchange's answers back to 1.2.1's results. I/O-free; the caller's records are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from ._iot import iso_millis, wire_value
from ._operations import Call, _convert, _root
from ._retry import RetrySafety
from ._subscriptions import SubscriptionCall
from ._validation import require_id, require_text
from .errors import InvalidInputError, InvalidResponseError
from .types_data_capture import (
    CaptureDataRecordInput,
    DataCapture,
    DataCaptureTimeSettings,
    PublishCaptureDataFailedRecord,
    PublishCaptureDataResult,
    PublishCaptureDataSuccessfulRecord,
    StartCaptureResult,
    StopCaptureResult,
)

ON_CAPTURE_PUBLISH_DATA = (
    "subscription onCapturePublishData($captureId: ID!) {"
    " onCapturePublishData(captureId: $captureId) {"
    " captureId dataWritten { timestamp userDefinedId value }"
    " failedRecords { recordIndex attributeIndex errorType message }"
    " } }"
)
TIME_UNITS = ("MILLISECONDS", "ISO8601")


def capture_records(data: object) -> list[CaptureDataRecordInput]:
    if isinstance(data, str | bytes) or not isinstance(data, Sequence) or not data:
        raise InvalidInputError("data must be a non-empty list of CaptureDataRecordInput")
    records = []
    for index, item in enumerate(data):
        try:
            record = (
                item
                if isinstance(item, CaptureDataRecordInput)
                else CaptureDataRecordInput.model_validate(item)
            )
        except ValueError as exc:
            raise InvalidInputError(
                f"data[{index}] is not a CaptureDataRecordInput: {exc}"
            ) from exc
        if record.timeUnit not in TIME_UNITS:
            raise InvalidInputError(f"data[{index}].timeUnit must be MILLISECONDS or ISO8601")
        if not record.attributeValues:
            raise InvalidInputError(f"data[{index}].attributeValues is empty")
        records.append(record)
    return records


def _millis(record: CaptureDataRecordInput, what: str) -> str:
    stamp = record.timestamp
    if record.timeUnit == "ISO8601":
        if not isinstance(stamp, str):
            raise InvalidInputError(f"{what}.timestamp must be an ISO-8601 string")
        return str(iso_millis(stamp, f"{what}.timestamp"))
    text = str(stamp).strip()
    if isinstance(stamp, bool) or not text.isdigit():
        raise InvalidInputError(f"{what}.timestamp must be epoch milliseconds")
    return text


def wire_records(records: Sequence[CaptureDataRecordInput]) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": _millis(record, f"data[{index}]"),
            "attributeValues": [
                {
                    "userDefinedId": require_text(f"data[{index}] attribute id", attribute_id),
                    "value": wire_value(value, f"data[{index}].attributeValues[{attribute_id!r}]"),
                }
                for attribute_id, value in record.attributeValues.items()
            ],
        }
        for index, record in enumerate(records)
    ]


def publish_result(
    response: Mapping[str, Any], sent: Sequence[CaptureDataRecordInput] | None = None
) -> PublishCaptureDataResult:
    """1.2.1's result of a `DataCapturePublishDataResponse` (wire names); failures are
    matched back to `sent` by the exchange's record and attribute indexes."""
    written = [
        PublishCaptureDataSuccessfulRecord(
            timestamp=item["timestamp"],
            timeUnit="MILLISECONDS",
            attributeId=item["userDefinedId"],
            attributeValue=item["value"],
        )
        for item in response.get("dataWritten") or []
        if item
    ]
    failed: list[PublishCaptureDataFailedRecord] = []
    for item in response.get("failedRecords") or []:
        if item:
            failed.extend(_failures(item, sent))
    error = f"{len(failed)} values were not written" if failed else None
    return PublishCaptureDataResult(
        success=not failed,
        captureId=response.get("captureId") or "",
        recordsWritten=written,
        recordsFailed=failed,
        error=error,
    )


def _failures(
    item: Mapping[str, Any], sent: Sequence[CaptureDataRecordInput] | None
) -> list[PublishCaptureDataFailedRecord]:
    record_index, attribute_index = item.get("recordIndex"), item.get("attributeIndex")
    message = item.get("message") or str(item.get("errorType") or "not written")
    failure = PublishCaptureDataFailedRecord(
        message=message,
        errorType=item.get("errorType"),
        recordIndex=record_index,
        attributeIndex=attribute_index,
    )
    record = (
        sent[record_index]
        if sent is not None and isinstance(record_index, int) and 0 <= record_index < len(sent)
        else None
    )
    if record is None:
        return [failure]
    values = list(record.attributeValues.items())
    if isinstance(attribute_index, int) and 0 <= attribute_index < len(values):
        values = [values[attribute_index]]
    return [
        failure.model_copy(
            update={
                "timestamp": str(record.timestamp),
                "timeUnit": record.timeUnit,
                "attributeId": attribute_id,
                "attributeValue": wire_value(value, attribute_id),
            }
        )
        for attribute_id, value in values
    ]


def _generated_dump(model: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", model.model_dump(by_alias=True))


def publish_data(capture_id: str, data: object) -> Call[PublishCaptureDataResult]:
    op = "dataCapture_publishData"
    capture_id = require_id("captureId", capture_id)
    records = capture_records(data)
    wire = wire_records(records)

    def adapt(result: Any) -> PublishCaptureDataResult:
        raw = _root(result, "data_capture_publish_data", op, "publish result")
        return publish_result(_generated_dump(raw), records)

    return Call(
        op,
        lambda client, options: client.data_capture_publish_data(
            capture_id, cast("Any", wire), **options
        ),
        adapt,
        RetrySafety.UNSENT_ONLY,  # a repeated record is refused (RecordExists)
    )


R = TypeVar("R")


def _capture_of(
    op: str, attribute: str, result_of: Callable[[DataCapture, DataCaptureTimeSettings], R]
) -> Callable[[Any], R]:
    """Adapts a start or a stop: the capture it returns, as 1.2.1's result."""

    def adapt(result: Any) -> R:
        capture = _convert(DataCapture, _root(result, attribute, op, "capture"))
        return result_of(capture, capture.timeSettings or DataCaptureTimeSettings())

    return adapt


def start_capture(capture_id: str) -> Call[StartCaptureResult]:
    op = "dataCapture_startCapture"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_start_capture(capture_id, **options),
        _capture_of(
            op,
            "data_capture_start_capture",
            lambda capture, times: StartCaptureResult(
                success=True,
                captureId=capture.captureId,
                startedAt=times.actualStartTime,
                capture=capture,
            ),
        ),
        RetrySafety.UNSENT_ONLY,  # a repeat of a done start is refused (not READY any more)
    )


def stop_capture(capture_id: str) -> Call[StopCaptureResult]:
    op = "dataCapture_stopCapture"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_stop_capture(capture_id, **options),
        _capture_of(
            op,
            "data_capture_stop_capture",
            lambda capture, times: StopCaptureResult(
                success=True,
                captureId=capture.captureId,
                stoppedAt=times.actualStopTime,
                capture=capture,
            ),
        ),
        RetrySafety.UNSENT_ONLY,  # a repeat of a done stop is refused (not CAPTURING any more)
    )


def on_capture_publish_data(capture_id: str) -> SubscriptionCall[PublishCaptureDataResult]:
    capture_id = require_id("captureId", capture_id)

    def adapt(data: Mapping[str, Any]) -> PublishCaptureDataResult:
        payload = data.get("onCapturePublishData")
        if not isinstance(payload, Mapping):
            raise InvalidResponseError(
                "the onCapturePublishData event carries no object", operation="onCapturePublishData"
            )
        return publish_result(payload)

    return SubscriptionCall(
        "onCapturePublishData", ON_CAPTURE_PUBLISH_DATA, {"captureId": capture_id}, adapt
    )
