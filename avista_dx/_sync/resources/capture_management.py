# Produced by scripts/unasync.py from avista_dx/_async/resources/capture_management.py: do not edit.
"""`dx.dataCapture`'s captures beyond 1.2.1: create, read, update, delete; data models; the
capture's token; the Python sample; the start, stop and completion events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ... import _ops_data_capture as ops
from ... import types_data_capture as types
from ..._backends import SyncBackend
from ..._data_capture import stop_capture
from ..._pagination import NextTokens
from .._resource import SyncAPIResource


class CaptureManagement(SyncAPIResource):
    """Captures, their data models and tokens (method names: the operations' without
    `dataCapture_`)."""

    def createCapture(
        self, displayName: str, *, captureType: str = "STANDARD", description: str | None = None
    ) -> types.DataCapture:
        """Creates a capture you own. It is CONFIGURATION_ERROR until `updateDataModel` gives
        it a good data model, then READY to start. `captureType` has one value, STANDARD."""
        return self._execute(ops.create_capture(displayName, captureType, description))

    def getCapture(
        self, captureId: str, *, includeDataModel: bool | None = None
    ) -> types.DataCapture:
        """A capture; its `dataModel` too with `includeDataModel=True`."""
        return self._execute(ops.get_capture(captureId, includeDataModel))

    def listCaptures(self, *, includeDataModels: bool | None = None) -> list[types.DataCapture]:
        """Every capture you own, following each `nextToken` (one request per page).

        Raises:
            PaginationError: the exchange repeated a nextToken.
        """
        tokens = NextTokens("dataCapture_listCaptures")
        captures: list[types.DataCapture] = []
        next_token: str | None = None
        while True:
            page = self._execute(ops.list_captures(includeDataModels, next_token))
            captures += page.captures
            next_token = page.next_token
            if not tokens.more(next_token):
                return captures

    def updateCapture(
        self,
        captureId: str,
        *,
        displayName: str | None = None,
        description: str | None = None,
        startTimeType: str | None = None,
        scheduledStartTime: str | dt.datetime | None = None,
        stopTimeType: str | None = None,
        scheduledStopTime: str | dt.datetime | None = None,
        clear: Iterable[str] = (),
    ) -> types.DataCapture:
        """Changes what is given (None keeps the value); `clear` names what to unset
        (`"description"`, `"scheduledStartTime"`, `"scheduledStopTime"`). Time types are
        MANUAL or SCHEDULED; scheduled times are ISO-8601 strings with a zone or aware
        datetimes. Start settings change only before the capture starts.

        Raises:
            InvalidInputError: nothing to change, an argument both given and cleared, an
                unknown time type, a time without a zone.
            BadRequestError: the capture's state does not allow the change.
        """
        changes: Mapping[str, Any] = {
            "displayName": displayName,
            "description": description,
            "startTimeType": startTimeType,
            "scheduledStartTime": scheduledStartTime,
            "stopTimeType": stopTimeType,
            "scheduledStopTime": scheduledStopTime,
        }
        return self._execute(ops.update_capture(captureId, changes, clear))

    def deleteCapture(self, captureId: str) -> types.DataCapture:
        """Deletes a capture in any state, with its data, attachments, exports and token;
        returns it as it was (state DELETING)."""
        return self._execute(ops.delete_capture(captureId))

    def getDataModel(self, captureId: str) -> types.DataCaptureDataModel:
        """What the capture records: its assets (`items`) and their attributes."""
        return self._execute(ops.get_data_model(captureId))

    def updateDataModel(
        self,
        captureId: str,
        dataModel: types.DataCaptureDataModelInput | Mapping[str, Any],
    ) -> types.DataCaptureDataModel:
        """Replaces the data model (before the capture starts): `{"assets": [{"userDefinedId",
        "displayName", "attributes": [{"userDefinedId", "displayName", "schemaType"
        (boolean, double, integer, string), optional "attributeType" (TELEMETRY), "unit",
        "description"}]}]}`, or a `DataCaptureDataModelInput`. The caller's dicts are only
        read. A model the capture cannot use comes back with state ERROR and `errors`.

        Raises:
            InvalidInputError: an unknown key, a missing name or an unknown schema type
                (nothing is sent).
            BadRequestError: the capture has started.
        """
        return self._execute(ops.update_data_model(captureId, dataModel))

    def getDataModelExport(self, captureId: str) -> types.DataCaptureDataModelExport:
        """The data model as a document (`contents`, to save as `fileName`)."""
        return self._execute(ops.get_data_model_export(captureId))

    def getCaptureAuthenticationToken(self, captureId: str) -> types.AuthenticationToken:
        """The capture's own token (DATA_CAPTURE_READ_WRITE): a publisher may use its
        `tokenValue` as the client's token for this capture. The value stays out of reprs
        and logs; treat it as a secret."""
        return self._execute(ops.capture_token(captureId))

    def regenerateAuthenticationToken(self, captureId: str) -> types.AuthenticationToken:
        """Replaces the capture's token: the previous one stops working at once."""
        return self._execute(ops.regenerate_capture_token(captureId))

    def getPythonSDKSample(self, captureId: str) -> str:
        """Python code publishing to this capture (it reads the token from the environment)."""
        return self._execute(ops.python_sdk_sample(captureId))

    # -- events -------------------------------------------------------------------------------

    def onStartCapture(self, captureId: str) -> Iterator[types.DataCapture]:
        """The capture each time it starts (`startCapture`): an async iterator on the async
        client, an iterator on the sync one. Needs the `realtime` extra."""
        return SyncBackend.events(self._client._events(ops.on_start_capture(captureId)))

    def onStopCapture(self, captureId: str) -> Iterator[types.DataCapture]:
        """The capture each time it stops (`stopCapture`, state FINISHING), as
        `onStartCapture`."""
        return SyncBackend.events(self._client._events(ops.on_stop_capture(captureId)))

    def onNotifyCaptureComplete(self, captureId: str) -> Iterator[types.DataCapture]:
        """The capture when its completion is done (state COMPLETE: its full data export is
        ready), as `onStartCapture`. See `stopCaptureAndAwaitCompletion`."""
        call = ops.on_notify_capture_complete(captureId)
        return SyncBackend.events(self._client._events(call))

    def stopCaptureAndAwaitCompletion(self, captureId: str) -> types.DataCapture:
        """Stops a CAPTURING capture and returns it once its completion ended: COMPLETE
        (after `onNotifyCaptureComplete`; `getDataExportDownloadUrl` then has the CSV), or
        COMPLETION_ERROR (its `stateHistory` says why; no event is sent for a failure).

        The subscription is acknowledged before the stop is sent, so the event cannot be
        missed; the capture is read once after the stop, so a completion that already failed
        is returned at once (one that fails later sends no event: then only the end of the
        connection ends the wait). Needs the `realtime` extra.

        Raises:
            BadRequestError: the capture is not CAPTURING.
        """
        notice = ops.on_notify_capture_complete(captureId)
        with self._client._subscribe(notice) as events:
            self._execute(stop_capture(captureId))
            # The event never comes for a failed completion: look once, after the stop.
            capture = self._execute(ops.get_capture(captureId, None))
            if capture.state == "COMPLETION_ERROR":
                return capture
            for data in events:
                return notice.adapt(data)
        raise ops.subscription_ended(captureId)
