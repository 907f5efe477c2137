"""`dx.timeSeries`'s operations beyond the 0.0.19 ones: managing databases, last values of
every asset, the structured `timeSeriesDb_queryDatabase`, exports and cancellation. Same
pattern as `_operations` (every mutation: unsent requests only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from avista_dx_graphql.enums import TimeSeriesDbQueryType, TimeSeriesQueryOutputFileType

from ._operations import Call, _one
from ._ops_arguments import choice, omitted, optional_token, require_change
from ._retry import RetrySafety
from ._validation import (
    optional_text,
    require_id,
    require_sequence,
    require_text,
    shown,
    whole_number,
)
from .errors import InvalidInputError
from .types import TimeSeriesDb
from .types_time_series import (
    ServerResponse,
    TimeSeriesLastValues,
    TimeSeriesQueryExportRequest,
    TimeSeriesQueryResult,
)

QUERY_TYPES = tuple(kind.value for kind in TimeSeriesDbQueryType)
FILE_FORMATS = tuple(kind.value for kind in TimeSeriesQueryOutputFileType)
# A repeat of a create makes a second database; of an update, delete or export that did
# happen, it reports an error or does the work twice: only unsent ones.
WRITE = RetrySafety.UNSENT_ONLY

if TYPE_CHECKING:
    from avista_dx_graphql.input_types import TimeSeriesQueryAssetInput


def create_database(name: str, description: str | None) -> Call[TimeSeriesDb]:
    op = "timeSeriesDb_createDatabase"
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.time_series_db_create_database(
            name=name, description=omitted(description), **options
        ),
        _one(TimeSeriesDb, op, "database"),
        WRITE,
    )


def update_database(db_id: str, name: str | None, description: str | None) -> Call[TimeSeriesDb]:
    op = "timeSeriesDb_updateDatabase"
    db_id = require_id("timeSeriesDbId", db_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.time_series_db_update_database(
            time_series_db_id=db_id, name=omitted(name), description=omitted(description), **options
        ),
        _one(TimeSeriesDb, op, f"database {db_id!r}"),
        WRITE,
    )


def delete_database(db_id: str) -> Call[TimeSeriesDb]:
    op = "timeSeriesDb_deleteDatabase"
    db_id = require_id("timeSeriesDbId", db_id)
    return Call(
        op,
        lambda client, options: client.time_series_db_delete_database(db_id, **options),
        _one(TimeSeriesDb, op, f"database {db_id!r}"),
        WRITE,
    )


def list_all_asset_last_values(
    db_id: str, next_token: str | None, client_token: str | None
) -> Call[TimeSeriesLastValues]:
    op = "timeSeriesDb_listAllAssetLastValues"
    db_id = require_id("timeSeriesDbId", db_id)
    next_token = optional_token("nextToken", next_token)
    client_token = optional_token("clientToken", client_token)
    return Call(
        op,
        lambda client, options: client.time_series_db_list_all_asset_last_values(
            time_series_db_id=db_id,
            next_token=omitted(next_token),
            client_token=omitted(client_token),
            **options,
        ),
        _one(TimeSeriesLastValues, op, "result"),
    )


def _assets(assets: Sequence[str | Mapping[str, Any]]) -> list[TimeSeriesQueryAssetInput]:
    """Asset ids, or `{"assetId": ..., "attributeNamesFilter": [...]}` mappings."""
    from avista_dx_graphql.input_types import TimeSeriesQueryAssetInput  # at first use

    chosen = []
    for index, asset in enumerate(require_sequence("assets", assets)):
        where = f"assets[{index}]"
        if isinstance(asset, str):
            chosen.append(TimeSeriesQueryAssetInput(asset_id=require_id(where, asset)))
            continue
        if not isinstance(asset, Mapping) or set(asset) - {"assetId", "attributeNamesFilter"}:
            raise InvalidInputError(
                f"{where} must be an asset id or a mapping of assetId and attributeNamesFilter;"
                f" got {shown(asset)}"
            )
        wire = TimeSeriesQueryAssetInput(
            asset_id=require_id(f"{where}.assetId", asset.get("assetId"))
        )
        names = asset.get("attributeNamesFilter")
        if names is not None:  # set only when given: unset fields are left out of the request
            filter_of = f"{where}.attributeNamesFilter"
            wire.attribute_names_filter = [
                require_text(f"{filter_of}[{i}]", name)
                for i, name in enumerate(require_sequence(filter_of, names))
            ]
        chosen.append(wire)
    if not chosen:
        raise InvalidInputError("assets must name at least one asset")
    return chosen


def query_database(
    db_id: str,
    query_type: str,
    assets: Sequence[str | Mapping[str, Any]],
    *,
    start_time: str | None,
    end_time: str | None,
    max_rows: int | None,
    query_string: str | None,
    next_token: str | None,
    client_token: str | None,
) -> Call[TimeSeriesQueryResult]:
    op = "timeSeriesDb_queryDatabase"
    db_id = require_id("timeSeriesDbId", db_id)
    kind = TimeSeriesDbQueryType(choice("queryType", query_type, QUERY_TYPES))
    wire_assets = _assets(assets)
    start_time = optional_text("startTime", start_time)
    end_time = optional_text("endTime", end_time)
    if kind is TimeSeriesDbQueryType.TIME_PERIOD and (start_time is None or end_time is None):
        raise InvalidInputError("a TIME_PERIOD query needs startTime and endTime")
    rows = None if max_rows is None else whole_number("maxRows", max_rows)
    if rows is not None and rows < 1:
        raise InvalidInputError(f"maxRows must be at least 1; got {rows}")
    query_string = optional_text("queryString", query_string)
    next_token = optional_token("nextToken", next_token)
    client_token = optional_token("clientToken", client_token)
    if kind is TimeSeriesDbQueryType.NEXT_TOKEN and next_token is None:
        raise InvalidInputError("a NEXT_TOKEN query needs nextToken")
    return Call(
        op,
        lambda client, options: client.time_series_db_query_database(
            time_series_db_id=db_id,
            query_type=kind,
            assets=wire_assets,
            start_time=omitted(start_time),
            end_time=omitted(end_time),
            max_rows=omitted(rows),
            query_string=omitted(query_string),
            next_token=omitted(next_token),
            client_token=omitted(client_token),
            **options,
        ),
        _one(TimeSeriesQueryResult, op, "result"),
    )


def generate_query_export(
    db_id: str, query_id: str, file_format: str | None
) -> Call[TimeSeriesQueryExportRequest]:
    op = "timeSeriesDb_generateQueryResultExportFile"
    db_id = require_id("timeSeriesDbId", db_id)
    query_id = require_id("queryId", query_id)
    fmt = (
        None
        if file_format is None
        else TimeSeriesQueryOutputFileType(choice("fileFormat", file_format, FILE_FORMATS))
    )
    return Call(
        op,
        lambda client, options: client.time_series_db_generate_query_result_export_file(
            time_series_db_id=db_id, query_id=query_id, file_format=omitted(fmt), **options
        ),
        _one(
            TimeSeriesQueryExportRequest,
            op,
            "export",
        ),
        WRITE,
    )


def cancel_query(db_id: str, query_id: str) -> Call[ServerResponse]:
    op = "timeSeriesDb_cancelDatabaseQuery"
    db_id = require_id("timeSeriesDbId", db_id)
    query_id = require_id("queryId", query_id)
    return Call(
        op,
        lambda client, options: client.time_series_db_cancel_database_query(
            time_series_db_id=db_id, query_id=query_id, **options
        ),
        _one(ServerResponse, op, "answer"),
        WRITE,
    )
