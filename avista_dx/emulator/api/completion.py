"""Compiled result completion for root fields, with graphql-core's own completion as fallback.

graphql-core completes a result value by value: for each field of each object it builds a
path, resolve info and argument values, then calls the default resolver and the leaf's
``serialize`` (most of a 100-record publish's GraphQL cost: its answer holds 200 data points).
Past the root resolver, this schema's fields have no resolvers of their own, so completing a
root field's value is a pure function of that value and the selection set. Here a selection set
compiles once (per document) into closures that apply the same rules on plain dicts and lists
(non-null checks, list items, ``serialize`` of leaves, merged fields, fragments on the same
type, ``__typename``). Whatever those closures do not cover exactly (a null where a value is
required, a value ``serialize`` refuses, anything but dicts and lists) makes them decline, and
graphql-core completes the same value again, so answers and errors are exactly graphql-core's.
Selections the closures do not model (directives, arguments below the root, abstract types,
fields with resolvers) are not compiled at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
)

Complete = Callable[[Any], Any]

# Completers kept (they hold their documents' nodes, so node ids stay unique while kept).
_MAX_COMPILED = 512


class _DeclineError(Exception):
    """The compiled completion declines: graphql-core completes (and reports) the value."""


class _NotCompilableError(Exception):
    """The selection uses something the compiled completion does not model."""


def _decline() -> Any:
    raise _DeclineError


def _leaf(type_: GraphQLScalarType | GraphQLEnumType) -> Complete:
    serialize = type_.serialize
    # String and ID serialise a str as itself.
    passes_str = type_ is GraphQLString or type_ is GraphQLID

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if passes_str and type(value) is str:
            return value
        if isinstance(value, Exception):  # graphql-core raises it
            raise _DeclineError
        try:
            serialized = serialize(value)
        except Exception:
            raise _DeclineError from None
        if serialized is None or serialized is Undefined:
            raise _DeclineError
        return serialized

    return complete


class _Compiler:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self._fragments = fragments

    def output(self, type_: GraphQLOutputType, nodes: Sequence[FieldNode]) -> Complete:
        if isinstance(type_, GraphQLNonNull):
            inner = self.output(type_.of_type, nodes)

            def non_null(value: Any) -> Any:
                completed = inner(value)
                if completed is None:
                    raise _DeclineError
                return completed

            return non_null
        if isinstance(type_, GraphQLList):
            item = self.output(type_.of_type, nodes)

            def list_of(value: Any) -> Any:
                if value is None or value is Undefined:
                    return None
                if type(value) is not list and type(value) is not tuple:
                    raise _DeclineError
                return [item(entry) for entry in value]

            return list_of
        if isinstance(type_, (GraphQLScalarType, GraphQLEnumType)):
            return _leaf(type_)
        if isinstance(type_, GraphQLObjectType) and type_.is_type_of is None:
            return self._object(type_, nodes)
        raise _NotCompilableError  # interfaces and unions

    def _object(self, type_: GraphQLObjectType, nodes: Sequence[FieldNode]) -> Complete:
        grouped: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set is not None:
                self._collect(type_, node.selection_set, grouped)
        fields: list[tuple[str, str, Complete | None]] = []
        for key, same_key in grouped.items():
            name = same_key[0].name.value
            if name == "__typename":
                fields.append((key, name, None))
                continue
            definition = type_.fields.get(name)
            if definition is None or definition.resolve is not None:
                raise _NotCompilableError
            if any(node.arguments for node in same_key):
                raise _NotCompilableError
            fields.append((key, name, self.output(definition.type, same_key)))
        type_name = type_.name

        def object_of(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            if type(value) is not dict:
                raise _DeclineError
            completed: dict[str, Any] = {}
            for key, name, complete in fields:
                if complete is None:
                    completed[key] = type_name
                    continue
                found = value.get(name)
                if callable(found):  # the default resolver would call it
                    raise _DeclineError
                completed[key] = complete(found)
            return completed

        return object_of

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise _NotCompilableError  # @skip / @include depend on the variables
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is not None and condition.name.value != type_.name:
                    raise _NotCompilableError
                self._collect(type_, selection.selection_set, grouped)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is None or fragment.type_condition.name.value != type_.name:
                    raise _NotCompilableError
                self._collect(type_, fragment.selection_set, grouped)
            else:
                raise _NotCompilableError


class CompiledCompletion:
    """Completers of root fields by (return type, field nodes); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key -> (the nodes, kept alive so their ids stay theirs; the completer or None)
        self._compiled: dict[tuple[int, ...], tuple[Sequence[FieldNode], Complete | None]] = {}

    def completer(
        self,
        return_type: GraphQLOutputType,
        field_nodes: Sequence[FieldNode],
        fragments: dict[str, FragmentDefinitionNode],
    ) -> Complete | None:
        key = (id(return_type), *map(id, field_nodes))
        found = self._compiled.get(key)
        if found is not None:
            return found[1]
        try:
            compiled: Complete | None = _Compiler(fragments).output(return_type, field_nodes)
        except (_NotCompilableError, RecursionError):
            compiled = None
        with self._lock:
            if len(self._compiled) >= _MAX_COMPILED:
                self._compiled.clear()
            self._compiled[key] = (tuple(field_nodes), compiled)
        return compiled


def try_complete(complete: Complete, value: Any) -> tuple[bool, Any]:
    """(True, the completed value), or (False, None) when graphql-core must complete it."""
    try:
        return True, complete(value)
    except (_DeclineError, RecursionError):
        return False, None
