"""avista-dx: the typed Python SDK for the Avista Digital Exchange.

    from avista_dx import AvistaDigitalExchange

    with AvistaDigitalExchange("<token>") as dx:
        print(dx.getUserInfo().organization)

Names are imported lazily (PEP 562) so that `import avista_dx` stays fast and
`import avista_dx.emulator` never loads the client or the generated package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import DxTypes
    from ._async.client import AsyncAvistaDigitalExchange
    from ._records import record_from_values, records_from_rows
    from ._sync.client import AvistaDigitalExchange
    from ._transfers import ProgressCallback
    from ._tree_plan import PlannedDeletion, PlannedTransfer, TreePlan, TreeProgress
    from .errors import (
        AmbiguousPathError,
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        DownloadError,
        DxError,
        FileNotFoundException,
        FileUploadException,
        GraphQLError,
        InvalidInputError,
        InvalidParameterException,
        InvalidResponseError,
        LocalFileNotFoundError,
        MissingDataInResultException,
        MutationFailed,
        NotFoundError,
        NotImplementedByServerError,
        PaginationError,
        PartialPublishError,
        PathError,
        PathExistsError,
        PathNotFoundError,
        PathTypeError,
        PermissionDeniedError,
        PublishInterruptedError,
        QueryFailed,
        RateLimitError,
        RealtimeConnectionError,
        RejectedRecordsError,
        ServerError,
        TransferError,
        Unauthorized,
        UnauthorizedException,
        UploadError,
    )
    from .types import (
        Collaborative,
        CollaborativeMemberOrganization,
        CollaborativeMemberUser,
        DataStore,
        DataStoreDirectory,
        DataStoreFile,
        Organization,
        QueryResult_TimestreamVariables,
        Service,
        TimeSeriesAssetAttribute,
        TimeSeriesAssetAttributeData,
        TimeSeriesAssetData,
        TimeSeriesDb,
        TimeSeriesDimension,
        TimeSeriesInputRecord,
        TimeSeriesMeasureValue,
        User,
    )
    from .types_data_capture import (
        CaptureDataRecordInput,
        DataCapture,
        DataCaptureTimeSettings,
        PublishCaptureDataFailedRecord,
        PublishCaptureDataResult,
        PublishCaptureDataSuccessfulRecord,
        StartCaptureResult,
        StopCaptureResult,
    )
    from .types_iot import (
        DigitalTwinModel,
        EndpointLastValue,
        EndpointLastValues,
        EndpointProperty,
        EndpointTelemetry,
        IotAttributeValue,
        IotDataRecord,
        IotDataRecordError,
        IotEndpoint,
        IotFailedRecord,
        IotGroup,
        IotHub,
        IotQueryExport,
        ModelProperty,
        ModelTelemetry,
        PublishIotDataResult,
        TelemetryValue,
    )

__version__ = "0.1.0"

_CLIENTS = {
    "AvistaDigitalExchange": "._sync.client",
    "AsyncAvistaDigitalExchange": "._async.client",
}
_HELPERS = {
    "record_from_values": "._records",
    "records_from_rows": "._records",
    "ProgressCallback": "._transfers",
    "PlannedDeletion": "._tree_plan",
    "PlannedTransfer": "._tree_plan",
    "TreePlan": "._tree_plan",
    "TreeProgress": "._tree_plan",
}
_TYPES = (
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
    "User",
)
_ERRORS = (
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "DownloadError",
    "DxError",
    "FileNotFoundException",
    "FileUploadException",
    "GraphQLError",
    "InvalidInputError",
    "InvalidParameterException",
    "InvalidResponseError",
    "LocalFileNotFoundError",
    "MissingDataInResultException",
    "MutationFailed",
    "NotFoundError",
    "NotImplementedByServerError",
    "PaginationError",
    "PathError",
    "PathExistsError",
    "PathNotFoundError",
    "PathTypeError",
    "AmbiguousPathError",
    "PartialPublishError",
    "PermissionDeniedError",
    "PublishInterruptedError",
    "QueryFailed",
    "RateLimitError",
    "RealtimeConnectionError",
    "RejectedRecordsError",
    "ServerError",
    "TransferError",
    "Unauthorized",
    "UnauthorizedException",
    "UploadError",
)
_IOT_TYPES = (
    "DigitalTwinModel",
    "EndpointLastValue",
    "EndpointLastValues",
    "EndpointProperty",
    "EndpointTelemetry",
    "IotAttributeValue",
    "IotDataRecord",
    "IotDataRecordError",
    "IotEndpoint",
    "IotFailedRecord",
    "IotGroup",
    "IotHub",
    "IotQueryExport",
    "ModelProperty",
    "ModelTelemetry",
    "PublishIotDataResult",
    "TelemetryValue",
)
_DATA_CAPTURE_TYPES = (
    "CaptureDataRecordInput",
    "DataCapture",
    "DataCaptureTimeSettings",
    "PublishCaptureDataFailedRecord",
    "PublishCaptureDataResult",
    "PublishCaptureDataSuccessfulRecord",
    "StartCaptureResult",
    "StopCaptureResult",
)
_LAZY: dict[str, str] = {
    **_CLIENTS,
    **_HELPERS,
    **dict.fromkeys(_TYPES, ".types"),
    **dict.fromkeys(_ERRORS, ".errors"),
    **dict.fromkeys(_IOT_TYPES, ".types_iot"),
    **dict.fromkeys(_DATA_CAPTURE_TYPES, ".types_data_capture"),
}
_SUBMODULES = ("DxTypes",)  # 1.2.1's namespace of data capture types

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousPathError",
    "AsyncAvistaDigitalExchange",
    "AuthenticationError",
    "AvistaDigitalExchange",
    "BadRequestError",
    "CaptureDataRecordInput",
    "Collaborative",
    "CollaborativeMemberOrganization",
    "CollaborativeMemberUser",
    "ConfigurationError",
    "DataCapture",
    "DataCaptureTimeSettings",
    "DataStore",
    "DataStoreDirectory",
    "DataStoreFile",
    "DigitalTwinModel",
    "DownloadError",
    "DxError",
    "DxTypes",
    "EndpointLastValue",
    "EndpointLastValues",
    "EndpointProperty",
    "EndpointTelemetry",
    "FileNotFoundException",
    "FileUploadException",
    "GraphQLError",
    "InvalidInputError",
    "InvalidParameterException",
    "InvalidResponseError",
    "IotAttributeValue",
    "IotDataRecord",
    "IotDataRecordError",
    "IotEndpoint",
    "IotFailedRecord",
    "IotGroup",
    "IotHub",
    "IotQueryExport",
    "LocalFileNotFoundError",
    "MissingDataInResultException",
    "ModelProperty",
    "ModelTelemetry",
    "MutationFailed",
    "NotFoundError",
    "NotImplementedByServerError",
    "Organization",
    "PaginationError",
    "PartialPublishError",
    "PathError",
    "PathExistsError",
    "PathNotFoundError",
    "PathTypeError",
    "PermissionDeniedError",
    "PlannedDeletion",
    "PlannedTransfer",
    "ProgressCallback",
    "PublishCaptureDataFailedRecord",
    "PublishCaptureDataResult",
    "PublishCaptureDataSuccessfulRecord",
    "PublishInterruptedError",
    "PublishIotDataResult",
    "QueryFailed",
    "QueryResult_TimestreamVariables",
    "RateLimitError",
    "RealtimeConnectionError",
    "RejectedRecordsError",
    "ServerError",
    "Service",
    "StartCaptureResult",
    "StopCaptureResult",
    "TelemetryValue",
    "TimeSeriesAssetAttribute",
    "TimeSeriesAssetAttributeData",
    "TimeSeriesAssetData",
    "TimeSeriesDb",
    "TimeSeriesDimension",
    "TimeSeriesInputRecord",
    "TimeSeriesMeasureValue",
    "TransferError",
    "TreePlan",
    "TreeProgress",
    "Unauthorized",
    "UnauthorizedException",
    "UploadError",
    "User",
    "__version__",
    "record_from_values",
    "records_from_rows",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'avista_dx' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
