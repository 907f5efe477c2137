# Produced by scripts/unasync.py from avista_dx/_async/resources/data_stores.py: do not edit.
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
from .._resource import SyncResourceHost
from .data_store_paths import DataStorePaths
from .navigation import DataStoreNavigation
from .store_management import DataStoreManagement


class DataStores(DataStorePaths, DataStoreManagement):
    """Data Stores: `dx.dataStores.listDataStores()`, ... The methods defined here are also
    documented root methods of the client (`dx.listDataStores()`); the management methods
    (`createDataStore`, ...) come from `DataStoreManagement`, the store paths
    (`resolve`, `walk`, `mkdir`, `upload_dir`, `download_dir`, `sync`) from
    `DataStorePaths`."""

    def listDataStores(self: SyncResourceHost) -> list[DataStore]:
        """The data stores you own (each navigable, as `getDataStore`'s)."""
        stores = self._execute(ops.list_data_stores())
        return [DataStoreNavigation.attach(store, self) for store in stores]

    def getDataStore(self: SyncResourceHost, dataStoreId: str) -> DataStore:
        """The metadata of a data store, navigable like a shell (`cd`, `ls`, `pwd`,
        `uploadFile`, `downloadFile`, `deleteFile`): one request now, one per directory
        visited later."""
        store = self._execute(ops.get_data_store(dataStoreId))
        return DataStoreNavigation.attach(store, self)

    def getDataStoreDirectory(
        self: SyncResourceHost, dataStoreDirectoryId: str
    ) -> DataStoreDirectory:
        """A directory with its files and sub-directories (one level, in one request)."""
        return self._execute(ops.get_data_store_directory(dataStoreDirectoryId))

    def getDataStoreFileMeta(self: SyncResourceHost, dataStoreFileId: str) -> DataStoreFile:
        """The metadata of a file."""
        return self._execute(ops.get_data_store_file(dataStoreFileId))

    def downloadDataStoreFile(
        self: SyncResourceHost,
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
        meta = self._execute(ops.get_data_store_file(dataStoreFileId))
        target = resolve_download_target(writeLocation, meta.fileName)
        progress_to = progress_callback(progress, meta.fileName)
        self._client._download(dataStoreFileId, meta, target, progress_to)
        return meta

    def uploadFileToDataStore(
        self: SyncResourceHost,
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
        return self._client._upload(create, body)

    def deleteDataStoreFile(self: SyncResourceHost, dataStoreFileId: str) -> DataStoreFile:
        """Deletes a file; returns the deleted file's metadata."""
        return self._execute(ops.delete_data_store_file(dataStoreFileId))
