"""The SDK's GraphQL client posts its request as bytes (`avista_dx._graphql_request`): the very
request the generated client would send, byte for byte in meaning, for both clients."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from avista_dx_graphql.async_client import AsyncClient
from avista_dx_graphql.client import Client
from avista_dx_graphql.input_types import DataCaptureAttributeValueInput, DataCaptureDataRecordInput

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, TimeSeriesInputRecord
from avista_dx._async._api_client import AsyncGraphQLClient
from avista_dx._sync._api_client import GraphQLClient

URL = "http://exchange.test/graphql"
ANSWER = {"data": {"dataCapture_publishData": None}}
RECORDS = [
    DataCaptureDataRecordInput(
        timestamp="1700000000000",
        attribute_values=[
            DataCaptureAttributeValueInput(user_defined_id="température", value='a "quoted"\n€'),
        ],
    )
]
OPTIONS: dict[str, Any] = {
    "headers": {"Authorization": "token", "Content-Type": "application/json"}
}


def _recorder(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=ANSWER)

    return httpx.MockTransport(answer)


def _sync_request(client_type: type[Client]) -> httpx.Request:
    seen: list[httpx.Request] = []
    with httpx.Client(transport=_recorder(seen)) as http:
        client_type(url=URL, http_client=http).data_capture_publish_data("c.1", RECORDS, **OPTIONS)
    return seen[0]


def _async_request(client_type: type[AsyncClient]) -> httpx.Request:
    seen: list[httpx.Request] = []

    async def run() -> None:
        async with httpx.AsyncClient(transport=_recorder(seen)) as http:
            client = client_type(url=URL, http_client=http)
            await client.data_capture_publish_data("c.1", RECORDS, **OPTIONS)

    asyncio.run(run())
    return seen[0]


def _same(ours: httpx.Request, generated: httpx.Request) -> None:
    assert json.loads(ours.content) == json.loads(generated.content)
    assert json.loads(ours.content)["variables"]["data"][0]["attributeValues"][0] == {
        "userDefinedId": "température",
        "value": 'a "quoted"\n€',
    }
    assert ours.headers["content-type"] == "application/json"
    assert ours.headers["authorization"] == "token"
    assert ours.url == generated.url
    assert ours.method == generated.method == "POST"


def test_the_sync_client_posts_what_the_generated_client_posts() -> None:
    _same(_sync_request(GraphQLClient), _sync_request(Client))


def test_the_async_client_posts_what_the_generated_client_posts() -> None:
    _same(_async_request(AsyncGraphQLClient), _async_request(AsyncClient))


def _answering_each(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        root = json.loads(request.content)["operationName"]
        return httpx.Response(200, json={"data": {root: []}})

    return httpx.MockTransport(answer)


RECORD = TimeSeriesInputRecord(
    Time="1700000000", TimeUnit="SECONDS", MeasureName="power", MeasureValueType="DOUBLE",
    MeasureValue="1.5",
)  # fmt: skip


def test_every_request_of_both_clients_says_it_is_json_publishes_too() -> None:
    """The clients' request options carry the content type: the generated path (a listing)
    and the publish path, which posts its own body with the same options."""
    seen: list[httpx.Request] = []
    with (
        httpx.Client(transport=_answering_each(seen)) as http,
        AvistaDigitalExchange("token", endpoint=URL, http_client=http) as dx,
    ):
        dx.listDataStores()
        dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "asset-1", [RECORD])

    async def run() -> None:
        async with httpx.AsyncClient(transport=_answering_each(seen)) as http:
            dx = AsyncAvistaDigitalExchange("token", endpoint=URL, http_client=http)
            await dx.listDataStores()
            await dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "asset-1", [RECORD])

    asyncio.run(run())
    operations = [json.loads(request.content)["operationName"] for request in seen]
    assert operations == ["storage_listDataStores", "timeSeriesDb_publishToDatabase"] * 2
    assert all(request.headers["content-type"] == "application/json" for request in seen)
