"""Every user-facing root field of schema.graphql is reached by a typed method.

Outside tests/sdk on purpose: the schema loop (tests/schema) checks that an added root field
keeps tests/sdk green, while this test is what refuses to let it stay unreached.

The map of methods to operations is read from the code (`scripts/sdk_surface.py`); the root
fields that are not user API are the table of docs/internal-operations.md. What is left must
be reached by some method, or be in `NOT_YET`, the fields still waiting for their method: that
set may only shrink, so a new root field in the schema fails here until a method reaches it.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema

from scripts.sdk_surface import method_operations

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
INTERNAL_DOC = ROOT / "docs" / "internal-operations.md"

# Still without a typed method (issue 11): none any more. The set may only shrink: never add
# a field to it; a new root field of the schema needs its method.
NOT_YET: frozenset[str] = frozenset()


def root_fields() -> set[str]:
    roots = (SCHEMA.query_type, SCHEMA.mutation_type, SCHEMA.subscription_type)
    return {name for root in roots if root is not None for name in root.fields}


def internal_fields() -> set[str]:
    """The first column of the table in docs/internal-operations.md."""
    rows = re.findall(r"^\| `([A-Za-z_]+)` \|", INTERNAL_DOC.read_text(encoding="utf-8"), re.M)
    return set(rows)


def reached_fields() -> set[str]:
    return set().union(*method_operations().values())


def test_every_user_facing_root_field_is_reached_by_a_typed_method() -> None:
    unreached = root_fields() - internal_fields() - reached_fields() - NOT_YET
    assert unreached == set(), f"root fields without a typed method: {sorted(unreached)}"


def test_the_not_yet_set_only_holds_unreached_schema_fields() -> None:
    # A field that got its method (or left the schema) must leave NOT_YET: the set shrinks.
    stale = NOT_YET - (root_fields() - reached_fields())
    assert stale == set(), f"remove from NOT_YET (reached or gone): {sorted(stale)}"


def test_the_internal_list_names_schema_fields_that_no_method_sends() -> None:
    internal = internal_fields()
    assert internal, "docs/internal-operations.md lists no field"
    assert internal <= root_fields(), sorted(internal - root_fields())
    assert internal & reached_fields() == set()
    assert internal & NOT_YET == set()


def test_every_operation_in_queries_is_sent_by_some_method() -> None:
    documents = "\n".join(p.read_text() for p in sorted((ROOT / "queries").glob("*.graphql")))
    operations = set(re.findall(r"^(?:query|mutation) ([A-Za-z_]+)", documents, re.M))
    assert operations - reached_fields() == set()
