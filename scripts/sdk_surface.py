"""The one place where the schema scripts read the SDK: its settings and which GraphQL operations
each public method sends.

The method -> operation map is read from the code, so it cannot drift from it: every public
method of the public client classes and of their namespaces (`dataStores.createDataStore`, the
classes their cached properties return) is parsed, calls to `self.<method>` (or
`self._client.<method>` in a namespace) are followed, and a call to a function that builds
`Call("<operation>", ...)` (avista_dx/_operations.py and the `_ops_*` modules) or
`SubscriptionCall("<operation>", ...)` names the operation it sends.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from types import FunctionType, ModuleType
from typing import Any

import avista_dx
from avista_dx._constants import ENDPOINT_ENV, PRODUCTION_ENDPOINT, TOKEN_ENV

__all__ = ["ENDPOINT_ENV", "PRODUCTION_ENDPOINT", "TOKEN_ENV", "method_operations", "namespaces"]

PUBLIC_CLIENTS = ("AvistaDigitalExchange", "AsyncAvistaDigitalExchange")
# avista_dx._operations.Call: one GraphQL operation ready to send; SubscriptionCall: one
# subscription ready to start.
_CALL_CLASSES = frozenset({"Call", "SubscriptionCall"})


def method_operations() -> dict[str, frozenset[str]]:
    """Public method name (`getDataStore`, or `dataStores.createDataStore` in a namespace) ->
    the GraphQL operations it sends (sync and async clients merged)."""
    result: dict[str, set[str]] = {}
    for class_name in PUBLIC_CLIENTS:
        client = getattr(avista_dx, class_name)
        for prefix, owner in [("", client), *namespaces(client)]:
            for name, member in inspect.getmembers(owner, inspect.isfunction):
                if name.startswith("_"):
                    continue
                operations = _operations_of_method(client, member, set())
                result.setdefault(prefix + name, set()).update(operations)
    return {name: frozenset(operations) for name, operations in sorted(result.items())}


def namespaces(client: type) -> list[tuple[str, type]]:
    """(`"dataStores."`, its class) for each namespace: a public cached property of the client
    whose return annotation is a class."""
    found = []
    for name, member in inspect.getmembers(client, lambda m: isinstance(m, cached_property)):
        if name.startswith("_"):
            continue
        namespace = typing.get_type_hints(member.func).get("return")
        if isinstance(namespace, type):
            found.append((f"{name}.", namespace))
    return found


def _operations_of_method(client: type, method: Callable[..., Any], seen: set[str]) -> set[str]:
    if method.__qualname__ in seen:
        return set()
    seen.add(method.__qualname__)
    operations: set[str] = set()
    for call in _calls(_function_tree(method)):
        target = call.func
        if isinstance(target, ast.Attribute) and _rooted_at_self(target.value):
            # self.<method>(...), or self._client.<method>(...) from a namespace.
            member = _member(method, client, target.attr)
            if member is not None:
                operations |= _operations_of_method(client, member, seen)
            continue
        factory = _resolve(target, method.__globals__)
        # Only the SDK's own functions build operations (the standard library's may even
        # have no source: posixpath is frozen).
        if isinstance(factory, FunctionType) and factory.__module__.startswith("avista_dx"):
            operations |= _operations_built_by(factory)
    return operations


def _rooted_at_self(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id == "self"


def _member(method: Callable[..., Any], client: type, name: str) -> FunctionType | None:
    """`self.<name>` as seen from a method: its own class first (a namespace whose methods the
    client also exposes), then the client."""
    owner = method.__globals__.get(method.__qualname__.split(".")[0])
    for cls in (owner, client):
        if isinstance(cls, type):
            member = inspect.getattr_static(cls, name, None)
            if isinstance(member, FunctionType):
                return member
    return None


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> object:
    """The object a `name` or `module.name` expression refers to in a module's globals."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        module = namespace.get(node.value.id)
        if isinstance(module, ModuleType):
            return getattr(module, node.attr, None)
    return None


@cache
def _operations_built_by(factory: FunctionType) -> frozenset[str]:
    """The literal operation names of the `Call(...)` objects a function builds."""
    tree = _function_tree(factory)
    constants = {
        target.id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    names: set[str] = set()
    for call in _calls(tree):
        if not (isinstance(call.func, ast.Name) and call.func.id in _CALL_CLASSES and call.args):
            continue
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
        elif isinstance(first, ast.Name) and first.id in constants:
            names.add(constants[first.id])
    return frozenset(names)


def _function_tree(function: Callable[..., Any]) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(function)))


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))
