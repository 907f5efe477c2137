"""One `Call` per GraphQL operation: how to call the generated method with validated arguments,
how to adapt its result, and whether it may be retried. I/O-free: the sync and async clients
only execute these."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

from avista_dx_graphql.base_model import UNSET
from avista_dx_graphql.enums import ServiceType
from pydantic import BaseModel, TypeAdapter

from ._ops_arguments import optional_token
from ._retry import RetrySafety
from ._validation import optional_text, require_id, require_text, shown
from .errors import InvalidInputError, InvalidResponseError, NotFoundError
from .types import (
    Collaborative,
    DataStore,
    DataStoreDirectory,
    DataStoreFile,
    DxModel,
    QueryResult_TimestreamVariables,
    Service,
    TimeSeriesDb,
    User,
)

if TYPE_CHECKING:
    from avista_dx_graphql.async_client import AsyncClient
    from avista_dx_graphql.client import Client

    from ._publish_request import CheckedAnswer

T = TypeVar("T")
M = TypeVar("M", bound=DxModel)

SERVICE_TYPES = ("DATA_CAPTURE", "DATA_STORE", "IOT_GROUP", "OCS_ADAPTER", "TIME_SERIES_DB")
# Timestream's QueryString limit (1 to 262,144 characters), which the exchange passes through.
MAX_QUERY_STRING_CHARS = 262_144

__all__ = ["Call", "PresignedUpload", "require_id"]  # require_id: used by both clients


GeneratedClient = Union["Client", "AsyncClient"]
Options = dict[str, Any]  # per-request httpx options (headers, timeout)


@dataclass(slots=True)  # not frozen: a frozen __init__ is ~4x slower, and it runs on every call
class Call(Generic[T]):
    """A GraphQL request ready to send through either generated client.

    `send` calls the generated method with arguments validated beforehand; mypy checks them
    against both `Client` and `AsyncClient`. It returns the result model (sync) or a coroutine
    of it (async, awaited by the async client), which `adapt` makes the documented type.
    """

    operation: str  # the GraphQL operation name (= its root field)
    send: Callable[[GeneratedClient, Options], Any]
    # generated result model -> documented type, or (RootAdaptation) the answer's `data`
    # validated straight into it
    adapt: Callable[[Any], T] | RootAdaptation[T]
    safety: RetrySafety = RetrySafety.IDEMPOTENT


@dataclass(frozen=True, slots=True)
class PresignedUpload:
    url: str
    data_store_file_id: str


def service_type_of(service_id: str, service_type: str | None = None) -> str:
    """`serviceType` of a `serviceId` (docs/protocol.md §5.3), or the explicit one checked."""
    if service_type is not None:
        if not isinstance(service_type, str) or service_type not in SERVICE_TYPES:
            raise InvalidInputError(
                f"serviceType must be one of {', '.join(SERVICE_TYPES)}; got {shown(service_type)}"
            )
        return service_type
    if "dataStore" in service_id:
        return "DATA_STORE"
    if "timeSeriesDb" in service_id:
        return "TIME_SERIES_DB"
    raise InvalidInputError(
        f"cannot tell the service type of {shown(service_id)} (not a dataStore or timeSeriesDb "
        "id); "
        "pass serviceType= explicitly"
    )


def _convert(model_type: type[M], generated: BaseModel) -> M:
    return model_type.from_wire(generated)  # one validation, from the generated attributes


def _root(result: Any, attribute: str, operation: str, what: str) -> Any:
    value = getattr(result, attribute)
    if value is None:
        raise NotFoundError(f"the exchange returned no {what}", operation=operation)
    return value


class RawAnswer(Exception):  # noqa: N818  (not an error: the answer, passed up)
    """Raised by the clients' answer-passing GraphQL client with the answer's `data` (checked
    for HTTP status, JSON and `errors[]` by the generated `get_data`), before the generated
    method would validate it into its result model."""

    def __init__(self, data: Any) -> None:
        self.data = data


class RootAdaptation(Generic[T]):
    """The adaptation of an answer that is one root field of documented objects, validated
    once, straight from the answer's `data` (the documented models' field names are the
    wire's): the clients send such calls through their answer-passing GraphQL client, so no
    generated result model is built."""

    __slots__ = ()

    def from_data(self, data: Any, root_field: str) -> T:
        raise NotImplementedError


def _root_value(data: Any, root_field: str, operation: str | None) -> Any:
    if not isinstance(data, dict) or root_field not in data:
        raise InvalidResponseError(
            f"unexpected response shape: {root_field}: Field required", operation=operation
        )
    return data[root_field]


class _One(RootAdaptation[M]):
    __slots__ = ("model_type", "operation", "what")

    def __init__(self, model_type: type[M], operation: str, what: str) -> None:
        self.model_type, self.operation, self.what = model_type, operation, what

    def from_data(self, data: Any, root_field: str) -> M:
        value = _root_value(data, root_field, self.operation)
        if value is None:
            raise NotFoundError(f"the exchange returned no {self.what}", operation=self.operation)
        return self.model_type.model_validate(value)


_LISTS: dict[type[Any], TypeAdapter[Any]] = {}  # model -> its nullable list of nullable entries


def _list_of(model_type: type[M]) -> TypeAdapter[list[M | None] | None]:
    adapter = _LISTS.get(model_type)
    if adapter is None:
        nullable_list: Any = list[model_type | None] | None  # type: ignore[valid-type]
        adapter = _LISTS[model_type] = TypeAdapter(nullable_list)
    return adapter


class _Many(RootAdaptation[list[M]]):
    __slots__ = ("model_type",)

    def __init__(self, model_type: type[M]) -> None:
        self.model_type = model_type

    def from_data(self, data: Any, root_field: str) -> list[M]:
        # A null list means "nothing"; null entries are objects the caller may not see.
        items = _list_of(self.model_type).validate_python(_root_value(data, root_field, None))
        return [item for item in items or [] if item]


def _one(model_type: type[M], operation: str, what: str) -> RootAdaptation[M]:
    return _One(model_type, operation, what)


def _many(model_type: type[M]) -> RootAdaptation[list[M]]:
    return _Many(model_type)


def get_user_info() -> Call[User]:
    def adapt(result: Any) -> User:
        session = _root(result, "user_get_user_session", "user_getUserSession", "session")
        return _convert(User, _root(session, "user", "user_getUserSession", "user"))

    return Call(
        "user_getUserSession",
        lambda client, options: client.user_get_user_session(**options),
        adapt,
    )


def list_data_stores() -> Call[list[DataStore]]:
    return Call(
        "storage_listDataStores",
        lambda client, options: client.storage_list_data_stores(**options),
        _many(DataStore),
    )


def get_data_store(data_store_id: str) -> Call[DataStore]:
    op = "storage_getDataStore"
    data_store_id = require_id("dataStoreId", data_store_id)
    return Call(
        op,
        lambda client, options: client.storage_get_data_store(data_store_id, **options),
        _one(DataStore, op, f"data store {data_store_id!r}"),
    )


def get_data_store_directory(directory_id: str) -> Call[DataStoreDirectory]:
    op = "storage_getDataStoreDirectory"

    def adapt(result: Any) -> DataStoreDirectory:
        raw = _root(result, "storage_get_data_store_directory", op, f"directory {directory_id!r}")
        directory = _convert(DataStoreDirectory, raw)
        for entry in raw.contents or []:
            # Unknown object types from a newer exchange are skipped, not fatal.
            kind = getattr(entry, "object_type", None)
            if kind == "FILE" and entry.data_store_file is not None:
                directory.files.append(_convert(DataStoreFile, entry.data_store_file))
            elif kind == "DIRECTORY" and entry.data_store_directory is not None:
                directory.directories.append(
                    _convert(DataStoreDirectory, entry.data_store_directory)
                )
        return directory

    directory_id = require_id("dataStoreDirectoryId", directory_id)
    return Call(
        op,
        lambda client, options: client.storage_get_data_store_directory(directory_id, **options),
        adapt,
    )


def get_data_store_file(file_id: str) -> Call[DataStoreFile]:
    op = "storage_getDataStoreFile"
    file_id = require_id("dataStoreFileId", file_id)
    return Call(
        op,
        lambda client, options: client.storage_get_data_store_file(file_id, **options),
        _one(DataStoreFile, op, f"file {file_id!r}"),
    )


def get_download_url(file_id: str) -> Call[str]:
    op = "storage_getDataStoreFileDownloadUrl"

    def adapt(result: Any) -> str:
        presigned = _root(result, "storage_get_data_store_file_download_url", op, "download URL")
        if not presigned.url:
            raise NotFoundError("the exchange returned no download URL", operation=op)
        return str(presigned.url)

    file_id = require_id("dataStoreFileId", file_id)
    return Call(
        op,
        lambda client, options: client.storage_get_data_store_file_download_url(file_id, **options),
        adapt,
    )


def create_data_store_file(
    data_store_id: str,
    directory_id: str,
    name: str,
    extension: str,
    description: str | None,
) -> Call[PresignedUpload]:
    op = "storage_createDataStoreFile"
    description = optional_text("description", description, allow_empty=True)
    name = require_text("name", name, allow_empty=True)
    extension = require_text("the file extension", extension, allow_empty=True)

    def adapt(result: Any) -> PresignedUpload:
        presigned = _root(result, "storage_create_data_store_file", op, "presigned URL")
        if not presigned.item_id:
            raise InvalidResponseError("the exchange returned no itemId", operation=op)
        # A missing URL is handled by the upload (it must roll the new record back).
        return PresignedUpload(url=presigned.url or "", data_store_file_id=presigned.item_id)

    data_store_id = require_id("dataStoreId", data_store_id)
    directory_id = require_id("dataStoreDirectoryId", directory_id)
    return Call(
        op,
        lambda client, options: client.storage_create_data_store_file(
            data_store_id,
            directory_id,
            name,
            extension,
            UNSET if description is None else description,
            **options,
        ),
        adapt,
        # Each call creates a new file record: only a request that never arrived is repeated.
        RetrySafety.UNSENT_ONLY,
    )


def delete_data_store_file(file_id: str) -> Call[DataStoreFile]:
    op = "storage_deleteDataStoreFile"
    file_id = require_id("dataStoreFileId", file_id)
    return Call(
        op,
        lambda client, options: client.storage_delete_data_store_file(file_id, **options),
        _one(DataStoreFile, op, f"file {file_id!r}"),
        # Deleting twice removes nothing more, but a repeat of a delete that did happen
        # reports "Unauthorized" (gone) instead of the deleted file: repeat only unsent ones.
        RetrySafety.UNSENT_ONLY,
    )


def list_time_series_databases() -> Call[list[TimeSeriesDb]]:
    return Call(
        "timeSeriesDb_listDatabases",
        lambda client, options: client.time_series_db_list_databases(**options),
        _many(TimeSeriesDb),
    )


def get_time_series_database(db_id: str) -> Call[TimeSeriesDb]:
    op = "timeSeriesDb_getDatabase"
    db_id = require_id("timeSeriesDbId", db_id)
    return Call(
        op,
        lambda client, options: client.time_series_db_get_database(db_id, **options),
        _one(TimeSeriesDb, op, f"database {db_id!r}"),
    )


def query_time_series_database(
    db_id: str,
    query_string: str,
    max_rows: int | None,
    next_token: str | None,
    client_token: str | None,
) -> Call[QueryResult_TimestreamVariables]:
    op = "timeSeriesDb_queryDatabaseWithTimestreamQuery"
    if not isinstance(query_string, str) or not query_string.strip():
        raise InvalidInputError("queryString must be a non-empty string")
    require_text("queryString", query_string, max_chars=MAX_QUERY_STRING_CHARS)
    optional_token("nextToken", next_token)
    optional_token("clientToken", client_token)

    def adapt(result: Any) -> QueryResult_TimestreamVariables:
        raw = _root(result, "time_series_db_query_database_with_timestream_query", op, "result")
        return query_result(raw.result_json_string, raw.client_token, query_string, max_rows)

    db_id = require_id("timeSeriesDbId", db_id)
    return Call(
        op,
        lambda client, options: client.time_series_db_query_database_with_timestream_query(
            db_id,
            query_string,
            UNSET if max_rows is None else max_rows,
            UNSET if next_token is None else next_token,
            UNSET if client_token is None else client_token,
            **options,
        ),
        adapt,
    )


def query_result(
    result_json: str, client_token: str | None, query_string: str, max_rows: int | None
) -> QueryResult_TimestreamVariables:
    op = "timeSeriesDb_queryDatabaseWithTimestreamQuery"
    try:
        results = json.loads(result_json)
    except ValueError as exc:
        raise InvalidResponseError("resultJSONString is not JSON", operation=op) from exc
    if not isinstance(results, dict):
        raise InvalidResponseError("resultJSONString is not a JSON object", operation=op)
    rows, columns = results.get("Rows", []), results.get("ColumnInfo", [])
    if not isinstance(rows, list) or not isinstance(columns, list):
        raise InvalidResponseError("Rows and ColumnInfo must be lists", operation=op)
    status = results.get("QueryStatus")
    return QueryResult_TimestreamVariables(
        timestreamResults=results,
        clientToken=client_token,
        NextToken=results.get("NextToken") or None,
        QueryId=results.get("QueryId"),
        QueryStatus=status if isinstance(status, dict) else None,
        Rows=rows,
        ColumnInfo=columns,
        queryString=query_string,
        maxRows=max_rows,
    )


def publish_to_database(
    db_id: str, asset_id: str, records_json: str, *, keep_data: bool = True
) -> Call[CheckedAnswer]:
    """One publish request of records already checked (`_publishing.make_batches`), given as
    their JSON array: see `_publish_request` for why it is not the generated method's path.
    Its result is the checked answer, which `_publishing.aggregate` makes documented models.
    Without `keep_data` the result's attributes have no data points (their last values)."""
    # Imported here: it loads the async base client (and websockets), which a sync program
    # that never publishes does not need at import.
    from . import _publish_request as publish_request

    db_id = require_id("timeSeriesDbId", db_id)
    asset_id = require_id("assetId", asset_id)
    return Call(
        "timeSeriesDb_publishToDatabase",  # = publish_request.OPERATION
        lambda client, options: publish_request.send(
            client, db_id, asset_id, records_json, options
        ),
        publish_request.adapt if keep_data else publish_request.adapt_last_values,
        # A repeated write of a record that was written is rejected (same version) or
        # silently changes nothing: either way not what the caller asked. Only unsent ones.
        RetrySafety.UNSENT_ONLY,
    )


def list_collaboratives() -> Call[list[Collaborative]]:
    return Call(
        "collaborative_listCollaboratives",
        lambda client, options: client.collaborative_list_collaboratives(**options),
        _many(Collaborative),
    )


def get_collaborative(collaborative_id: str) -> Call[Collaborative]:
    op = "collaborative_getCollaborative"
    collaborative_id = require_id("collaborativeId", collaborative_id)
    return Call(
        op,
        lambda client, options: client.collaborative_get_collaborative(collaborative_id, **options),
        _one(
            Collaborative,
            op,
            f"collaborative {collaborative_id!r}",
        ),
    )


def list_collaborative_services(collaborative_id: str) -> Call[list[Service]]:
    collaborative_id = require_id("collaborativeId", collaborative_id)
    return Call(
        "collaborative_listCollaborativeServices",
        lambda client, options: client.collaborative_list_collaborative_services(
            collaborative_id, **options
        ),
        _many(Service),
    )


def list_collaboratives_service_shared_with(
    service_id: str, service_type: str | None
) -> Call[list[Collaborative]]:
    service_id = require_id("serviceId", service_id)
    kind = ServiceType(service_type_of(service_id, service_type))
    return Call(
        "collaborative_listCollaborativesServiceSharedWith",
        lambda client, options: client.collaborative_list_collaboratives_service_shared_with(
            kind, service_id, **options
        ),
        _many(Collaborative),
    )


def add_service_to_collaborative(
    service_id: str, collaborative_id: str, service_type: str | None
) -> Call[Service]:
    op = "collaborative_addServiceToCollaborative"
    service_id = require_id("serviceId", service_id)
    collaborative_id = require_id("collaborativeId", collaborative_id)
    kind = ServiceType(service_type_of(service_id, service_type))
    return Call(
        op,
        lambda client, options: client.collaborative_add_service_to_collaborative(
            collaborative_id, kind, service_id, **options
        ),
        _one(Service, op, "service"),
        # Sharing twice shares nothing more, but the repeat may report "already shared".
        RetrySafety.UNSENT_ONLY,
    )


def remove_service_from_collaborative(
    service_id: str, collaborative_id: str, service_type: str | None
) -> Call[Service]:
    op = "collaborative_removeServiceFromCollaborative"
    service_id = require_id("serviceId", service_id)
    collaborative_id = require_id("collaborativeId", collaborative_id)
    kind = ServiceType(service_type_of(service_id, service_type))
    return Call(
        op,
        lambda client, options: client.collaborative_remove_service_from_collaborative(
            collaborative_id, kind, service_id, **options
        ),
        _one(Service, op, "service"),
        # Like add: no duplicated effect, but a repeat of a done removal reports an error.
        RetrySafety.UNSENT_ONLY,
    )
