"""Object ids shaped like the service's: ``<typePrefix>.<unique part>``.

Clients derive a service type from the prefix (``dataStoreId.`` → DATA_STORE), so the prefix is
part of the contract; the unique part is a random UUID4 hex.
"""

from __future__ import annotations

import uuid
from enum import Enum


class IdKind(str, Enum):
    ORGANIZATION = "organizationId"
    USER = "userId"
    TOKEN = "authenticationTokenId"
    DATA_STORE = "dataStoreId"
    DIRECTORY = "dataStoreDirectoryId"
    FILE = "dataStoreFileId"
    UPLOAD = "uploadId"
    TIME_SERIES_DB = "timeSeriesDbId"
    COLLABORATIVE = "collaborativeId"
    DATA_VIEW = "dataViewId"
    ZIP_ARCHIVE = "dataStoreZipId"
    TIME_SERIES_QUERY = "timeSeriesQueryId"
    TIME_SERIES_EXPORT = "timeSeriesExportId"
    CAPTURE = "captureId"
    CAPTURE_ATTACHMENT = "attachmentId"
    CAPTURE_EXPORT = "captureExportId"
    CAPTURE_STATE_CHANGE = "captureStateChangeId"
    IOT_HUB = "iotHubId"
    IOT_ENDPOINT = "iotEndpointId"
    IOT_GROUP = "iotGroupId"
    IOT_MODEL = "modelId"
    IOT_QUERY = "iotQueryId"
    IOT_RESULT = "iotResultId"


def new_id(kind: IdKind) -> str:
    return f"{kind.value}.{uuid.uuid4().hex}"


def has_kind(value: str, kind: IdKind) -> bool:
    return value.startswith(kind.value + ".")
