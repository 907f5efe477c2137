"""The I/O-free pieces of store paths and directory transfers: parsing, matching names and ids,
and the plans of upload_dir / download_dir / sync."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from avista_dx import (
    AmbiguousPathError,
    DataStore,
    DataStoreDirectory,
    DataStoreFile,
    DownloadError,
    InvalidInputError,
    NotFoundError,
    PathNotFoundError,
    PathTypeError,
)
from avista_dx._paths import match_entry, match_home_alias, match_store, parse_store_path
from avista_dx._tree_plan import (
    MTIME_TOLERANCE_SECONDS,
    LocalFile,
    LocalTree,
    RemoteTree,
    is_unchanged,
    plan_tree_download,
    plan_tree_upload,
    same_size_pairs,
    with_checksums,
)

T0 = "2024-01-31T00:00:00.000Z"
T0_EPOCH = 1706659200.0


def directory(
    name: str,
    did: str,
    dirs: Sequence[DataStoreDirectory] = (),
    files: Sequence[DataStoreFile] = (),
) -> DataStoreDirectory:
    return DataStoreDirectory(
        dataStoreDirectoryId=did, name=name, directories=list(dirs), files=list(files)
    )


def file(file_name: str, fid: str, size: int = 3, modified: str | None = T0) -> DataStoreFile:
    name, _, extension = file_name.partition(".")
    return DataStoreFile(
        dataStoreFileId=fid,
        name=name,
        fileExtension=extension,
        storageSizeBytes=size,
        lastModified=modified,
    )


# -- parsing and matching --------------------------------------------------------------------


def test_a_store_path_splits_into_the_store_and_the_names() -> None:
    parsed = parse_store_path("Demo data store/Home//readings/./2024/")
    assert (parsed.store, parsed.names, parsed.trailing_separator) == (
        "Demo data store",
        ("Home", "readings", "2024"),
        True,
    )
    assert parse_store_path("/s/a.csv").names == ("a.csv",)


@pytest.mark.parametrize("bad", ["", "/", "s/../x", 3, None, "s/\ud800"])
def test_bad_store_paths_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        parse_store_path(bad)


def test_an_entry_is_found_by_name_or_by_id() -> None:
    listing = directory("Home", "d.home", [directory("a", "d.a")], [file("a.csv", "f.a")])
    assert match_entry(listing, "a", "s/a", "s").name == "a"
    assert match_entry(listing, "f.a", "s/f.a", "s").dataStoreFileId == "f.a"  # type: ignore[union-attr]


def test_a_missing_name_is_a_typed_error_naming_it() -> None:
    listing = directory("Home", "d.home")
    with pytest.raises(PathNotFoundError) as caught:
        match_entry(listing, "nope", "s/x/nope", "s/x")
    assert (caught.value.missing, caught.value.parent, caught.value.path) == (
        "nope",
        "s/x",
        "s/x/nope",
    )
    assert isinstance(caught.value, NotFoundError)


def test_a_shared_name_is_ambiguous_and_lists_the_ids_in_listing_order() -> None:
    listing = directory("Home", "d.home", [directory("x", "d.1")], [file("x", "f.2")])
    with pytest.raises(AmbiguousPathError) as caught:
        match_entry(listing, "x", "s/x", "s")
    assert caught.value.ids == ["d.1", "f.2"]
    assert caught.value.name == "x"
    assert isinstance(caught.value, InvalidInputError)
    assert match_entry(listing, "d.1", "s/d.1", "s").name == "x"  # the way out


def test_the_home_directory_may_be_named_first_unless_an_entry_has_its_name() -> None:
    home = directory("Home", "d.home", [directory("readings", "d.r")])
    assert match_home_alias(home, "Home", "s/Home", "s") is home
    assert match_home_alias(home, "readings", "s/readings", "s").name == "readings"
    clash = directory("Home", "d.home", [directory("Home", "d.inner")])
    with pytest.raises(AmbiguousPathError) as caught:
        match_home_alias(clash, "Home", "s/Home", "s")
    assert caught.value.ids == ["d.home", "d.inner"]


def test_stores_are_matched_by_id_or_a_unique_name() -> None:
    stores = [
        DataStore(dataStoreId="dataStoreId.1", name="A"),
        DataStore(dataStoreId="dataStoreId.2", name="A"),
        DataStore(dataStoreId="dataStoreId.3", name="B"),
    ]
    assert match_store(stores, parse_store_path("B/x")).dataStoreId == "dataStoreId.3"
    assert match_store(stores, parse_store_path("dataStoreId.2")).dataStoreId == "dataStoreId.2"
    with pytest.raises(AmbiguousPathError):
        match_store(stores, parse_store_path("A"))
    with pytest.raises(PathNotFoundError):
        match_store(stores, parse_store_path("C"))


# -- comparing -------------------------------------------------------------------------------


def test_unchanged_means_same_size_and_a_source_not_newer() -> None:
    assert is_unchanged(3, 100.0, 3, 100.0)
    assert is_unchanged(3, 100.0 + MTIME_TOLERANCE_SECONDS, 3, 100.0)
    assert not is_unchanged(3, 102.5, 3, 100.0)
    assert not is_unchanged(3, 100.0, 4, 100.0)
    assert not is_unchanged(None, None, None, None)  # no size: transfer
    assert is_unchanged(3, None, 3, 100.0)  # no time: sizes decide


# -- plans -----------------------------------------------------------------------------------


def remote_tree() -> RemoteTree:
    tree = RemoteTree("s/top")
    tree.add(
        "",
        directory("top", "d.top", [directory("sub", "d.sub")], [file("same.csv", "f.same", 4)]),
    )
    tree.add("sub", directory("sub", "d.sub", [], [file("old.txt", "f.old", 2)]))
    return tree


def local_tree(**files: LocalFile) -> LocalTree:
    return LocalTree("/tmp/x", frozenset({"sub", "new"}), files)


def test_an_upload_plan_creates_what_is_missing_and_skips_what_is_unchanged() -> None:
    local = local_tree(
        **{
            "same.csv": LocalFile("same.csv", 4, T0_EPOCH - 10),
            "sub/old.txt": LocalFile("sub/old.txt", 5, T0_EPOCH - 10),
            "new/n.bin": LocalFile("new/n.bin", 1, T0_EPOCH),
        }
    )
    plan = plan_tree_upload(local, remote_tree(), create_root=False, compare=True, delete=False)
    assert plan.create_directories == ("new",)
    assert [(t.relative, t.reason) for t in plan.transfers] == [
        ("new/n.bin", "new"),
        ("sub/old.txt", "changed"),
    ]
    assert plan.transfers[1].remote is not None
    assert plan.transfers[1].remote.dataStoreFileId == "f.old"  # replaced once uploaded
    assert plan.unchanged == ("same.csv",)
    assert plan.transfer_bytes == 6
    assert (plan.delete_files, plan.delete_directories) == ((), ())


def test_without_compare_every_file_is_sent_and_existing_ones_replaced() -> None:
    local = local_tree(**{"same.csv": LocalFile("same.csv", 4, T0_EPOCH - 10)})
    plan = plan_tree_upload(local, remote_tree(), create_root=False, compare=False, delete=False)
    assert [(t.relative, t.reason) for t in plan.transfers] == [("same.csv", "replace")]
    assert plan.unchanged == ()


def test_delete_removes_remote_files_then_directories_deepest_first() -> None:
    tree = remote_tree()
    tree.add("sub/deeper", directory("deeper", "d.deeper"))
    tree.directories["sub"].directories.append(directory("deeper", "d.deeper"))
    local = LocalTree("/tmp/x", frozenset(), {})
    plan = plan_tree_upload(local, tree, create_root=False, compare=True, delete=True)
    assert [(d.relative, d.entry_id) for d in plan.delete_files] == [
        ("same.csv", "f.same"),
        ("sub/old.txt", "f.old"),
    ]
    assert [d.relative for d in plan.delete_directories] == ["sub/deeper", "sub"]


def test_a_download_plan_mirrors_the_upload_plan() -> None:
    local = LocalTree(
        "/tmp/x",
        frozenset({"stray"}),
        {
            "same.csv": LocalFile("same.csv", 4, T0_EPOCH + 60),  # downloaded after T0
            "extra.txt": LocalFile("extra.txt", 1, 0.0),
        },
    )
    plan = plan_tree_download(remote_tree(), local, create_root=False, compare=True, delete=True)
    assert plan.create_directories == ("sub",)
    assert [t.relative for t in plan.transfers] == ["sub/old.txt"]
    assert plan.unchanged == ("same.csv",)
    assert [d.relative for d in plan.delete_files] == ["extra.txt"]
    assert [d.relative for d in plan.delete_directories] == ["stray"]


def test_a_remote_file_newer_than_the_local_copy_is_downloaded_again() -> None:
    local = LocalTree("/tmp/x", frozenset({"sub"}), {"same.csv": LocalFile("same.csv", 4, 0.0)})
    plan = plan_tree_download(remote_tree(), local, create_root=False, compare=True, delete=False)
    assert ("same.csv", "changed") in [(t.relative, t.reason) for t in plan.transfers]


def test_duplicate_names_in_a_remote_listing_are_refused_with_their_ids() -> None:
    tree = RemoteTree("s/top")
    listing = directory("top", "d.top", [], [file("a.csv", "f.1"), file("a.csv", "f.2")])
    with pytest.raises(AmbiguousPathError) as caught:
        tree.add("", listing)
    assert caught.value.ids == ["f.1", "f.2"]


def test_a_file_meeting_a_directory_of_the_same_path_is_refused() -> None:
    local = LocalTree("/tmp/x", frozenset(), {"sub": LocalFile("sub", 1, 0.0)})
    with pytest.raises(PathTypeError):
        plan_tree_upload(local, remote_tree(), create_root=False, compare=True, delete=False)
    local = LocalTree("/tmp/x", frozenset({"same.csv"}), {})
    with pytest.raises(PathTypeError):
        plan_tree_download(remote_tree(), local, create_root=False, compare=True, delete=False)


@pytest.mark.parametrize("bad", ["..", "a\\b", "a\x00b"])
def test_remote_names_unusable_locally_are_refused_before_any_download(bad: str) -> None:
    tree = RemoteTree("s/top")
    tree.add("", directory("top", "d.top", [], [DataStoreFile(dataStoreFileId="f", name=bad)]))
    with pytest.raises(DownloadError):
        plan_tree_download(
            tree,
            LocalTree("/tmp/x", frozenset(), {}),
            create_root=True,
            compare=False,
            delete=False,
        )


def test_last_modified_is_also_an_aware_datetime() -> None:
    moment = file("a.csv", "f").lastModifiedAt
    assert moment is not None
    assert moment.utcoffset() is not None
    assert moment.timestamp() == T0_EPOCH
    assert file("a.csv", "f", modified=None).lastModifiedAt is None


def test_checksums_override_the_size_and_time_verdict() -> None:
    tree = remote_tree()
    local = local_tree(
        **{
            "same.csv": LocalFile("same.csv", 4, T0_EPOCH - 10),  # unchanged by time
            "sub/old.txt": LocalFile("sub/old.txt", 2, T0_EPOCH + 60),  # newer by time
        }
    )
    plan = plan_tree_upload(local, tree, create_root=False, compare=True, delete=False)
    assert same_size_pairs(local, tree) == ["same.csv", "sub/old.txt"]
    checked = with_checksums(plan, tree, {"same.csv": False, "sub/old.txt": True})
    assert [(t.relative, t.reason) for t in checked.transfers] == [("same.csv", "changed")]
    assert checked.unchanged == ("sub/old.txt",)
    assert with_checksums(plan, tree, {}) == plan  # no ETag verdict: sizes and times stand
