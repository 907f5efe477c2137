"""Fast coercion of request variables, with graphql-core's own coercion as the fallback.

graphql-core coerces variables generically (about half the cost of a 100-record publish).
A value that coercion would leave as it is passes a generated check (:mod:`.unchanged_inputs`)
and is used directly. Otherwise each input type compiles once into a small closure that
applies the same rules; any input those rules reject is handed to graphql-core unchanged, so
error messages are exactly graphql-core's and only valid input takes the fast paths.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, cast

from graphql import (
    DocumentNode,
    ExecutionContext,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    VariableDefinitionNode,
    is_input_type,
    type_from_ast,
    value_from_ast,
)
from graphql.execution.execute import (
    CollectedErrors,
    default_field_resolver,
    default_type_resolver,
)
from graphql.pyutils import Path, is_iterable

from .completion import CompiledCompletion, try_complete
from .unchanged_inputs import Check, compile_unchanged_check

Coerce = Callable[[Any], Any]


class _RejectedError(Exception):
    """The fast path declines: graphql-core coerces again and reports the error."""


def _compile(type_: GraphQLInputType, cache: dict[str, Coerce]) -> Coerce:
    key = str(type_)
    found = cache.get(key)
    if found is not None:
        return found
    coerce: Coerce
    if isinstance(type_, GraphQLNonNull):
        inner = _compile(type_.of_type, cache)

        def coerce(value: Any) -> Any:
            if value is None or value is Undefined:
                raise _RejectedError
            return inner(value)

    elif isinstance(type_, GraphQLList):
        item = _compile(type_.of_type, cache)

        def coerce(value: Any) -> Any:
            if value is None:
                return None
            if is_iterable(value):
                return [item(entry) for entry in value]
            return [item(value)]  # a single value is a list of one

    elif isinstance(type_, GraphQLInputObjectType):
        coerce = _compile_input_object(type_, cache)
    elif isinstance(type_, (GraphQLScalarType, GraphQLEnumType)):
        parse_value = type_.parse_value

        def coerce(value: Any) -> Any:
            if value is None:
                return None
            try:
                parsed = parse_value(value)
            except (GraphQLError, TypeError, ValueError):
                raise _RejectedError from None
            if parsed is Undefined:
                raise _RejectedError
            return parsed

    else:
        raise TypeError(f"not an input type: {type_}")
    cache[key] = coerce
    return coerce


def _compile_input_object(type_: GraphQLInputObjectType, cache: dict[str, Coerce]) -> Coerce:
    if getattr(type_, "is_one_of", False):

        def decline(_value: Any) -> Any:
            raise _RejectedError

        return decline
    # Placeholder first: input types may refer to themselves.
    fields: list[tuple[str, str, Coerce, Any, bool]] = []
    names = frozenset(type_.fields)
    out_type = type_.out_type

    def coerce(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict) or not names.issuperset(value):
            raise _RejectedError
        result: dict[str, Any] = {}
        for name, out_name, coerce_field, default, required in fields:
            if name in value:
                result[out_name] = coerce_field(value[name])
            elif default is not Undefined:
                result[out_name] = default
            elif required:
                raise _RejectedError
        return out_type(result)

    cache[str(type_)] = coerce
    for name, field in type_.fields.items():
        fields.append(
            (
                name,
                field.out_name or name,
                _compile(field.type, cache),
                field.default_value,
                isinstance(field.type, GraphQLNonNull),
            )
        )
    return coerce


# One variable of an operation, as its coercion needs it: name, input type, default (AST),
# and the check that its value is already its own coercion.
_Variable = tuple[str, GraphQLInputType, Any, Check]
# Operations whose variable definitions are kept resolved (they hold their nodes, so the
# node ids used as keys stay theirs while kept).
_MAX_OPERATIONS = 512


class VariableCoercer:
    """Compiled coercers for one schema (thread-safe once warm; racing compiles are harmless)."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self._schema = schema
        self._cache: dict[str, Coerce] = {}
        self._unchanged: dict[str, Check] = {}
        # id(definitions) -> (the definitions, kept alive; their variables or None: not inputs)
        self._operations: dict[int, tuple[object, list[_Variable] | None]] = {}

    def coerce(
        self, definitions: Collection[VariableDefinitionNode], inputs: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Coerced variables, or None when graphql-core must handle (and report) them."""
        variables = self._variables(definitions)
        if variables is None:
            return None
        result: dict[str, Any] = {}
        try:
            for name, var_type, default, unchanged in variables:
                if name not in inputs:
                    if default is not None:
                        result[name] = value_from_ast(default, var_type)
                    elif isinstance(var_type, GraphQLNonNull):
                        return None
                    continue
                value = inputs[name]
                if unchanged(value):
                    result[name] = value  # already what coercion would give: used as it is
                else:
                    result[name] = _compile(var_type, self._cache)(value)
        except (_RejectedError, RecursionError):
            return None
        return result

    def _variables(self, definitions: Collection[VariableDefinitionNode]) -> list[_Variable] | None:
        """The operation's variables resolved against the schema, once per document."""
        found = self._operations.get(id(definitions))
        if found is not None and found[0] is definitions:
            return found[1]
        variables = self._resolve(definitions)
        if len(self._operations) >= _MAX_OPERATIONS:
            self._operations.clear()
        self._operations[id(definitions)] = (definitions, variables)
        return variables

    def _resolve(self, definitions: Collection[VariableDefinitionNode]) -> list[_Variable] | None:
        variables = []
        for definition in definitions:
            found_type = type_from_ast(self._schema, definition.type)
            if found_type is None or not is_input_type(found_type):
                return None  # graphql-core reports it
            var_type = cast(GraphQLInputType, found_type)
            check = self._unchanged_check(var_type)
            variables.append(
                (definition.variable.name.value, var_type, definition.default_value, check)
            )
        return variables

    def _unchanged_check(self, type_: GraphQLInputType) -> Check:
        key = str(type_)
        check = self._unchanged.get(key)
        if check is None:
            check = self._unchanged[key] = compile_unchanged_check(type_)
        return check


def fast_execution_context(
    coercer: VariableCoercer, completion: CompiledCompletion
) -> type[ExecutionContext]:
    """An ExecutionContext whose ``build`` uses ``coercer`` and whose root fields complete
    through ``completion``, each deferring to graphql-core on doubt."""

    class FastVariablesExecutionContext(ExecutionContext):
        def complete_value(
            self,
            return_type: GraphQLOutputType,
            field_nodes: list[FieldNode],
            info: GraphQLResolveInfo,
            path: Path,
            result: Any,
        ) -> Any:
            if path.prev is None and not isinstance(result, Exception):  # a root field
                complete = completion.completer(return_type, field_nodes, self.fragments)
                if complete is not None:
                    done, completed = try_complete(complete, result)
                    if done:
                        return completed
            return super().complete_value(return_type, field_nodes, info, path, result)

        @classmethod
        def build(  # type: ignore[override]
            cls,
            schema: GraphQLSchema,
            document: DocumentNode,
            root_value: Any = None,
            context_value: Any = None,
            raw_variable_values: dict[str, Any] | None = None,
            operation_name: str | None = None,
            field_resolver: Any = None,
            type_resolver: Any = None,
            subscribe_field_resolver: Any = None,
            max_coercion_errors: int = 50,
            middleware: Any = None,
            is_awaitable: Any = None,
            **kwargs: Any,
        ) -> list[GraphQLError] | ExecutionContext:
            operation: OperationDefinitionNode | None = None
            fragments: dict[str, FragmentDefinitionNode] = {}
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    if operation_name is None:
                        if operation is not None:
                            operation = None
                            break
                        operation = definition
                    elif definition.name and definition.name.value == operation_name:
                        operation = definition
                elif isinstance(definition, FragmentDefinitionNode):
                    fragments[definition.name.value] = definition
            customised = field_resolver or type_resolver or subscribe_field_resolver or middleware
            coerced = None
            if operation is not None and not customised:
                coerced = coercer.coerce(
                    operation.variable_definitions or (), raw_variable_values or {}
                )
            if coerced is None or operation is None:
                return super().build(
                    schema,
                    document,
                    root_value,
                    context_value,
                    raw_variable_values,
                    operation_name,
                    field_resolver,
                    type_resolver,
                    subscribe_field_resolver,
                    max_coercion_errors,
                    middleware,
                    is_awaitable,
                    **kwargs,
                )
            return cls(
                schema,
                fragments,
                root_value,
                context_value,
                operation,
                coerced,
                default_field_resolver,
                default_type_resolver,
                default_field_resolver,
                CollectedErrors(),
                None,
                is_awaitable,
            )

    return FastVariablesExecutionContext
