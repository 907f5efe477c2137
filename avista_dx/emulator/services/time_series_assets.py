"""Which asset a time-series record belongs to: the ``assetId`` dimension.

``timeSeriesDb_publishToDatabase`` takes one asset per call; the emulator stores that asset on
every record as a dimension named ``assetId``, so the per-asset fields
(``timeSeriesDb_listAllAssetLastValues``, ``timeSeriesDb_queryDatabase``) are ordinary
Timestream queries, and SQL users see the column too.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidTimestreamRequestError

ASSET_DIMENSION = "assetId"


def with_asset_dimension(records: list[Any], asset_id: str) -> list[Any]:
    """``records`` with an ``assetId`` dimension added to each (input left unchanged).

    A record that already names a different asset is a ``ValidationException``; malformed
    records pass through for the engine to reject in its own words.
    """
    own = {"Name": ASSET_DIMENSION, "Value": asset_id, "DimensionValueType": "VARCHAR"}
    stamped: list[Any] = []
    for index, record in enumerate(records):
        dimensions = record.get("Dimensions") if isinstance(record, dict) else None
        if not isinstance(record, dict) or not isinstance(dimensions, list | None):
            stamped.append(record)
            continue
        named = [
            d for d in dimensions or () if isinstance(d, dict) and d.get("Name") == ASSET_DIMENSION
        ]
        if not named:  # the usual case
            stamped.append({**record, "Dimensions": [*(dimensions or ()), dict(own)]})
            continue
        if any(d.get("Value") != asset_id for d in named):
            raise InvalidTimestreamRequestError(
                f"Record {index} names another asset in its {ASSET_DIMENSION!r} dimension."
            )
        stamped.append(record)
    return stamped
