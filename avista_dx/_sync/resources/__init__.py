# Produced by scripts/unasync.py from avista_dx/_async/resources/__init__.py: do not edit.
"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .data_stores import DataStores

__all__ = ["DataStores"]
