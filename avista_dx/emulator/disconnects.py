"""The HTTP layer tells blocking work that its client has gone away.

``client_gone`` holds, for the request being executed, an event the HTTP layer sets when the
client disconnects; long work (a time-series query) polls it and stops early.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar

client_gone: ContextVar[threading.Event | None] = ContextVar("client_gone", default=None)
