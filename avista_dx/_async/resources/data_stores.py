"""`dx.dataStores`: directories and files of Data Stores (the 1.2.1 names)."""

from __future__ import annotations

import os
from typing import IO

from ... import _operations as ops
from ..._transfers import (
    ProgressOption,
    UploadBody,
    check_download_arguments,
    cloud_file_name,
    download_destination,
    plan_upload,
    progress_callback,
)
from ..._upload_sources import UploadContent
from ...types import DataStoreDirectory, DataStoreFile
from .._resource import AsyncResourceHost
from .data_store_paths import AsyncDataStorePaths
from .navigation import AsyncDataStoreNavigation, AsyncNavigableDataStore
from .store_management import AsyncDataStoreManagement


class AsyncDataStores(AsyncDataStorePaths, AsyncDataStoreManagement):
    """Data Stores: `dx.dataStores.listDataStores()`, ... The methods defined here are also
    documented root methods of the client (`dx.listDataStores()`); the management methods
    (`createDataStore`, ...) come from `AsyncDataStoreManagement`, the store paths
    (`resolve`, `walk`, `mkdir`, `upload_dir`, `download_dir`, `sync`) from
    `AsyncDataStorePaths`."""

    async def listDataStores(self: AsyncResourceHost) -> list[AsyncNavigableDataStore]:
        """The data stores you own (each navigable, as `getDataStore`'s)."""
        stores = await self._execute(ops.list_data_stores())
        return [AsyncDataStoreNavigation.attach(store, self) for store in stores]

    async def getDataStore(self: AsyncResourceHost, dataStoreId: str) -> AsyncNavigableDataStore:
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
        writeLocation: str | os.PathLike[str] | IO[bytes],
        *,
        progress: ProgressOption = None,
    ) -> DataStoreFile:
        """Downloads a file; returns its metadata.

        If `writeLocation` is an existing directory, or a path ending in a separator
        (`"downloads/"`, created if missing), the file keeps its cloud name inside it;
        otherwise `writeLocation` is the file path (replaced if it exists). The bytes are
        streamed to a temporary file in the same directory, renamed into place only when
        complete (so a failure leaves nothing at the target); the new file's mode follows
        the umask. `writeLocation` may also be a binary file object (`io.BytesIO()`,
        `sys.stdout.buffer`): the bytes are written into it, which is flushed, not closed.
        `progress` is a callable `(done, total)` or True for a tqdm bar.

        Raises:
            DownloadError: the transfer failed or the size differs from `storageSizeBytes`.
        """
        check_download_arguments(writeLocation, progress)  # before any request
        meta = await self._execute(ops.get_data_store_file(dataStoreFileId))
        target = download_destination(writeLocation, meta.fileName)
        progress_to = progress_callback(progress, meta.fileName)
        await self._client._download(dataStoreFileId, meta, target, progress_to)
        return meta

    async def uploadFileToDataStore(
        self: AsyncResourceHost,
        dataStoreId: str,
        dataStoreDirectoryId: str,
        localPath: UploadContent,
        name: str | None = None,
        description: str | None = None,
        *,
        progress: ProgressOption = None,
        content_type: str | None = None,
    ) -> DataStoreFile:
        """Uploads a local file, `bytes` or a binary file object; returns the new file's
        metadata.

        The cloud name is `name` or the local file name (a file object's `name`), split at
        the first `.` into name and extension; `bytes` and nameless file objects need
        `name`. A file object is read from its current position to its end (a stream that
        cannot seek is first copied to a temporary file: S3 needs the length up front). The
        bytes are streamed, never read whole. `content_type` is the stored MIME type; by
        default it is guessed from the name (`mimetypes`), and when nothing is known S3's
        default (`binary/octet-stream`) applies. On any failure after the file record was
        created, the record is deleted again.

        Raises:
            LocalFileNotFoundError: `localPath` is not a regular file.
            InvalidInputError: no name for bytes or a file object, a text-mode file object,
                or a `content_type` that is not `type/subtype`.
            UploadError: the transfer failed (`rollback_error` is set if the cleanup failed).
        """
        plan = plan_upload(localPath, name, content_type)
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
