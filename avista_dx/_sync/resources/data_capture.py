# Produced by scripts/unasync.py from avista_dx/_async/resources/data_capture.py: do not edit.
"""`dx.dataCapture`: start, stop, publish to and listen to data captures (the 1.2.1 names);
the captures themselves, their data models, files and tokens come from the base classes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ... import _data_capture as capture
from ..._backends import SyncBackend
from ...types_data_capture import (
    CaptureDataRecordInput,
    PublishCaptureDataResult,
    StartCaptureResult,
    StopCaptureResult,
)
from .capture_files import CaptureFiles
from .capture_management import CaptureManagement


class DataCapture(CaptureManagement, CaptureFiles):
    """Data capture: `dx.dataCapture.startCapture(captureId)`, ... The capture's own token
    (`dataCapture_getCaptureAuthenticationToken`) may be the client's token.

    1.2.1 made these coroutines; on the sync client they return at once, and their results
    may still be awaited, so 1.2.1 code runs unchanged.
    """

    def startCapture(self, captureId: str) -> StartCaptureResult:
        """Starts a READY capture; `startedAt` is its actual start time.

        Raises:
            BadRequestError: the capture is not READY.
        """
        return self._execute(capture.start_capture(captureId))

    def stopCapture(self, captureId: str) -> StopCaptureResult:
        """Stops a CAPTURING capture; `stoppedAt` is its actual stop time.

        Raises:
            BadRequestError: the capture is not CAPTURING.
        """
        return self._execute(capture.stop_capture(captureId))

    def publishData(
        self, captureId: str, data: Sequence[CaptureDataRecordInput | Mapping[str, Any]]
    ) -> PublishCaptureDataResult:
        """Publishes records (`DxTypes.CaptureDataRecordInput`, or dicts of the same keys) to
        a CAPTURING capture. Values are sent as strings. Values the exchange refuses are in
        `recordsFailed` (then `success` is False), matched back to your records; they are
        not raised.

        Raises:
            InvalidInputError: a record is malformed (nothing is sent).
            BadRequestError: the capture is not CAPTURING.
        """
        return self._execute(capture.publish_data(captureId, data))

    def subscribeToData(self, captureId: str) -> Iterator[PublishCaptureDataResult]:
        """Each publish to the capture, as it happens (`recordsFailed` carry the exchange's
        indexes only): an async iterator on the async client; an iterator on the sync one,
        which `for` also accepts (as in 1.2.1). Needs the `realtime` extra."""
        return SyncBackend.events(self._client._events(capture.on_capture_publish_data(captureId)))
