"""The documented types of `dx.timeSeries`'s operations beyond the 0.0.19 ones."""

from __future__ import annotations

from avista_dx_graphql import enums
from pydantic import Field

from .types import DxModel, ObjectList, TimeSeriesAssetData

__all__ = [
    "ServerResponse",
    "TimeSeriesLastValues",
    "TimeSeriesQueryExport",
    "TimeSeriesQueryExportRequest",
    "TimeSeriesQueryResult",
]


class TimeSeriesLastValues(DxModel):
    """One chunk of the last values of every asset of a database.

    While `queryProgressPercentage` is below 100 or `nextToken` is set, ask again with the
    same `clientToken` and this `nextToken` (`listAllAssetLastValues` does so for you).
    """

    queryId: str
    queryProgressPercentage: float
    clientToken: str | None = None
    nextToken: str | None = None
    resultChunkIndex: int | None = None
    data: ObjectList[TimeSeriesAssetData] = Field(default_factory=list)


class TimeSeriesQueryResult(DxModel):
    """One chunk of a structured query (`queryDatabase`): the rows are in the file at
    `presignedUrl` (a presigned S3 GET URL) once `queryProgressPercentage` reaches 100."""

    queryId: str
    queryProgressPercentage: float
    presignedUrl: str | None = None
    clientToken: str | None = None
    nextToken: str | None = None
    queryString: str | None = None
    """The Timestream query the exchange ran."""
    resultChunkIndex: int | None = None


class TimeSeriesQueryExportRequest(DxModel):
    """An export of a query's result being prepared; its URL arrives by the
    `onNotifyTimeSeriesQueryExportComplete` subscription."""

    queryId: str
    timeSeriesDbId: str
    fileFormat: enums.TimeSeriesQueryOutputFileType | str | None = None


class TimeSeriesQueryExport(DxModel):
    """A finished export of a query's result (the `onNotifyTimeSeriesQueryExportComplete`
    event): `url` is a presigned GET of the file."""

    queryId: str
    url: str
    fileType: enums.TimeSeriesQueryOutputFileType | str | None = None
    fileSizeBytes: int | None = None


class ServerResponse(DxModel):
    """The exchange's status answer to a command (e.g. a query cancelled)."""

    httpStatusCode: int | None = None
    errorMessage: str | None = None
