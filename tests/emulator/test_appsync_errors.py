"""GraphQL parse and validation errors in AppSync's shape and words.

AppSync validates with graphql-java. Real answers quoted in public issues show the shape (no
``errorType``, ``path: null``, ``locations`` with ``sourceName: null``) and the wording:
- aws-amplify/learn#417 and graphql/graphql-over-http#81: ``Validation error of type
  FieldUndefined: Field 'syncNotes' in type 'Query' is undefined @ 'syncNotes'`` with
  ``"path": null`` and ``"locations": [{"line": 2, "column": 3, "sourceName": null}]``;
- aws-amplify/amplify-js#4853: ``... Field 'startDate' in type 'Timeline' is undefined @
  'onCreateTimeline/startDate'`` (the path names the nested field);
- aws-amplify/amplify-js#7435, aws-amplify/amplify-swift#854: ``Validation error of type
  MissingFieldArgument: Missing field argument owner @ 'onCreateTodo'``;
- aws-amplify/amplify-flutter#3388: ``Validation error of type UnknownArgument: Unknown field
  argument authors @ 'onCreateTask'``;
- apollographql/graphql-tag#652: ``Validation error of type VariableTypeMismatch: Variable type
  'String!' doesn't match expected type 'ID!' @ 'getCard'``;
- aws-amplify/amplify-android#702, aws-amplify/amplify-category-api#2096: ``Validation error of
  type SubSelectionRequired: Sub selection required for type PregnancyBefore of field before @
  'listPregnancies/items/before'``;
- aws-amplify/amplify-cli#1296: ``Validation error of type SubSelectionNotAllowed: Sub selection
  not allowed on leaf type String of field sendSignatureRequest @ 'sendSignatureRequest'``;
- awslabs/aws-mobile-appsync-sdk-js#554, aws/aws-appsync-community#273: ``Validation error of
  type WrongType: argument 'data' with value 'ObjectValue{objectFields=[ObjectField{name=
  'upvotes', value=IntValue{value=10}}]}' is not a valid 'AWSJSON' @ 'sendEmail'`` and ``...
  is missing required fields '[test]' @ 'createUpdateTest'``;
- aws-amplify/amplify-studio#1112: ``Validation error of type UnknownType: Unknown type
  AWSTimestamp``.
Parse errors: graphql-java's ``Invalid Syntax : offending token '<EOF>' at line 5 column 1``
(graphql-java servers quoted in ET-TOUNANI/PI_GESTION_EMPLOIS_TEMPS#12); AppSync's exact parse
wording was not found, so the kind prefix ``Validation error of type InvalidSyntax`` is kept
(inferred, see docs/emulator-coverage.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graphql import parse_value

from avista_dx.emulator.api.appsync_errors import java_value

from .conftest import Harness, make_harness


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    yield from make_harness()


def _only_error(harness: Harness, document: str, **variables: object) -> dict[str, object]:
    body = harness.gql("owner", document, **variables)
    assert body["data"] is None
    (error,) = body["errors"]
    assert isinstance(error, dict)
    return error


@pytest.mark.parametrize(
    ("document", "message", "location"),
    [
        (
            'query {\n  storage_getDataStore(dataStoreId: "x") { name owner }\n}',
            "Validation error of type FieldUndefined: Field 'owner' in type 'DataStore' is"
            " undefined @ 'storage_getDataStore/owner'",
            (2, 49),
        ),
        (
            "query { nope }",
            "Validation error of type FieldUndefined: Field 'nope' in type 'Query' is undefined"
            " @ 'nope'",
            (1, 9),
        ),
        (
            "query { storage_getDataStore { name } }",
            "Validation error of type MissingFieldArgument: Missing field argument dataStoreId"
            " @ 'storage_getDataStore'",
            (1, 9),
        ),
        (
            'query { storage_getDataStore(dataStoreId: "x", extra: 1) { name } }',
            "Validation error of type UnknownArgument: Unknown field argument extra"
            " @ 'storage_getDataStore'",
            (1, 48),
        ),
        (
            "query { storage_getDataStore(dataStoreId: 1.5) { name } }",
            "Validation error of type WrongType: argument 'dataStoreId' with value"
            " 'FloatValue{value=1.5}' is not a valid 'ID' @ 'storage_getDataStore'",
            (1, 43),
        ),
        (
            "mutation { storage_createDataStore(name: true) { name } }",
            "Validation error of type WrongType: argument 'name' with value"
            " 'BooleanValue{value=true}' is not a valid 'String' @ 'storage_createDataStore'",
            (1, 42),
        ),
        (
            "query($s: String!) { storage_getDataStore(dataStoreId: $s) { name } }",
            "Validation error of type VariableTypeMismatch: Variable type 'String!' doesn't"
            " match expected type 'ID!' @ 'storage_getDataStore'",
            (1, 56),
        ),
        (
            "query { storage_listDataStores }",
            "Validation error of type SubSelectionRequired: Sub selection required for type"
            " DataStore of field storage_listDataStores @ 'storage_listDataStores'",
            (1, 9),
        ),
        (
            "query { storage_listDataStores { name { x } } }",
            "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf"
            " type String of field name @ 'storage_listDataStores/name'",
            (1, 34),
        ),
        (
            "query($t: AWSTimestamp) { storage_listDataStores(userId: $t) { name } }",
            "Validation error of type UnknownType: Unknown type AWSTimestamp",
            (1, 11),
        ),
        (
            "query($unused: ID) { storage_listDataStores { name } }",
            "Validation error of type UnusedVariable: Unused variable unused",
            (1, 7),
        ),
        (
            "query { storage_getDataStore(dataStoreId: $s) { name } }",
            "Validation error of type UndefinedVariable: Undefined variable s"
            " @ 'storage_getDataStore'",
            (1, 43),
        ),
        (
            "query { storage_listDataStores { ...F } }",
            "Validation error of type UndefinedFragment: Undefined fragment F"
            " @ 'storage_listDataStores'",
            (1, 34),
        ),
    ],
)
def test_validation_errors_read_like_appsync(
    harness: Harness, document: str, message: str, location: tuple[int, int]
) -> None:
    error = _only_error(harness, document)
    assert error == {
        "path": None,
        "locations": [{"line": location[0], "column": location[1], "sourceName": None}],
        "message": message,
    }
    assert "errorType" not in error


def test_the_path_inside_a_fragment_starts_at_the_fragment(harness: Harness) -> None:
    document = "query { storage_listDataStores { ...F } }\nfragment F on DataStore { size }"
    error = _only_error(harness, document)
    assert error["message"] == (
        "Validation error of type FieldUndefined: Field 'size' in type 'DataStore' is"
        " undefined @ 'size'"
    )


def test_input_objects_print_as_graphql_java_values() -> None:
    value = parse_value('{a: [1, "x", null, E, $v], b: {c: false}}')
    assert java_value(value) == (
        "ObjectValue{objectFields=[ObjectField{name='a', value=ArrayValue{values=[IntValue"
        "{value=1}, StringValue{value='x'}, NullValue{}, EnumValue{name='E'},"
        " VariableReference{name='v'}]}}, ObjectField{name='b', value=ObjectValue{objectFields="
        "[ObjectField{name='c', value=BooleanValue{value=false}}]}}]}"
    )


@pytest.mark.parametrize(
    ("document", "token", "location"),
    [
        ("query { storage_listDataStores { name ", "<EOF>", (1, 39)),
        ("query { storage_listDataStores { name } } }", "}", (1, 43)),
        ("query {\n  storage_listDataStores(: 1) { name }\n}", ":", (2, 26)),
    ],
)
def test_parse_errors_name_the_offending_token(
    harness: Harness, document: str, token: str, location: tuple[int, int]
) -> None:
    error = _only_error(harness, document)
    line, column = location
    assert error == {
        "path": None,
        "locations": [{"line": line, "column": column, "sourceName": None}],
        "message": "Validation error of type InvalidSyntax: Invalid Syntax : offending token"
        f" '{token}' at line {line} column {column}",
    }


def test_several_errors_are_all_reported_in_document_order(harness: Harness) -> None:
    body = harness.gql("owner", "query { a b }")
    messages = [error["message"] for error in body["errors"]]
    assert messages == [
        "Validation error of type FieldUndefined: Field 'a' in type 'Query' is undefined @ 'a'",
        "Validation error of type FieldUndefined: Field 'b' in type 'Query' is undefined @ 'b'",
    ]
