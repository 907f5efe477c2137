"""Which mutation pushes each subscription the emulator delivers (the coverage table reads it).

A subscription of the schema that is not listed here can be started (``start_ack``) but no
emulated mutation publishes to it yet.
"""

from __future__ import annotations

ON_TIME_SERIES_DB_PUBLISH = "onTimeSeriesDbPublish"
ON_NOTIFY_UPLOAD_COMPLETE = "onNotifyUploadComplete"
ON_IOT_PUBLISH = "onIotPublish"
ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE = "onNotifyIotQueryExportComplete"

EVENT_SOURCES: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "timeSeriesDb_publishToDatabase",
    ON_NOTIFY_UPLOAD_COMPLETE: "notifications_notifyUploadComplete",
    ON_IOT_PUBLISH: "iot_publish",
    ON_NOTIFY_IOT_QUERY_EXPORT_COMPLETE: "iot_generateQueryResultExport",
}

# Shown in the coverage table, per subscription.
DEVIATIONS: dict[str, str] = {
    ON_TIME_SERIES_DB_PUBLISH: "Deviation (inferred semantics): that the publish pushes it is"
    " inferred from the subscription's name and type.",
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
