"""`dx.dataStores`'s management operations: stores, directories, file moves, zip downloads
and data views. Same pattern as `_operations`: validated arguments, the generated method, the
adaptation to the documented type, retry safety (every mutation: unsent requests only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from avista_dx_graphql.enums import DataStoreObjectType

from ._operations import Call, _one, _root
from ._ops_arguments import omitted, optional_id, require_change
from ._retry import RetrySafety
from ._subscriptions import SubscriptionCall, _event
from ._validation import optional_text, require_id, require_sequence, require_text
from .errors import InvalidInputError, NotFoundError
from .types import DataStore, DataStoreDirectory, DataStoreFile, UploadCompleteResponse

# A repeat of a create makes a second object; of an update or delete that did happen, it
# reports an error (or changes what another caller changed since): only unsent ones.
WRITE = RetrySafety.UNSENT_ONLY


def create_data_store(name: str, description: str | None) -> Call[DataStore]:
    op = "storage_createDataStore"
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.storage_create_data_store(
            name=name, description=omitted(description), **options
        ),
        _one(DataStore, op, "data store"),
        WRITE,
    )


def update_data_store(
    data_store_id: str, name: str | None, description: str | None
) -> Call[DataStore]:
    op = "storage_updateDataStore"
    data_store_id = require_id("dataStoreId", data_store_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    require_change(op, name=name, description=description)
    return Call(
        op,
        lambda client, options: client.storage_update_data_store(
            data_store_id=data_store_id,
            name=omitted(name),
            description=omitted(description),
            **options,
        ),
        _one(DataStore, op, f"data store {data_store_id!r}"),
        WRITE,
    )


def delete_data_store(data_store_id: str) -> Call[DataStore]:
    op = "storage_deleteDataStore"
    data_store_id = require_id("dataStoreId", data_store_id)
    return Call(
        op,
        lambda client, options: client.storage_delete_data_store(data_store_id, **options),
        _one(DataStore, op, f"data store {data_store_id!r}"),
        WRITE,
    )


def create_directory(data_store_id: str, parent_id: str, name: str) -> Call[DataStoreDirectory]:
    op = "storage_createDataStoreDirectory"
    data_store_id = require_id("dataStoreId", data_store_id)
    parent_id = require_id("parentDirectoryId", parent_id)
    name = require_text("name", name)
    return Call(
        op,
        lambda client, options: client.storage_create_data_store_directory(
            data_store_id=data_store_id, parent_directory_id=parent_id, name=name, **options
        ),
        _one(DataStoreDirectory, op, "directory"),
        WRITE,
    )


def update_directory(
    directory_id: str, name: str | None, parent_id: str | None
) -> Call[DataStoreDirectory]:
    op = "storage_updateDataStoreDirectory"
    directory_id = require_id("dataStoreDirectoryId", directory_id)
    name = optional_text("name", name)
    parent_id = optional_id("parentDirectoryId", parent_id)
    require_change(op, name=name, parentDirectoryId=parent_id)
    return Call(
        op,
        lambda client, options: client.storage_update_data_store_directory(
            data_store_directory_id=directory_id,
            name=omitted(name),
            parent_directory_id=omitted(parent_id),
            **options,
        ),
        _one(
            DataStoreDirectory,
            op,
            f"directory {directory_id!r}",
        ),
        WRITE,
    )


def delete_directory(directory_id: str) -> Call[DataStoreDirectory]:
    op = "storage_deleteDataStoreDirectory"
    directory_id = require_id("dataStoreDirectoryId", directory_id)
    return Call(
        op,
        lambda client, options: client.storage_delete_data_store_directory(directory_id, **options),
        _one(
            DataStoreDirectory,
            op,
            f"directory {directory_id!r}",
        ),
        WRITE,
    )


def update_file(
    file_id: str, name: str | None, description: str | None, directory_id: str | None
) -> Call[DataStoreFile]:
    op = "storage_updateDataStoreFile"
    file_id = require_id("dataStoreFileId", file_id)
    name = optional_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    directory_id = optional_id("dataStoreDirectoryId", directory_id)
    require_change(op, name=name, description=description, dataStoreDirectoryId=directory_id)
    return Call(
        op,
        lambda client, options: client.storage_update_data_store_file(
            data_store_file_id=file_id,
            name=omitted(name),
            description=omitted(description),
            data_store_directory_id=omitted(directory_id),
            **options,
        ),
        _one(DataStoreFile, op, f"file {file_id!r}"),
        WRITE,
    )


def _object_ids(argument: str, ids: Sequence[str]) -> list[str]:
    return [
        require_id(f"{argument}[{index}]", item)
        for index, item in enumerate(require_sequence(argument, ids))
    ]


def zip_download_url(file_ids: Sequence[str], directory_ids: Sequence[str]) -> Call[str]:
    from avista_dx_graphql.input_types import (
        DataStoreObjectIdInput,  # generated input models: at first use
    )

    op = "storage_getDataStoreZipDownloadUrl"
    objects = [
        DataStoreObjectIdInput(object_type=DataStoreObjectType.FILE, data_store_file_id=item)
        for item in _object_ids("dataStoreFileIds", file_ids)
    ] + [
        DataStoreObjectIdInput(
            object_type=DataStoreObjectType.DIRECTORY, data_store_directory_id=item
        )
        for item in _object_ids("dataStoreDirectoryIds", directory_ids)
    ]
    if not objects:
        raise InvalidInputError(f"{op}: give at least one file or directory id")

    def adapt(result: Any) -> str:
        presigned = _root(result, "storage_get_data_store_zip_download_url", op, "zip URL")
        if not presigned.url:
            raise NotFoundError("the exchange returned no zip download URL", operation=op)
        return str(presigned.url)

    return Call(
        op,
        lambda client, options: client.storage_get_data_store_zip_download_url(objects, **options),
        adapt,
    )


def create_data_view(file_id: str) -> Call[DataStoreFile]:
    op = "storage_createDataStoreFileDataView"
    file_id = require_id("dataStoreFileId", file_id)
    return Call(
        op,
        lambda client, options: client.storage_create_data_store_file_data_view(file_id, **options),
        _one(DataStoreFile, op, f"file {file_id!r}"),
        WRITE,
    )


def delete_data_view(file_id: str, data_view_id: str) -> Call[DataStoreFile]:
    op = "storage_deleteDataStoreFileDataView"
    file_id = require_id("dataStoreFileId", file_id)
    data_view_id = require_id("dataViewId", data_view_id)
    return Call(
        op,
        lambda client, options: client.storage_delete_data_store_file_data_view(
            data_store_file_id=file_id, data_view_id=data_view_id, **options
        ),
        _one(DataStoreFile, op, f"file {file_id!r}"),
        WRITE,
    )


ON_NOTIFY_UPLOAD_COMPLETE = (
    "subscription onNotifyUploadComplete($uploadId: ID!) {"
    " onNotifyUploadComplete(uploadId: $uploadId) { uploadId httpStatusCode errorMessage } }"
)


def on_notify_upload_complete(upload_id: str) -> SubscriptionCall[UploadCompleteResponse]:
    variables = {"uploadId": require_id("uploadId", upload_id)}
    return SubscriptionCall(
        "onNotifyUploadComplete",
        ON_NOTIFY_UPLOAD_COMPLETE,
        variables,
        _event(UploadCompleteResponse, "onNotifyUploadComplete"),
    )
