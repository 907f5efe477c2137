"""Answers of one root field are validated once, straight into the documented types
(`_operations.RootAdaptation.from_data`): the same results as through the generated models, and
every bad answer still a typed error."""

from __future__ import annotations

import ast
import importlib
import json
import typing
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from pydantic.alias_generators import to_snake

import avista_dx
from avista_dx.errors import InvalidResponseError, NotFoundError
from avista_dx.types import DxModel

from .conftest import ClientFactory

PACKAGE = Path(avista_dx.__file__).parent
SCHEMA = PACKAGE.parent / "schema.graphql"
STORE = {
    "dataStoreId": "dataStore.1",
    "name": "Store",
    "description": None,
    "ownerUserId": "user.1",
    "homeDirectoryId": "dir.1",
}


def _answering(body: Any) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(body).encode())

    return handle


def test_a_store_is_validated_from_the_answer(make_dx: ClientFactory) -> None:
    dx = make_dx(_answering({"data": {"storage_getDataStore": {**STORE, "newField": 1}}}))
    store = dx.getDataStore("dataStore.1")
    assert store.model_dump() == STORE
    assert store.pwd() == "/"  # still navigable


def test_a_list_drops_null_entries_and_a_null_list_is_empty(make_dx: ClientFactory) -> None:
    dx = make_dx(_answering({"data": {"storage_listDataStores": [STORE, None]}}))
    assert [s.model_dump() for s in dx.listDataStores()] == [STORE]
    dx = make_dx(_answering({"data": {"storage_listDataStores": None}}))
    assert dx.listDataStores() == []


def test_a_null_root_is_not_found(make_dx: ClientFactory) -> None:
    dx = make_dx(_answering({"data": {"storage_getDataStore": None}}))
    with pytest.raises(NotFoundError, match=r"dataStore\.1") as raised:
        dx.getDataStore("dataStore.1")
    assert raised.value.operation == "storage_getDataStore"


@pytest.mark.parametrize(
    "body",
    [
        {"data": {}},
        {"data": None},
        {"data": {"storage_getDataStore": {**STORE, "name": 5}}},
        {"data": {"storage_getDataStore": {"name": "no id"}}},
        {"data": {"storage_getDataStore": ["not", "an", "object"]}},
    ],
)
def test_a_bad_answer_is_an_invalid_response(make_dx: ClientFactory, body: Any) -> None:
    dx = make_dx(_answering(body))
    with pytest.raises(InvalidResponseError) as raised:
        dx.getDataStore("dataStore.1")
    assert raised.value.operation == "storage_getDataStore"
    assert "no id" not in str(raised.value)  # locations and kinds only, never the values


@pytest.mark.parametrize(
    "body", [{"data": {"storage_listDataStores": {"not": "a list"}}}, {"data": {}}]
)
def test_a_bad_list_is_an_invalid_response(make_dx: ClientFactory, body: Any) -> None:
    dx = make_dx(_answering(body))
    with pytest.raises(InvalidResponseError) as raised:
        dx.listDataStores()
    assert raised.value.operation == "storage_listDataStores"


def _adapted_models() -> set[type[DxModel]]:
    """Every documented model given to `_one(...)` or `_many(...)` in the SDK's sources."""
    found: set[type[DxModel]] = set()
    for path in PACKAGE.glob("*.py"):
        # the package itself, not a second copy named "avista_dx.__init__" (which would break
        # its lazy relative imports for every later test)
        name = "avista_dx" if path.stem == "__init__" else f"avista_dx.{path.stem}"
        module = importlib.import_module(name)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_one", "_many")
                and node.args
                and isinstance(node.args[0], ast.Name)
            ):
                found.add(getattr(module, node.args[0].id))
    return found


def _nested(model: type[DxModel], seen: set[type[DxModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, DxModel):
                _nested(annotation, seen)
            stack.extend(typing.get_args(annotation))


def test_the_models_validated_from_the_answer_use_the_wire_names() -> None:
    """A field spelt otherwise than on the wire (`NextToken` for `nextToken`) would come
    through the generated models (same snake_case name) but not from the answer."""
    schema = graphql.build_schema(SCHEMA.read_text("utf-8"))
    wire = {
        name
        for named in schema.type_map.values()
        if isinstance(named, graphql.GraphQLObjectType)
        for name in named.fields
    }
    wire_by_snake = {to_snake(name): name for name in wire}
    models: set[type[DxModel]] = set()
    for model in _adapted_models():
        _nested(model, models)
    assert len(models) > 20
    misspelt = {
        f"{model.__name__}.{name}": wire_by_snake[to_snake(name)]
        for model in models
        for name in model.model_fields
        if name not in wire and to_snake(name) in wire_by_snake
    }
    assert misspelt == {}
