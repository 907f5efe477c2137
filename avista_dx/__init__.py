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
    from ._async.client import AsyncAvistaDigitalExchange
    from ._records import record_from_values, records_from_rows
    from ._sync.client import AvistaDigitalExchange
    from ._transfers import ProgressCallback
    from .errors import (
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

__version__ = "0.1.0"

_CLIENTS = {
    "AvistaDigitalExchange": "._sync.client",
    "AsyncAvistaDigitalExchange": "._async.client",
}
_HELPERS = {
    "record_from_values": "._records",
    "records_from_rows": "._records",
    "ProgressCallback": "._transfers",
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
_LAZY: dict[str, str] = {
    **_CLIENTS,
    **_HELPERS,
    **dict.fromkeys(_TYPES, ".types"),
    **dict.fromkeys(_ERRORS, ".errors"),
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAvistaDigitalExchange",
    "AuthenticationError",
    "AvistaDigitalExchange",
    "BadRequestError",
    "Collaborative",
    "CollaborativeMemberOrganization",
    "CollaborativeMemberUser",
    "ConfigurationError",
    "DataStore",
    "DataStoreDirectory",
    "DataStoreFile",
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
    "Organization",
    "PaginationError",
    "PartialPublishError",
    "PermissionDeniedError",
    "ProgressCallback",
    "PublishInterruptedError",
    "QueryFailed",
    "QueryResult_TimestreamVariables",
    "RateLimitError",
    "RealtimeConnectionError",
    "RejectedRecordsError",
    "ServerError",
    "Service",
    "TimeSeriesAssetAttribute",
    "TimeSeriesAssetAttributeData",
    "TimeSeriesAssetData",
    "TimeSeriesDb",
    "TimeSeriesDimension",
    "TimeSeriesInputRecord",
    "TimeSeriesMeasureValue",
    "TransferError",
    "Unauthorized",
    "UnauthorizedException",
    "UploadError",
    "User",
    "__version__",
    "record_from_values",
    "records_from_rows",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'avista_dx' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
