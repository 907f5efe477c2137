"""Compiled result completion answers exactly as graphql-core does, on good and bad values.

Each case runs one document twice on the emulator's schema, the root resolver returning the
same value: through graphql-core's own ExecutionContext and through the emulator's (compiled
completion, graphql-core on decline). Data and errors must be identical.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from graphql import ExecutionContext, execute, parse

from avista_dx.emulator.api.completion import CompiledCompletion, try_complete
from avista_dx.emulator.api.schema import build_schema
from avista_dx.emulator.api.variables import VariableCoercer, fast_execution_context

SCHEMA = build_schema()
PUBLISH = (
    "mutation timeSeriesDb_publishToDatabase($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) {"
    " timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d)"
    " { ...TimeSeriesDbAssetDataFields } }\n"
    "fragment TimeSeriesDbAssetDataFields on TimeSeriesDbAssetData { assetId name attributes"
    " { name attributeType lastValue lastValueTime data { timestamp value } } }"
)
ALIASED = (
    "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!) {"
    " first: timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d)"
    " { __typename id: assetId assetId attributes { name } ... on TimeSeriesDbAssetData"
    " { attributes { lastValue data { value } } } } }"
)
SKIPPED = (
    "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!, $s: Boolean!) {"
    " timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d)"
    " { assetId name @skip(if: $s) } }"
)
GET_STORE = (
    "query($id: ID!) { storage_getDataStore(dataStoreId: $id)"
    " { dataStoreId name description ownerUserId homeDirectoryId } }"
)
VARIABLES = {"t": "db", "a": "meter", "d": {"records": []}, "s": True, "id": "store"}


def attribute(**changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "name": "kwh",
        "attributeType": "DOUBLE",
        "lastValue": "2.5",
        "lastValueTime": "2024-01-01T00:00:01.000Z",
        "data": [
            {"timestamp": "2024-01-01T00:00:00.000Z", "value": "1.5"},
            {"timestamp": "2024-01-01T00:00:01.000Z", "value": "2.5"},
        ],
    }
    return {**value, **changes}


def asset(**changes: Any) -> dict[str, Any]:
    return {"assetId": "meter", "name": "Meter 9", "attributes": [attribute()], **changes}


class Thing:  # not a dict: the default resolver reads attributes
    assetId = "meter"
    name = "object"
    attributes = ()


def run(document: str, value: Any, context_class: type[ExecutionContext] | None) -> Any:
    field = "storage_getDataStore" if "storage_getDataStore" in document else None
    root = SCHEMA.query_type if field else SCHEMA.mutation_type
    assert root is not None
    name = field or "timeSeriesDb_publishToDatabase"
    original = root.fields[name].resolve
    root.fields[name].resolve = lambda *_args, **_kwargs: value
    try:
        result = execute(
            SCHEMA, parse(document), variable_values=VARIABLES,
            execution_context_class=context_class,
        )  # fmt: skip
    finally:
        root.fields[name].resolve = original
    assert not hasattr(result, "__await__")
    return result.data, [error.formatted for error in result.errors or ()]


# The root field's value: a list of TimeSeriesDbAssetData.
GOOD = [
    [asset()],
    [asset(), None, asset(name="second")],
    [],
    None,
    (asset(),),
]
GOOD += [[value] for value in [
    asset(),
    asset(attributes=[attribute(), attribute(name="state", attributeType="VARCHAR")]),
    asset(name=None, attributes=[]),
    asset(attributes=None),
    asset(attributes=[None, attribute(data=None), attribute(data=[None])]),
    asset(attributes=(attribute(),)),  # a tuple is a list
    asset(name=7, attributes=[attribute(lastValue=2.5, value=True)]),  # serialised as strings
    asset(extra="ignored"),
]]  # fmt: skip
BAD: list[Any] = ["not a list", asset(), [asset(), "not an object"]]
# A generator is iterable too (a new one per run: a run consumes it).
BAD.append(lambda: [asset(attributes=(a for a in [attribute()]))])
BAD += [[value] for value in [
    "not an object",
    asset(assetId=None),  # ID! is null
    asset(attributes="not a list"),
    asset(attributes=[attribute(attributeType="NOT_A_TYPE")]),  # not an enum value
    asset(attributes=[attribute(lastValue={"nested": 1})]),  # String cannot represent it
    asset(attributes=[attribute(lastValue=math.nan)]),
    asset(attributes=[attribute(data=[{"timestamp": None, "value": "1"}])]),
    asset(name=lambda *_args: "called"),  # the default resolver calls it
    asset(name=ValueError("an error as a value")),
    Thing(),
]]  # fmt: skip


@pytest.mark.parametrize("document", [PUBLISH, ALIASED, SKIPPED])
@pytest.mark.parametrize("value", GOOD + BAD)
def test_completion_matches_graphql_core(document: str, value: Any) -> None:
    fast = fast_execution_context(VariableCoercer(SCHEMA), CompiledCompletion())
    reference = run(document, value() if callable(value) else value, None)
    assert run(document, value() if callable(value) else value, fast) == reference


@pytest.mark.parametrize(
    "value",
    [
        {"dataStoreId": "s", "name": "n", "description": None, "ownerUserId": "u",
         "homeDirectoryId": "d"},
        {"dataStoreId": None, "name": "n", "ownerUserId": "u"},
    ],
)  # fmt: skip
def test_a_query_completes_like_graphql_core(value: dict[str, Any]) -> None:
    fast = fast_execution_context(VariableCoercer(SCHEMA), CompiledCompletion())
    assert run(GET_STORE, value, fast) == run(GET_STORE, value, None)


def test_good_values_take_the_compiled_path_and_bad_ones_decline() -> None:
    completion = CompiledCompletion()
    fast = fast_execution_context(VariableCoercer(SCHEMA), completion)
    run(PUBLISH, [asset()], fast)
    (compiled,) = [entry[1] for entry in completion._compiled.values()]
    assert compiled is not None
    assert compiled([asset()])[0]["attributes"][0]["data"][1] == {
        "timestamp": "2024-01-01T00:00:01.000Z",
        "value": "2.5",
    }
    assert try_complete(compiled, [asset(assetId=None)]) == (False, None)
    run(SKIPPED, [asset()], fast)  # directives: not compiled, graphql-core completes
    assert [entry[1] for entry in completion._compiled.values()].count(None) == 1
