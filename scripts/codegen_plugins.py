"""ariadne-codegen plugins of avista-dx, listed in `plugins` of both codegen configs.

`OperationDocumentsPlugin` adds to each client module an `OPERATION_DOCUMENTS` dict: each
operation's name to the very document string its method sends, so that a hand-tuned request
path (the SDK's publish path) sends the document generated from queries/, never a copy.

`OpenEnumsPlugin` makes every enum in the result models (operations and fragments) an
`OpenEnum[...]` (scripts/open_enums.py, copied into the package): a value a newer exchange
adds decodes as its string instead of failing the response. Input models keep closed enums:
what the SDK sends must be a value it knows.

ariadne-codegen imports it as `scripts.codegen_plugins`: the editable install (`make venv`)
puts the repository root on sys.path.
"""

from __future__ import annotations

import ast
import copy
from typing import Any

from ariadne_codegen.plugins.base import Plugin
from graphql import ExecutableDefinitionNode, FragmentDefinitionNode, GraphQLEnumType

OPEN_ENUM = "OpenEnum"
OPEN_ENUMS_MODULE = "open_enums"  # the module name of scripts/open_enums.py in the package


OPERATION_DOCUMENTS = "OPERATION_DOCUMENTS"


class OperationDocumentsPlugin(Plugin):
    def generate_client_module(self, module: ast.Module) -> ast.Module:
        keys: list[ast.expr | None] = []
        values: list[ast.expr] = []
        for node in module.body:
            if isinstance(node, ast.ClassDef):
                for method in node.body:
                    if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                        found = _operation_document(method)
                        if found is not None:
                            keys.append(ast.Constant(found[0]))
                            values.append(found[1])
        module.body.append(
            ast.AnnAssign(
                target=ast.Name(id=OPERATION_DOCUMENTS, ctx=ast.Store()),
                annotation=ast.parse("dict[str, str]", mode="eval").body,
                value=ast.Dict(keys=keys, values=values),
                simple=1,
            )
        )
        return module


def _operation_document(
    method: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[str, ast.expr] | None:
    """(operation name, a copy of the `gql(...)` document) of one generated method."""
    document: ast.expr | None = None
    name: str | None = None
    for node in ast.walk(method):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "query"
        ):
            document = copy.deepcopy(node.value)
        if (
            isinstance(node, ast.keyword)
            and node.arg == "operation_name"
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            name = node.value.value
    return (name, document) if name is not None and document is not None else None


class OpenEnumsPlugin(Plugin):
    def generate_result_types_module(
        self, module: ast.Module, operation_definition: ExecutableDefinitionNode
    ) -> ast.Module:
        return self._open_enums(module)

    def generate_fragments_module(
        self, module: ast.Module, fragments_definitions: dict[str, FragmentDefinitionNode]
    ) -> ast.Module:
        return self._open_enums(module)

    def _open_enums(self, module: ast.Module) -> ast.Module:
        enum_names = {
            name
            for name, named_type in self.schema.type_map.items()
            if isinstance(named_type, GraphQLEnumType) and not name.startswith("__")
        }
        opener = _EnumOpener(enum_names)
        for node in module.body:
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if isinstance(statement, ast.AnnAssign):
                        statement.annotation = opener.visit(statement.annotation)
        if opener.opened:
            module.body.insert(_after_imports(module), _import_open_enum())
        return module


class _EnumOpener(ast.NodeTransformer):
    """Replaces each enum name in an annotation by `OpenEnum[<enum>]`."""

    def __init__(self, enum_names: set[str]) -> None:
        self.enum_names = enum_names
        self.opened = False

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id not in self.enum_names:
            return node
        self.opened = True
        return ast.Subscript(
            value=ast.Name(id=OPEN_ENUM, ctx=ast.Load()), slice=node, ctx=ast.Load()
        )


def _after_imports(module: ast.Module) -> int:
    imports = [
        index
        for index, node in enumerate(module.body)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    return imports[-1] + 1 if imports else 0


def _import_open_enum() -> ast.ImportFrom:
    return ast.ImportFrom(module=OPEN_ENUMS_MODULE, names=[ast.alias(name=OPEN_ENUM)], level=1)
