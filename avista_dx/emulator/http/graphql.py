"""``POST /graphql``: the AppSync-style endpoint."""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..api import GraphQLExecutor, GraphQLRequest, MalformedRequestError


def json_response(status: int, body: dict[str, Any]) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")), status_code=status, media_type="application/json"
    )


def error_response(status: int, error_type: str, message: str) -> Response:
    return json_response(status, {"errors": [{"errorType": error_type, "message": message}]})


class _BodyTooLargeError(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


class GraphQLEndpoint:
    def __init__(self, executor: GraphQLExecutor, max_request_bytes: int) -> None:
        self._executor = executor
        self._limit = max_request_bytes

    async def handle(self, request: Request) -> Response:
        try:
            body = await _read_body(request, self._limit)
        except _BodyTooLargeError:
            return error_response(
                413, "RequestEntityTooLarge", f"The request body exceeds {self._limit} bytes"
            )
        try:
            graphql_request = GraphQLRequest.from_body(body)
            result = await run_in_threadpool(
                self._executor.run,
                graphql_request,
                request.headers.get("authorization"),
                str(request.base_url),
            )
        except MalformedRequestError as error:
            return error_response(400, "MalformedHttpRequestException", str(error))
        return json_response(result.status, result.body)
