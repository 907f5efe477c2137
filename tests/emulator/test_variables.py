"""The fast variable coercer agrees with graphql-core on valid input and defers on the rest."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, get_variable_values, parse

from avista_dx.emulator.api.schema import build_schema
from avista_dx.emulator.api.variables import VariableCoercer

DOCUMENT = parse(
    "mutation($t: ID!, $a: ID!, $d: TimeSeriesDbDataInput!, $n: Int, $l: [ID], "
    "$e: ServiceType = DATA_STORE, $o: [DataStoreObjectIdInput]!) "
    "{ timeSeriesDb_publishToDatabase(timeSeriesDbId: $t, assetId: $a, data: $d) { assetId } }"
)
(OPERATION,) = [d for d in DOCUMENT.definitions if isinstance(d, OperationDefinitionNode)]
RECORD = {
    "Time": "1700000000000",
    "TimeUnit": "MILLISECONDS",
    "MeasureName": "kwh",
    "MeasureValueType": "MULTI",
    "MeasureValues": [{"Name": "a", "Type": "DOUBLE", "Value": "1"}],
    "Dimensions": [{"Name": "name", "Value": "x", "DimensionValueType": "VARCHAR"}],
    "Version": 1,
}
BASE: dict[str, Any] = {"t": "db", "a": 7, "d": {"records": [RECORD]}, "o": []}


def both(variables: dict[str, Any]) -> tuple[Any, Any]:
    schema = build_schema()
    definitions = OPERATION.variable_definitions
    return VariableCoercer(schema).coerce(definitions, variables), get_variable_values(
        schema, definitions, variables
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"n": 5, "l": "single-id"},
        {"l": ["x", 3, None], "n": None},
        {"e": "TIME_SERIES_DB"},
        {"d": {"records": [{}]}},
        {"d": {"records": [{**RECORD, "Dimensions": None, "Version": None}]}},
        {
            "d": {
                "records": [
                    {**RECORD, "MeasureValues": {"Name": "a", "Type": "BIGINT", "Value": "1"}}
                ]
            }
        },
        {"o": [{"objectType": "FILE", "dataStoreFileId": "f"}, None]},
    ],
)
def test_valid_input_coerces_exactly_like_graphql_core(changes: dict[str, Any]) -> None:
    fast, reference = both({**BASE, **changes})
    assert not isinstance(reference, list), reference
    assert fast == reference


@pytest.mark.parametrize(
    "changes",
    [
        {"t": None},
        {"t": True},
        {"n": 2**31},
        {"n": "5"},
        {"e": "NOPE"},
        {"d": {"records": [{**RECORD, "TimeUnit": "YEARS"}]}},
        {"d": {"records": [{**RECORD, "Unknown": 1}]}},
        {"d": {"records": [None]}},
        {"d": {"records": [{**RECORD, "MeasureValues": [{"Name": "a", "Type": "DOUBLE"}]}]}},
        {"d": {"records": [{**RECORD, "Version": 1.5}]}},
        {"d": []},
        {"d": "records"},
    ],
)
def test_invalid_input_is_left_to_graphql_core(changes: dict[str, Any]) -> None:
    variables = {**BASE, **changes}
    fast, reference = both(variables)
    assert fast is None
    assert isinstance(reference, list)
    assert reference


def test_missing_required_variable_is_left_to_graphql_core() -> None:
    variables = {k: v for k, v in BASE.items() if k != "t"}
    fast, reference = both(variables)
    assert fast is None
    assert isinstance(reference, list)


def typed(value: Any) -> Any:
    """``value`` with the type of every leaf, so that 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


FLOAT_DOCUMENT = parse("query($f: Float, $i: [Int], $b: Boolean) { __typename }")


@pytest.mark.parametrize(
    "variables",
    [
        BASE,
        {**BASE, "a": "meter", "l": ["x"]},  # unchanged: used as sent
        {**BASE, "a": 7},  # an int ID becomes "7"
        {**BASE, "l": "single-id"},  # one value becomes a list of one
        {**BASE, "d": {"records": [{**RECORD, "Version": True}]}},  # not an Int: rejected
        {"f": 1, "i": [1, 2], "b": False},  # 1 becomes 1.0
        {"f": 1.5, "i": 3, "b": True},
        {"f": float("inf")},
    ],
)
def test_values_used_as_sent_are_exactly_their_coercion(variables: dict[str, Any]) -> None:
    schema = build_schema()
    for document in (DOCUMENT, FLOAT_DOCUMENT):
        (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        definitions = operation.variable_definitions
        sent = {v.variable.name.value: variables[v.variable.name.value] for v in definitions
                if v.variable.name.value in variables}  # fmt: skip
        fast = VariableCoercer(schema).coerce(definitions, sent)
        reference = get_variable_values(schema, definitions, sent)
        if isinstance(reference, list):
            assert fast is None
        else:
            assert typed(fast) == typed(reference)
