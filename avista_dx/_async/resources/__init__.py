"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .data_capture import AsyncDataCapture
from .data_stores import AsyncDataStores
from .iot import AsyncIot

__all__ = ["AsyncDataCapture", "AsyncDataStores", "AsyncIot"]
