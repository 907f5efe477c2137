"""`dx.dataStores`'s management methods: stores, directories, file updates and moves, zip
downloads, data views, upload notices. A base of `AsyncDataStores` (kept apart from the 1.2.1
names)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from ... import _ops_data_stores as ops
from ..._backends import AsyncBackend
from ...types import DataStore, DataStoreDirectory, DataStoreFile, UploadCompleteResponse
from .._resource import AsyncAPIResource


class AsyncDataStoreManagement(AsyncAPIResource):
    """Creating, changing and deleting stores, directories and files; zips and data views.
    Unset optional arguments are left out of the request (the exchange keeps its value)."""

    # -- stores -------------------------------------------------------------------------------

    async def createDataStore(self, name: str, *, description: str | None = None) -> DataStore:
        """Creates a data store you own, with its home directory (`homeDirectoryId`)."""
        return await self._execute(ops.create_data_store(name, description))

    async def updateDataStore(
        self, dataStoreId: str, *, name: str | None = None, description: str | None = None
    ) -> DataStore:
        """Renames a data store or changes its description; returns it as it is now.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return await self._execute(ops.update_data_store(dataStoreId, name, description))

    async def deleteDataStore(self, dataStoreId: str) -> DataStore:
        """Deletes a data store with all its directories and files; returns what it was."""
        return await self._execute(ops.delete_data_store(dataStoreId))

    # -- directories --------------------------------------------------------------------------

    async def createDataStoreDirectory(
        self, dataStoreId: str, parentDirectoryId: str, name: str
    ) -> DataStoreDirectory:
        """Creates a directory in `parentDirectoryId` (the store's `homeDirectoryId` for the
        top level). The exchange allows two directories of the same name side by side."""
        return await self._execute(ops.create_directory(dataStoreId, parentDirectoryId, name))

    async def updateDataStoreDirectory(
        self,
        dataStoreDirectoryId: str,
        *,
        name: str | None = None,
        parentDirectoryId: str | None = None,
    ) -> DataStoreDirectory:
        """Renames a directory and/or moves it under `parentDirectoryId` (same store).

        Raises:
            InvalidInputError: neither `name` nor `parentDirectoryId` is given.
        """
        return await self._execute(
            ops.update_directory(dataStoreDirectoryId, name, parentDirectoryId)
        )

    async def deleteDataStoreDirectory(self, dataStoreDirectoryId: str) -> DataStoreDirectory:
        """Deletes an empty directory (not the home directory); returns what it was.

        Raises:
            BadRequestError: the directory still holds files or directories.
        """
        return await self._execute(ops.delete_directory(dataStoreDirectoryId))

    # -- files --------------------------------------------------------------------------------

    async def updateDataStoreFile(
        self,
        dataStoreFileId: str,
        *,
        name: str | None = None,
        description: str | None = None,
        dataStoreDirectoryId: str | None = None,
    ) -> DataStoreFile:
        """Renames a file (`name` without its extension), changes its description, and/or
        moves it to `dataStoreDirectoryId`; returns it as it is now.

        Raises:
            InvalidInputError: none of `name`, `description`, `dataStoreDirectoryId` is given.
        """
        return await self._execute(
            ops.update_file(dataStoreFileId, name, description, dataStoreDirectoryId)
        )

    async def moveDataStoreFile(
        self, dataStoreFileId: str, dataStoreDirectoryId: str
    ) -> DataStoreFile:
        """Moves a file to another directory of its store (`updateDataStoreFile` with only
        `dataStoreDirectoryId`)."""
        return await self._execute(
            ops.update_file(dataStoreFileId, None, None, dataStoreDirectoryId)
        )

    async def getDataStoreZipDownloadUrl(
        self,
        *,
        dataStoreFileIds: Sequence[str] = (),
        dataStoreDirectoryIds: Sequence[str] = (),
    ) -> str:
        """A presigned GET URL of one zip archive of the given files and directories (with
        everything inside them).

        Raises:
            InvalidInputError: no id is given.
        """
        return await self._execute(ops.zip_download_url(dataStoreFileIds, dataStoreDirectoryIds))

    # -- data views ---------------------------------------------------------------------------

    async def createDataStoreFileDataView(self, dataStoreFileId: str) -> DataStoreFile:
        """Creates a data view of a file; the file's `dataViewIds` then include it."""
        return await self._execute(ops.create_data_view(dataStoreFileId))

    async def deleteDataStoreFileDataView(
        self, dataStoreFileId: str, dataViewId: str
    ) -> DataStoreFile:
        """Deletes a data view of a file; returns the file as it is now."""
        return await self._execute(ops.delete_data_view(dataStoreFileId, dataViewId))

    # -- upload notices -----------------------------------------------------------------------

    def onNotifyUploadComplete(self, uploadId: str) -> AsyncIterator[UploadCompleteResponse]:
        """The exchange's notices that the upload `uploadId` (a `PresignedUrl.uploadId`, as
        `storage_createDataStoreFile` answers it) has ended: an async iterator on the async
        client, an iterator on the sync one. The exchange sends them itself (the mutation
        that pushes them is internal); the SDK's uploads do not wait for them, they read the
        file's metadata. Needs the `realtime` extra."""
        call = ops.on_notify_upload_complete(uploadId)
        return AsyncBackend.events(self._client._events(call))
