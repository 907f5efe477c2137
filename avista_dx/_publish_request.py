"""The publish request, built as bytes: the hot path of `publishToTimeSeriesDatabase`. I/O-free.

Why not the generated client's `time_series_db_publish_to_database`: it takes the records as
Python objects, walks them (`to_jsonable_python`), and has httpx encode them again, then
validates the answer into the generated model before the SDK validates it into the
documented one: most of the SDK's CPU per record. Here the request body is assembled from the
records' JSON text (rendered once, from values checked once) around the generated
operation's own document: `OPERATION_DOCUMENTS`, which `make codegen` writes from queries/
beside the method that sends the same string. The answer goes through the generated client's
own `get_data` (HTTP status, JSON, `errors[]`: the same exceptions, so the same `DxError`s),
then its shape is validated once, into plain dicts that `_publishing.aggregate` merges into
the documented `TimeSeriesAssetData` (the data points built only when looked at).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from avista_dx_graphql.async_base_client import AsyncBaseClient
from pydantic import TypeAdapter
from typing_extensions import NotRequired, TypedDict

OPERATION = "timeSeriesDb_publishToDatabase"
_JSON_HEADERS = {"Content-Type": "application/json"}
_quoted = json.encoder.encode_basestring


def request_body(document: str, db_id: str, asset_id: str, records_json: str) -> bytes:
    """The GraphQL request, as the generated client would send it (ids already checked)."""
    return (
        f'{{"query":{_quoted(document)},"operationName":"{OPERATION}",'
        f'"variables":{{"timeSeriesDbId":{_quoted(db_id)},"assetId":{_quoted(asset_id)},'
        f'"data":{{"records":{records_json}}}}}}}'
    ).encode()


def send(client: Any, db_id: str, asset_id: str, records_json: str, options: dict[str, Any]) -> Any:
    """Posts through the generated client's own httpx client and URL: its `data`, or for the
    async client a coroutine of it."""
    if isinstance(client, AsyncBaseClient):
        from avista_dx_graphql.async_client import OPERATION_DOCUMENTS

        body = request_body(OPERATION_DOCUMENTS[OPERATION], db_id, asset_id, records_json)
        return _send_async(client, body, options)
    from avista_dx_graphql.client import OPERATION_DOCUMENTS as SYNC_DOCUMENTS

    body = request_body(SYNC_DOCUMENTS[OPERATION], db_id, asset_id, records_json)
    response = client.http_client.post(client.url, content=body, **_with_json(options))
    return client.get_data(response)


async def _send_async(client: AsyncBaseClient, body: bytes, options: dict[str, Any]) -> Any:
    http: httpx.AsyncClient = client.http_client  # type: ignore[assignment]
    response = await http.post(client.url, content=body, **_with_json(options))
    return client.get_data(response)


def _with_json(options: dict[str, Any]) -> dict[str, Any]:
    return {**options, "headers": {**options["headers"], **_JSON_HEADERS}}


# The shape of `TimeSeriesAssetData` (every field checked the same way), validated into plain
# dicts: the data points are checked here, at once, and become documented models only when the
# caller looks at them (`_publishing.aggregate`). Millions of models would cost most of the
# SDK's CPU per record, and the garbage collector's passes over them more still.
class Point(TypedDict):
    timestamp: str
    value: str


class Attribute(TypedDict):
    name: str
    attributeType: str
    lastValue: NotRequired[str | None]
    lastValueTime: NotRequired[str | None]
    data: NotRequired[list[Point | None] | None]


class Asset(TypedDict):
    assetId: str
    name: NotRequired[str | None]
    attributes: NotRequired[list[Attribute | None] | None]


class _PublishData(TypedDict):
    # Required and nullable, as generated.
    timeSeriesDb_publishToDatabase: list[Asset | None] | None


_CHECKED_SHAPE = TypeAdapter(_PublishData)


def adapt(data: Any) -> list[Asset]:
    """The answer's assets, checked; a null list means none, null entries are skipped."""
    assets = _CHECKED_SHAPE.validate_python(data)["timeSeriesDb_publishToDatabase"] or []
    return [asset for asset in assets if asset]


def adapt_last_values(data: Any) -> list[Asset]:
    """As `adapt`, but each attribute's `data` is checked, then dropped (its last value stays)."""
    return [
        {**asset, "attributes": [{**a, "data": []} for a in asset.get("attributes") or [] if a]}
        for asset in adapt(data)
    ]
