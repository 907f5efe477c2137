"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .data_stores import AsyncDataStores

__all__ = ["AsyncDataStores"]
