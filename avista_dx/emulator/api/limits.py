"""What one GraphQL request may ask for, in the spirit of AppSync's limits.

AppSync lets an API cap the query depth and the number of resolvers one request runs, and
stops every request after 30 seconds. Here the document is measured before anything executes
(depth, aliases, resolver fields — fragments expanded, so a fragment used twice counts twice)
and rejected with a validation error naming the limit; while it executes, each resolver call is
counted and checked against the request's deadline. ``docs/emulator.md`` lists the defaults and
how to change them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from ..config import RequestLimits
from ..errors import AppSyncError, ErrorType

# Fields whose resolver calls a service, besides the root fields (bound in schema.py).
NESTED_RESOLVER_FIELDS = frozenset({"contents"})


@dataclass(slots=True)
class _Measure:
    depth: int = 0
    selections: int = 0
    aliases: int = 0
    resolver_fields: int = 0


class LimitExceededError(AppSyncError):
    """A request went over one of its limits while executing."""

    error_type = ErrorType.LIMIT_EXCEEDED


class ExecutionTimeoutError(AppSyncError):
    error_type = ErrorType.EXECUTION_TIMEOUT

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Execution timed out: the request ran longer than {seconds:g} s.")


def document_violation(document: DocumentNode, limits: RequestLimits) -> str | None:
    """Why one of the document's operations asks too much, or None.

    Runs before validation, on any parsed document: unknown fragments are skipped, and every
    spread counts as a selection, so cycles and fragment bombs stop at ``max_selections``.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            problem = _operation_violation(definition, fragments, limits)
            if problem is not None:
                return problem
    return None


def _operation_violation(
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    limits: RequestLimits,
) -> str | None:
    measure = _Measure()
    # An explicit stack, not recursion: depth is what is being bounded.
    stack: list[tuple[SelectionSetNode, int, bool]] = [(operation.selection_set, 1, True)]
    while stack:
        selection_set, depth, at_root = stack.pop()
        for field_node, field_depth in _fields(selection_set, fragments, depth, measure):
            if field_node is None:  # a spread or inline fragment
                problem = _over(measure, limits)
                if problem is not None:
                    return problem
                continue
            measure.depth = max(measure.depth, field_depth)
            if field_node.alias is not None:
                measure.aliases += 1
            if at_root or field_node.name.value in NESTED_RESOLVER_FIELDS:
                measure.resolver_fields += 1
            problem = _over(measure, limits)
            if problem is not None:
                return problem
            if field_node.selection_set is not None:
                stack.append((field_node.selection_set, field_depth + 1, False))
    return None


def _fields(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    measure: _Measure,
) -> Iterator[tuple[FieldNode | None, int]]:
    """The fields of a selection set at ``depth``, through inline fragments and spreads;
    ``None`` after each fragment, so the caller can stop a cycle or a bomb."""
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            measure.selections += 1
            if isinstance(selection, FieldNode):
                yield selection, depth
                continue
            if isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
            yield None, depth


def _over(measure: _Measure, limits: RequestLimits) -> str | None:
    if measure.selections > limits.max_selections:
        return (
            f"the query selects more than the limit of {limits.max_selections} fields "
            "(fragments expanded)"
        )
    if measure.depth > limits.max_depth:
        return f"the query is nested deeper than the limit of {limits.max_depth} levels"
    if measure.aliases > limits.max_aliases:
        return f"the query has more than the limit of {limits.max_aliases} aliases"
    if measure.resolver_fields > limits.max_resolver_fields:
        return (
            f"the query selects more than the limit of {limits.max_resolver_fields} fields "
            "that call a resolver (root fields, directory contents)"
        )
    return None


@dataclass(slots=True)
class RequestBudget:
    """One request's running count of resolver calls and its deadline."""

    limits: RequestLimits
    deadline: float = field(init=False)
    calls: int = 0

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.limits.time_limit_seconds

    def charge(self) -> None:
        """Called before each resolver runs."""
        if time.monotonic() > self.deadline:
            raise ExecutionTimeoutError(self.limits.time_limit_seconds)
        self.calls += 1
        if self.calls > self.limits.max_resolver_calls:
            raise LimitExceededError(
                f"The request called more than the limit of {self.limits.max_resolver_calls} "
                "resolvers."
            )
