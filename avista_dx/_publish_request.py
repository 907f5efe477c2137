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

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import pydantic
from avista_dx_graphql.async_base_client import AsyncBaseClient
from pydantic import TypeAdapter
from typing_extensions import NotRequired, TypedDict

OPERATION = "timeSeriesDb_publishToDatabase"
_quoted = json.encoder.encode_basestring


def request_body(document: str, db_id: str, asset_id: str, records_json: str) -> bytes:
    """The GraphQL request, as the generated client would send it (ids already checked)."""
    return (
        f'{{"query":{_quoted(document)},"operationName":"{OPERATION}",'
        f'"variables":{{"timeSeriesDbId":{_quoted(db_id)},"assetId":{_quoted(asset_id)},'
        f'"data":{{"records":{records_json}}}}}}}'
    ).encode()


class Answer(NamedTuple):
    """A publish answer: its `data` and its body as received, from which the data points are
    decoded again when they are read. `checked`: `data` already has the checked shape."""

    data: Any
    body: bytes
    checked: bool = False


def _answer(client: Any, response: httpx.Response) -> Answer:
    """The answer's `data` as the generated client's `get_data` gives it. The usual answer (2xx,
    `data` of the right shape, no `errors`) is decoded and checked in one pass from its bytes;
    any other goes through `get_data`, so it raises exactly what it raised before."""
    if 200 <= response.status_code <= 299:
        try:
            answer = _CHECKED_ANSWER.validate_json(response.content)
        except pydantic.ValidationError:
            pass
        else:
            if not answer.get("errors"):
                return Answer(answer["data"], response.content, checked=True)
    return Answer(client.get_data(response), response.content)


def send(client: Any, db_id: str, asset_id: str, records_json: str, options: dict[str, Any]) -> Any:
    """Posts through the generated client's own httpx client and URL, with the client's request
    options (token, timeout, the JSON content type): its `Answer`, or for the async client a
    coroutine of it."""
    if isinstance(client, AsyncBaseClient):
        from avista_dx_graphql.async_client import OPERATION_DOCUMENTS

        body = request_body(OPERATION_DOCUMENTS[OPERATION], db_id, asset_id, records_json)
        return _send_async(client, body, options)
    from avista_dx_graphql.client import OPERATION_DOCUMENTS as SYNC_DOCUMENTS

    body = request_body(SYNC_DOCUMENTS[OPERATION], db_id, asset_id, records_json)
    response = client.http_client.post(client.url, content=body, **options)
    return _answer(client, response)


async def _send_async(client: AsyncBaseClient, body: bytes, options: dict[str, Any]) -> Answer:
    http: httpx.AsyncClient = client.http_client  # type: ignore[assignment]
    response = await http.post(client.url, content=body, **options)
    return _answer(client, response)


# The shape of `TimeSeriesAssetData` (every field checked the same way), validated into plain
# dicts. The data points are checked here, at once, then dropped: they become documented models
# only when the caller reads them (`_publishing.Aggregation`), decoded again from the answer's
# body. Millions of models, or even of dicts, held meanwhile would cost most of the SDK's CPU
# per record; the body costs a few bytes per point.
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


class _PublishAnswer(TypedDict):
    data: _PublishData
    errors: NotRequired[Any]  # GraphQL errors: `get_data` raises them


_CHECKED_SHAPE = TypeAdapter(_PublishData)
_CHECKED_ANSWER = TypeAdapter(_PublishAnswer)

PointSource = Callable[[], list[Point]]
"""One answer's data points of one attribute, decoded when called."""


@dataclass(frozen=True, slots=True)
class CheckedAnswer:
    """A publish answer whose shape was checked: its assets (null entries skipped), each
    attribute's `data` emptied, and where the points are when they were kept."""

    assets: list[Asset]
    body: bytes | None = None  # None: the data points were not kept
    with_points: frozenset[tuple[int, int]] = frozenset()  # (asset, attribute) positions
    # The body decoded once for all its attributes, each one's points handed out once.
    _decoded: dict[tuple[int, int], list[Point]] = field(default_factory=dict)

    def points(self, asset: int, attribute: int) -> PointSource | None:
        """The data points of `assets[asset]`'s `attribute`-th attribute, if it has any."""
        if self.body is None or (asset, attribute) not in self.with_points:
            return None
        return functools.partial(self._points, (asset, attribute))

    def _points(self, position: tuple[int, int]) -> list[Point]:
        if not self._decoded:
            self._decoded.update(_decoded_points(self.body or b""))
        return self._decoded.pop(position)


def _assets(answer: Answer) -> list[Asset]:
    data = answer.data if answer.checked else _CHECKED_SHAPE.validate_python(answer.data)
    assets: list[Asset | None] = data["timeSeriesDb_publishToDatabase"] or []
    return [asset for asset in assets if asset]


def _attributes(asset: Asset) -> list[Attribute]:
    return [a for a in asset.get("attributes") or [] if a]


def _emptied(asset: Asset) -> Asset:
    attributes: list[Attribute | None] = [
        {**a, "data": []} if "data" in a else a for a in _attributes(asset)
    ]
    return {**asset, "attributes": attributes} if "attributes" in asset else asset


def adapt(answer: Answer) -> CheckedAnswer:
    """The answer's assets, checked; its data points kept (in its body) for when they are read."""
    assets = _assets(answer)
    with_points = frozenset(
        (i, j)
        for i, asset in enumerate(assets)
        for j, attribute in enumerate(_attributes(asset))
        if attribute.get("data")
    )
    return CheckedAnswer([_emptied(a) for a in assets], answer.body, with_points)


def adapt_last_values(answer: Answer) -> CheckedAnswer:
    """As `adapt`, but each attribute's data points are checked, then dropped (its last value
    stays)."""
    return CheckedAnswer([_emptied(a) for a in _assets(answer)])


def _decoded_points(body: bytes) -> dict[tuple[int, int], list[Point]]:
    """Each attribute's points, decoded again from an answer whose shape was checked (so
    without checking it again): the same points, none null, at the same positions."""
    data = json.loads(body)["data"]  # as the generated client's get_data decoded it
    assets = [a for a in data["timeSeriesDb_publishToDatabase"] or [] if a]
    return {
        (i, j): [point for point in attribute.get("data") or [] if point]
        for i, asset in enumerate(assets)
        for j, attribute in enumerate(_attributes(asset))
    }
