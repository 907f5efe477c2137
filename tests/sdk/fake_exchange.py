"""An in-process fake of the exchange for the SDK's unit tests.

GraphQL requests are validated and executed by graphql-core against `schema.graphql`, the
project's one schema; presigned S3 URLs are served on `https://s3.test/`.
Errors follow the error contract (AppSync's `errorType` at the top level of each error).
Faults can be queued to test retries. Served through `httpx.MockTransport`, sync and async.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    build_schema,
    execute_sync,
    parse,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = build_schema((ROOT / "schema.graphql").read_text())
ENDPOINT = "https://exchange.test/graphql"
S3 = "https://s3.test"
TOKEN = "token-secret-123"

WEIRD = 'we"ird\\va\nlue'  # a value with a quote, a backslash and a newline


@functools.cache
def checked_document(query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """The document parsed and validated against SCHEMA, once per text: the SDK sends the same
    few documents again and again, and validating them was most of the fake's time. A syntax
    error raises (and is not cached)."""
    document = parse(query)
    return document, tuple(validate(SCHEMA, document))


class FaultError(Exception):
    """An error the fake raises from a resolver, shaped like AppSync's."""

    def __init__(self, message: str, error_type: str, error_info: Any = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.error_info = error_info


def denied() -> FaultError:
    return FaultError("Unauthorized", "Unauthorized")


@dataclass
class Recorded:
    operation: str | None
    query: str
    variables: dict[str, Any]
    headers: httpx.Headers


@dataclass
class FakeExchange:
    requests: list[Recorded] = field(default_factory=list)
    s3_requests: list[httpx.Request] = field(default_factory=list)
    invalid_documents: list[str] = field(default_factory=list)
    # Each fault is called with the request; returning a response (or raising) replaces it.
    faults: list[Callable[[httpx.Request], httpx.Response | None]] = field(default_factory=list)
    s3_faults: list[Callable[[httpx.Request], httpx.Response | None]] = field(default_factory=list)
    null_roots: set[str] = field(default_factory=set)
    repeat_token: bool = False
    # Root resolvers a test adds or replaces (e.g. an operation the fake does not model).
    extra_roots: dict[str, Callable[..., Any]] = field(default_factory=dict)
    realtime: Any = None  # a FakeRealtime: events of mutations are pushed to it

    def emit(self, root_field: str, arguments: dict[str, Any], value: Any) -> None:
        if self.realtime is not None:
            self.realtime.emit(root_field, arguments, value)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self.user = {
            "userId": "userId.1",
            "firstName": "Ada",
            "lastName": None,
            "email": "ada@example.com",
            "mobile": None,
            "lastActive": None,
            "userAccountState": "ACTIVE",
            "userRoles": ["DATA_PROVIDER", None],
            "organization": {"organizationId": "org.1", "name": "Org", "hostOrganization": True},
        }
        self.stores: dict[str, dict[str, Any]] = {}
        self.directories: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.databases: dict[str, dict[str, Any]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.collaboratives: dict[str, dict[str, Any]] = {}
        self.shared: dict[str, list[tuple[str, str]]] = {}
        self.seed()
        from .fake_iot import FakeIot

        self.iot = FakeIot(self)

    # -- state ---------------------------------------------------------------------------------

    def seed(self) -> None:
        self.add_store("dataStoreId.1", "Store", home="dir.home")
        self.add_directory("dir.sub", "dataStoreId.1", "sub", parent="dir.home")
        self.add_file("file.1", "dir.home", "report", "csv", b"a,b\n1,2\n")
        self.add_store(WEIRD + "dataStore", WEIRD, home=WEIRD + "dir")
        self.add_file(WEIRD + "file", WEIRD + "dir", 'we"ird', "t'xt", b"weird")
        self.databases["timeSeriesDbId.1"] = self.database("timeSeriesDbId.1")
        self.databases[WEIRD + "timeSeriesDb"] = self.database(WEIRD + "timeSeriesDb")
        for collaborative_id in ("collab.1", WEIRD + "collab"):
            self.collaboratives[collaborative_id] = {
                "collaborativeId": collaborative_id,
                "name": "Shared",
                "description": None,
                "hostOrganizationId": "org.1",
                "memberOrganizations": [
                    {
                        "collaborativeId": collaborative_id,
                        "memberState": "HOST_ORGANIZATION",
                        "organization": {"organizationId": "org.1", "name": "Org"},
                        "usersInCollaborative": [{"permission": "READ_WRITE", "user": self.user}],
                    },
                    {
                        "collaborativeId": collaborative_id,
                        "memberState": None,
                        "organization": None,
                        "usersInCollaborative": None,
                    },
                ],
            }
            self.shared[collaborative_id] = [("IOT_GROUP", "iotGroupId.9")]

    def database(self, db_id: str) -> dict[str, Any]:
        return {
            "timeSeriesDbId": db_id,
            "name": "Meters",
            "description": None,
            "ownerUserId": "userId.1",
            "databaseName": "db",
            "tableName": "tbl",
        }

    def add_store(self, store_id: str, name: str, *, home: str) -> None:
        self.stores[store_id] = {
            "dataStoreId": store_id,
            "name": name,
            "description": None,
            "ownerUserId": "userId.1",
            "homeDirectoryId": home,
        }
        self.add_directory(home, store_id, "home", parent=None)

    def add_directory(self, dir_id: str, store_id: str, name: str, *, parent: str | None) -> None:
        self.directories[dir_id] = {
            "dataStoreDirectoryId": dir_id,
            "dataStoreId": store_id,
            "name": name,
            "ownerUserId": "userId.1",
            "homeDirectory": parent is None,
            "parentDirectoryId": parent,
        }

    def add_file(self, file_id: str, dir_id: str, name: str, ext: str, content: bytes) -> None:
        self.files[file_id] = {
            "dataStoreFileId": file_id,
            "dataStoreId": self.directories[dir_id]["dataStoreId"],
            "dataStoreDirectoryId": dir_id,
            "name": name,
            "fileExtension": ext,
            "description": None,
            "storageSizeBytes": len(content),
            "ownerUserId": "userId.1",
            "s3ConfirmedUpload": True,
            "lastModified": "2026-01-01T00:00:00.000Z",
            "contentType": None,
            "dataViewIds": None,
        }
        self.blobs[file_id] = content

    # -- resolvers -----------------------------------------------------------------------------

    def root(self) -> dict[str, Any]:
        return {
            "user_getUserSession": lambda info: {"user": self.user},
            "storage_listDataStores": lambda info, **_: list(self.stores.values()),
            "storage_getDataStore": lambda info, dataStoreId: self._get(self.stores, dataStoreId),
            "storage_getDataStoreDirectory": self._directory,
            "storage_getDataStoreFile": lambda info, dataStoreFileId: self._get(
                self.files, dataStoreFileId
            ),
            "storage_getDataStoreFileDownloadUrl": self._download_url,
            "storage_createDataStoreFile": self._create_file,
            "storage_deleteDataStoreFile": self._delete_file,
            "timeSeriesDb_listDatabases": lambda info: list(self.databases.values()),
            "timeSeriesDb_getDatabase": lambda info, timeSeriesDbId: self._get(
                self.databases, timeSeriesDbId
            ),
            "timeSeriesDb_queryDatabaseWithTimestreamQuery": self._query,
            "timeSeriesDb_publishToDatabase": self._publish,
            "collaborative_listCollaboratives": lambda info: list(self.collaboratives.values()),
            "collaborative_getCollaborative": lambda info, collaborativeId: self._get(
                self.collaboratives, collaborativeId
            ),
            "collaborative_listCollaborativeServices": self._services,
            "collaborative_listCollaborativesServiceSharedWith": self._shared_with,
            "collaborative_addServiceToCollaborative": self._add_service,
            "collaborative_removeServiceFromCollaborative": self._remove_service,
            **self.iot.resolvers(),
            **self.extra_roots,
        }

    def _get(self, table: dict[str, dict[str, Any]], key: str) -> dict[str, Any]:
        if key not in table:
            raise denied()
        return table[key]

    def _directory(self, info: Any, dataStoreDirectoryId: str) -> dict[str, Any]:
        directory = dict(self._get(self.directories, dataStoreDirectoryId))
        contents: list[dict[str, Any] | None] = [
            {"objectType": "DIRECTORY", "dataStoreDirectory": d, "dataStoreFile": None}
            for d in self.directories.values()
            if d["parentDirectoryId"] == dataStoreDirectoryId
        ]
        contents += [
            {"objectType": "FILE", "dataStoreFile": f, "dataStoreDirectory": None}
            for f in self.files.values()
            if f["dataStoreDirectoryId"] == dataStoreDirectoryId
        ]
        contents.append(None)  # a null entry: the SDK must skip it
        directory["contents"] = contents
        return directory

    def _download_url(self, info: Any, dataStoreFileId: str) -> dict[str, Any]:
        self._get(self.files, dataStoreFileId)
        return {"url": f"{S3}/get?key={_quote(dataStoreFileId)}&sig=x", "itemId": dataStoreFileId}

    def _create_file(
        self,
        info: Any,
        dataStoreId: str,
        dataStoreDirectoryId: str,
        name: str,
        fileExtension: str,
        description: str | None = None,
    ) -> dict[str, Any]:
        self._get(self.stores, dataStoreId)
        directory = self._get(self.directories, dataStoreDirectoryId)
        if directory["dataStoreId"] != dataStoreId:
            raise FaultError("the directory belongs to another data store", "BadRequestException")
        full = name + fileExtension
        if "/" in full or any(ord(c) < 32 for c in full):
            raise FaultError(
                "a name may not contain '/' or control characters", "BadRequestException"
            )
        file_id = f"dataStoreFileId.{next(self._ids)}"
        self.add_file(file_id, dataStoreDirectoryId, name, fileExtension, b"")
        self.files[file_id].update(description=description, s3ConfirmedUpload=False)
        self.blobs.pop(file_id)
        return {"url": f"{S3}/put?key={file_id}&sig=x", "uploadId": "up.1", "itemId": file_id}

    def _delete_file(self, info: Any, dataStoreFileId: str) -> dict[str, Any]:
        meta = self._get(self.files, dataStoreFileId)
        del self.files[dataStoreFileId]
        self.blobs.pop(dataStoreFileId, None)
        return meta

    def _query(
        self,
        info: Any,
        timeSeriesDbId: str,
        queryString: str,
        maxRows: int | None = None,
        nextToken: str | None = None,
        clientToken: str | None = None,
    ) -> dict[str, Any]:
        self._get(self.databases, timeSeriesDbId)
        if "SYNTAX ERROR" in queryString:
            raise FaultError("line 1:1: mismatched input", "ValidationException")
        rows = self.records.get(timeSeriesDbId, [])
        page_size = maxRows or 1000
        start = 0
        if nextToken is not None:
            if clientToken != "client-token" or not nextToken.startswith("token-"):
                raise FaultError("invalid NextToken", "ValidationException")
            start = int(nextToken.removeprefix("token-"))
        page = rows[start : start + page_size]
        results: dict[str, Any] = {
            "QueryId": "QUERY1",
            "Rows": [
                {
                    "Data": [
                        {"ScalarValue": r["MeasureName"]},
                        {"ScalarValue": _timestamp(r)},
                        {"ScalarValue": r["MeasureValue"]}
                        if r.get("MeasureValue") is not None
                        else {"NullValue": True},
                        {"ScalarValue": queryString},
                    ]
                }
                for r in page
            ],
            "ColumnInfo": [
                {"Name": "measure_name", "Type": {"ScalarType": "VARCHAR"}},
                {"Name": "time", "Type": {"ScalarType": "TIMESTAMP"}},
                {"Name": "measure_value::varchar", "Type": {"ScalarType": "VARCHAR"}},
                {"Name": "query", "Type": {"ScalarType": "VARCHAR"}},
            ],
            "QueryStatus": {"ProgressPercentage": 100.0},
        }
        if start + page_size < len(rows):
            results["NextToken"] = (
                nextToken if self.repeat_token and nextToken else (f"token-{start + page_size}")
            )
        return {"resultJSONString": json.dumps(results), "clientToken": "client-token"}

    def _publish(
        self, info: Any, timeSeriesDbId: str, assetId: str, data: dict[str, Any]
    ) -> list[dict[str, Any]]:
        self._get(self.databases, timeSeriesDbId)
        records = data["records"]
        if len(records) > 100:
            raise FaultError("at most 100 records per request", "ValidationException")
        rejected = [
            {"RecordIndex": i, "Reason": "rejected by the test"}
            for i, r in enumerate(records)
            if r.get("MeasureValue") == "REJECT"
        ]
        if rejected:
            raise FaultError(
                "One or more records have been rejected.",
                "RejectedRecordsException",
                {"RejectedRecords": rejected},
            )
        self.records.setdefault(timeSeriesDbId, []).extend(records)
        attributes: dict[str, dict[str, Any]] = {}
        for record in records:
            values = record.get("MeasureValues") or [
                {
                    "Name": record["MeasureName"],
                    "Type": record["MeasureValueType"],
                    "Value": record["MeasureValue"],
                }
            ]
            for value in values:
                attribute = attributes.setdefault(
                    value["Name"],
                    {"name": value["Name"], "attributeType": value["Type"], "data": []},
                )
                attribute.update(lastValue=value["Value"], lastValueTime=_iso(record))
                attribute["data"].append({"timestamp": _iso(record), "value": value["Value"]})
        name = next(
            (d["Value"] for r in records for d in r.get("Dimensions") or [] if d["Name"] == "name"),
            None,
        )
        result = [{"assetId": assetId, "name": name, "attributes": list(attributes.values())}]
        self.emit(
            "onTimeSeriesDbPublish", {"timeSeriesDbId": timeSeriesDbId, "assetId": assetId}, result
        )
        return result

    def _service(self, service_type: str, service_id: str) -> dict[str, Any]:
        return {
            "serviceId": service_id,
            "serviceType": service_type,
            "dataStore": self.stores.get(service_id) if service_type == "DATA_STORE" else None,
            "timeSeriesDb": self.databases.get(service_id)
            if service_type == "TIME_SERIES_DB"
            else None,
        }

    def _services(self, info: Any, collaborativeId: str) -> list[dict[str, Any]]:
        self._get(self.collaboratives, collaborativeId)
        return [self._service(t, s) for t, s in self.shared[collaborativeId]]

    def _shared_with(self, info: Any, serviceType: str, serviceId: str) -> list[dict[str, Any]]:
        return [
            self.collaboratives[c]
            for c, services in self.shared.items()
            if (serviceType, serviceId) in services
        ]

    def _add_service(
        self, info: Any, collaborativeId: str, serviceType: str, serviceId: str
    ) -> dict[str, Any]:
        self._get(self.collaboratives, collaborativeId)
        if serviceId not in self.stores and serviceId not in self.databases:
            raise denied()
        if (serviceType, serviceId) in self.shared[collaborativeId]:
            raise FaultError("the service is already shared", "BadRequestException")
        self.shared[collaborativeId].append((serviceType, serviceId))
        return self._service(serviceType, serviceId)

    def _remove_service(
        self, info: Any, collaborativeId: str, serviceType: str, serviceId: str
    ) -> dict[str, Any]:
        self._get(self.collaboratives, collaborativeId)
        if (serviceType, serviceId) not in self.shared[collaborativeId]:
            raise denied()
        self.shared[collaborativeId].remove((serviceType, serviceId))
        return self._service(serviceType, serviceId)

    # -- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "s3.test":
            return self._s3(request)
        if self.faults:
            replaced = self.faults.pop(0)(request)
            if replaced is not None:
                return replaced
        return self._graphql(request)

    def _graphql(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != TOKEN:
            return httpx.Response(
                401,
                json={"errors": [{"errorType": "UnauthorizedException", "message": "Bad token"}]},
            )
        try:
            body = json.loads(request.content)
        except ValueError:
            error = {"errorType": "MalformedHttpRequestException", "message": "bad body"}
            return httpx.Response(400, json={"errors": [error]})
        query, variables = body["query"], body.get("variables") or {}
        self.requests.append(Recorded(body.get("operationName"), query, variables, request.headers))
        document, problems = checked_document(query)
        if problems:  # answered as graphql_sync would: the validation errors, no execution
            self.invalid_documents.append(f"{problems[0].message}\n{query}")
            result = ExecutionResult(None, list(problems))
        else:
            result = execute_sync(
                SCHEMA,
                document,
                root_value=self.root(),
                variable_values=variables,
                operation_name=body.get("operationName"),
            )
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [self._appsync_error(e, result.data) for e in result.errors]
        if result.data:
            for root in self.null_roots & set(result.data):
                result.data[root] = None
        return httpx.Response(200, json=payload)

    def _appsync_error(self, error: GraphQLError, data: Any) -> dict[str, Any]:
        formatted: dict[str, Any] = dict(error.formatted)
        formatted.pop("extensions", None)
        original = error.original_error
        if isinstance(original, FaultError):
            formatted["errorType"] = original.error_type
            if original.error_info is not None:
                formatted["errorInfo"] = original.error_info
        elif data is None:
            formatted["errorType"] = "ValidationError"
            formatted["message"] = f"Validation error of type WrongType: {error.message}"
        else:
            formatted["errorType"] = "InternalFailure"
            formatted["message"] = "An internal failure occurred"
        return formatted

    def _s3(self, request: httpx.Request) -> httpx.Response:
        self.s3_requests.append(request)
        if self.s3_faults:
            replaced = self.s3_faults.pop(0)(request)
            if replaced is not None:
                return replaced
        if "authorization" in request.headers:
            return httpx.Response(400, text="<Error>token sent to S3</Error>")
        key = request.url.params["key"]
        if request.method == "PUT" and request.url.path == "/put":
            content = request.read()
            if int(request.headers["content-length"]) != len(content):
                return httpx.Response(400, text="<Error>length</Error>")
            self.blobs[key] = content
            self.files[key]["storageSizeBytes"] = len(content)
            return httpx.Response(200)
        if request.method == "GET" and request.url.path == "/get" and key in self.blobs:
            return object_response(self.blobs[key])
        return httpx.Response(403, text="<Error><Code>AccessDenied</Code></Error>")


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A streamed body, like a network response's; optionally cut after `fail_after` bytes."""

    def __init__(self, content: bytes, chunk: int = 3, fail_after: int | None = None) -> None:
        self.content, self.chunk, self.fail_after = content, chunk, fail_after

    def _pieces(self) -> list[bytes]:
        return [self.content[i : i + self.chunk] for i in range(0, len(self.content), self.chunk)]

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for piece in self._pieces():
            if self.fail_after is not None and sent >= self.fail_after:
                raise httpx.ReadError("connection reset by peer")
            sent += len(piece)
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self:
            yield piece


def object_response(
    content: bytes, *, fail_after: int | None = None, length: int | None = None
) -> httpx.Response:
    headers = {"Content-Length": str(len(content) if length is None else length)}
    return httpx.Response(200, headers=headers, stream=Chunks(content, fail_after=fail_after))


def _quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _seconds(record: dict[str, Any]) -> float:
    per_second = {"SECONDS": 1, "MILLISECONDS": 1e3, "MICROSECONDS": 1e6, "NANOSECONDS": 1e9}
    return int(record["Time"]) / per_second[record["TimeUnit"]]


def _iso(record: dict[str, Any]) -> str:
    moment = dt.datetime.fromtimestamp(_seconds(record), dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def _timestamp(record: dict[str, Any]) -> str:
    moment = dt.datetime.fromtimestamp(_seconds(record), dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") + "000"
