"""``POST /graphql``: the AppSync-style endpoint."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..api import GraphQLExecutor, GraphQLRequest, MalformedRequestError
from ..errors import ErrorType
from .numbers import parse_decimal
from .responses import error_response, json_response


class _BodyTooLargeError(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = parse_decimal(request.headers.get("content-length"))
    if declared is not None and declared > limit:
        raise _BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


class GraphQLEndpoint:
    def __init__(
        self, executor: GraphQLExecutor, max_request_bytes: int, max_json_depth: int
    ) -> None:
        self._executor = executor
        self._limit = max_request_bytes
        self._max_json_depth = max_json_depth

    async def handle(self, request: Request) -> Response:
        try:
            body = await _read_body(request, self._limit)
        except _BodyTooLargeError:
            return error_response(
                413,
                ErrorType.REQUEST_ENTITY_TOO_LARGE,
                f"The request body exceeds {self._limit} bytes",
            )
        try:
            graphql_request = GraphQLRequest.from_body(body, self._max_json_depth)
            result = await run_in_threadpool(
                self._executor.run,
                graphql_request,
                request.headers.get("authorization"),
                str(request.base_url),
            )
        except MalformedRequestError as error:
            return error_response(400, ErrorType.MALFORMED_HTTP_REQUEST, str(error))
        return json_response(result.status, result.body)
