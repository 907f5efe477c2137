"""The navigation behind a `DataStore` that a client returns: 1.2.1's shell-like `cd`, `ls`,
`pwd`, `uploadFile`, `downloadFile`, `deleteFile`, `getWorkingDirectoryPath` (the `DataStore`
methods of those names call this object's).

Unlike 1.2.1, nothing is loaded up front: each directory is fetched (one request, one level)
the first time the navigation needs its contents, and kept until this object changes it (an
upload or delete through it) or `ls(refresh=True)`. A name shared by several entries of one
directory (the exchange allows it) is refused as ambiguous (`AmbiguousPathError`, an
`InvalidInputError`), naming the ids, rather than guessed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, TypeVar, cast

from ... import _operations as ops
from ..._paths import display_path, path_parts
from ..._transfers import ProgressOption
from ..._upload_sources import UploadContent
from ...errors import AmbiguousPathError, InvalidInputError, NotFoundError
from ...types import DataStore, DataStoreDirectory, DataStoreFile
from .._resource import AsyncResourceHost

E = TypeVar("E", DataStoreDirectory, DataStoreFile)

if TYPE_CHECKING:

    class AsyncNavigableDataStore(DataStore):
        """The static type of a `DataStore` this client returns: the same object (its class
        is `DataStore`), with its navigation methods' real signatures for IDEs and mypy."""

        async def cd(self, path: str) -> DataStoreDirectory: ...

        async def ls(
            self, path: str | None = None, *, refresh: bool = False
        ) -> DataStoreDirectory: ...

        async def uploadFile(
            self,
            localFilePath: UploadContent,
            name: str | None = None,
            description: str | None = None,
            *,
            progress: ProgressOption = None,
            content_type: str | None = None,
        ) -> DataStoreFile: ...

        async def downloadFile(
            self,
            filename: str,
            writeLocation: str | os.PathLike[str] | IO[bytes] | None = None,
            *,
            progress: ProgressOption = None,
        ) -> DataStoreFile: ...

        async def deleteFile(self, filename: str) -> DataStoreFile: ...

else:
    AsyncNavigableDataStore = DataStore  # at run time: the very `DataStore` class


class AsyncDataStoreNavigation:
    """A working directory (home at first) in one data store, and the listings seen."""

    def __init__(self, store: DataStore, host: AsyncResourceHost) -> None:
        self._store = store
        self._host = host
        self._trail: list[DataStoreDirectory] = []  # home .. working directory
        self._listings: dict[str, DataStoreDirectory] = {}

    @classmethod
    def attach(cls, store: DataStore, host: AsyncResourceHost) -> AsyncNavigableDataStore:
        """`store`, navigable through `host` (no request until a navigation method needs one)."""
        store._navigation = cls(store, host)
        return cast("AsyncNavigableDataStore", store)

    # -- the working directory -----------------------------------------------------------------

    def getWorkingDirectoryPath(self) -> str:
        """The absolute path of the working directory (`/` is the home directory)."""
        return display_path([d.name for d in self._trail[1:]])

    def pwd(self) -> str:
        """The absolute path of the working directory (1.2.1 printed it; this returns it)."""
        return self.getWorkingDirectoryPath()

    async def cd(self, path: str) -> DataStoreDirectory:
        """Changes the working directory (`..`, `a/b`, `/` for home); returns its listing.

        Raises:
            NotFoundError: no such directory.
            InvalidInputError: an ambiguous name.
        """
        trail = await self._resolve(path)
        self._trail = trail
        return await self._listing(trail[-1].dataStoreDirectoryId)

    async def ls(self, path: str | None = None, *, refresh: bool = False) -> DataStoreDirectory:
        """The listing of the working directory, or of `path` relative to it (1.2.1 printed
        it; call `.printContents()` on the result for that). `refresh` fetches it again."""
        trail = await self._resolve(path or ".")
        directory_id = trail[-1].dataStoreDirectoryId
        if refresh:
            self._listings.pop(directory_id, None)
        return await self._listing(directory_id)

    # -- files of the working directory --------------------------------------------------------

    async def uploadFile(
        self,
        localFilePath: UploadContent,
        name: str | None = None,
        description: str | None = None,
        *,
        progress: ProgressOption = None,
        content_type: str | None = None,
    ) -> DataStoreFile:
        """Uploads a local file, bytes or a binary file object into the working directory
        (as `uploadFileToDataStore`)."""
        from .data_stores import AsyncDataStores

        working = (await self._resolve("."))[-1]
        uploaded = await AsyncDataStores.uploadFileToDataStore(
            self._host,
            self._store.dataStoreId,
            working.dataStoreDirectoryId,
            localFilePath,
            name,
            description,
            progress=progress,
            content_type=content_type,
        )
        self._listings.pop(working.dataStoreDirectoryId, None)  # fetched again when needed
        return uploaded

    async def downloadFile(
        self,
        filename: str,
        writeLocation: str | os.PathLike[str] | IO[bytes] | None = None,
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Downloads `filename` (`name.ext`) of the working directory to `writeLocation`
        (default: the current local directory, under its cloud name), as
        `downloadDataStoreFile`."""
        from .data_stores import AsyncDataStores

        found = await self._file(filename)
        return await AsyncDataStores.downloadDataStoreFile(
            self._host,
            found.dataStoreFileId,
            "." if writeLocation is None else writeLocation,
            progress=progress,
        )

    async def deleteFile(self, filename: str) -> DataStoreFile:
        """Deletes `filename` (`name.ext`) of the working directory; returns its metadata."""
        found = await self._file(filename)
        deleted = await self._host._execute(ops.delete_data_store_file(found.dataStoreFileId))
        self._listings.pop(self._trail[-1].dataStoreDirectoryId, None)
        return deleted

    # -- helpers -------------------------------------------------------------------------------

    async def _listing(self, directory_id: str) -> DataStoreDirectory:
        listing = self._listings.get(directory_id)
        if listing is None:
            listing = await self._host._execute(ops.get_data_store_directory(directory_id))
            self._listings[directory_id] = listing
        return listing

    async def _resolve(self, path: str) -> list[DataStoreDirectory]:
        absolute, names = path_parts(path)
        if not self._trail:
            store = self._store
            if not store.homeDirectoryId:
                raise NotFoundError(f"data store {store.dataStoreId!r} has no home directory")
            self._trail = [await self._listing(store.homeDirectoryId)]
        trail = self._trail[:1] if absolute else list(self._trail)
        for name in names:
            if name == ".":
                continue
            if name == "..":
                trail = trail[:-1] or trail  # home has no parent here
                continue
            listing = await self._listing(trail[-1].dataStoreDirectoryId)
            trail.append(_only(listing.directories, name, "directory", path, lambda d: d.name))
        return trail

    async def _file(self, filename: str) -> DataStoreFile:
        if not isinstance(filename, str) or not filename or "/" in filename:
            raise InvalidInputError("filename must be a file name of the working directory")
        working = (await self._resolve("."))[-1]
        listing = await self._listing(working.dataStoreDirectoryId)
        return _only(listing.files, filename, "file", filename, lambda f: f.fileName)


def _only(entries: list[E], name: str, kind: str, path: str, name_of: Callable[[E], str]) -> E:
    matches = [entry for entry in entries if name_of(entry) == name]
    if not matches:
        raise NotFoundError(f"no {kind} {name!r} (in {path!r})")
    if len(matches) > 1:
        ids = [
            m.dataStoreFileId if isinstance(m, DataStoreFile) else m.dataStoreDirectoryId
            for m in matches
        ]
        raise AmbiguousPathError(
            f"{len(matches)} entries are named {name!r}: {ids}; use their ids",
            path=path,
            name=name,
            ids=ids,
        )
    return matches[0]
