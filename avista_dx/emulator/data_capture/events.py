"""The capture's real-time events, each pushed after its mutation commits.

The services hand every event-producing mutation to :class:`CaptureEvents.publish_after`, the
one call site per event; the app wires it to the real-time broker (which runs the commit and the
fan-out under one lock, so subscribers see events in commit order). Without a broker the
mutation just runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

ON_START_CAPTURE = "onStartCapture"
ON_STOP_CAPTURE = "onStopCapture"
ON_NOTIFY_CAPTURE_COMPLETE = "onNotifyCaptureComplete"
ON_CAPTURE_PUBLISH_DATA = "onCapturePublishData"


@dataclass(frozen=True, slots=True)
class CaptureEvent:
    """``field`` is the subscription root field; its one argument is ``captureId``; ``payload``
    is the mutation's result (``DataCapture`` or ``DataCapturePublishDataResponse``)."""

    field: str
    capture_id: str
    payload: dict[str, Any]


class CaptureEvents(Protocol):
    def publish_after(
        self, commit: Callable[[], T], event_of: Callable[[T], CaptureEvent | None]
    ) -> T:
        """Runs ``commit``, then pushes ``event_of(its result)`` (nothing when it raises)."""
        ...


class NoSubscribers:
    """Events go nowhere (no real-time endpoint is wired)."""

    def publish_after(
        self, commit: Callable[[], T], event_of: Callable[[T], CaptureEvent | None]
    ) -> T:
        return commit()
