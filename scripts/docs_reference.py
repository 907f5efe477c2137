"""What the documentation site's API reference must show, read from the code.

Three users: the griffe extension `ReferenceExtension` (mkdocs.yml) writes into each public
method's documentation the GraphQL operations it sends, and renders the client's root methods
that are a namespace's (`listDataStores = DataStores.listDataStores`) as methods; the mkdocs hook
(scripts/docs_hooks.py) fails the build when the built site lacks a public method or name; and
tests/test_docs.py checks that check.

The public surface is what `scripts/sdk_surface.py` reads from the code: both clients' public
methods, their namespaces' (`dx.dataStores`, ...), and the names `avista_dx` exports.
"""

from __future__ import annotations

import inspect
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType
from typing import Any

import griffe

import avista_dx

from .sdk_surface import PUBLIC_CLIENTS, method_operations, namespaces

PACKAGE = "avista_dx"
INVENTORY = "objects.inv"  # mkdocstrings' inventory of every object it rendered (Sphinx format)
# Inventory roles that a rendered public method may have (a coroutine is a py:method too).
_METHOD_ROLES = frozenset({"py:method", "py:function"})
_NOT_RENDERED = frozenset({"__version__", "DxTypes"})  # a string; a module of re-exports


@dataclass(frozen=True)
class PublicMethod:
    """A public method of a client or namespace: where griffe finds it, what users call."""

    path: str  # avista_dx._sync.resources.data_stores.DataStores.createDataStore
    call: str  # dataStores.createDataStore (the key of sdk_surface.method_operations)
    function: FunctionType


def public_methods() -> list[PublicMethod]:
    """Every public method of both clients and of each of their namespaces."""
    found = []
    for class_name in PUBLIC_CLIENTS:
        client = getattr(avista_dx, class_name)
        for prefix, owner in [("", client), *namespaces(client)]:
            for name, function in inspect.getmembers(owner, inspect.isfunction):
                if not name.startswith("_"):
                    path = f"{owner.__module__}.{owner.__qualname__}.{name}"
                    found.append(PublicMethod(path, prefix + name, function))
    return found


def exported_paths() -> dict[str, frozenset[str]]:
    """Each name `avista_dx` exports -> the paths under which the reference may render it:
    `<module>.<name>` for every module of the package that holds it under that name (where it
    is defined, or an alias such as `errors.UnauthorizedException`)."""
    exported = {name: getattr(avista_dx, name) for name in set(avista_dx.__all__) - _NOT_RENDERED}
    modules = [
        module
        for module_name, module in sorted(sys.modules.items())
        if module_name.startswith(f"{PACKAGE}.") and module is not None
    ]
    return {
        name: frozenset(
            f"{module.__name__}.{name}"
            for module in modules
            if getattr(module, name, None) is value
        )
        for name, value in sorted(exported.items())
    }


def read_inventory(site_dir: Path) -> dict[str, str]:
    """The rendered objects of a built site: path -> role (`py:method`, `py:class`, ...)."""
    data = (site_dir / INVENTORY).read_bytes()
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or not lines[0].startswith(b"# Sphinx inventory version 2"):
        raise ValueError(f"{site_dir / INVENTORY} is not a Sphinx inventory (version 2)")
    objects = {}
    for line in zlib.decompress(lines[4]).decode("utf-8").splitlines():
        name, role, *_ = line.split(" ", 2)
        objects[name] = role
    return objects


def reference_gaps(site_dir: Path) -> list[str]:
    """What the built site's reference lacks, one line each (empty when complete): a public
    method not rendered as a method, an exported name not rendered, either without a
    docstring."""
    rendered = read_inventory(site_dir)
    gaps = []
    for method in public_methods():
        if rendered.get(method.path) not in _METHOD_ROLES:
            gaps.append(f"{method.path}: not rendered as a method (add its class to a page)")
        elif not (method.function.__doc__ or "").strip():
            gaps.append(f"{method.path}: public method without a docstring")
    for name, paths in exported_paths().items():
        if not any(path in rendered for path in paths):
            where = " or ".join(sorted(paths)) or "its module"
            gaps.append(f"avista_dx.{name}: exported but not rendered (as {where})")
        elif _lacks_docstring(getattr(avista_dx, name)):
            gaps.append(f"avista_dx.{name}: exported without a docstring")
    return gaps


def _lacks_docstring(value: object) -> bool:
    """A class or function without its own docstring (other values, such as type aliases, are
    documented by the docstring under their assignment, which only griffe reads)."""
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return False
    return not (vars(value).get("__doc__") if inspect.isclass(value) else value.__doc__)


class ReferenceExtension(griffe.Extension):
    """Completes what mkdocstrings renders of the clients once griffe has loaded `avista_dx`.

    - A root method the client takes from a namespace (`listDataStores =
      DataStores.listDataStores`) is, to a static reader, a class attribute: it becomes an
      alias of the function, so that it renders as the method it is.
    - Each public method's docstring ends with the GraphQL operations it sends.
    """

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.path != PACKAGE:
            return
        operations = method_operations()
        calls_of_target: dict[str, set[str]] = {}
        for method in public_methods():
            owner_path, name = method.path.rsplit(".", 1)
            owner = pkg[_relative(owner_path)]
            target = f"{method.function.__module__}.{method.function.__qualname__}"
            member = owner.all_members.get(name)
            if isinstance(member, griffe.Attribute) and target != method.path:
                alias = griffe.Alias(name, target, lineno=member.lineno, parent=owner)
                owner.set_member(name, alias)
            calls_of_target.setdefault(target, set()).add(method.call)
        for target, calls in calls_of_target.items():
            sent = set().union(*(operations.get(call, ()) for call in calls))
            if sent:
                _append_operations(pkg[_relative(target)], sorted(sent))


def _relative(path: str) -> str:
    return path.removeprefix(f"{PACKAGE}.")


def _append_operations(function: griffe.Object, operations: list[str]) -> None:
    """A last paragraph naming the GraphQL operations the function sends."""
    line = "GraphQL: " + ", ".join(f"`{name}`" for name in operations) + "."
    if function.docstring is None:
        function.docstring = griffe.Docstring(line, parent=function)
    else:
        function.docstring.value = f"{function.docstring.value.rstrip()}\n\n{line}"
