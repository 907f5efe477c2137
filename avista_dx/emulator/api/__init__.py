"""The GraphQL layer: the schema bound to thin resolvers, and request execution."""

from .executor import GraphQLExecutor, GraphQLRequest, GraphQLResponse
from .inputs import MalformedRequestError
from .resolvers import ROOT_RESOLVERS, RequestContext, Services
from .schema import build_schema, implemented_root_fields, load_type_defs

__all__ = [
    "ROOT_RESOLVERS",
    "GraphQLExecutor",
    "GraphQLRequest",
    "GraphQLResponse",
    "MalformedRequestError",
    "RequestContext",
    "Services",
    "build_schema",
    "implemented_root_fields",
    "load_type_defs",
]
