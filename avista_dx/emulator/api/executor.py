"""Runs one AppSync-style GraphQL request: auth, cached parse/validate, execute, error shape.

Answers follow the error contract (docs/emulator.md): 401 ``UnauthorizedException`` before any
resolver runs, 200 with ``Validation error of type ...`` for invalid documents, and every
resolver error with the ``errorType`` its backend chose.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)

from ..config import RequestLimits
from ..errors import AppSyncError, ErrorType, TokenRejectedError
from ..services import Caller
from .appsync_errors import document_errors, is_emulator_check
from .completion import CompiledCompletion
from .document_cache import DocumentCache
from .inputs import MalformedRequestError, decode_json_body, literal_errors
from .limits import RequestBudget, document_violation
from .resolvers import METADATA_READS, RequestContext, Services
from .variables import VariableCoercer, fast_execution_context

logger = logging.getLogger(__name__)

MAX_QUERY_CHARACTERS = 100_000

_VALIDATION_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"^Syntax Error", "InvalidSyntax"),
        (r"^Cannot query field", "FieldUndefined"),
        (r"^Unknown argument", "UnknownArgument"),
        (r"^Field '.*' argument '.*' of type '.*' is required", "MissingFieldArgument"),
        (r"^Unknown type", "UnknownType"),
        (r"^Variable '.*' of type '.*' used in position expecting", "VariableTypeMismatch"),
        (r"^Variable '.*' is never used", "UnusedVariable"),
        (r"^Variable '.*' is not defined", "UndefinedVariable"),
        (r"^Variable '\$?.*' (got invalid value|of required type|of non-null)", "WrongType"),
        (r"^Fragment '.*' is never used", "UnusedFragment"),
        (r"^Unknown fragment", "UndefinedFragment"),
        (r"must have a selection of subfields", "SubSelectionRequired"),
        (r"must not have a selection", "SubSelectionNotAllowed"),
        (r"(cannot represent|Expected value of type|does not exist in '.*' enum)", "WrongType"),
        (r"^Query limit exceeded", "QueryLimitExceeded"),
    )
)


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None

    @classmethod
    def from_body(cls, body: bytes, max_json_depth: int) -> GraphQLRequest:
        """The request in a JSON body, checked by :mod:`.inputs` (depth, unstorable text)."""
        payload = decode_json_body(body, max_json_depth)
        if not isinstance(payload, dict):
            raise MalformedRequestError("The request body must be a JSON object")
        query, variables, name = (
            payload.get("query"),
            payload.get("variables"),
            payload.get("operationName"),
        )
        if not isinstance(query, str) or not query.strip():
            raise MalformedRequestError("The request must contain a non-empty 'query' string")
        if variables is not None and not isinstance(variables, dict):
            raise MalformedRequestError("'variables' must be a JSON object")
        if name is not None and not isinstance(name, str):
            raise MalformedRequestError("'operationName' must be a string")
        return cls(query, variables, name)


@dataclass(slots=True)
class GraphQLResponse:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


def validation_message(message: str) -> str:
    kind = next(
        (k for pattern, k in _VALIDATION_KINDS if pattern.search(message)), "InvalidDocument"
    )
    return f"Validation error of type {kind}: {message}"


def validation_error(error: GraphQLError) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "message": validation_message(error.message),
        "errorType": ErrorType.VALIDATION_ERROR,
    }
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return entry


def _unauthorized(reason: str) -> GraphQLResponse:
    # The reason goes to the log only: the answer is the same for every bad token.
    logger.info("rejected request: %s", reason)
    return GraphQLResponse(
        401,
        {
            "errors": [
                {
                    "errorType": ErrorType.UNAUTHORIZED_EXCEPTION,
                    "message": "You are not authorized to make this call.",
                }
            ]
        },
    )


def _request_error(error_type: str, message: str) -> GraphQLResponse:
    """An error about the request as a whole: nothing was executed."""
    return GraphQLResponse(
        200, {"data": None, "errors": [{"message": message, "errorType": error_type}]}
    )


def format_execution_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    entry: dict[str, Any]
    if isinstance(original, AppSyncError):
        entry = {"message": original.message, "errorType": original.error_type}
        if original.error_info is not None:
            entry["errorInfo"] = original.error_info
    elif original is not None:
        logger.error("internal failure in %s", error.path, exc_info=original)
        entry = {
            "message": "An internal failure occurred.",
            "errorType": ErrorType.INTERNAL_FAILURE,
        }
    else:
        entry = {"message": error.message, "errorType": ErrorType.INTERNAL_FAILURE}
    entry["path"] = list(error.path) if error.path else None
    entry["locations"] = (
        [{"line": loc.line, "column": loc.column} for loc in error.locations]
        if error.locations
        else None
    )
    return entry


class GraphQLExecutor:
    def __init__(
        self,
        schema: GraphQLSchema,
        services: Services,
        authenticate: Callable[[str | None], Caller],
        limits: RequestLimits | None = None,
    ) -> None:
        self._schema = schema
        self._services = services
        self._authenticate = authenticate
        self._limits = limits or RequestLimits()
        self._execution_context = fast_execution_context(
            VariableCoercer(schema), CompiledCompletion()
        )
        self.documents = DocumentCache(self._limits.document_cache_bytes)

    def prepare(self, query: str) -> DocumentNode | list[GraphQLError]:
        """The valid document, parsed once (cached); or why it is not one (not cached). The
        real-time endpoint validates its subscriptions here too, under the same limits."""
        if len(query) > MAX_QUERY_CHARACTERS:
            raise MalformedRequestError(
                f"The query is longer than {MAX_QUERY_CHARACTERS} characters"
            )
        document = self.documents.get(query)
        if document is not None:
            return document
        try:
            document = parse(query, no_location=False)
        except GraphQLError as error:
            return [error]
        except RecursionError:  # the parser recurses per nesting level
            return [GraphQLError("Query limit exceeded: the query is nested too deeply")]
        problem = document_violation(document, self._limits)
        if problem is not None:  # measured before validation, which costs more
            return [GraphQLError(f"Query limit exceeded: {problem}")]
        errors = validate(self._schema, document) or literal_errors(document)
        if errors:
            return list(errors)
        self.documents.put(query, document)
        return document

    def reads_metadata_only(self, request: GraphQLRequest) -> bool:
        """True for a query already parsed and validated (cached) whose root fields are all
        :data:`METADATA_READS`: quick, and it never waits on another request."""
        document = self.documents.get(request.query)
        if document is None:
            return False
        operation = get_operation_ast(document, request.operation_name)
        return (
            operation is not None
            and operation.operation == OperationType.QUERY
            and all(
                isinstance(selection, FieldNode) and selection.name.value in METADATA_READS
                for selection in operation.selection_set.selections
            )
        )

    def run(self, request: GraphQLRequest, token: str | None, base_url: str) -> GraphQLResponse:
        """Blocking (SQLite, files, DuckDB): call it from a worker thread, unless
        :meth:`reads_metadata_only`."""
        try:
            caller = self._authenticate(token)
        except TokenRejectedError as failure:
            return _unauthorized(failure.reason)
        prepared = self.prepare(request.query)
        if isinstance(prepared, list):
            if any(is_emulator_check(error) for error in prepared):
                entries = [validation_error(error) for error in prepared]
            else:
                entries = document_errors(prepared, request.query)
            return GraphQLResponse(200, {"data": None, "errors": entries})
        operation = get_operation_ast(prepared, request.operation_name)
        if operation is None:
            message = (
                f"Unknown operation named '{request.operation_name}'."
                if request.operation_name
                else "Must provide operation name if query contains multiple operations."
            )
            return _request_error(ErrorType.VALIDATION_ERROR, validation_message(message))
        if operation.operation == OperationType.SUBSCRIPTION:
            return _request_error(
                ErrorType.NOT_IMPLEMENTED,
                "Subscriptions are served over the real-time WebSocket endpoint "
                "(the same URL with ws:// or wss://), not over HTTP",
            )
        context = RequestContext(
            caller=caller,
            services=self._services,
            base_url=base_url,
            budget=RequestBudget(self._limits),
        )
        result = execute(
            self._schema,
            prepared,
            variable_values=request.variables,
            operation_name=request.operation_name,
            context_value=context,
            execution_context_class=self._execution_context,
        )
        if not isinstance(result, ExecutionResult):
            raise TypeError("resolvers must be synchronous")
        body: dict[str, Any] = {"data": result.data}
        errors = result.errors
        if errors:
            if result.data is None and all(e.path is None for e in errors):
                # Variable coercion failed before any resolver ran: a validation error.
                body["errors"] = [validation_error(e) for e in errors]
            else:
                body["errors"] = [format_execution_error(e) for e in errors]
        return GraphQLResponse(200, body)
