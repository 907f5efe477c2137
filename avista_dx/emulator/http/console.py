"""The browser console (``/_emulator/console``) and GraphiQL (``GET /graphql`` from a browser).

Both are static pages that speak to the emulator only as a client does: GraphQL over
``POST /graphql``, the real-time socket and presigned URLs. Every asset ships in ``static/``
(nothing comes from a CDN), so they work offline. The one emulator-only route is
``/_emulator/console/demo-tokens``: the seed's documented development tokens, for one-click
sign-in.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..seed import ADMIN_TOKEN, DEMO_USERS
from .responses import json_response

STATIC_DIR = Path(__file__).with_name("static")
CONSOLE_PATH = "/_emulator/console"
STATIC_PATH = CONSOLE_PATH + "/static"

# Browsers run modules only when served as JavaScript; some systems' MIME tables (the Windows
# registry among them) map .js to text/plain, and StaticFiles asks the mimetypes module.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")


def seeded_tokens(seed: str | None) -> list[dict[str, str]]:
    """The development tokens a seed creates, with who they sign in as (none without a seed)."""
    if seed == "demo":
        return [
            {"role": role, "name": f"{first} {last}", "token": token}
            for role, (first, last, _email, _org, _roles, token) in DEMO_USERS.items()
        ]
    if seed == "admin":
        return [{"role": "admin", "name": "Platform Admin", "token": ADMIN_TOKEN}]
    return []


def wants_html(request: Request) -> bool:
    """A browser navigating to the URL (``Accept: text/html``), not a GraphQL client."""
    return "text/html" in request.headers.get("accept", "")


class ConsoleEndpoints:
    def __init__(self, seed: str | None) -> None:
        self._tokens = seeded_tokens(seed)

    async def console(self, request: Request) -> Response:
        return FileResponse(STATIC_DIR / "console.html", headers={"Cache-Control": "no-cache"})

    async def to_console(self, request: Request) -> Response:
        return RedirectResponse(CONSOLE_PATH)

    async def demo_tokens(self, request: Request) -> Response:
        return json_response(200, {"tokens": self._tokens})

    async def graphiql(self, request: Request) -> Response:
        """``GET /graphql``: GraphiQL for a browser; anything else keeps the 405 of a POST-only
        endpoint."""
        if wants_html(request):
            return FileResponse(STATIC_DIR / "graphiql.html", headers={"Cache-Control": "no-cache"})
        return PlainTextResponse("Method Not Allowed", 405, headers={"Allow": "POST"})

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/graphql", self.graphiql, methods=["GET"]),
            Route(CONSOLE_PATH, self.console, methods=["GET"]),
            Route(CONSOLE_PATH + "/", self.to_console, methods=["GET"]),
            Route(CONSOLE_PATH + "/demo-tokens", self.demo_tokens, methods=["GET"]),
            Mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="console-static"),
        ]
