"""Compiled checks that a variable's value is already its own coercion.

Most request variables come out of graphql-core's coercion equal to what came in: plain JSON
strings, in-range ints, known enum names, lists, objects with known keys and nothing left to
default. For an input type, this module generates (once) one Python function that checks
exactly that, with the per-field tests inlined, so a 100-record publish is checked in one pass
instead of being rebuilt value by value. A value that passes is used as it is; any other goes
to the full coercion (:mod:`.variables`), which builds the coerced copy or defers to
graphql-core for the error.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLString,
    Undefined,
)

Check = Callable[[Any], bool]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int is 32-bit
_DEFAULT_OUT_TYPE = GraphQLInputObjectType.out_type


class _Generator:
    """Source of one check function per input type, in one namespace."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {"_isfinite": math.isfinite, "_MISSING": object()}
        self.lines: list[str] = []
        self._functions: dict[str, str] = {}
        self._names = (f"_v{index}" for index in itertools.count())

    def constant(self, value: Any) -> str:
        name = next(self._names)
        self.namespace[name] = value
        return name

    def condition(self, type_: GraphQLInputType, value: str) -> str:
        """A Python expression true when ``value`` (a variable name) is unchanged by coercion."""
        if isinstance(type_, GraphQLNonNull):
            return self._non_null(type_.of_type, value)
        return f"({value} is None or {self._non_null(type_, value)})"

    def _non_null(self, type_: GraphQLInputType, value: str) -> str:
        if isinstance(type_, GraphQLNonNull):
            return self._non_null(type_.of_type, value)
        if type_ is GraphQLString or type_ is GraphQLID:
            return f"type({value}) is str"  # an ID sent as an int becomes a str: not unchanged
        if type_ is GraphQLInt:
            return f"(type({value}) is int and {_INT_MIN} <= {value} <= {_INT_MAX})"
        if type_ is GraphQLFloat:  # an int becomes a float: not unchanged
            return f"(type({value}) is float and _isfinite({value}))"
        if type_ is GraphQLBoolean:
            return f"type({value}) is bool"
        if isinstance(type_, GraphQLEnumType):
            names = frozenset(name for name, enum in type_.values.items() if enum.value == name)
            return f"(type({value}) is str and {value} in {self.constant(names)})"
        if isinstance(type_, GraphQLList):
            return f"{self._list_function(type_)}({value})"
        if isinstance(type_, GraphQLInputObjectType):
            return f"{self._object_function(type_)}({value})"
        return "False"  # other scalars: the full coercion decides

    def _list_function(self, type_: GraphQLList[Any]) -> str:
        key = str(type_)
        if key in self._functions:
            return self._functions[key]
        name = self._functions[key] = next(self._names)
        item = self.condition(type_.of_type, "item")
        self.lines += [
            f"def {name}(value):",
            "    if type(value) is not list:",
            "        return False",  # a single value becomes a list of one
            "    for item in value:",
            f"        if not {item}:",
            "            return False",
            "    return True",
        ]
        return name

    def _object_function(self, type_: GraphQLInputObjectType) -> str:
        key = type_.name
        if key in self._functions:
            return self._functions[key]
        name = self._functions[key] = next(self._names)
        changes = (
            getattr(type_, "is_one_of", False)
            or type_.out_type is not _DEFAULT_OUT_TYPE
            or any(field.out_name not in (None, key) for key, field in type_.fields.items())
        )
        body = ["    return False"] if changes else self._object_body(type_)
        self.lines += [f"def {name}(value):", *body]
        return name

    def _object_body(self, type_: GraphQLInputObjectType) -> list[str]:
        names = self.constant(frozenset(type_.fields))
        body = [
            "    if type(value) is not dict or not value.keys() <= " + names + ":",
            "        return False",
        ]
        for field_name, field in type_.fields.items():
            condition = self.condition(field.type, "field")
            body.append(f"    field = value.get({field_name!r}, _MISSING)")
            if isinstance(field.type, GraphQLNonNull) or field.default_value is not Undefined:
                # Missing, it is an error or gets its default (even null): not unchanged.
                body += ["    if field is _MISSING:", "        return False"]
                body += [f"    if not {condition}:", "        return False"]
            else:
                body += [
                    f"    if field is not _MISSING and not {condition}:",
                    "        return False",
                ]
        return [*body, "    return True"]


def compile_unchanged_check(type_: GraphQLInputType) -> Check:
    """A function telling whether a value of ``type_`` is unchanged by its coercion (True: it
    is valid and coerces to an equal value of the same types)."""
    generator = _Generator()
    condition = generator.condition(type_, "value")
    source = "\n".join([*generator.lines, "def check(value):", f"    return {condition}", ""])
    exec(compile(source, f"<unchanged input check for {type_}>", "exec"), generator.namespace)
    check: Check = generator.namespace["check"]
    return check
