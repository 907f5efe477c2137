"""Bad input: a clear ``BadRequestException`` (never a 500 or a traceback) and no partial write."""

from __future__ import annotations

from typing import Any

import pytest

from avista_dx.emulator.persistence.models import ALL_RECORD_TYPES

from .conftest import Harness


def state(h: Harness) -> Any:
    with h.emulator.metadata.view() as view:
        return {cls.KIND: view.find(cls) for cls in ALL_RECORD_TYPES}


def assert_bad_request(h: Harness, role: str, document: str, needle: str, **variables: Any) -> None:
    before = state(h)
    body = h.gql(role, document, **variables)
    (error,) = body["errors"]
    assert error["errorType"] == "BadRequestException", body
    assert needle in error["message"]
    assert "Traceback" not in error["message"]
    assert list(body["data"].values()) == [None]
    assert state(h) == before


CREATE_STORE = "mutation($n: String!) { storage_createDataStore(name: $n) { dataStoreId } }"


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("x" * 256, "longer than 255"),
        ("a/b", "'/'"),
        ("a\\b", "'/'"),
        ("tab\there", "control characters"),
        ("nul\x00", "control characters"),
        ("line\nbreak", "control characters"),
        ("..", "'.' or '..'"),
    ],
)
def test_bad_names(harness: Harness, name: str, needle: str) -> None:
    assert_bad_request(harness, "owner", CREATE_STORE, needle, n=name)


def test_long_unicode_names_count_characters(harness: Harness) -> None:
    created = harness.data("owner", CREATE_STORE, n="é" * 255)
    assert created["dataStoreId"].startswith("dataStoreId.")


def test_oversized_description(harness: Harness) -> None:
    assert_bad_request(
        harness,
        "owner",
        'mutation($d: String) { storage_createDataStore(name: "n", description: $d) { name } }',
        "description is longer",
        d="x" * 4097,
    )


def test_file_in_a_directory_of_another_store(harness: Harness) -> None:
    other = harness.data("owner", CREATE_STORE, n="Other")
    other_home = harness.data(
        "owner",
        "query($s: ID!) { storage_getDataStore(dataStoreId: $s) { homeDirectoryId } }",
        s=other["dataStoreId"],
    )["homeDirectoryId"]
    assert_bad_request(
        harness,
        "owner",
        "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
        'dataStoreDirectoryId: $d, name: "x", fileExtension: "txt") { itemId } }',
        "is not a directory of data store",
        s=harness.ids["dataStore"],
        d=other_home,
    )


def test_file_name_and_extension_both_empty(harness: Harness) -> None:
    assert_bad_request(
        harness,
        "owner",
        "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile(dataStoreId: $s, "
        'dataStoreDirectoryId: $d, name: "", fileExtension: "") { itemId } }',
        "must not both be empty",
        s=harness.ids["dataStore"],
        d=harness.ids["homeDirectory"],
    )


def test_dot_files_and_extensionless_files_are_fine(harness: Harness) -> None:
    document = (
        "mutation($s: ID!, $d: ID!, $n: String!, $e: String!) { storage_createDataStoreFile("
        "dataStoreId: $s, dataStoreDirectoryId: $d, name: $n, fileExtension: $e) { itemId } }"
    )
    for name, extension in (("", "bashrc"), ("Makefile", ""), ("archive", "tar.gz")):
        harness.data(
            "owner", document, s=harness.ids["dataStore"], d=harness.ids["homeDirectory"],
            n=name, e=extension,
        )  # fmt: skip


def _directory(h: Harness, parent: str, name: str) -> str:
    created = h.data(
        "owner",
        "mutation($s: ID!, $p: ID!, $n: String!) { storage_createDataStoreDirectory("
        "dataStoreId: $s, parentDirectoryId: $p, name: $n) { dataStoreDirectoryId } }",
        s=h.ids["dataStore"],
        p=parent,
        n=name,
    )
    directory_id: str = created["dataStoreDirectoryId"]
    return directory_id


MOVE = (
    "mutation($d: ID!, $p: ID) { storage_updateDataStoreDirectory(dataStoreDirectoryId: $d, "
    "parentDirectoryId: $p) { parentDirectoryId } }"
)


def test_moving_a_directory_into_itself_or_below(harness: Harness) -> None:
    top = _directory(harness, harness.ids["homeDirectory"], "top")
    child = _directory(harness, top, "child")
    grandchild = _directory(harness, child, "grandchild")
    for target in (top, child, grandchild):
        assert_bad_request(harness, "owner", MOVE, "into itself", d=top, p=target)


def test_moving_a_directory_works_within_a_store(harness: Harness) -> None:
    first = _directory(harness, harness.ids["homeDirectory"], "first")
    second = _directory(harness, harness.ids["homeDirectory"], "second")
    moved = harness.data("owner", MOVE, d=second, p=first)
    assert moved["parentDirectoryId"] == first


def test_home_directory_cannot_move_or_go(harness: Harness) -> None:
    elsewhere = _directory(harness, harness.ids["homeDirectory"], "elsewhere")
    assert_bad_request(
        harness, "owner", MOVE, "into itself", d=harness.ids["homeDirectory"], p=elsewhere
    )
    assert_bad_request(
        harness,
        "owner",
        "mutation($d: ID!) { storage_deleteDataStoreDirectory(dataStoreDirectoryId: $d) { name } }",
        "home directory",
        d=harness.ids["homeDirectory"],
    )


def test_deleting_a_non_empty_directory(harness: Harness) -> None:
    parent = _directory(harness, harness.ids["homeDirectory"], "parent")
    _directory(harness, parent, "child")
    assert_bad_request(
        harness,
        "owner",
        "mutation($d: ID!) { storage_deleteDataStoreDirectory(dataStoreDirectoryId: $d) { name } }",
        "not empty",
        d=parent,
    )


def test_sibling_directory_names_are_unique(harness: Harness) -> None:
    _directory(harness, harness.ids["homeDirectory"], "twin")
    assert_bad_request(
        harness,
        "owner",
        "mutation($s: ID!, $p: ID!) { storage_createDataStoreDirectory(dataStoreId: $s, "
        'parentDirectoryId: $p, name: "twin") { name } }',
        "already exists",
        s=harness.ids["dataStore"],
        p=harness.ids["homeDirectory"],
    )


def test_moving_a_file_to_another_store(harness: Harness) -> None:
    other = harness.data("owner", CREATE_STORE, n="Other")
    home = harness.data(
        "owner",
        "query($s: ID!) { storage_getDataStore(dataStoreId: $s) { homeDirectoryId } }",
        s=other["dataStoreId"],
    )["homeDirectoryId"]
    assert_bad_request(
        harness,
        "owner",
        "mutation($f: ID!, $d: ID) { storage_updateDataStoreFile(dataStoreFileId: $f, "
        "dataStoreDirectoryId: $d) { name } }",
        "is not a directory of data store",
        f=harness.ids["file:README.md"],
        d=home,
    )


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_token_lifetime_bounds(harness: Harness, days: int) -> None:
    assert_bad_request(
        harness,
        "owner",
        'mutation($d: Int!) { user_createAuthenticationToken(name: "t", daysBeforeExpiration: $d) '
        "{ tokenId } }",
        "daysBeforeExpiration",
        d=days,
    )


def test_sharing_twice_and_unsharing_what_is_not_shared(harness: Harness) -> None:
    share = (
        "mutation($c: ID!, $s: ID!) { collaborative_addServiceToCollaborative(collaborativeId: $c, "
        "serviceType: DATA_STORE, serviceId: $s) { serviceId } }"
    )
    assert_bad_request(
        harness, "owner", share, "already shared",
        c=harness.ids["collaborative"], s=harness.ids["dataStore"],
    )  # fmt: skip
    other = harness.data("owner", CREATE_STORE, n="Other")
    assert_bad_request(
        harness,
        "owner",
        share.replace("addServiceToCollaborative", "removeServiceFromCollaborative"),
        "not shared",
        c=harness.ids["collaborative"],
        s=other["dataStoreId"],
    )


def test_admin_bad_input(harness: Harness) -> None:
    assert_bad_request(
        harness,
        "admin",
        'mutation($o: ID!) { platformAdmin_createUser(organizationId: $o, email: "nope", '
        'firstName: "A", lastName: "B") { userId } }',
        "not a valid address",
        o=harness.ids["organization2"],
    )
    assert_bad_request(
        harness,
        "admin",
        "mutation($o: ID!) { platformAdmin_createUser(organizationId: $o, "
        'email: "owner@avista.example", firstName: "A", lastName: "B") { userId } }',
        "already exists",
        o=harness.ids["organization2"],
    )
    assert_bad_request(
        harness,
        "admin",
        "mutation($o: ID!) { platformAdmin_deleteOrganization(organizationId: $o) { name } }",
        "still has users",
        o=harness.ids["organization2"],
    )
    assert_bad_request(
        harness,
        "admin",
        "mutation($u: ID!) { platformAdmin_deleteUser(userId: $u) { userId } }",
        "still owns services",
        u=harness.ids["owner"],
    )


def test_unknown_ids_are_unauthorized(harness: Harness) -> None:
    for document, name in (
        ("query($x: ID!) { storage_getDataStoreFile(dataStoreFileId: $x) { name } }", "f"),
        ("query($x: ID!) { timeSeriesDb_getDatabase(timeSeriesDbId: $x) { name } }", "t"),
        ("query($x: ID!) { collaborative_getCollaborative(collaborativeId: $x) { name } }", "c"),
    ):
        assert harness.error_type("owner", document, x=f"{name}.unknown") == "Unauthorized"


def test_empty_id_is_a_bad_request(harness: Harness) -> None:
    assert_bad_request(
        harness,
        "owner",
        "query($x: ID!) { storage_getDataStore(dataStoreId: $x) { name } }",
        "dataStoreId must not be empty",
        x="",
    )


@pytest.mark.parametrize(
    ("role", "field", "id_argument", "id_type", "id_key"),
    [
        ("owner", "storage_updateDataStore", "dataStoreId", "ID!", "dataStore"),
        ("owner", "storage_updateDataStoreFile", "dataStoreFileId", "ID!", "file:README.md"),
        ("owner", "timeSeriesDb_updateDatabase", "timeSeriesDbId", "ID!", "timeSeriesDb"),
        ("admin", "platformAdmin_updateCollaborative", "collaborativeId", "ID!", "collaborative"),
        ("admin", "platformAdmin_updateOrganization", "organizationId", "ID!", "organization1"),
    ],
)
def test_an_explicit_null_name_is_a_bad_request_on_every_update(
    harness: Harness, role: str, field: str, id_argument: str, id_type: str, id_key: str
) -> None:
    # Names are non-null on every type: a null cannot mean "clear", so it is never ignored.
    document = (
        f"mutation($i: {id_type}, $n: String) {{ {field}({id_argument}: $i, name: $n) "
        "{ __typename } }"
    )
    assert_bad_request(
        harness, role, document, "name must not be null", i=harness.ids[id_key], n=None
    )


def test_an_explicit_null_directory_name_is_a_bad_request(harness: Harness) -> None:
    directory = _directory(harness, harness.ids["homeDirectory"], "named")
    assert_bad_request(
        harness,
        "owner",
        "mutation($d: ID!, $n: String) { storage_updateDataStoreDirectory("
        "dataStoreDirectoryId: $d, name: $n) { name } }",
        "name must not be null",
        d=directory,
        n=None,
    )
