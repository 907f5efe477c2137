"""`dx.dataStores`: directories and files of Data Stores (the 1.2.1 names)."""

from __future__ import annotations

import os

from ... import _operations as ops
from ..._transfers import (
    ProgressOption,
    UploadBody,
    check_download_arguments,
    cloud_file_name,
    plan_upload,
    progress_callback,
    resolve_download_target,
)
from ...types import DataStore, DataStoreDirectory, DataStoreFile
from .._resource import AsyncResourceHost
from .data_store_paths import AsyncDataStorePaths
from .navigation import AsyncDataStoreNavigation
from .store_management import AsyncDataStoreManagement


class AsyncDataStores(AsyncDataStorePaths, AsyncDataStoreManagement):
    """Data Stores: `dx.dataStores.listDataStores()`, ... The methods defined here are also
    documented root methods of the client (`dx.listDataStores()`); the management methods
    (`createDataStore`, ...) come from `AsyncDataStoreManagement`, the store paths
    (`resolve`, `walk`, `mkdir`, `upload_dir`, `download_dir`, `sync`) from
    `AsyncDataStorePaths`."""

    async def listDataStores(self: AsyncResourceHost) -> list[DataStore]:
        """The data stores you own (each navigable, as `getDataStore`'s)."""
        stores = await self._execute(ops.list_data_stores())
        return [AsyncDataStoreNavigation.attach(store, self) for store in stores]

    async def getDataStore(self: AsyncResourceHost, dataStoreId: str) -> DataStore:
        """The metadata of a data store, navigable like a shell (`cd`, `ls`, `pwd`,
        `uploadFile`, `downloadFile`, `deleteFile`): one request now, one per directory
        visited later."""
        store = await self._execute(ops.get_data_store(dataStoreId))
        return AsyncDataStoreNavigation.attach(store, self)

    async def getDataStoreDirectory(
        self: AsyncResourceHost, dataStoreDirectoryId: str
    ) -> DataStoreDirectory:
        """A directory with its files and sub-directories (one level, in one request)."""
        return await self._execute(ops.get_data_store_directory(dataStoreDirectoryId))

    async def getDataStoreFileMeta(self: AsyncResourceHost, dataStoreFileId: str) -> DataStoreFile:
        """The metadata of a file."""
        return await self._execute(ops.get_data_store_file(dataStoreFileId))

    async def downloadDataStoreFile(
        self: AsyncResourceHost,
        dataStoreFileId: str,
        writeLocation: str | os.PathLike[str],
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Downloads a file; returns its metadata.

        If `writeLocation` is an existing directory the file keeps its cloud name there;
        otherwise `writeLocation` is the file path (replaced if it exists). The bytes are
        streamed to a temporary file that is renamed into place only when complete, so a
        failure leaves nothing at the target. `progress` is a callable `(done, total)` or
        True for a tqdm bar.

        Raises:
            DownloadError: the transfer failed or the size differs from `storageSizeBytes`.
        """
        check_download_arguments(writeLocation, progress)  # before any request
        meta = await self._execute(ops.get_data_store_file(dataStoreFileId))
        target = resolve_download_target(writeLocation, meta.fileName)
        progress_to = progress_callback(progress, meta.fileName)
        await self._client._download(dataStoreFileId, meta, target, progress_to)
        return meta

    async def uploadFileToDataStore(
        self: AsyncResourceHost,
        dataStoreId: str,
        dataStoreDirectoryId: str,
        localPath: str | os.PathLike[str],
        name: str | None = None,
        description: str | None = None,
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Uploads a local file; returns the new file's metadata.

        The cloud name is `name` or the local file name, split at the first `.` into name
        and extension. The file is streamed, never read whole. On any failure after the
        file record was created, the record is deleted again.

        Raises:
            LocalFileNotFoundError: `localPath` is not a regular file.
            UploadError: the transfer failed (`rollback_error` is set if the cleanup failed).
        """
        plan = plan_upload(localPath, name)
        body = UploadBody(
            plan, progress_callback(progress, cloud_file_name(plan.name, plan.extension))
        )
        create = ops.create_data_store_file(
            dataStoreId, dataStoreDirectoryId, plan.name, plan.extension, description
        )
        return await self._client._upload(create, body)

    async def deleteDataStoreFile(self: AsyncResourceHost, dataStoreFileId: str) -> DataStoreFile:
        """Deletes a file; returns the deleted file's metadata."""
        return await self._execute(ops.delete_data_store_file(dataStoreFileId))
