"""The access matrix as the SDK sees it: owner, READ_WRITE member, READ_ONLY member, outsider
(same organization as the members, not in the collaborative) and platform admin, against the
demo services shared with the demo collaborative. Allowed calls succeed; denied calls raise
`PermissionDeniedError` (message `Unauthorized`) and change nothing; a bad token raises
`AuthenticationError`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sdk.driver import Driver

from avista_dx import (
    AuthenticationError,
    PermissionDeniedError,
    Unauthorized,
    UnauthorizedException,
    record_from_values,
)

from .conftest import Admin, ClientFactory

ROLES = ("owner", "writer", "reader", "outsider", "admin")
READERS = frozenset({"owner", "writer", "reader"})
WRITERS = frozenset({"owner", "writer"})
OWNER = frozenset({"owner"})
EVERYONE = frozenset(ROLES)


@dataclass
class Context:
    admin: Admin
    owner: Driver
    tmp_path: Path

    @property
    def ids(self) -> dict[str, str]:
        return self.admin.ids

    def owner_upload(self, directory: str) -> str:
        local = self.tmp_path / "by-owner.txt"
        local.write_bytes(b"owner's bytes")
        file_id: str = self.owner.uploadFileToDataStore(
            self.ids["dataStore"], directory, local
        ).dataStoreFileId
        return file_id

    def count_records(self) -> int:
        db = self.owner.getTimeSeriesDatabase(self.ids["timeSeriesDb"])
        page = self.owner.queryTimeSeriesDatabase(
            db.timeSeriesDbId, f'SELECT count(*) AS n FROM "{db.databaseName}"."{db.tableName}"'
        )
        return int(next(page.rows())["n"])


# An operation prepares its state as the owner and returns the call to make as the role under
# test, and a check of the state afterwards: check(allowed) -> None.
Call = Callable[[Driver], Any]
Check = Callable[[bool], None]
Operation = Callable[[Context], tuple[Call, Check]]


def nothing_changes(allowed: bool) -> None:
    """Reads change nothing whatever the outcome."""


def reads(call: Callable[[Driver, Context], Any]) -> Operation:
    def prepare(ctx: Context) -> tuple[Call, Check]:
        return (lambda dx: call(dx, ctx)), nothing_changes

    return prepare


def upload(ctx: Context) -> tuple[Call, Check]:
    directory = ctx.admin.scratch_directory()
    local = ctx.tmp_path / "by-caller.txt"
    local.write_bytes(b"caller's bytes")

    def check(allowed: bool) -> None:
        files = ctx.owner.getDataStoreDirectory(directory).files
        assert [f.fileName for f in files] == (["by-caller.txt"] if allowed else [])

    return (lambda dx: dx.uploadFileToDataStore(ctx.ids["dataStore"], directory, local)), check


def delete(ctx: Context) -> tuple[Call, Check]:
    directory = ctx.admin.scratch_directory()
    file_id = ctx.owner_upload(directory)

    def check(allowed: bool) -> None:
        remaining = [f.dataStoreFileId for f in ctx.owner.getDataStoreDirectory(directory).files]
        assert remaining == ([] if allowed else [file_id])

    return (lambda dx: dx.deleteDataStoreFile(file_id)), check


def download(ctx: Context) -> tuple[Call, Check]:
    target = ctx.tmp_path / "downloaded"
    target.mkdir()

    def check(allowed: bool) -> None:
        assert [p.name for p in target.iterdir()] == (["summary.txt"] if allowed else [])

    return (lambda dx: dx.downloadDataStoreFile(ctx.ids["file:reports/summary.txt"], target)), check


def query(ctx: Context) -> tuple[Call, Check]:
    db = ctx.owner.getTimeSeriesDatabase(ctx.ids["timeSeriesDb"])
    sql = f'SELECT count(*) FROM "{db.databaseName}"."{db.tableName}"'
    return (lambda dx: dx.queryTimeSeriesDatabase(db.timeSeriesDbId, sql)), nothing_changes


def publish(ctx: Context) -> tuple[Call, Check]:
    before = ctx.count_records()
    record = record_from_values(time.time_ns() // 1_000_000, {"access_probe": 1.0})

    def check(allowed: bool) -> None:
        assert ctx.count_records() == before + (1 if allowed else 0)

    return (
        lambda dx: dx.publishToTimeSeriesDatabase(ctx.ids["timeSeriesDb"], "probe", [record])
    ), check


def share(ctx: Context) -> tuple[Call, Check]:
    store = ctx.admin.create_data_store()["dataStoreId"]
    collaborative = ctx.ids["collaborative"]

    def check(allowed: bool) -> None:
        shared = ctx.owner.listCollaborativesServiceSharedWith(store)
        assert [c.collaborativeId for c in shared] == ([collaborative] if allowed else [])

    return (lambda dx: dx.addServiceToCollaborative(store, collaborative)), check


def unshare(ctx: Context) -> tuple[Call, Check]:
    store = ctx.admin.create_data_store()["dataStoreId"]
    collaborative = ctx.ids["collaborative"]
    ctx.owner.addServiceToCollaborative(store, collaborative)

    def check(allowed: bool) -> None:
        shared = ctx.owner.listCollaborativesServiceSharedWith(store)
        assert [c.collaborativeId for c in shared] == ([] if allowed else [collaborative])

    return (lambda dx: dx.removeServiceFromCollaborative(store, collaborative)), check


MATRIX: list[tuple[str, Operation, frozenset[str]]] = [
    ("getDataStore", reads(lambda dx, c: dx.getDataStore(c.ids["dataStore"])), READERS),
    (
        "getDataStoreDirectory",
        reads(lambda dx, c: dx.getDataStoreDirectory(c.ids["homeDirectory"])),
        READERS,
    ),
    (
        "getDataStoreFileMeta",
        reads(lambda dx, c: dx.getDataStoreFileMeta(c.ids["file:README.md"])),
        READERS,
    ),
    ("downloadDataStoreFile", download, READERS),
    ("uploadFileToDataStore", upload, WRITERS),
    ("deleteDataStoreFile", delete, WRITERS),
    (
        "getTimeSeriesDatabase",
        reads(lambda dx, c: dx.getTimeSeriesDatabase(c.ids["timeSeriesDb"])),
        READERS,
    ),
    ("queryTimeSeriesDatabase", query, READERS),
    ("publishToTimeSeriesDatabase", publish, WRITERS),
    (
        "getCollaborative",
        reads(lambda dx, c: dx.getCollaborative(c.ids["collaborative"])),
        EVERYONE,
    ),
    (
        "listCollaborativeServices",
        reads(lambda dx, c: dx.listCollaborativeServices(c.ids["collaborative"])),
        EVERYONE,
    ),
    (
        "listCollaborativesServiceSharedWith",
        reads(lambda dx, c: dx.listCollaborativesServiceSharedWith(c.ids["dataStore"])),
        OWNER,
    ),
    ("addServiceToCollaborative", share, OWNER),
    ("removeServiceFromCollaborative", unshare, OWNER),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("operation", "allowed_roles"),
    [(op, allowed) for _, op, allowed in MATRIX],
    ids=[name for name, _, _ in MATRIX],
)
def test_access_matrix(
    make_dx: ClientFactory,
    dx: Driver,
    admin: Admin,
    tmp_path: Path,
    role: str,
    operation: Operation,
    allowed_roles: frozenset[str],
) -> None:
    call, check = operation(Context(admin, dx, tmp_path))
    caller = dx if role == "owner" else make_dx(role)
    allowed = role in allowed_roles
    if allowed:
        call(caller)
    else:
        with pytest.raises(PermissionDeniedError) as caught:
            call(caller)
        assert caught.value.message == "Unauthorized"
        assert caught.value.error_type == "Unauthorized"
        assert isinstance(caught.value, Unauthorized)  # the old SDK's name still catches it
    check(allowed)


@pytest.mark.parametrize("token", ["not-a-token", "dx-demo-owner-token-but-wrong"])
def test_a_bad_token_is_an_authentication_error(make_dx: ClientFactory, token: str) -> None:
    dx = make_dx(token=token)
    with pytest.raises(AuthenticationError) as caught:
        dx.getUserInfo()
    error = caught.value
    assert isinstance(error, UnauthorizedException)  # the old SDK's name still catches it
    assert error.status_code == 401
    assert error.error_type == "UnauthorizedException"
    assert error.operation == "user_getUserSession"
    assert token not in str(error)
    assert token not in repr(error)
    assert token not in repr(dx.client)


def test_a_deleted_token_stops_working(make_dx: ClientFactory, admin: Admin) -> None:
    created = admin.data(
        "reader",
        'mutation { user_createAuthenticationToken(name: "e2e", daysBeforeExpiration: 1)'
        " { tokenId tokenValue } }",
    )
    dx = make_dx(token=created["tokenValue"])
    assert dx.getUserInfo().userId == admin.ids["reader"]
    admin.data(
        "reader",
        "mutation($t: ID!) { user_deleteAuthenticationToken(tokenId: $t) { tokenId } }",
        t=created["tokenId"],
    )
    with pytest.raises(AuthenticationError):
        dx.getUserInfo()
    with pytest.raises(AuthenticationError):
        dx.listDataStores()


def test_denied_publish_changes_nothing(make_dx: ClientFactory, dx: Driver, admin: Admin) -> None:
    ctx = Context(admin, dx, Path("."))
    before = ctx.count_records()
    record = record_from_values(time.time_ns() // 1_000_000, {"access_probe": 2.0})
    for role in ("reader", "outsider", "admin"):
        with pytest.raises(PermissionDeniedError):
            make_dx(role).publishToTimeSeriesDatabase(admin.ids["timeSeriesDb"], "x", [record])
    assert ctx.count_records() == before
