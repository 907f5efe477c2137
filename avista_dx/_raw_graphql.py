"""`dx.graphql(...)`, the raw door: any document the typed API does not cover yet, sent with the
client's token, retries, error mapping and logging. I/O-free, like `_operations`.

The document is parsed (graphql-core) before anything is sent, to refuse what cannot work and
to know whether it is a query: a query is retried like any read; a mutation, like the typed
writes, only when the request provably never reached the exchange (docs/protocol.md §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._operations import Call, GeneratedClient, Options
from ._retry import RetrySafety
from ._validation import require_text, shown, surrogate_problem
from .errors import InvalidInputError, InvalidResponseError

_SAFETY = {"query": RetrySafety.IDEMPOTENT, "mutation": RetrySafety.UNSENT_ONLY}


def _check_sendable(argument: str, value: object) -> None:
    """Every string inside `value` can travel as JSON text (no lone surrogate)."""
    if isinstance(value, str):
        problem = surrogate_problem(argument, value)
        if problem is not None:
            raise InvalidInputError(problem)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_sendable(f"{argument}[{shown(key)}]", item)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_sendable(f"{argument}[{index}]", item)


def operation_of(document: str, operation_name: str | None) -> tuple[str, str]:
    """(operation type, label for logs and errors) of the operation `document` would run."""
    from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

    if not isinstance(document, str) or not document.strip():
        raise InvalidInputError("document must be a non-empty GraphQL string")
    require_text("document", document)
    if operation_name is not None and (not isinstance(operation_name, str) or not operation_name):
        raise InvalidInputError("operation_name must be a non-empty string or None")
    try:
        parsed = parse(document, no_location=True)
    except GraphQLSyntaxError as exc:
        raise InvalidInputError(f"the document is not valid GraphQL: {exc.message}") from exc
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [
            o for o in operations if o.name is not None and o.name.value == operation_name
        ]
        if not operations:
            raise InvalidInputError(f"the document has no operation named {operation_name!r}")
    elif len(operations) != 1:
        raise InvalidInputError(
            f"the document has {len(operations)} operations: pass operation_name= to pick one"
        )
    operation = operations[0]
    kind = operation.operation.value
    if kind not in _SAFETY:
        raise InvalidInputError(
            "subscriptions do not travel over HTTP; use the namespaces' subscribe* methods"
        )
    label = operation.name.value if operation.name is not None else f"anonymous {kind}"
    return kind, label


def raw_graphql(
    document: str, variables: Mapping[str, Any] | None, operation_name: str | None
) -> Call[dict[str, Any]]:
    kind, label = operation_of(document, operation_name)
    if variables is not None and (
        not isinstance(variables, Mapping) or not all(isinstance(k, str) for k in variables)
    ):
        raise InvalidInputError("variables must be a mapping of variable names to values")
    _check_sendable("variables", variables)
    sent_variables = dict(variables or {})  # a copy: the caller's mapping is never touched
    used: list[GeneratedClient] = []

    def send(client: GeneratedClient, options: Options) -> Any:
        used[:] = [client]
        return client.execute(
            query=document, operation_name=operation_name, variables=sent_variables, **options
        )

    def adapt(response: Any) -> dict[str, Any]:
        # The generated client's own envelope checks (HTTP status, JSON, errors[]).
        data = used[0].get_data(response)
        if not isinstance(data, dict):
            raise InvalidResponseError("the response has no `data` object", operation=label)
        return data

    return Call(label, send, adapt, _SAFETY[kind])
