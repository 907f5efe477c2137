"""Which mutation pushes each subscription the emulator delivers (the coverage table reads it).

A subscription of the schema that is not listed here can be started (``start_ack``) but no
emulated mutation publishes to it yet.
"""

from __future__ import annotations

ON_TIME_SERIES_DB_PUBLISH = "onTimeSeriesDbPublish"
ON_NOTIFY_UPLOAD_COMPLETE = "onNotifyUploadComplete"

EVENT_SOURCES: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "timeSeriesDb_publishToDatabase",
    ON_NOTIFY_UPLOAD_COMPLETE: "notifications_notifyUploadComplete",
}
