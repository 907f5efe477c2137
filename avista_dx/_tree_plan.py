"""What `upload_dir`, `download_dir` and `sync` will do, decided before any transfer (I/O-free).

Both trees are described by relative POSIX paths below their roots (`a/b/c.csv`). The remote
tree is built listing by listing from `walk()`; a name shared by several entries of one remote
directory (the exchange allows it) is refused there, naming the ids, because one local path
cannot stand for two remote entries.

A file is *unchanged* when both sides have the same size and the source is not newer than the
destination (allowing `MTIME_TOLERANCE_SECONDS` for clocks and the exchange's millisecond
`lastModified`): after a download the local copy is newer than the exchange's record, after an
upload the record is newer than the local file, so a second run transfers nothing. The
exchange's file metadata carries no checksum (an MD5 ETag only comes with each presigned
transfer), so comparing one would cost a request per file; sizes and times cost none.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from ._paths import Entry, entry_id, entry_name, join_path
from ._validation import local_name_problem, unencodable_index
from .errors import AmbiguousPathError, DownloadError, InvalidResponseError, PathTypeError
from .types import DataStoreDirectory, DataStoreFile

Direction = Literal["upload", "download"]
MTIME_TOLERANCE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A regular file of a local tree."""

    relative: str
    size: int
    mtime: float
    """Seconds since the epoch (`os.stat().st_mtime`)."""


@dataclass(frozen=True, slots=True)
class LocalTree:
    """A local directory and everything below it."""

    root: str
    """The local root, for messages and the plan."""
    directories: frozenset[str]
    """Relative paths of the directories below the root (the root itself excluded)."""
    files: Mapping[str, LocalFile]


@dataclass(slots=True)
class RemoteTree:
    """A remote directory and everything below it, by relative path ("" is the root)."""

    path: str
    """The store path of the root, for messages."""
    directories: dict[str, DataStoreDirectory] = field(default_factory=dict)
    files: dict[str, DataStoreFile] = field(default_factory=dict)

    def add(self, relative: str, listing: DataStoreDirectory) -> None:
        """Adds one listing (the directory at `relative` with its direct contents).

        Raises:
            AmbiguousPathError: two entries of the listing share a name.
        """
        where = join_path(self.path, relative)
        self.directories[relative] = listing
        entries: list[Entry] = [*listing.directories, *listing.files]
        counts = Counter(entry_name(entry) for entry in entries)
        for name, count in counts.items():
            if count > 1:
                ids = [entry_id(e) for e in entries if entry_name(e) == name]
                raise AmbiguousPathError(
                    f"{where!r} holds {count} entries named {name!r} ({ids}): a directory "
                    "transfer needs one entry per name; rename or move all but one",
                    path=where,
                    name=name,
                    ids=ids,
                )
        for file in listing.files:
            self.files[posixpath.join(relative, file.fileName)] = file

    def subdirectory_paths(self) -> set[str]:
        return {relative for relative in self.directories if relative}


@dataclass(frozen=True, slots=True)
class PlannedTransfer:
    """One file to transfer."""

    relative: str
    """The path below both roots."""
    size: int | None
    """The source's size in bytes (None when the exchange does not state it)."""
    reason: Literal["new", "changed", "replace"]
    """`new`: absent at the destination; `changed`: differs there (sync); `replace`: exists
    there and is replaced without comparing (upload_dir, download_dir)."""
    remote: DataStoreFile | None
    """Downloads: the file to fetch. Uploads: the remote file it replaces, deleted once the
    new one is complete."""


@dataclass(frozen=True, slots=True)
class PlannedDeletion:
    """One destination file or directory to delete (sync with `delete=True`)."""

    relative: str
    entry_id: str | None
    """The remote id (upload direction); None for a local path."""


@dataclass(frozen=True, slots=True)
class TreePlan:
    """What a directory transfer does (or, with `dry_run`, would do); every path is relative
    to the two roots."""

    direction: Direction
    remote_path: str
    local_path: str
    create_root: bool
    """Whether the destination root itself is missing and gets created."""
    create_directories: tuple[str, ...]
    """Destination directories to create, parents first."""
    transfers: tuple[PlannedTransfer, ...]
    unchanged: tuple[str, ...]
    """Files skipped because they are unchanged (sync)."""
    delete_files: tuple[PlannedDeletion, ...]
    """Destination files absent from the source (sync with `delete=True`)."""
    delete_directories: tuple[PlannedDeletion, ...]
    """Destination directories absent from the source, deepest first (after their files)."""
    dry_run: bool = False

    @property
    def transfer_bytes(self) -> int:
        """Bytes to move (files of unstated size count 0)."""
        return sum(t.size or 0 for t in self.transfers)


def is_unchanged(
    source_size: int | None,
    source_time: float | None,
    destination_size: int | None,
    destination_time: float | None,
) -> bool:
    if source_size is None or source_size != destination_size:
        return False
    if source_time is None or destination_time is None:
        return True  # sizes are all there is to compare
    return source_time <= destination_time + MTIME_TOLERANCE_SECONDS


def remote_time(file: DataStoreFile) -> float | None:
    try:
        moment = file.lastModifiedAt
    except InvalidResponseError:
        return None  # an unreadable time compares by size only
    return moment.timestamp() if moment is not None else None


def remote_size(file: DataStoreFile) -> int | None:
    size = file.storageSizeBytes
    return size if size is not None and size >= 0 else None


def check_local_names(remote: RemoteTree) -> None:
    """Every remote name must be usable as a local file name (downloads).

    Raises:
        DownloadError: a name is `.`/`..`, holds a separator or cannot be a local name.
    """
    for relative in [*remote.subdirectory_paths(), *remote.files]:
        name = posixpath.basename(relative)
        unusable = local_name_problem(name) is not None or unencodable_index(name) is not None
        if name in ("", ".", "..") or "\\" in name or unusable:
            raise DownloadError(
                f"{join_path(remote.path, relative)!r}: {name!r} is not a safe local file name"
            )


def plan_tree_upload(
    local: LocalTree, remote: RemoteTree, *, create_root: bool, compare: bool, delete: bool
) -> TreePlan:
    """Local → remote: `compare` skips unchanged files (sync), `delete` removes remote files
    and directories the local tree does not have."""
    remote_dirs = remote.subdirectory_paths()
    _refuse_kind_clashes(local.files, remote_dirs, remote.path, "a local file", "a directory")
    _refuse_kind_clashes(
        local.directories, remote.files, remote.path, "a local directory", "a file"
    )
    transfers: list[PlannedTransfer] = []
    unchanged: list[str] = []
    for relative, source in sorted(local.files.items()):
        existing = remote.files.get(relative)
        if existing is None:
            transfers.append(PlannedTransfer(relative, source.size, "new", None))
        elif not compare:
            transfers.append(PlannedTransfer(relative, source.size, "replace", existing))
        elif is_unchanged(source.size, source.mtime, remote_size(existing), remote_time(existing)):
            unchanged.append(relative)
        else:
            transfers.append(PlannedTransfer(relative, source.size, "changed", existing))
    delete_files: list[PlannedDeletion] = []
    delete_dirs: list[PlannedDeletion] = []
    if delete:
        delete_files = [
            PlannedDeletion(relative, file.dataStoreFileId)
            for relative, file in sorted(remote.files.items())
            if relative not in local.files
        ]
        delete_dirs = [
            PlannedDeletion(relative, remote.directories[relative].dataStoreDirectoryId)
            for relative in _deepest_first(remote_dirs - local.directories)
        ]
    return TreePlan(
        direction="upload",
        remote_path=remote.path,
        local_path=local.root,
        create_root=create_root,
        create_directories=_parents_first(local.directories - remote_dirs),
        transfers=tuple(transfers),
        unchanged=tuple(unchanged),
        delete_files=tuple(delete_files),
        delete_directories=tuple(delete_dirs),
    )


def plan_tree_download(
    remote: RemoteTree, local: LocalTree, *, create_root: bool, compare: bool, delete: bool
) -> TreePlan:
    """Remote → local: `compare` skips unchanged files (sync), `delete` removes local files and
    directories the remote tree does not have."""
    check_local_names(remote)
    remote_dirs = remote.subdirectory_paths()
    _refuse_kind_clashes(
        remote.files, local.directories, remote.path, "a remote file", "a local directory"
    )
    _refuse_kind_clashes(
        remote_dirs, local.files, remote.path, "a remote directory", "a local file"
    )
    transfers: list[PlannedTransfer] = []
    unchanged: list[str] = []
    for relative, source in sorted(remote.files.items()):
        existing = local.files.get(relative)
        size = remote_size(source)
        if existing is None:
            transfers.append(PlannedTransfer(relative, size, "new", source))
        elif not compare:
            transfers.append(PlannedTransfer(relative, size, "replace", source))
        elif is_unchanged(size, remote_time(source), existing.size, existing.mtime):
            unchanged.append(relative)
        else:
            transfers.append(PlannedTransfer(relative, size, "changed", source))
    delete_files: list[PlannedDeletion] = []
    delete_dirs: list[PlannedDeletion] = []
    if delete:
        delete_files = [
            PlannedDeletion(relative, None)
            for relative in sorted(local.files)
            if relative not in remote.files
        ]
        delete_dirs = [
            PlannedDeletion(relative, None)
            for relative in _deepest_first(local.directories - remote_dirs)
        ]
    return TreePlan(
        direction="download",
        remote_path=remote.path,
        local_path=local.root,
        create_root=create_root,
        create_directories=_parents_first(remote_dirs - local.directories),
        transfers=tuple(transfers),
        unchanged=tuple(unchanged),
        delete_files=tuple(delete_files),
        delete_directories=tuple(delete_dirs),
    )


def _refuse_kind_clashes(
    sources: Iterable[str], destinations: Iterable[str], root: str, source: str, found: str
) -> None:
    clashes = sorted(set(sources) & set(destinations))
    if clashes:
        where = join_path(root, clashes[0])
        raise PathTypeError(f"{where!r}: {source} meets {found} of the same path", path=where)


def _depth(relative: str) -> int:
    return relative.count("/")


def _parents_first(relatives: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(relatives, key=lambda r: (_depth(r), r)))


def _deepest_first(relatives: Iterable[str]) -> list[str]:
    return sorted(relatives, key=lambda r: (-_depth(r), r))


@dataclass(frozen=True, slots=True)
class TreeProgress:
    """Passed to a directory transfer's `progress` callback after each file completes."""

    relative: str
    """The file just transferred, relative to the roots."""
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int


def same_size_pairs(local: LocalTree, remote: RemoteTree) -> list[str]:
    """Files on both sides with the same, non-zero size: those a checksum can tell apart
    (two empty files are equal)."""
    return sorted(
        relative
        for relative, file in local.files.items()
        if relative in remote.files
        and file.size > 0
        and remote_size(remote.files[relative]) == file.size
    )


def with_checksums(plan: TreePlan, remote: RemoteTree, equal: Mapping[str, bool]) -> TreePlan:
    """`plan` once the contents of some same-size pairs were compared (`equal[relative]`):
    equal ones are unchanged, different ones transferred, whatever their times said; pairs
    without a verdict keep the size-and-time one."""
    kept = [t for t in plan.transfers if equal.get(t.relative) is not True]
    unchanged = [r for r in plan.unchanged if equal.get(r) is not False]
    unchanged += [t.relative for t in plan.transfers if equal.get(t.relative) is True]
    changed = [
        PlannedTransfer(r, remote_size(remote.files[r]), "changed", remote.files[r])
        for r in plan.unchanged
        if equal.get(r) is False
    ]
    return replace(
        plan,
        transfers=tuple(sorted([*kept, *changed], key=lambda t: t.relative)),
        unchanged=tuple(sorted(unchanged)),
    )
