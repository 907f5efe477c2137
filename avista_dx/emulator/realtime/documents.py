"""A ``start`` message's GraphQL request: parsed, validated, and resolved against event payloads.

As on AppSync, a subscription receives the result of its mutation: the fields its own selection
set asks for, resolved by graphql-core's executor over the event's payload (the subscription root
field's value is the payload, every nested field resolves as in a query).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
)
from graphql.execution.collect_fields import collect_fields
from graphql.execution.values import get_argument_values, get_variable_values

from ..api.executor import format_execution_error, validation_error, validation_message
from ..api.inputs import MalformedRequestError, decode_json_body

Prepare = Callable[[str], "DocumentNode | list[GraphQLError]"]


class StartRejectedError(Exception):
    """The ``start`` cannot be registered: ``errors`` go into its ``error`` message."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0].get("message", ""))
        self.errors = errors

    @classmethod
    def of(cls, error_type: str, message: str) -> StartRejectedError:
        return cls([{"errorType": error_type, "message": message}])


@dataclass(frozen=True, slots=True)
class SubscriptionDocument:
    """A validated subscription operation: its root field and coerced arguments."""

    schema: GraphQLSchema
    document: DocumentNode
    operation_name: str | None
    variables: dict[str, Any]
    field: str
    arguments: dict[str, Any]
    key: tuple[str, str | None, str]  # equal keys render every payload alike

    def render(self, payload: Any) -> dict[str, Any]:
        result = execute(
            self.schema,
            self.document,
            root_value={self.field: payload},
            variable_values=self.variables,
            operation_name=self.operation_name,
        )
        if not isinstance(result, ExecutionResult):
            raise TypeError("subscription payloads resolve synchronously")
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_execution_error(e) for e in result.errors]
        return body


def _request_fields(data: object) -> tuple[str, dict[str, Any], str | None]:
    """``payload.data``: a JSON-encoded string of ``query``, ``variables``, ``operationName``."""
    if not isinstance(data, str):
        raise StartRejectedError.of(
            "BadRequestException", "payload.data must be a JSON-encoded string"
        )
    try:
        request = decode_json_body(data)  # nesting, numbers, unstorable text: as over HTTP
    except MalformedRequestError as error:
        raise StartRejectedError.of("BadRequestException", f"payload.data: {error}") from None
    if not isinstance(request, dict):
        raise StartRejectedError.of("BadRequestException", "payload.data must encode an object")
    query, variables, name = (
        request.get("query"),
        request.get("variables"),
        request.get("operationName"),
    )
    if not isinstance(query, str) or not query.strip():
        raise StartRejectedError.of(
            "BadRequestException", "payload.data must contain a non-empty 'query' string"
        )
    if variables is not None and not isinstance(variables, dict):
        raise StartRejectedError.of("BadRequestException", "'variables' must be a JSON object")
    if name is not None and not isinstance(name, str):
        raise StartRejectedError.of("BadRequestException", "'operationName' must be a string")
    return query, variables or {}, name


def parse_start(schema: GraphQLSchema, prepare: Prepare, data: object) -> SubscriptionDocument:
    """The subscription a ``start`` asks for; raises :class:`StartRejectedError`."""
    query, raw_variables, operation_name = _request_fields(data)
    try:
        prepared = prepare(query)
    except MalformedRequestError as error:
        raise StartRejectedError.of("BadRequestException", str(error)) from None
    if isinstance(prepared, list):
        raise StartRejectedError([validation_error(e) for e in prepared])
    operation = get_operation_ast(prepared, operation_name)
    if operation is None:
        message = (
            f"Unknown operation named '{operation_name}'."
            if operation_name
            else "Must provide operation name if query contains multiple operations."
        )
        raise StartRejectedError.of("ValidationError", validation_message(message))
    if operation.operation != OperationType.SUBSCRIPTION:
        raise StartRejectedError.of(
            "UnsupportedOperation",
            f"{operation.operation.value} operations are not supported through the real-time "
            "channel: send them to the GraphQL endpoint over HTTPS",
        )
    variables = get_variable_values(schema, operation.variable_definitions, raw_variables)
    if isinstance(variables, list):
        raise StartRejectedError([validation_error(e) for e in variables])
    subscription_type = schema.subscription_type
    assert subscription_type is not None  # a validated subscription operation implies one
    fragments = {
        definition.name.value: definition
        for definition in prepared.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    fields = collect_fields(
        schema, fragments, variables, subscription_type, operation.selection_set
    )
    if len(fields) != 1:  # validation allows one; @skip or @include may leave none
        raise StartRejectedError.of(
            "ValidationError",
            validation_message("A subscription operation must select exactly one root field."),
        )
    (nodes,) = fields.values()
    field_name = nodes[0].name.value
    try:
        arguments = get_argument_values(subscription_type.fields[field_name], nodes[0], variables)
    except GraphQLError as error:
        raise StartRejectedError([validation_error(error)]) from None
    key = (query, operation_name, json.dumps(raw_variables, sort_keys=True, default=str))
    return SubscriptionDocument(
        schema, prepared, operation_name, raw_variables, field_name, arguments, key
    )
