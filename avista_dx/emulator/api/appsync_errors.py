"""GraphQL parse and validation errors as AppSync words and shapes them.

AppSync validates documents with graphql-java, whose messages read
``Validation error of type <Kind>: <description> @ '<field path>'``; the error entry has
``path: null``, ``locations`` (with ``sourceName: null``) and no ``errorType``. graphql-core
finds the same faults; this module rewrites each into graphql-java's words, computing the
field path (field names from the operation or fragment root) from the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
    GraphQLError,
    IntValueNode,
    ListValueNode,
    NameNode,
    Node,
    NullValueNode,
    ObjectValueNode,
    SelectionSetNode,
    StringValueNode,
    TokenKind,
    VariableNode,
    Visitor,
    parse,
    visit,
)
from graphql.language import Lexer, Source, SourceLocation, get_location

Rewrite = Callable[["re.Match[str]", "_Site"], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class _Site:
    """Where an error's node sits: its field path and the argument it belongs to, if any."""

    path: tuple[str, ...]
    argument: ArgumentNode | None
    # Where graphql-java puts the error: a selection set's field, a name's owner, else the node.
    anchor: int | None = None


def _key(node: Node) -> tuple[str, int, int]:
    # By position, not identity: the errors may come from another parse of the same source.
    return (node.kind, node.loc.start, node.loc.end) if node.loc else (node.kind, -1, -1)


_NOWHERE = _Site((), None, None)


class _SiteVisitor(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.sites: dict[tuple[str, int, int], _Site] = {}
        self._path: list[str] = []
        self._argument: list[ArgumentNode] = []

    def enter(self, node: Node, _key_in_parent: Any, parent: Any, *_: Any) -> None:
        if isinstance(node, FieldNode):
            self._path.append(node.name.value)
        if isinstance(node, ArgumentNode):
            self._argument.append(node)
        anchor = node
        if isinstance(node, SelectionSetNode | NameNode) and isinstance(parent, Node):
            anchor = parent
        self.sites[_key(node)] = _Site(
            tuple(self._path),
            self._argument[0] if self._argument else None,
            anchor.loc.start if anchor.loc else None,
        )

    def leave(self, node: Node, *_: Any) -> None:
        if isinstance(node, FieldNode):
            self._path.pop()
        if isinstance(node, ArgumentNode):
            self._argument.pop()


def java_value(node: Node) -> str:
    """An argument value as graphql-java's ``toString`` prints it (AppSync quotes these)."""
    if isinstance(node, StringValueNode):
        return f"StringValue{{value='{node.value}'}}"
    if isinstance(node, IntValueNode):
        return f"IntValue{{value={node.value}}}"
    if isinstance(node, FloatValueNode):
        return f"FloatValue{{value={node.value}}}"
    if isinstance(node, BooleanValueNode):
        return f"BooleanValue{{value={str(node.value).lower()}}}"
    if isinstance(node, EnumValueNode):
        return f"EnumValue{{name='{node.value}'}}"
    if isinstance(node, NullValueNode):
        return "NullValue{}"
    if isinstance(node, VariableNode):
        return f"VariableReference{{name='{node.name.value}'}}"
    if isinstance(node, ListValueNode):
        return f"ArrayValue{{values=[{', '.join(java_value(v) for v in node.values)}]}}"
    if isinstance(node, ObjectValueNode):
        fields = ", ".join(
            f"ObjectField{{name='{f.name.value}', value={java_value(f.value)}}}"
            for f in node.fields
        )
        return f"ObjectValue{{objectFields=[{fields}]}}"
    return str(node)


def _argument_value(site: _Site) -> tuple[str, str]:
    if site.argument is None:
        return "?", "?"
    return site.argument.name.value, java_value(site.argument.value)


def _wrong_type(match: re.Match[str], site: _Site) -> tuple[str, str]:
    name, value = _argument_value(site)
    return "WrongType", f"argument '{name}' with value '{value}' is not a valid '{match['type']}'"


def _missing_fields(match: re.Match[str], site: _Site) -> tuple[str, str]:
    name, value = _argument_value(site)
    missing = match["field"].rsplit(".", 1)[-1]
    return (
        "WrongType",
        f"argument '{name}' with value '{value}' is missing required fields '[{missing}]'",
    )


def _unknown_input_field(match: re.Match[str], site: _Site) -> tuple[str, str]:
    name, value = _argument_value(site)
    return (
        "WrongType",
        f"argument '{name}' with value '{value}' contains a field not in"
        f" '{match['type']}': '{match['field']}'",
    )


def _fixed(kind: str, template: str) -> Rewrite:
    return lambda match, _site: (kind, template.format(**match.groupdict()))


def _as_is(kind: str) -> Rewrite:
    """graphql-java's kind with graphql-core's description (same meaning, wording unknown)."""
    return lambda match, _site: (kind, match.string.rstrip("."))


def _named(type_text: str) -> str:
    return type_text.strip("[]!")


# graphql-core's validation messages (3.2) and graphql-java's wording for each.
_REWRITES: tuple[tuple[re.Pattern[str], Rewrite], ...] = tuple(
    (re.compile(pattern), rewrite)
    for pattern, rewrite in (
        (
            r"^Cannot query field '(?P<field>[^']+)' on type '(?P<type>[^']+)'",
            _fixed("FieldUndefined", "Field '{field}' in type '{type}' is undefined"),
        ),
        (
            r"^Unknown argument '(?P<name>[^']+)' on field",
            _fixed("UnknownArgument", "Unknown field argument {name}"),
        ),
        (
            r"^Unknown argument '(?P<name>[^']+)' on directive",
            _fixed("UnknownDirective", "Unknown directive argument {name}"),
        ),
        (
            r"^Field '[^']+' argument '(?P<name>[^']+)' of type '[^']+' is required",
            _fixed("MissingFieldArgument", "Missing field argument {name}"),
        ),
        (
            r"^Directive '[^']+' argument '(?P<name>[^']+)' of type '[^']+' is required",
            _fixed("MissingDirectiveArgument", "Missing directive argument {name}"),
        ),
        (r"^Unknown type '(?P<type>[^']+)'", _fixed("UnknownType", "Unknown type {type}")),
        (
            r"^Unknown directive '@?(?P<name>[^']+)'",
            _fixed("UnknownDirective", "Unknown directive {name}"),
        ),
        (
            r"^Variable '\$(?P<name>[^']+)' of type '(?P<given>[^']+)' used in position "
            r"expecting type '(?P<expected>[^']+)'",
            _fixed(
                "VariableTypeMismatch",
                "Variable type '{given}' doesn't match expected type '{expected}'",
            ),
        ),
        (
            r"^Variable '\$(?P<name>[^']+)' is never used",
            _fixed("UnusedVariable", "Unused variable {name}"),
        ),
        (
            r"^Variable '\$(?P<name>[^']+)' is not defined",
            _fixed("UndefinedVariable", "Undefined variable {name}"),
        ),
        (
            r"^Fragment '(?P<name>[^']+)' is never used",
            _fixed("UnusedFragment", "Unused fragment {name}"),
        ),
        (
            r"^Unknown fragment '(?P<name>[^']+)'",
            _fixed("UndefinedFragment", "Undefined fragment {name}"),
        ),
        (
            r"^Field '(?P<field>[^']+)' of type '(?P<type>[^']+)' must have a selection",
            lambda m, _site: (
                "SubSelectionRequired",
                f"Sub selection required for type {_named(m['type'])} of field {m['field']}",
            ),
        ),
        (
            r"^Field '(?P<field>[^']+)' must not have a selection since type '(?P<type>[^']+)'",
            lambda m, _site: (
                "SubSelectionNotAllowed",
                f"Sub selection not allowed on leaf type {_named(m['type'])} of field {m['field']}",
            ),
        ),
        (r"^Field '(?P<field>[^']+)' of required type '[^']+' was not provided", _missing_fields),
        (
            r"^Field '(?P<field>[^']+)' is not defined by type '(?P<type>[^']+)'",
            _unknown_input_field,
        ),
        (r"^(?P<type>\w+) cannot represent", _wrong_type),
        (r"^Expected value of type '(?P<type>[^']+)'", _wrong_type),
        (r"^Value '[^']*' does not exist in '(?P<type>[^']+)' enum", _wrong_type),
        (r"^Enum '(?P<type>[^']+)' cannot represent", _wrong_type),
        (r"^There can be only one argument named", _as_is("DuplicateArgumentNames")),
        (r"^Fields '.*' conflict", _as_is("FieldsConflict")),
        (r"cannot be spread here", _as_is("InvalidFragmentType")),
        (r"^Cannot spread fragment '.*' within itself", _as_is("FragmentCycle")),
        (r"^There can be only one operation named", _as_is("DuplicateOperationName")),
        (r"^This anonymous operation must be the only", _as_is("LoneAnonymousOperation")),
        (r"^Variable '.*' cannot be non-input type", _as_is("NonInputTypeOnVariable")),
        (r"is not executable", _as_is("NonExecutableDefinition")),
    )
)


def _java_message(message: str, site: _Site) -> str:
    message = message.split(" Did you mean ")[0]
    for pattern, rewrite in _REWRITES:
        match = pattern.search(message)
        if match is not None:
            kind, description = rewrite(match, site)
            break
    else:
        kind, description = "InvalidDocument", message.rstrip(".")
    where = f" @ '{'/'.join(site.path)}'" if site.path else ""
    return f"Validation error of type {kind}: {description}{where}"


def _offending_token(source: str, line: int, column: int) -> str:
    """The token at ``line:column`` as graphql-java names it (``<EOF>`` at the end)."""
    lexer = Lexer(Source(source))
    try:
        token = lexer.token
        while token.kind != TokenKind.EOF:
            if (token.line, token.column) >= (line, column):
                break
            token = lexer.advance()
    except GraphQLError:
        token = None
    if token is None or (token.line, token.column) != (line, column):
        lines = source.splitlines() or [""]
        text = lines[line - 1] if line <= len(lines) else ""
        return text[column - 1 : column] or "<EOF>"
    if token.kind == TokenKind.EOF:
        return "<EOF>"
    return source[token.start : token.end]


def syntax_message(error: GraphQLError, source: str) -> str:
    """A parse error in AppSync's words (graphql-java's ``Invalid Syntax`` message)."""
    if not error.locations:
        return f"Validation error of type InvalidSyntax: {error.message}"
    location = error.locations[0]
    token = _offending_token(source, location.line, location.column)
    return (
        "Validation error of type InvalidSyntax: Invalid Syntax : offending token"
        f" '{token}' at line {location.line} column {location.column}"
    )


def _location(location: SourceLocation) -> list[dict[str, Any]]:
    return [{"line": location.line, "column": location.column, "sourceName": None}]


# The emulator's own checks of a document (request limits, the parser's nesting and token
# bounds, unstorable string literals): not graphql-java's rules, so they keep the emulator's
# ``ValidationError`` entries.
_EMULATOR_CHECKS = re.compile(
    r"^Query limit exceeded|^Syntax Error: Document (is nested too deeply|contains more than)"
    r"|^String literal contains .* cannot be stored"
)


def is_emulator_check(error: GraphQLError) -> bool:
    return _EMULATOR_CHECKS.search(error.message) is not None


def document_errors(errors: Sequence[GraphQLError], source: str) -> list[dict[str, Any]]:
    """AppSync's ``errors[]`` for a ``source`` document that does not parse or does not
    validate: ``path: null``, ``locations``, graphql-java's message, no ``errorType``."""
    try:
        document: DocumentNode | None = parse(source)  # again: only invalid documents come here
    except (GraphQLError, RecursionError):
        document = None
    sites: dict[tuple[str, int, int], _Site] = {}
    if document is not None:
        visitor = _SiteVisitor()
        visit(document, visitor)
        sites = visitor.sites
    entries = []
    for error in errors:
        locations = _location(error.locations[0]) if error.locations else None
        if document is None:
            message = syntax_message(error, source)
        else:
            # graphql-java reports one place: the deepest of the nodes graphql-core names
            # (a variable's use rather than its definition).
            site = max(
                (sites.get(_key(node), _NOWHERE) for node in error.nodes or ()),
                key=lambda site: len(site.path),
                default=_NOWHERE,
            )
            if site.anchor is not None:
                locations = _location(get_location(Source(source), site.anchor))
            message = _java_message(error.message, site)
        entries.append({"path": None, "locations": locations, "message": message})
    return entries
