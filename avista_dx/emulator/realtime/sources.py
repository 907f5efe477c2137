"""Which mutation pushes each subscription the emulator delivers (the coverage table reads it).

A subscription of the schema that is not listed here can be started (``start_ack``) but no
emulated mutation publishes to it yet.
"""

from __future__ import annotations

ON_TIME_SERIES_DB_PUBLISH = "onTimeSeriesDbPublish"
ON_NOTIFY_UPLOAD_COMPLETE = "onNotifyUploadComplete"
ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE = "onNotifyTimeSeriesQueryExportComplete"

EVENT_SOURCES: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "timeSeriesDb_publishToDatabase",
    ON_NOTIFY_UPLOAD_COMPLETE: "notifications_notifyUploadComplete",
    ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE: "timeSeriesDb_notifyTimeSeriesQueryExportComplete",
}

# Shown in the coverage table, per subscription.
DEVIATIONS: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "Deviation (inferred semantics): that the publish pushes it is"
    " inferred from the subscription's name and type.",
    ON_NOTIFY_TIME_SERIES_QUERY_EXPORT_COMPLETE: "Deviation (inferred semantics): also pushed"
    " when the emulator finishes writing the export file of"
    " `timeSeriesDb_generateQueryResultExportFile` (on the service its exporter calls the"
    " mutation).",
}

# Every subscription: what the emulator infers where the service's behaviour is not known.
COMMON_DEVIATIONS = (
    "Deviations (inferred semantics) for every subscription: a subscriber who may not read the"
    " object gets `start_ack`, then no events; every field of the mutation's result is"
    " available to the subscription, not only those the mutation selected; `stop` of an unknown"
    " id answers `complete`; the `host` of the authorization headers is not checked."
)
