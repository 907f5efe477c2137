"""Which mutation pushes each subscription the emulator delivers (the coverage table reads it).

A subscription of the schema that is not listed here can be started (``start_ack``) but no
emulated mutation publishes to it yet.
"""

from __future__ import annotations

ON_TIME_SERIES_DB_PUBLISH = "onTimeSeriesDbPublish"
ON_NOTIFY_UPLOAD_COMPLETE = "onNotifyUploadComplete"
ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE = "onNotifyTimeSeriesQueryExportComplete"
ON_START_CAPTURE = "onStartCapture"
ON_STOP_CAPTURE = "onStopCapture"
ON_NOTIFY_CAPTURE_COMPLETE = "onNotifyCaptureComplete"
ON_CAPTURE_PUBLISH_DATA = "onCapturePublishData"
ON_IOT_PUBLISH = "onIotPublish"
ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE = "onNotifyIotQueryExportComplete"

EVENT_SOURCES: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "timeSeriesDb_publishToDatabase",
    ON_NOTIFY_UPLOAD_COMPLETE: "notifications_notifyUploadComplete",
    ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE: "timeSeriesDb_notifyTimeSeriesQueryExportComplete",
    ON_START_CAPTURE: "dataCapture_startCapture",
    ON_STOP_CAPTURE: "dataCapture_stopCapture",
    ON_NOTIFY_CAPTURE_COMPLETE: "dataCapture_notifyCaptureComplete",
    ON_CAPTURE_PUBLISH_DATA: "dataCapture_publishData",
    ON_IOT_PUBLISH: "iot_publish",
    ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE: "iot_generateQueryResultExport",
}

# Shown in the coverage table, per subscription.
DEVIATIONS: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "Deviation (inferred semantics): that the publish pushes it is"
    " inferred from the subscription's name and type.",
    ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE: "Deviation (inferred semantics): also pushed"
    " when the emulator finishes writing the export file of"
    " `timeSeriesDb_generateQueryResultExportFile` (on the service its exporter calls the"
    " mutation).",
    ON_START_CAPTURE: "Deviation (inferred semantics): pushed by the start, with the started"
    " capture (state CAPTURING).",
    ON_STOP_CAPTURE: "Deviation (inferred semantics): pushed by the stop, with the stopped"
    " capture (state FINISHING).",
    ON_NOTIFY_CAPTURE_COMPLETE: "Deviation (inferred semantics): also pushed when a capture's"
    " completion (after a stop, or `dataCapture_handleCompletion`) reaches COMPLETE.",
    ON_CAPTURE_PUBLISH_DATA: "Pushed with the publish's response whenever it wrote or refused"
    " anything; the capture's token may subscribe to its own capture.",
    ON_IOT_PUBLISH: "Deviation (inferred semantics): only a publish that wrote records pushes it;"
    " readers of the endpoint (and its token) receive it.",
    ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE: "Deviation (inferred semantics): pushed once when the"
    " export started by `iot_generateQueryResultExport` is written (and again by each"
    " `iot_notifyQueryExportComplete` of a complete export), to the query's owner only.",
}

# Every subscription: what the emulator infers where the service's behaviour is not known.
COMMON_DEVIATIONS = (
    "Deviations (inferred semantics) for every subscription: a subscriber who may not read the"
    " object gets `start_ack`, then no events; every field of the mutation's result is"
    " available to the subscription, not only those the mutation selected; `stop` of an unknown"
    " id answers `complete`; the `host` of the authorization headers is not checked."
)
