"""``/_emulator/*``: health and development helpers (not part of the service's API)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..api.inputs import MalformedRequestError, decode_json_body
from ..errors import ErrorType, InvalidRequestError, TokenRejectedError
from ..services import UserService
from .responses import error_response, json_response

TOKEN_BODY_DEPTH = 2  # a flat JSON object


class AdminEndpoints:
    def __init__(self, users: UserService, info: dict[str, Any]) -> None:
        self._users = users
        self._info = info

    async def health(self, request: Request) -> Response:
        return json_response(200, {"status": "ok", **self._info})

    async def _require_admin(self, request: Request) -> Response | None:
        try:
            caller = await run_in_threadpool(
                self._users.authenticate, request.headers.get("authorization")
            )
        except TokenRejectedError:
            return error_response(
                401, ErrorType.UNAUTHORIZED_EXCEPTION, "You are not authorized to make this call."
            )
        # A scoped token (a capture's) is never an admin's, whoever owns its capture.
        if caller.scope is not None or not caller.user.is_platform_admin:
            return error_response(403, ErrorType.UNAUTHORIZED, "Unauthorized")
        return None

    def reset_route(self, reset: Callable[[], None]) -> Callable[[Request], Awaitable[Response]]:
        """``POST /_emulator/reset`` (platform admin): wipe everything, re-create the seed."""

        async def handle(request: Request) -> Response:
            denied = await self._require_admin(request)
            if denied is not None:
                return denied
            await run_in_threadpool(reset)
            return json_response(200, {"status": "reset"})

        return handle

    async def issue_token(self, request: Request) -> Response:
        """``POST /_emulator/tokens {"userId", "name"?, "daysBeforeExpiration"?}``.

        Stands in for the web application's token page. Only a platform admin's token may call it.
        """
        denied = await self._require_admin(request)
        if denied is not None:
            return denied
        try:
            payload = decode_json_body(await request.body(), TOKEN_BODY_DEPTH)
            if not isinstance(payload, dict) or not isinstance(payload.get("userId"), str):
                raise ValueError("the body must be a JSON object with a 'userId' string")
            days = payload.get("daysBeforeExpiration", 365)
            if not isinstance(days, int) or not 1 <= days <= 3650:
                raise ValueError("daysBeforeExpiration must be an integer from 1 to 3650")
            name = payload.get("name", "dev token")
            if not isinstance(name, str):
                raise ValueError("name must be a string")
            token, _ = await run_in_threadpool(
                self._users.issue_token, payload["userId"], name, days
            )
        except (ValueError, MalformedRequestError, InvalidRequestError) as error:
            return error_response(400, ErrorType.BAD_REQUEST, str(error))
        return json_response(200, {"data": token})
