"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .admin import AsyncAdmin
from .collaboratives import AsyncCollaboratives
from .data_stores import AsyncDataStores
from .time_series import AsyncTimeSeries
from .users import AsyncUsers

__all__ = ["AsyncAdmin", "AsyncCollaboratives", "AsyncDataStores", "AsyncTimeSeries", "AsyncUsers"]
