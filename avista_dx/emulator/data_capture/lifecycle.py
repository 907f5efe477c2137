"""The capture's states and time settings, as the schema's enums define them.

CONFIGURATION_ERROR → READY once the data model and the time settings are GOOD (and back when
they stop being so); READY → CAPTURING (``dataCapture_startCapture``); CAPTURING → FINISHING
(``dataCapture_stopCapture``); FINISHING → COMPLETE, or COMPLETION_ERROR when the full export
fails (``dataCapture_handleCompletion``, which a stop runs at once and which retries a
COMPLETION_ERROR); DELETING is what ``dataCapture_deleteCapture`` answers.
"""

from __future__ import annotations

from typing import Final

from .. import _clock
from ..errors import InvalidRequestError
from .records import CaptureRecord, DataModelRecord

READY: Final = "READY"
CAPTURING: Final = "CAPTURING"
FINISHING: Final = "FINISHING"
COMPLETE: Final = "COMPLETE"
COMPLETION_ERROR: Final = "COMPLETION_ERROR"
CONFIGURATION_ERROR: Final = "CONFIGURATION_ERROR"
DELETING: Final = "DELETING"
# Before the capture starts: its data model and start settings may still change.
CONFIGURABLE: Final = (READY, CONFIGURATION_ERROR)
TIME_CONFIG_TYPES: Final = ("MANUAL", "SCHEDULED")


class CaptureStateError(InvalidRequestError):
    """The operation needs the capture in another state (a ``BadRequestException``)."""

    def __init__(self, action: str, record: CaptureRecord, needed: str) -> None:
        super().__init__(
            f"cannot {action} capture {record.capture_id}: it is {record.state}, not {needed}"
        )


def require_state(record: CaptureRecord, action: str, *allowed: str) -> None:
    if record.state not in allowed:
        raise CaptureStateError(action, record, " or ".join(allowed))


def time_errors(record: CaptureRecord) -> list[str]:
    """Why the time settings are not usable (``DataCaptureTimeConfiguration.errors``)."""
    errors = []
    if record.start_time_type == "SCHEDULED" and record.scheduled_start_time is None:
        errors.append("startTimeType is SCHEDULED but scheduledStartTime is not set")
    if record.stop_time_type == "SCHEDULED" and record.scheduled_stop_time is None:
        errors.append("stopTimeType is SCHEDULED but scheduledStopTime is not set")
    start, stop = record.scheduled_start_time, record.scheduled_stop_time
    if (
        record.start_time_type == "SCHEDULED"
        and record.stop_time_type == "SCHEDULED"
        and start is not None
        and stop is not None
        and _clock.parse_iso(stop) <= _clock.parse_iso(start)
    ):
        errors.append("scheduledStopTime must be after scheduledStartTime")
    return errors


def configured_state(record: CaptureRecord, model: DataModelRecord | None) -> str:
    """READY or CONFIGURATION_ERROR, for a capture that has not started."""
    model_good = model is not None and model.assets and not model.errors
    return READY if model_good and not time_errors(record) else CONFIGURATION_ERROR


def scheduled_time(value: object, what: str) -> str | None:
    """An ISO-8601 time with a zone (normalised to UTC, milliseconds), or None to clear it."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRequestError(f"{what} must be an ISO-8601 string")
    try:
        moment = _clock.parse_iso(value.strip())
    except ValueError:
        raise InvalidRequestError(f"{what} {value!r} is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        raise InvalidRequestError(f"{what} must include a time zone (e.g. Z)")
    return _clock.iso(moment)


def time_config_type(value: object, what: str) -> str:
    if value not in TIME_CONFIG_TYPES:
        raise InvalidRequestError(f"{what} must be MANUAL or SCHEDULED")
    return str(value)
