"""One contract, every implementation: metadata stores and blob stores."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from avista_dx.emulator.persistence import (
    BlobStore,
    DiskBlobStore,
    MemoryBlobStore,
    MemoryMetadataStore,
    MetadataStore,
    SqliteMetadataStore,
)
from avista_dx.emulator.persistence.blobs import READ_CHUNK_BYTES
from avista_dx.emulator.persistence.models import (
    DataStoreRecord,
    DirectoryRecord,
    SettingRecord,
    UserRecord,
)


@pytest.fixture(params=["memory", "sqlite-memory", "sqlite-file"])
def metadata(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MetadataStore]:
    store: MetadataStore
    if request.param == "memory":
        store = MemoryMetadataStore()
    elif request.param == "sqlite-memory":
        store = SqliteMetadataStore(None)
    else:
        store = SqliteMetadataStore(tmp_path / "metadata.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=["memory", "disk"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    return MemoryBlobStore() if request.param == "memory" else DiskBlobStore(tmp_path)


def store(key: str, owner: str = "u1", name: str = "s") -> DataStoreRecord:
    return DataStoreRecord(data_store_id=key, name=name, owner_user_id=owner, home_directory_id="h")


def test_put_get_replace_delete(metadata: MetadataStore) -> None:
    with metadata.transaction() as tx:
        tx.put(store("a"))
        tx.put(store("b"))
    with metadata.view() as view:
        assert view.get(DataStoreRecord, "a") == store("a")
        assert view.get(DataStoreRecord, "missing") is None
        assert view.get(UserRecord, "a") is None  # kinds are separate
    with metadata.transaction() as tx:
        tx.put(store("a", name="renamed"))
        assert tx.delete(DataStoreRecord, "b") is True
        assert tx.delete(DataStoreRecord, "b") is False
    with metadata.view() as view:
        assert view.find(DataStoreRecord) == [store("a", name="renamed")]


def test_find_filters_and_keeps_insertion_order(metadata: MetadataStore) -> None:
    with metadata.transaction() as tx:
        for key, owner in (("c", "u1"), ("a", "u2"), ("b", "u1")):
            tx.put(store(key, owner))
        tx.put(store("c", "u1", name="replaced keeps its place"))
        tx.put(DirectoryRecord("d1", "c", "Home", "u1", None))
        tx.put(DirectoryRecord("d2", "c", "x", "u1", "d1"))
    with metadata.view() as view:
        assert [s.key for s in view.find(DataStoreRecord, owner_user_id="u1")] == ["c", "b"]
        assert [s.key for s in view.find(DataStoreRecord)] == ["c", "a", "b"]
        assert [d.key for d in view.find(DirectoryRecord, parent_directory_id=None)] == ["d1"]
        assert [d.key for d in view.find(DirectoryRecord, parent_directory_id="d1")] == ["d2"]
        with pytest.raises(AttributeError):
            view.find(DataStoreRecord, no_such_field=1)


def test_tuples_and_booleans_round_trip(metadata: MetadataStore) -> None:
    user = UserRecord(
        "u", "o", "e@x.example", "F", "L", user_roles=("PLATFORM_ADMIN", "DATA_CONSUMER")
    )
    with metadata.transaction() as tx:
        tx.put(user)
    with metadata.view() as view:
        assert view.get(UserRecord, "u") == user
        assert view.find(UserRecord, user_account_state="ACTIVE") == [user]


def test_failed_transaction_writes_nothing(metadata: MetadataStore) -> None:
    with metadata.transaction() as tx:
        tx.put(store("keep"))
        tx.put(store("gone"))

    def failing_mutation() -> None:
        with metadata.transaction() as tx:
            tx.put(store("new"))
            tx.put(store("keep", name="changed"))
            tx.delete(DataStoreRecord, "gone")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_mutation()
    with metadata.view() as view:
        assert [s.key for s in view.find(DataStoreRecord)] == ["keep", "gone"]
        assert view.get(DataStoreRecord, "keep") == store("keep")


def test_views_see_every_commit_and_no_rolled_back_write(metadata: MetadataStore) -> None:
    """Each read is repeated after each change: a view never answers from before a commit,
    nor with what a rolled-back transaction wrote (a view inside it sees that write)."""

    def reads() -> tuple[object, ...]:
        with metadata.view() as view:
            return (
                view.get(DataStoreRecord, "a"),
                view.find(DataStoreRecord, owner_user_id="u1"),
                view.find(DataStoreRecord),
            )

    assert reads() == (None, [], [])
    with metadata.transaction() as tx:
        tx.put(store("a"))
    assert reads() == (store("a"), [store("a")], [store("a")])
    with metadata.transaction() as tx:
        tx.put(store("a", owner="u2"))
    assert reads() == (store("a", owner="u2"), [], [store("a", owner="u2")])

    def failing_change() -> None:
        with metadata.transaction() as tx:
            tx.put(store("a", owner="u1", name="uncommitted"))
            with metadata.view() as view:  # the same thread, inside the transaction
                assert view.get(DataStoreRecord, "a") == store("a", name="uncommitted")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_change()
    assert reads() == (store("a", owner="u2"), [], [store("a", owner="u2")])
    with metadata.transaction() as tx:
        tx.delete(DataStoreRecord, "a")
    assert reads() == (None, [], [])


def test_a_caller_changing_a_found_list_changes_no_later_read(metadata: MetadataStore) -> None:
    with metadata.transaction() as tx:
        tx.put(store("b"))
    with metadata.view() as view:
        view.find(DataStoreRecord).append(store("appended by a caller"))
    with metadata.view() as view:
        assert view.find(DataStoreRecord) == [store("b")]


def test_views_are_read_only(metadata: MetadataStore) -> None:
    with metadata.view() as view, pytest.raises(RuntimeError):
        view.put(store("x"))


def test_reset_deletes_every_record_but_the_kept_ones(metadata: MetadataStore) -> None:
    kept = SettingRecord("signing_key", "00")
    with metadata.transaction() as tx:
        tx.put(store("a"))
        tx.put(UserRecord("u1", "o1", "u@example.com", "U", "One"))
        tx.put(kept)
        tx.put(SettingRecord("seed:demo", "x"))
    metadata.reset(keep=[kept])
    with metadata.view() as view:
        assert view.find(DataStoreRecord) == []
        assert view.find(UserRecord) == []
        assert view.find(SettingRecord) == [kept]
    metadata.reset()
    with metadata.view() as view:
        assert view.find(SettingRecord) == []


def test_concurrent_transactions_are_serialised(metadata: MetadataStore) -> None:
    with metadata.transaction() as tx:
        tx.put(store("counter", name="0"))

    def increment() -> None:
        for _ in range(50):
            with metadata.transaction() as tx:
                current = tx.get(DataStoreRecord, "counter")
                assert current is not None
                tx.put(store("counter", name=str(int(current.name) + 1)))

    threads = [threading.Thread(target=increment) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with metadata.view() as view:
        assert view.get(DataStoreRecord, "counter") == store("counter", name="200")


def test_sqlite_file_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "metadata.sqlite3"
    first = SqliteMetadataStore(path)
    with first.transaction() as tx:
        tx.put(store("persisted"))
    first.close()
    second = SqliteMetadataStore(path)
    with second.view() as view:
        assert view.get(DataStoreRecord, "persisted") == store("persisted")
    second.close()


def test_staged_blob_is_invisible_until_committed(blobs: BlobStore) -> None:
    staged = blobs.stage()
    staged.write(b"abc")
    staged.write(b"def")
    assert staged.size == 6
    assert blobs.size("k") is None
    assert blobs.keys() == []
    blobs.commit(staged, "k")
    assert blobs.size("k") == 6
    assert b"".join(blobs.read("k")) == b"abcdef"
    assert blobs.keys() == ["k"]


def test_commit_replaces_and_discard_drops(blobs: BlobStore) -> None:
    first = blobs.stage()
    first.write(b"old")
    blobs.commit(first, "k")
    second = blobs.stage()
    second.write(b"new!")
    blobs.commit(second, "k")
    third = blobs.stage()
    third.write(b"never")
    blobs.discard(third)
    assert b"".join(blobs.read("k")) == b"new!"
    assert blobs.keys() == ["k"]


def test_ranged_reads_in_chunks(blobs: BlobStore) -> None:
    content = bytes(range(256)) * (READ_CHUNK_BYTES // 256 * 2 + 3)
    staged = blobs.stage()
    staged.write(content)
    blobs.commit(staged, "big")
    chunks = list(blobs.read("big"))
    assert len(chunks) > 2
    assert all(len(c) <= READ_CHUNK_BYTES for c in chunks)
    assert b"".join(chunks) == content
    assert b"".join(blobs.read("big", 10, 20)) == content[10:20]
    assert b"".join(blobs.read("big", len(content) - 5)) == content[-5:]
    assert b"".join(blobs.read("big", 5, 5)) == b""


def test_reset_deletes_every_blob(blobs: BlobStore) -> None:
    for key in ("a", "b"):
        staged = blobs.stage()
        staged.write(key.encode())
        blobs.commit(staged, key)
    blobs.reset()
    assert blobs.keys() == []
    assert blobs.size("a") is None


def test_missing_blobs(blobs: BlobStore) -> None:
    with pytest.raises(KeyError):
        blobs.read("nothing")
    blobs.delete("nothing")  # no error
    assert blobs.size("nothing") is None


def test_disk_store_drops_leftover_staging_files(tmp_path: Path) -> None:
    store_ = DiskBlobStore(tmp_path)
    staged = store_.stage()
    staged.write(b"half an upload")
    # The process "crashes" here: the staged file is never committed or discarded.
    reopened = DiskBlobStore(tmp_path)
    assert list((tmp_path / "staging").iterdir()) == []
    assert reopened.keys() == []


@pytest.mark.parametrize("key", ["", "../escape", "a/b", ".hidden"])
def test_disk_store_rejects_path_like_keys(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="invalid blob key"):
        DiskBlobStore(tmp_path).size(key)


def test_a_write_through_a_view_is_a_type_error(tmp_path: Path) -> None:
    """mypy tells views from transactions: a write through a view fails type checking."""
    mypy_api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "writes.py"
    snippet.write_text(
        "from avista_dx.emulator.persistence import MetadataStore\n"
        "from avista_dx.emulator.persistence.models import SettingRecord\n"
        "\n"
        "def write(store: MetadataStore) -> None:\n"
        "    with store.transaction() as tx:\n"
        "        tx.put(SettingRecord('a', 'b'))\n"
        "    with store.view() as view:\n"
        "        view.put(SettingRecord('a', 'b'))\n"
        "        view.delete(SettingRecord, 'a')\n"
    )
    report, _, status = mypy_api.run(
        [
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(snippet),
        ]
    )
    assert status == 1
    errors = [line for line in report.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["8", "9"], report
    assert all('"MetadataView" has no attribute' in line for line in errors), report
