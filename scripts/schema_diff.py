"""`make schema-diff`: what a fetched schema changes for the SDK, before regenerating.

    python -m scripts.schema_diff [--new schema.graphql] [--base FILE] [--queries queries]

Compares the new schema (default: the working copy of schema.graphql, as `make schema` wrote
it) with the base (default: schema.graphql as committed at git HEAD) using graphql-core's
find_breaking_changes and find_dangerous_changes, lists the fields and types it adds, validates
every operation of queries/ against the new schema, and names the operations and public SDK
methods each change touches. Exits 1 when a breaking change touches queries/ (or an operation
no longer validates), 0 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    BreakingChange,
    DangerousChange,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    Visitor,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_named_type,
    parse,
    type_from_ast,
    validate,
    visit,
)

from .sdk_surface import method_operations

# Where each graphql-core change description names the schema coordinate it is about
# (graphql-core is pinned exactly, so these sentences are fixed): `Type.field` or `Type`.
_CHANGE_COORDINATES = tuple(
    re.compile(pattern)
    for pattern in (
        r"^(?:A required|An optional) arg \w+ on (?P<type>\w+)\.(?P<field>\w+) ",
        r"^(?P<type>\w+)\.(?P<field>\w+) ",
        r" on input type (?P<type>\w+) was added\.$",
        r" (?:enum|union) type (?P<type>\w+)\.$",
        r" implemented by (?P<type>\w+)\.$",
        r"^(?P<type>\w+) no longer implements ",
        r"^(?:Standard scalar )?(?P<type>\w+) (?:was removed|changed from)",
    )
)


class SchemaDiffError(Exception):
    """An input (schema, base revision, queries) that cannot be read."""


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    document: DocumentNode  # the operation with the fragments it spreads, transitively
    coordinates: frozenset[str]  # `Type` and `Type.field` it relies on (base schema)
    root_fields: frozenset[str]  # `Query.field`, ... it selects (read from the document)


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # a BreakingChangeType / DangerousChangeType name
    description: str
    operations: tuple[str, ...] = ()


@dataclass(slots=True)
class Report:
    breaking: list[Change] = field(default_factory=list)
    dangerous: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # `Type` or `Type.field`
    unreached_root_fields: list[str] = field(default_factory=list)
    invalid_operations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def breaks_queries(self) -> bool:
        return bool(self.invalid_operations) or any(c.operations for c in self.breaking)


def load_operations(base: GraphQLSchema, documents: Iterable[str]) -> list[Operation]:
    """Each named operation of the documents (fragments may be shared across documents)."""
    try:
        merged = [parse(text) for text in documents]
    except GraphQLError as error:
        raise SchemaDiffError(f"queries/ does not parse: {error.message}") from None
    definitions = [d for document in merged for d in document.definitions]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = []
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode) or definition.name is None:
            continue
        used = [fragments[name] for name in sorted(_spread_fragments(definition, fragments))]
        document = DocumentNode(definitions=(definition, *used))
        operations.append(
            Operation(
                definition.name.value,
                document,
                _coordinates(base, document),
                _root_fields(base, definition),
            )
        )
    return sorted(operations, key=lambda operation: operation.name)


def _root_fields(schema: GraphQLSchema, operation: OperationDefinitionNode) -> frozenset[str]:
    root = schema.get_root_type(operation.operation)
    root_name = root.name if root else operation.operation.value.capitalize()
    return frozenset(
        f"{root_name}.{selection.name.value}"
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode)
    )


def _spread_fragments(
    node: OperationDefinitionNode | FragmentDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> set[str]:
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        for name in _spread_names(current):
            if name not in found and name in fragments:
                found.add(name)
                pending.append(fragments[name])
    return found


def _spread_names(node: OperationDefinitionNode | FragmentDefinitionNode) -> Iterator[str]:
    names: list[str] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: object) -> None:
            names.append(spread.name.value)

    visit(node, Spreads())
    return iter(names)


def _coordinates(schema: GraphQLSchema, document: DocumentNode) -> frozenset[str]:
    """The schema coordinates a document relies on: fields, their types, variable types."""
    type_info = TypeInfo(schema)
    used: set[str] = set()

    class Collector(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            parent, definition = type_info.get_parent_type(), type_info.get_field_def()
            if parent is not None and definition is not None:
                used.add(f"{parent.name}.{node.name.value}")
                _add_type(get_named_type(definition.type), used)

        def enter_inline_fragment(self, node: InlineFragmentNode, *_: object) -> None:
            if node.type_condition is not None:
                used.add(node.type_condition.name.value)

        def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: object) -> None:
            used.add(node.type_condition.name.value)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: object) -> None:
            variable_type = type_from_ast(schema, node.type)
            if variable_type is not None:
                _add_type(get_named_type(variable_type), used)

    visit(document, TypeInfoVisitor(type_info, Collector()))
    return frozenset(used)


def _add_type(named_type: GraphQLNamedType | None, used: set[str]) -> None:
    """Adds a type; an input type brings its fields and their types (what a variable carries)."""
    if named_type is None or named_type.name in used:
        return
    used.add(named_type.name)
    if isinstance(named_type, GraphQLInputObjectType):
        for name, input_field in named_type.fields.items():
            used.add(f"{named_type.name}.{name}")
            _add_type(get_named_type(input_field.type), used)


def change_coordinate(description: str) -> str | None:
    for pattern in _CHANGE_COORDINATES:
        match = pattern.search(description)
        if match:
            groups = match.groupdict()
            return f"{groups['type']}.{groups['field']}" if groups.get("field") else groups["type"]
    return None


def _touching(coordinate: str | None, operations: list[Operation]) -> tuple[str, ...]:
    if coordinate is None:
        return ()
    return tuple(o.name for o in operations if coordinate in o.coordinates)


def additions(base: GraphQLSchema, new: GraphQLSchema) -> list[str]:
    """Types and output fields the new schema adds (safe, so graphql-core does not list them)."""
    added = []
    for name, new_type in sorted(new.type_map.items()):
        if name.startswith("__"):
            continue
        old_type = base.type_map.get(name)
        if old_type is None:
            added.append(f"{name}")
        elif isinstance(new_type, GraphQLObjectType | GraphQLInterfaceType) and isinstance(
            old_type, GraphQLObjectType | GraphQLInterfaceType
        ):
            added.extend(f"{name}.{f}" for f in sorted(set(new_type.fields) - set(old_type.fields)))
    return added


def compare(
    base: GraphQLSchema,
    new: GraphQLSchema,
    operations: list[Operation],
    sent: Iterable[str] = (),
) -> Report:
    """`sent`: the operations some public method sends (a new root field they reach is used)."""
    report = Report()
    changes: list[BreakingChange | DangerousChange] = [
        *find_breaking_changes(base, new),
        *find_dangerous_changes(base, new),
    ]
    for change in changes:
        entry = Change(
            change.type.name,
            change.description,
            _touching(change_coordinate(change.description), operations),
        )
        target = report.breaking if isinstance(change, BreakingChange) else report.dangerous
        target.append(entry)
    sent = set(sent)
    reached = set().union(*(o.root_fields for o in operations if o.name in sent))
    roots = (new.query_type, new.mutation_type, new.subscription_type)
    root_names = {root.name for root in roots if root is not None}
    for coordinate in additions(base, new):
        if coordinate.split(".")[0] in root_names and "." in coordinate:
            if coordinate not in reached:
                report.unreached_root_fields.append(coordinate)
        else:
            report.added.append(coordinate)
    for operation in operations:
        errors = validate(new, operation.document)
        if errors:
            report.invalid_operations[operation.name] = [error.message for error in errors]
    return report


def render(report: Report, methods: dict[str, frozenset[str]], label: str) -> str:
    by_operation: dict[str, list[str]] = {}
    for method, names in methods.items():
        for name in names:
            by_operation.setdefault(name, []).append(method)

    def touched(operations: Iterable[str]) -> list[str]:
        operations = sorted(operations)
        if not operations:
            return []
        affected = sorted({m for o in operations for m in by_operation.get(o, ())})
        return [
            f"      operations: {', '.join(operations)}",
            f"      methods: {', '.join(affected) if affected else '(none)'}",
        ]

    lines = [f"Schema changes: {label}"]
    for title, changes in (("Breaking", report.breaking), ("Dangerous", report.dangerous)):
        lines.append(f"{title} ({len(changes)}):")
        for change in changes:
            lines.append(f"  {change.kind}: {change.description}")
            lines.extend(touched(change.operations))
    lines.append(f"Added (safe) ({len(report.added)}):")
    lines.extend(f"  {coordinate} was added." for coordinate in report.added)
    unreached = report.unreached_root_fields
    lines.append(f"New root fields not reached by any method ({len(unreached)}):")
    lines.extend(f"  {coordinate}" for coordinate in unreached)
    lines.append(
        f"Operations of queries/ invalid against the new schema ({len(report.invalid_operations)}):"
    )
    for name, messages in sorted(report.invalid_operations.items()):
        lines.append(f"  {name}: {' '.join(messages)}")
        lines.extend(touched([name])[1:])
    verdict = (
        "breaking changes touch queries/: adapt queries/ and the facade, then `make codegen`"
        if report.breaks_queries
        else "nothing in queries/ breaks: `make codegen` to pick up the changes"
    )
    lines.append(f"Result: {verdict}")
    return "\n".join(lines) + "\n"


def _read_schema(text: str, where: str) -> GraphQLSchema:
    try:
        return build_schema(text)
    except (GraphQLError, TypeError) as error:
        raise SchemaDiffError(f"{where} is not a valid schema: {error}") from None


def _committed(path: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "show", f"HEAD:./{path.name}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=path.parent,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        message = f"cannot read {path} at git HEAD (pass --base FILE): {error}"
        raise SchemaDiffError(message) from None
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new", type=Path, default=Path("schema.graphql"))
    parser.add_argument("--base", type=Path, help="default: --new as committed at git HEAD")
    parser.add_argument("--queries", type=Path, default=Path("queries"))
    args = parser.parse_args(argv)
    try:
        base_text = args.base.read_text("utf-8") if args.base else _committed(args.new)
        base_label = str(args.base) if args.base else f"git HEAD:{args.new.name}"
        base = _read_schema(base_text, base_label)
        new = _read_schema(args.new.read_text("utf-8"), str(args.new))
        documents = [p.read_text("utf-8") for p in sorted(args.queries.rglob("*.graphql"))]
        operations = load_operations(base, documents)
    except (OSError, SchemaDiffError) as error:
        print(f"make schema-diff: {error}", file=sys.stderr)
        return 2
    methods = method_operations()
    report = compare(base, new, operations, set().union(*methods.values()))
    sys.stdout.write(render(report, methods, f"{base_label} -> {args.new}"))
    return 1 if report.breaks_queries else 0


if __name__ == "__main__":
    sys.exit(main())
