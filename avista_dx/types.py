"""The documented result and input types, as pydantic models with the documented names.

Attribute names are the published API's (camelCase, and Timestream's capitalised names on
time-series objects). Fields the exchange may leave null are `Optional`. Enum fields are
typed `KnownEnum | str` and hold plain strings: a value the exchange adds later comes through
as its string instead of breaking old clients; compare with `==` (members equal their values).
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

# Qualified: some documented field names are also enum names (`TimeUnit: enums.TimeUnit`).
from avista_dx_graphql import enums
from pydantic import (
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.alias_generators import to_snake

from ._timestamps import aware_datetime
from .errors import InvalidInputError

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import polars  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from ._timestream import QueryRows

__all__ = [
    "Collaborative",
    "CollaborativeMemberOrganization",
    "CollaborativeMemberUser",
    "DataStore",
    "DataStoreDirectory",
    "DataStoreFile",
    "Organization",
    "QueryResult_TimestreamVariables",
    "Service",
    "TimeSeriesAssetAttribute",
    "TimeSeriesAssetAttributeData",
    "TimeSeriesAssetData",
    "TimeSeriesDb",
    "TimeSeriesDimension",
    "TimeSeriesInputRecord",
    "TimeSeriesMeasureValue",
    "UploadCompleteResponse",
    "User",
]


_Item = TypeVar("_Item")
_Model = TypeVar("_Model", bound="DxModel")


def _present(value: Any) -> Any:
    # The exchange may send a null list or null entries (objects the caller may not see).
    if value is None:
        return []
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return value


ObjectList = Annotated[list[_Item], BeforeValidator(_present)]
"""A list of objects where the exchange's nulls (list or entries) are dropped."""


class DxModel(BaseModel):
    """Base of the documented types: unknown fields from a newer exchange are ignored.

    Callers build them by the documented (camelCase) names only. The SDK itself validates
    them in one pass from the generated result models (`from_wire`), whose attributes are the
    same names in snake_case: that is what the validation aliases say.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=False,
        alias_generator=AliasGenerator(validation_alias=to_snake),
        # Enum-like values are stored as their plain strings, whether they come from the wire
        # (the generated models hold enum members) or from a caller.
        use_enum_values=True,
        # Each model's validator is built when first used, not at import: most programs use
        # a few of the ~150 documented types (~60 ms of `import avista_dx` otherwise).
        defer_build=True,
    )

    @classmethod
    def from_wire(cls: type[_Model], generated: BaseModel) -> _Model:
        """The documented type of a generated result model, read from its attributes."""
        return cls.model_validate(generated, from_attributes=True, by_alias=True, by_name=False)


class Organization(DxModel):
    """A Digital Exchange member organization."""

    organizationId: str
    name: str
    hostOrganization: bool | None = None


class User(DxModel):
    """A Digital Exchange user."""

    userId: str
    firstName: str | None = None
    lastName: str | None = None
    email: str | None = None
    mobile: str | None = None
    lastActive: str | None = None
    userAccountState: enums.UserAccountState | str | None = None
    userRoles: list[enums.UserRole | str | None] | None = None
    organization: Organization | None = None
    """The organization that the user is a member of."""

    @property
    def lastActiveAt(self) -> datetime.datetime | None:
        """`lastActive` as an aware `datetime` (None when the exchange sent none).

        Raises:
            InvalidResponseError: `lastActive` is not an ISO-8601 time.
        """
        return aware_datetime(self.lastActive, "lastActive")


class DataStore(DxModel):
    """A Data Store service: directories and files."""

    dataStoreId: str
    name: str
    description: str | None = None
    ownerUserId: str | None = None
    homeDirectoryId: str | None = None
    """The dataStoreDirectoryId of the Data Store's home directory."""

    # 1.2.1's navigation, when a client returned this store (not part of its value).
    _navigation: Any = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataStore):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable, like every pydantic model

    def _navigator(self) -> Any:
        if self._navigation is None:
            raise InvalidInputError(
                "navigation needs a DataStore returned by a client (dx.dataStores.getDataStore)"
            )
        return self._navigation

    def cd(self, path: str) -> Any:
        """Changes the working directory (`..`, `a/b`, `/` for home) and returns its listing
        (a `DataStoreDirectory`; a coroutine of it on the async client).

        Raises:
            NotFoundError: no such directory.
            InvalidInputError: an ambiguous name.
        """
        return self._navigator().cd(path)

    def ls(self, path: str | None = None, *, refresh: bool = False) -> Any:
        """The listing (`DataStoreDirectory`) of the working directory or of `path` relative
        to it; a coroutine of it on the async client. 1.2.1 printed it: call
        `.printContents()` on the result. Each directory is fetched once (one request) and
        kept until this store changes it, or `refresh=True`."""
        return self._navigator().ls(path, refresh=refresh)

    def pwd(self) -> str:
        """The absolute path of the working directory, `/` being home (1.2.1 printed it)."""
        return self.getWorkingDirectoryPath()

    def getWorkingDirectoryPath(self) -> str:
        """The absolute path of the working directory, `/` being home."""
        path: str = self._navigator().getWorkingDirectoryPath()
        return path

    def uploadFile(
        self,
        localFilePath: str | os.PathLike[str] | bytes | IO[bytes],
        name: str | None = None,
        description: str | None = None,
        *,
        progress: Any = None,
        content_type: str | None = None,
    ) -> Any:
        """Uploads a local file, bytes or a binary file object into the working directory;
        returns its `DataStoreFile` (a coroutine of it on the async client)."""
        return self._navigator().uploadFile(
            localFilePath, name, description, progress=progress, content_type=content_type
        )

    def downloadFile(
        self,
        filename: str,
        writeLocation: str | os.PathLike[str] | IO[bytes] | None = None,
        *,
        progress: Any = None,
    ) -> Any:
        """Downloads `filename` (`name.ext`) of the working directory to `writeLocation`
        (default: the current local directory); returns its `DataStoreFile` (a coroutine of
        it on the async client)."""
        return self._navigator().downloadFile(filename, writeLocation, progress=progress)

    def deleteFile(self, filename: str) -> Any:
        """Deletes `filename` (`name.ext`) of the working directory; returns its
        `DataStoreFile` (a coroutine of it on the async client)."""
        return self._navigator().deleteFile(filename)


class DataStoreFile(DxModel):
    """A file belonging to a Data Store."""

    dataStoreFileId: str
    dataStoreId: str | None = None
    dataStoreDirectoryId: str | None = None
    name: str
    """The file name without the extension."""
    description: str | None = None
    fileExtension: str | None = None
    storageSizeBytes: int | None = None
    lastModified: str | None = None
    contentType: str | None = None
    ownerUserId: str | None = None
    s3ConfirmedUpload: bool | None = None
    dataViewIds: list[str | None] | None = None

    @property
    def lastModifiedAt(self) -> datetime.datetime | None:
        """`lastModified` as an aware `datetime` (None when the exchange sent none).

        Raises:
            InvalidResponseError: `lastModified` is not an ISO-8601 time.
        """
        return aware_datetime(self.lastModified, "lastModified")

    @property
    def fileName(self) -> str:
        """The cloud file name: `name.fileExtension`, without a dot when there is no extension."""
        return f"{self.name}.{self.fileExtension}" if self.fileExtension else self.name


class DataStoreDirectory(DxModel):
    """A directory of a Data Store with its direct contents.

    Sub-directories in `directories` carry their own metadata only (their `directories`
    and `files` are empty); fetch them with `getDataStoreDirectory` to go deeper.
    """

    dataStoreDirectoryId: str
    dataStoreId: str | None = None
    name: str
    homeDirectory: bool | None = None
    """Whether this is the Data Store's home directory."""
    parentDirectoryId: str | None = None
    ownerUserId: str | None = None
    directories: ObjectList[DataStoreDirectory] = Field(default_factory=list)
    files: ObjectList[DataStoreFile] = Field(default_factory=list)

    def printContents(self, file: TextIO | None = None) -> None:
        """Prints the directories and files of this listing with their ids (to `file`,
        default stdout): printing is this 1.2.1 method's documented purpose."""
        lines = [f"{self.name}/  ({self.dataStoreDirectoryId})"]
        lines += [f"  {d.name}/  ({d.dataStoreDirectoryId})" for d in self.directories]
        lines += [f"  {f.fileName}  ({f.dataStoreFileId})" for f in self.files]
        print("\n".join(lines), file=file or sys.stdout)


class UploadCompleteResponse(DxModel):
    """How an upload (`PresignedUrl.uploadId`) ended: `httpStatusCode` 200 once its bytes
    arrived, otherwise an error status with `errorMessage`."""

    uploadId: str
    httpStatusCode: int | None = None
    errorMessage: str | None = None


class TimeSeriesDb(DxModel):
    """A time series database (an AWS Timestream table)."""

    timeSeriesDbId: str
    name: str
    description: str | None = None
    ownerUserId: str | None = None
    databaseName: str | None = None
    """Database name to use in queries: `FROM "<databaseName>"."<tableName>"`."""
    tableName: str | None = None
    """Table name to use in queries."""


class Service(DxModel):
    """A service shared in collaboratives (a Data Store, a Time Series Database, ...)."""

    serviceType: enums.ServiceType | str
    """`DATA_STORE`, `TIME_SERIES_DB`, `IOT_GROUP`, `DATA_CAPTURE` or `OCS_ADAPTER`."""
    serviceId: str
    dataStore: DataStore | None = None
    timeSeriesDb: TimeSeriesDb | None = None


class CollaborativeMemberUser(DxModel):
    """A user and their membership in a collaborative."""

    permission: enums.CollaborativeMemberPermission | str | None = None
    """`READ_ONLY` or `READ_WRITE`."""
    user: User | None = None


class CollaborativeMemberOrganization(DxModel):
    """An organization and its membership in a collaborative."""

    organization: Organization | None = None
    collaborativeId: str
    memberState: enums.CollaborativeMemberOrganizationState | str | None = None
    usersInCollaborative: ObjectList[CollaborativeMemberUser] = Field(default_factory=list)
    # Set on membership requests (`dx.collaboratives`); None where a listing leaves them out.
    accessApprovedByUserId: str | None = None
    submittedByUser: User | None = None
    submittedTimestamp: str | None = None


class Collaborative(DxModel):
    """A Digital Exchange data collaborative."""

    collaborativeId: str
    name: str
    description: str | None = None
    hostOrganizationId: str | None = None
    memberOrganizations: ObjectList[CollaborativeMemberOrganization] = Field(default_factory=list)


class TimeSeriesMeasureValue(DxModel):
    """A named, typed measure value (Timestream `MeasureValue`)."""

    Type: enums.MeasureValueType | str
    Name: str
    Value: str


class TimeSeriesDimension(DxModel):
    """A dimension, i.e. a metadata attribute of a record (Timestream `Dimension`)."""

    DimensionValueType: enums.DimensionValueType | str
    Name: str
    Value: str


class TimeSeriesInputRecord(DxModel):
    """A time series record (Timestream `Record`); build it with `createTimeSeriesInputRecord`."""

    Time: str
    TimeUnit: enums.TimeUnit | str
    MeasureName: str
    MeasureValueType: enums.MeasureValueType | str
    MeasureValue: str | None = None
    MeasureValues: list[TimeSeriesMeasureValue] | None = None
    Dimensions: list[TimeSeriesDimension] | None = None
    Version: int | None = 1


class TimeSeriesAssetAttributeData(DxModel):
    """A single time/value data point of an attribute."""

    timestamp: str
    """ISO-8601 time."""
    value: str


class TimeSeriesAssetAttribute(DxModel):
    """One attribute of an asset and some of its data."""

    name: str
    attributeType: enums.MeasureValueType | str
    lastValue: str | None = None
    lastValueTime: str | None = None
    data: ObjectList[TimeSeriesAssetAttributeData] = Field(default_factory=list)

    # A publish's result builds `data` on first use, from data points it already validated
    # (`_publishing.aggregate`): millions of echoed points cost no models until looked at.
    # Until then `data` is missing from `__dict__`; every way of reading the model (the
    # attribute, ==, repr, iteration, copies, pickling, serialization, nested or not) first
    # builds it, so the model behaves exactly as if it had been built with it.
    _pending_data: Callable[[], list[TimeSeriesAssetAttributeData]] | None = PrivateAttr(
        default=None
    )

    @classmethod
    def _with_pending_data(
        cls, fields: dict[str, Any], build: Callable[[], list[TimeSeriesAssetAttributeData]]
    ) -> TimeSeriesAssetAttribute:
        """An attribute validated from `fields` whose `data` is `build()`, called on first use."""
        attribute = cls.model_validate({**fields, "data": []})
        if "data" not in fields:
            attribute.__pydantic_fields_set__.discard("data")
        del attribute.__dict__["data"]
        attribute._pending_data = build
        return attribute

    def _build_data(self) -> list[TimeSeriesAssetAttributeData]:
        build = self._pending_data
        if build is not None:
            # Two threads may build it at once: both then see the first one stored.
            self.__dict__.setdefault("data", build())  # unless assigned since
            self._pending_data = None
        data: list[TimeSeriesAssetAttributeData] = self.__dict__["data"]
        return data

    if not TYPE_CHECKING:  # as pydantic's own: mypy keeps checking attribute names

        def __getattr__(self, name: str) -> Any:
            private = self.__pydantic_private__
            if name == "data" and private and private.get("_pending_data") is not None:
                return self._build_data()
            return super().__getattr__(name)

    def _built(self) -> TimeSeriesAssetAttribute:
        if self.__pydantic_private__ is not None and self._pending_data is not None:
            self._build_data()
        return self

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        return handler(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TimeSeriesAssetAttribute):
            other._built()
        return super(TimeSeriesAssetAttribute, self._built()).__eq__(other)

    __hash__ = DxModel.__hash__

    def __repr_args__(self) -> Any:
        return super(TimeSeriesAssetAttribute, self._built()).__repr_args__()

    def __iter__(self) -> Any:
        return super(TimeSeriesAssetAttribute, self._built()).__iter__()

    def __copy__(self) -> Any:
        return super(TimeSeriesAssetAttribute, self._built()).__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        return super(TimeSeriesAssetAttribute, self._built()).__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        return super(TimeSeriesAssetAttribute, self._built()).__getstate__()


class TimeSeriesAssetData(DxModel):
    """An asset's attributes and recent data, as returned by a publish."""

    assetId: str
    name: str | None = None
    attributes: ObjectList[TimeSeriesAssetAttribute] = Field(default_factory=list)


class QueryResult_TimestreamVariables(DxModel):  # noqa: N801 - the documented name
    """One page of a Timestream query.

    `timestreamResults` is the raw AWS Timestream `Query` response; `QueryId`, `QueryStatus`,
    `Rows`, `ColumnInfo` and `NextToken` are copied from it for easy access. `NextToken` is
    None on the last page. `rows()` and `to_pandas()` give typed values.
    """

    timestreamResults: dict[str, Any]
    clientToken: str | None = None
    NextToken: str | None = None
    QueryId: str | None = None
    QueryStatus: dict[str, Any] | None = None
    Rows: list[dict[str, Any]] = Field(default_factory=list)
    ColumnInfo: list[dict[str, Any]] = Field(default_factory=list)
    queryString: str | None = None
    """The caller's query, unchanged."""
    maxRows: int | None = None

    @property
    def columns(self) -> list[str]:
        """The column names, `_colN` for unnamed expressions."""
        from ._timestream import column_names

        return column_names(self.ColumnInfo)

    def rows(self) -> QueryRows:
        """The rows as dicts of Python values converted by `ColumnInfo` (a lazy `QueryRows`
        sequence: converted a column at a time on first use; its repr shows count and columns).

        TIMESTAMP → aware UTC `datetime` (microseconds; Python keeps no nanoseconds),
        DATE → `date`, TIME → `time`, INTERVAL_DAY_TO_SECOND → `timedelta`, BIGINT and
        INTEGER → `int`, DOUBLE → `float`, BOOLEAN → `bool`, VARCHAR → `str`, NULL → None,
        arrays → lists, rows → dicts, time series → lists of `{"time", "value"}` dicts.
        """
        from ._timestream import QueryRows

        return QueryRows(self.ColumnInfo, self.Rows)

    def to_pandas(self) -> pandas.DataFrame:
        """This page as a `pandas.DataFrame` with typed columns (needs the `pandas` extra).

        TIMESTAMP columns are `datetime64[ns, UTC]` with nanoseconds kept; BIGINT/INTEGER are
        nullable `Int64`, DOUBLE `float64`, BOOLEAN nullable `boolean`, VARCHAR `string`.
        """
        from ._dataframes import pages_to_pandas

        return pages_to_pandas([self])

    def to_arrow(self) -> pyarrow.Table:
        """This page as a `pyarrow.Table` (needs the `arrow` extra): TIMESTAMP →
        `timestamp[ns, UTC]`, BIGINT/INTEGER → `int64`, DOUBLE → `float64`, BOOLEAN → `bool`,
        VARCHAR → `string`, DATE → `date32`. For many pages: `avista_dx.pages_to_arrow`."""
        from ._arrow_pages import pages_to_arrow

        return pages_to_arrow([self])

    def to_polars(self) -> polars.DataFrame:
        """This page as a `polars.DataFrame` (needs the `polars` and `arrow` extras), through
        `to_arrow()`. For many pages: `avista_dx.pages_to_polars`."""
        from ._arrow_pages import pages_to_polars

        return pages_to_polars([self])
