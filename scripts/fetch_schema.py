"""`make schema`: fetch the exchange's schema by introspection and write it as canonical SDL.

    python -m scripts.fetch_schema [--endpoint URL] [--output schema.graphql]

The endpoint comes from --endpoint, else AVISTA_DX_ENDPOINT, else the production exchange; the
token from AVISTA_DX_TOKEN (an argument would show in the process list). The output is the same
bytes for the same API whatever order the service lists things in: types, fields, arguments
and enum values are sorted, descriptions are kept, so a diff of the file shows only real changes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, cast

import httpx
from graphql import (
    GraphQLSchema,
    IntrospectionQuery,
    build_client_schema,
    get_introspection_query,
    lexicographic_sort_schema,
    print_schema,
)

from .sdk_surface import ENDPOINT_ENV, PRODUCTION_ENDPOINT, TOKEN_ENV

HEADER = """\
# The Avista Digital Exchange GraphQL API (AWS AppSync) as its introspection describes it: the
# schema avista-dx is generated from and the emulator serves. Written by `make schema` in its
# canonical printing (sorted, descriptions kept); a hand edit must keep that printing
# (tests/schema checks it), and adds nothing the service lacks.

"""

# AppSync lists its own server-side directives (auth modes, @aws_subscribe) in introspection;
# no client document can use them, so they are not part of the API a client sees.
_SERVER_SIDE_DIRECTIVE_PREFIX = "aws_"


class SchemaFetchError(Exception):
    """The service did not answer the introspection query with a schema."""


def introspection_query() -> str:
    return get_introspection_query(descriptions=True)


def fetch_schema(endpoint: str, token: str, timeout: float = 30.0) -> GraphQLSchema:
    """Introspects the service. The token goes in `Authorization` as is, as the exchange wants."""
    try:
        response = httpx.post(
            endpoint,
            json={"query": introspection_query(), "operationName": "IntrospectionQuery"},
            headers={"Authorization": token},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        raise SchemaFetchError(f"cannot reach {endpoint}: {type(error).__name__}") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        raise SchemaFetchError(
            f"{endpoint} answered HTTP {response.status_code}{_error_summary(body)}"
        )
    data = body.get("data")
    if body.get("errors") or not isinstance(data, dict) or "__schema" not in data:
        raise SchemaFetchError(f"{endpoint} answered no schema{_error_summary(body)}")
    try:
        return build_client_schema(cast("IntrospectionQuery", data))
    except (TypeError, ValueError) as error:
        raise SchemaFetchError(f"{endpoint} answered an invalid schema: {error}") from None


def _error_summary(body: Any) -> str:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return ""
    first = errors[0] if isinstance(errors[0], dict) else {}
    kind, message = first.get("errorType"), first.get("message")
    return ": " + ": ".join(str(part) for part in (kind, message) if part)


def canonical_sdl(schema: GraphQLSchema) -> str:
    """The schema printed in one stable order, without AppSync's server-side directives."""
    kwargs = schema.to_kwargs()
    kwargs["directives"] = tuple(
        directive
        for directive in schema.directives
        if not directive.name.startswith(_SERVER_SIDE_DIRECTIVE_PREFIX)
    )
    return HEADER + print_schema(lexicographic_sort_schema(GraphQLSchema(**kwargs))) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default=os.environ.get(ENDPOINT_ENV) or PRODUCTION_ENDPOINT)
    parser.add_argument("--output", type=Path, default=Path("schema.graphql"))
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV)
    if not token:
        print(f"set {TOKEN_ENV} to a token of the exchange at {args.endpoint}", file=sys.stderr)
        return 2
    try:
        schema = fetch_schema(args.endpoint, token, args.timeout)
    except SchemaFetchError as error:
        print(f"make schema: {error}", file=sys.stderr)
        return 1
    text = canonical_sdl(schema)
    previous = args.output.read_text("utf-8") if args.output.exists() else None
    args.output.write_text(text, "utf-8")
    state = "unchanged" if previous == text else "updated"
    types = sum(not name.startswith("__") for name in schema.type_map)
    print(f"{args.output}: {state} ({types} types)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
