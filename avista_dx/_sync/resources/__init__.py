# Produced by scripts/unasync.py from avista_dx/_async/resources/__init__.py: do not edit.
"""The namespaces of the client (`dx.dataStores`, ...): one module and one class each."""

from .data_capture import DataCapture
from .data_stores import DataStores
from .iot import Iot

__all__ = ["DataCapture", "DataStores", "Iot"]
