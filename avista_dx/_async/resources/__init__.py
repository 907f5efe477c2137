"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .admin import AsyncAdmin
from .collaboratives import AsyncCollaboratives
from .data_capture import AsyncDataCapture
from .data_stores import AsyncDataStores
from .iot import AsyncIot
from .time_series import AsyncTimeSeries
from .users import AsyncUsers

__all__ = [
    "AsyncAdmin",
    "AsyncCollaboratives",
    "AsyncDataCapture",
    "AsyncDataStores",
    "AsyncIot",
    "AsyncTimeSeries",
    "AsyncUsers",
]
