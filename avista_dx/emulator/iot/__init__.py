"""IoT: hubs, digital-twin models, endpoints, groups, endpoint tokens and telemetry.

Metadata lives in the metadata store (:mod:`.records`); telemetry lives in the Timestream
engine, one table per endpoint (:mod:`.telemetry`). The backends are :class:`.service.IotService`
(the catalogue) and :class:`.data_service.IotDataService` (publish, last values, queries,
exports). This package's ``__init__`` imports nothing, so ``records`` can be loaded early.
"""
