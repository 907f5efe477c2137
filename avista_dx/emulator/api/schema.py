"""The executable schema: ``schema.graphql`` (shipped in the package) bound to the resolvers."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ariadne import MutationType, ObjectType, QueryType, make_executable_schema
from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema
from graphql import build_schema as parse_sdl

from ..errors import NotImplementedFieldError, UnauthorizedError
from .resolvers import ROOT_RESOLVERS, SCOPED_TOKEN_FIELDS, RootResolver, directory_contents

ROOT_TYPES = ("Query", "Mutation")


@cache
def load_type_defs() -> str:
    """The SDL: in an installed wheel, the package's own copy (hatchling force-includes the
    top-level schema.graphql there); in a source checkout, that top-level file itself."""
    package = resources.files("avista_dx.emulator")
    shipped = package.joinpath("schema.graphql")
    if shipped.is_file():
        return shipped.read_text("utf-8")
    return (Path(str(package)).parents[1] / "schema.graphql").read_text("utf-8")


@cache
def root_fields() -> dict[str, list[str]]:
    """Every root field of the schema by operation type (Query, Mutation, Subscription)."""
    schema = parse_sdl(load_type_defs(), no_location=True)
    result: dict[str, list[str]] = {}
    for type_name in ("Query", "Mutation", "Subscription"):
        root = schema.get_type(type_name)
        assert isinstance(root, GraphQLObjectType)
        result[type_name] = sorted(root.fields)
    return result


def implemented_root_fields() -> frozenset[str]:
    return frozenset(ROOT_RESOLVERS)


def _bind(field_name: str, implementation: RootResolver) -> Any:
    def resolve(_parent: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        caller = info.context.caller
        if caller.scope is not None and field_name not in SCOPED_TOKEN_FIELDS.get(
            caller.token_type, ()
        ):
            raise UnauthorizedError()  # a scoped token reaches only its own few fields
        info.context.budget.charge()
        return implementation(info.context, arguments)

    return resolve


def _not_implemented(field_name: str) -> Any:
    def resolve(_parent: Any, _info: GraphQLResolveInfo, **_arguments: Any) -> Any:
        raise NotImplementedFieldError(field_name)

    return resolve


def _resolve_contents(parent: Any, info: GraphQLResolveInfo) -> Any:
    info.context.budget.charge()
    return directory_contents(parent, info.context)


@cache
def build_schema() -> GraphQLSchema:
    """Built once per process: resolvers hold no state (the request context carries it)."""
    fields = root_fields()
    unknown = set(ROOT_RESOLVERS) - set(fields["Query"]) - set(fields["Mutation"])
    if unknown:
        raise RuntimeError(f"resolvers for fields the schema lacks: {sorted(unknown)}")
    query, mutation = QueryType(), MutationType()
    for bindable, type_name in ((query, "Query"), (mutation, "Mutation")):
        for name in fields[type_name]:
            implementation = ROOT_RESOLVERS.get(name)
            bindable.set_field(
                name, _bind(name, implementation) if implementation else _not_implemented(name)
            )
    directory = ObjectType("DataStoreDirectory")
    directory.set_field("contents", _resolve_contents)
    schema = make_executable_schema(load_type_defs(), query, mutation, directory)
    _undo_enum_parse_value_patch(schema)
    return schema


def _undo_enum_parse_value_patch(schema: GraphQLSchema) -> None:
    """Restores graphql-core's own ``GraphQLEnumType.parse_value`` on every enum.

    ariadne 1.1.1 replaces it per instance with a one-argument function, but graphql-core
    3.2.14 calls ``parse_value(value, hide_suggestions)`` for enum variables, so every enum
    sent as a variable failed. The patch only serves enums bound to Python values, which this
    schema does not use.
    """
    for named_type in schema.type_map.values():
        if isinstance(named_type, GraphQLEnumType) and "parse_value" in vars(named_type):
            delattr(named_type, "parse_value")
