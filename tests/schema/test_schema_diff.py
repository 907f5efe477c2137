"""`make schema-diff` pieces: where each graphql-core change points, and the method map."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes, find_dangerous_changes

from scripts.schema_diff import change_coordinate, compare, load_operations, main
from scripts.sdk_surface import method_operations

ROOT = Path(__file__).resolve().parents[2]

BASE = """
type Query { item(id: ID!, kind: Kind): Item  items(filter: Filter): [Item] }
type Mutation { save(input: Filter!): Item }
type Item { id: ID! name: String kind: Kind parts: [Part] }
type Part { size: Int }
type Other { x: Int }
union Found = Item | Part
interface Named { name: String }
enum Kind { A B }
input Filter { name: String kind: Kind }
"""

NEW = """
type Query { item(id: String!, q: String): Item  items(filter: Filter, n: Int!): [Item] }
type Mutation { save(input: Filter!): Item }
type Item implements Named { id: ID! name: String kind: Kind parts: [Part] }
type Part { size: String }
union Found = Item
interface Named { name: String }
enum Kind { A C }
input Filter { name: String kind: Kind size: Int! }
"""

QUERIES = """
query item($id: ID!) { item(id: $id) { id name parts { size } } }
query items($filter: Filter) { items(filter: $filter) { ...ItemKind } }
fragment ItemKind on Item { kind }
"""


def test_every_change_graphql_core_reports_names_its_coordinate() -> None:
    base, new = build_schema(BASE), build_schema(NEW)
    changes = [*find_breaking_changes(base, new), *find_dangerous_changes(base, new)]
    coordinates = {change.description: change_coordinate(change.description) for change in changes}
    assert coordinates == {
        "Other was removed.": "Other",
        "Part was removed from union type Found.": "Found",
        "B was removed from enum type Kind.": "Kind",
        "A required field size on input type Filter was added.": "Filter",
        "Part.size changed type from Int to String.": "Part.size",
        "Query.item arg id has changed type from ID! to String!.": "Query.item",
        "Query.item arg kind was removed.": "Query.item",
        "A required arg n on Query.items was added.": "Query.items",
        "C was added to enum type Kind.": "Kind",
        "Named added to interfaces implemented by Item.": "Item",
        "An optional arg q on Query.item was added.": "Query.item",
    }


def test_changes_are_matched_to_the_operations_that_rely_on_them() -> None:
    base, new = build_schema(BASE), build_schema(NEW)
    operations = load_operations(base, [QUERIES])
    assert [o.name for o in operations] == ["item", "items"]
    report = compare(base, new, operations)
    touched = {c.description: c.operations for c in [*report.breaking, *report.dangerous]}
    assert touched["Part.size changed type from Int to String."] == ("item",)
    assert touched["A required arg n on Query.items was added."] == ("items",)
    assert touched["A required field size on input type Filter was added."] == ("items",)
    assert touched["C was added to enum type Kind."] == ("items",)  # via the fragment
    assert touched["Other was removed."] == ()
    assert touched["Query.item arg kind was removed."] == ("item",)
    # `item` passes an ID! where String! is now wanted; `items` lacks the required `n`.
    assert set(report.invalid_operations) == {"item", "items"}
    assert report.breaks_queries


def test_a_new_root_field_is_unreached_until_a_method_sends_an_operation_for_it() -> None:
    base = build_schema("type Query { a: Int }")
    new = build_schema("type Query { a: Int b: Int c: Int }")
    operations = load_operations(base, ["query a { a } query b { b }"])
    assert compare(base, new, operations).unreached_root_fields == ["Query.b", "Query.c"]
    assert compare(base, new, operations, {"b"}).unreached_root_fields == ["Query.c"]


def test_every_operation_of_queries_is_sent_by_a_public_method() -> None:
    methods = method_operations()
    sent = set().union(*methods.values())
    documents = [p.read_text("utf-8") for p in sorted((ROOT / "queries").glob("*.graphql"))]
    schema = build_schema((ROOT / "schema.graphql").read_text("utf-8"))
    operations = {o.name for o in load_operations(schema, documents)}
    assert operations == sent
    assert methods["getDataStore"] == {"storage_getDataStore"}
    assert methods["uploadFileToDataStore"] >= {
        "storage_createDataStoreFile",
        "storage_deleteDataStoreFile",
    }
    assert methods["iterTimeSeriesQuery"] == {"timeSeriesDb_queryDatabaseWithTimestreamQuery"}
    assert methods["createTimeSeriesInputRecord"] == frozenset()


def test_an_unreadable_base_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "base.graphql"
    broken.write_text("type Query {", "utf-8")
    code = main(["--new", str(ROOT / "schema.graphql"), "--base", str(broken)])
    assert code == 2
    assert "is not a valid schema" in capsys.readouterr().err
