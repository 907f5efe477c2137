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
