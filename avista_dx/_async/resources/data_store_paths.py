"""`dx.dataStores`'s paths and folders: `resolve`, `walk`, `mkdir`, `upload_dir`,
`download_dir`, `sync`. A base of `AsyncDataStores`.

Paths are store paths (`avista_dx/_paths.py`): `"<store name or id>/<names>"`. Listing costs
one request per directory visited (a listing holds a directory's files and sub-directories),
never one per file; what to transfer is planned from the listings (`avista_dx/_tree_plan.py`)
before anything moves, so a refused tree (duplicate names, a file where a directory is)
changes nothing.
"""

from __future__ import annotations

import os
import posixpath
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ... import _operations as ops
from ... import _ops_data_stores as store_ops
from ..._backends import AsyncBackend
from ..._local_tree import (
    local_directory,
    local_md5,
    make_local_directories,
    remove_local,
    scan_local_tree,
)
from ..._paths import (
    STORE_ID_PREFIX,
    Entry,
    StorePath,
    join_path,
    match_entry,
    match_home_alias,
    match_store,
    parse_store_path,
)
from ..._transfers import UploadBody, plan_upload
from ..._tree_plan import (
    Direction,
    LocalTree,
    PlannedTransfer,
    RemoteTree,
    TreePlan,
    TreeProgress,
    plan_tree_download,
    plan_tree_upload,
    same_size_pairs,
    with_checksums,
)
from ..._validation import require_local_path, whole_number
from ...errors import (
    DxError,
    InvalidInputError,
    NotFoundError,
    PathExistsError,
    PathNotFoundError,
    PathTypeError,
)
from ...types import DataStore, DataStoreDirectory, DataStoreFile
from .._resource import AsyncAPIResource

T = TypeVar("T")
WalkEntry = tuple[str, list[DataStoreDirectory], list[DataStoreFile]]
"""What `walk` yields: (store path, sub-directories, files) of one directory."""

TreeProgressCallback = Callable[[TreeProgress], None]
DEFAULT_CONCURRENCY = 4


@dataclass(slots=True)
class _Descent:
    """How far a store path led: the store, the listings from home to the deepest directory
    found, the entry the path names (None if missing) and the names not found."""

    path: StorePath
    store: DataStore
    listings: list[DataStoreDirectory]
    found: Entry | None
    missing: tuple[str, ...]

    def shown(self, depth: int) -> str:
        """The store path of the first `depth` names."""
        return "/".join([self.path.store, *self.path.names[:depth]])

    def not_found(self) -> PathNotFoundError:
        depth = len(self.path.names) - len(self.missing)
        parent = self.shown(depth)
        return PathNotFoundError(
            f"{self.path.text!r}: no {self.missing[0]!r} in {parent!r}",
            path=self.path.text,
            missing=self.missing[0],
            parent=parent,
        )


class AsyncDataStorePaths(AsyncAPIResource):
    """Store paths: resolve them, walk a tree, make directories, transfer whole trees."""

    async def resolve(self, path: str) -> DataStoreDirectory | DataStoreFile:
        """The file or directory a store path names, e.g.
        `"Demo data store/Home/readings/2024/january.csv"`.

        The path is the store's name or id, then names below its home directory (the first
        may be the home directory's own name). Any name may be replaced by the entry's id,
        which is how one of several entries sharing a name is chosen. A directory comes with
        its listing (`files`, `directories`). A trailing `/` requires a directory.

        Costs one request for the store, then one per directory on the way.

        Raises:
            PathNotFoundError: a component does not exist (`missing`, `parent` say which).
            AmbiguousPathError: several entries share a name of the path (`ids` lists them).
            PathTypeError: a file stands where the path needs a directory.
        """
        descent = await self._descend(parse_store_path(path))
        if descent.found is None:
            raise descent.not_found()
        if isinstance(descent.found, DataStoreFile) and descent.path.trailing_separator:
            raise PathTypeError(f"{path!r} is a file, not a directory", path=path)
        return descent.found

    async def walk(self, path: str) -> AsyncIterator[WalkEntry]:
        """Yields `(path, directories, files)` for the directory at `path` and every directory
        below it, top-down, like `os.walk`: lazily, one request per directory visited.

        Remove entries from `directories` (in place) to skip them. A sub-directory's path is
        its parent's path and its name, or its id when other entries of the parent share
        that name (`resolve` accepts both).

        Raises:
            PathNotFoundError: as `resolve` for `path`.
            AmbiguousPathError: as `resolve` for `path`.
            PathTypeError: `path` is a file.
        """
        top: DataStoreDirectory | None = await self._directory(path)
        # (path, listing or None, id): a listing is fetched when its directory is visited.
        stack: list[tuple[str, DataStoreDirectory | None, str]] = [(_shown_root(path), top, "")]
        while stack:
            current, listing, directory_id = stack.pop()
            if listing is None:
                listing = await self._listing(directory_id)
            directories = list(listing.directories)
            yield current, directories, list(listing.files)
            names = [d.name for d in listing.directories] + [f.fileName for f in listing.files]
            for directory in reversed(directories):  # as the caller left the list
                shared = names.count(directory.name) > 1
                child = join_path(
                    current, directory.dataStoreDirectoryId if shared else directory.name
                )
                stack.append((child, None, directory.dataStoreDirectoryId))

    async def mkdir(
        self, path: str, *, parents: bool = False, exist_ok: bool = False
    ) -> DataStoreDirectory:
        """Creates the directory `path` names; returns it (as `os.makedirs` with `parents`,
        as `os.mkdir` without).

        Raises:
            PathExistsError: `path` exists (a file, or a directory without `exist_ok`).
            PathNotFoundError: a parent is missing and `parents` is False.
            AmbiguousPathError: as `resolve`.
            PathTypeError: as `resolve`.
        """
        descent = await self._descend(parse_store_path(path))
        if descent.found is not None:
            if isinstance(descent.found, DataStoreDirectory) and exist_ok:
                return descent.found
            raise PathExistsError(f"{path!r} exists", path=path)
        if len(descent.missing) > 1 and not parents:
            raise descent.not_found()
        parent = descent.listings[-1]
        for name in descent.missing:
            parent = await self._execute(
                store_ops.create_directory(
                    descent.store.dataStoreId, parent.dataStoreDirectoryId, name
                )
            )
        return parent

    async def upload_dir(
        self,
        local_dir: str | os.PathLike[str],
        path: str,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        progress: TreeProgressCallback | None = None,
        dry_run: bool = False,
    ) -> TreePlan:
        """Uploads the files below `local_dir` into the directory `path` (created with its
        parents if missing), re-creating the sub-directories. A remote file of the same
        path is replaced: the new one is uploaded first, then the old one deleted.

        `concurrency` files move at once; `progress` is called after each file; `dry_run`
        only returns the plan. Costs one request per remote directory to plan, then per
        file its upload requests.

        Raises:
            LocalFileNotFoundError: `local_dir` is not a directory.
            AmbiguousPathError: remote entries share a name (nothing is transferred).
            PathTypeError: a local file meets a remote directory of its path, or the reverse.
            UploadError: a transfer failed (files already done stay uploaded).
        """
        return await self._transfer_tree(
            "upload", local_dir, path, False, False, concurrency, progress, dry_run
        )

    async def download_dir(
        self,
        path: str,
        local_dir: str | os.PathLike[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        progress: TreeProgressCallback | None = None,
        dry_run: bool = False,
    ) -> TreePlan:
        """Downloads the directory `path` with everything below it into `local_dir` (created
        with its parents if missing); local files of the same paths are replaced, each
        atomically. Options and costs as `upload_dir`.

        Raises:
            PathNotFoundError: `path` does not exist.
            PathTypeError: `path` is a file.
            AmbiguousPathError: remote entries share a name (nothing is transferred).
            DownloadError: a remote name is not a safe local name, or a transfer failed.
        """
        return await self._transfer_tree(
            "download", local_dir, path, False, False, concurrency, progress, dry_run
        )

    async def sync(
        self,
        local_dir: str | os.PathLike[str],
        path: str,
        *,
        direction: Direction,
        delete: bool = False,
        checksum: bool = False,
        concurrency: int = DEFAULT_CONCURRENCY,
        progress: TreeProgressCallback | None = None,
        dry_run: bool = False,
    ) -> TreePlan:
        """Makes the destination tree match the source: `direction="upload"` sends
        `local_dir` to `path`, `"download"` brings `path` to `local_dir`.

        Unchanged files (same size, source not newer than the destination) are skipped and
        cost no request; `delete=True` also removes destination files and directories the
        source does not have. `dry_run=True` changes nothing and returns the plan. With
        nothing to transfer, a sync costs one request per remote directory (plus the
        store's).

        `checksum=True` compares the contents of files of equal size: the local MD5 against
        the MD5 ETag the storage gives (a one-byte ranged GET), whatever the times say. The
        exchange's metadata carries no checksum, so this costs one URL request and one tiny
        GET per such file; a file whose ETag is not an MD5 (a multipart upload) keeps the
        size-and-time verdict.

        It raises what `upload_dir` and `download_dir` raise.
        """
        if direction not in ("upload", "download"):
            raise InvalidInputError("direction must be 'upload' or 'download'")
        return await self._transfer_tree(
            direction, local_dir, path, True, delete, concurrency, progress, dry_run, checksum
        )

    # -- directory transfers ------------------------------------------------------------------

    async def _transfer_tree(
        self,
        direction: Direction,
        local_dir: str | os.PathLike[str],
        path: str,
        compare: bool,
        delete: bool,
        concurrency: int,
        progress: TreeProgressCallback | None,
        dry_run: bool,
        checksum: bool = False,
    ) -> TreePlan:
        local_root = require_local_path("local_dir", local_dir)
        limit = whole_number("concurrency", concurrency)
        if limit < 1:
            raise InvalidInputError("concurrency must be at least 1")
        if progress is not None and not callable(progress):
            raise InvalidInputError("progress must be a callable taking a TreeProgress")
        store_path = parse_store_path(path)
        if direction == "upload":
            local = await AsyncBackend.in_thread(scan_local_tree, local_root, True)
            descent = await self._descend(store_path)
            store_id = descent.store.dataStoreId
            if isinstance(descent.found, DataStoreFile):
                raise PathTypeError(f"{path!r} is a file, not a directory", path=path)
            if descent.found is None:
                remote = RemoteTree(_shown_root(path))
            else:
                remote = await self._remote_tree(path, descent.found)
            plan = plan_tree_upload(
                local, remote, create_root=descent.found is None, compare=compare, delete=delete
            )
        else:
            store_id = ""  # not needed to download
            remote = await self._remote_tree(path, await self._directory(path))
            exists = await AsyncBackend.in_thread(local_directory, local_root)
            local = await AsyncBackend.in_thread(scan_local_tree, local_root, False)
            plan = plan_tree_download(
                remote, local, create_root=not exists, compare=compare, delete=delete
            )
        if checksum:
            plan = with_checksums(plan, remote, await self._compare(local, remote, limit))
        if dry_run:
            return replace(plan, dry_run=True)
        if direction == "upload":
            await self._run_upload(plan, store_path, store_id, local_root, remote, limit, progress)
        else:
            await self._run_download(plan, local_root, limit, progress)
        return plan

    async def _run_upload(
        self,
        plan: TreePlan,
        store_path: StorePath,
        store_id: str,
        local_root: Path,
        remote: RemoteTree,
        limit: int,
        progress: TreeProgressCallback | None,
    ) -> None:
        root = (
            await self.mkdir(store_path.text, parents=True, exist_ok=True)
            if plan.create_root
            else remote.directories[""]
        )
        ids = {relative: d.dataStoreDirectoryId for relative, d in remote.directories.items()}
        ids[""] = root.dataStoreDirectoryId
        for relative in plan.create_directories:
            parent, name = posixpath.split(relative)
            created = await self._execute(store_ops.create_directory(store_id, ids[parent], name))
            ids[relative] = created.dataStoreDirectoryId
        report = _Reporter(plan, progress)

        async def upload(transfer: PlannedTransfer) -> None:
            parent, name = posixpath.split(transfer.relative)
            upload_plan = plan_upload(local_root / transfer.relative, name)
            create = ops.create_data_store_file(
                store_id, ids[parent], upload_plan.name, upload_plan.extension, None
            )
            await self._client._upload(create, UploadBody(upload_plan, None))
            if transfer.remote is not None:  # the new copy is complete: drop the old one
                await self._execute(ops.delete_data_store_file(transfer.remote.dataStoreFileId))
            report.done(transfer)

        await _each(upload, list(plan.transfers), limit)

        async def delete_file(relative: str) -> None:
            await self._execute(ops.delete_data_store_file(remote.files[relative].dataStoreFileId))

        await _each(delete_file, [d.relative for d in plan.delete_files], limit)
        for deletion in plan.delete_directories:
            await self._execute(store_ops.delete_directory(ids[deletion.relative]))

    async def _run_download(
        self,
        plan: TreePlan,
        local_root: Path,
        limit: int,
        progress: TreeProgressCallback | None,
    ) -> None:
        await AsyncBackend.in_thread(make_local_directories, local_root, plan.create_directories)
        report = _Reporter(plan, progress)

        async def download(transfer: PlannedTransfer) -> None:
            source = transfer.remote
            assert source is not None  # every planned download names its source
            await self._client._download(
                source.dataStoreFileId, source, local_root / transfer.relative, None
            )
            report.done(transfer)

        await _each(download, list(plan.transfers), limit)
        await AsyncBackend.in_thread(
            remove_local,
            local_root,
            [d.relative for d in plan.delete_files],
            [d.relative for d in plan.delete_directories],
        )

    async def _compare(self, local: LocalTree, remote: RemoteTree, limit: int) -> dict[str, bool]:
        """Whether each same-size pair has equal contents, where the storage states an MD5."""
        equal: dict[str, bool] = {}
        root = Path(local.root)

        async def compare(relative: str) -> None:
            stored = await self._client._stored_md5(remote.files[relative].dataStoreFileId)
            if stored is not None:
                equal[relative] = stored == await AsyncBackend.in_thread(local_md5, root / relative)

        await _each(compare, same_size_pairs(local, remote), limit)
        return equal

    async def _remote_tree(self, path: str, top: DataStoreDirectory) -> RemoteTree:
        """Every listing below `top` (one request per sub-directory), checked for duplicate
        names before it is descended."""
        tree = RemoteTree(_shown_root(path))
        pending = [("", top)]
        while pending:
            relative, listing = pending.pop()
            tree.add(relative, listing)
            for directory in listing.directories:
                child = await self._listing(directory.dataStoreDirectoryId)
                pending.append((posixpath.join(relative, directory.name), child))
        return tree

    # -- resolving ----------------------------------------------------------------------------

    async def _directory(self, path: str) -> DataStoreDirectory:
        found = await self.resolve(path)
        if not isinstance(found, DataStoreDirectory):
            raise PathTypeError(f"{path!r} is a file, not a directory", path=path)
        return found

    async def _store(self, path: StorePath) -> DataStore:
        if path.store.startswith(STORE_ID_PREFIX):
            try:
                return await self._execute(ops.get_data_store(path.store))
            except NotFoundError:
                pass  # reported below, as for a name
            stores: list[DataStore] = []
        else:
            stores = await self._execute(ops.list_data_stores())
        return match_store(stores, path)

    async def _listing(self, directory_id: str) -> DataStoreDirectory:
        return await self._execute(ops.get_data_store_directory(directory_id))

    async def _descend(self, path: StorePath) -> _Descent:
        """Follows `path` as far as it exists: one request for the store, one per directory."""
        store = await self._store(path)
        if not store.homeDirectoryId:
            raise PathNotFoundError(
                f"{path.text!r}: data store {store.name!r} has no home directory",
                path=path.text,
                missing=path.store,
                parent="",
            )
        listings = [await self._listing(store.homeDirectoryId)]
        descent = _Descent(path, store, listings, listings[0], ())
        for depth, name in enumerate(path.names):
            parent = listings[-1]
            if isinstance(descent.found, DataStoreFile):
                raise PathTypeError(
                    f"{path.text!r}: {descent.shown(depth)!r} is a file, not a directory",
                    path=path.text,
                )
            try:
                if depth == 0:
                    entry = match_home_alias(parent, name, path.text, descent.shown(0))
                else:
                    entry = match_entry(parent, name, path.text, descent.shown(depth))
            except PathNotFoundError:
                descent.found, descent.missing = None, path.names[depth:]
                return descent
            if isinstance(entry, DataStoreDirectory) and entry is not parent:
                entry = await self._listing(entry.dataStoreDirectoryId)
                listings.append(entry)
            descent.found = entry
        return descent


async def _each(function: Callable[[T], Awaitable[None]], items: list[T], limit: int) -> None:
    """`function` on every item, `limit` at a time; after the first `DxError` no new item
    starts, those running finish, and that error is raised as it is (never wrapped in an
    exception group, on either client)."""
    failures: list[DxError] = []

    async def guarded(item: T) -> None:
        if failures:
            return
        try:
            await function(item)
        except DxError as error:
            failures.append(error)

    await AsyncBackend.run_each(guarded, items, limit)
    if failures:
        raise failures[0]


class _Reporter:
    """Counts finished files and calls the caller's progress callback (worker threads on
    the sync client, hence the lock)."""

    def __init__(self, plan: TreePlan, progress: TreeProgressCallback | None) -> None:
        self._progress = progress
        self._files_total = len(plan.transfers)
        self._bytes_total = plan.transfer_bytes
        self._files = 0
        self._bytes = 0
        self._lock = threading.Lock()

    def done(self, transfer: PlannedTransfer) -> None:
        if self._progress is None:
            return
        with self._lock:
            self._files += 1
            self._bytes += transfer.size or 0
            update = TreeProgress(
                transfer.relative, self._files, self._files_total, self._bytes, self._bytes_total
            )
        self._progress(update)


def _shown_root(path: str) -> str:
    parsed = parse_store_path(path)
    return "/".join([parsed.store, *parsed.names])
