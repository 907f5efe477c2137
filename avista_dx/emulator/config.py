"""The emulator's settings and where it keeps its data by default."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .timestream import QueryLimits

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4000


def default_data_dir() -> Path:
    """The user's data directory: ``$XDG_DATA_HOME/avista-dx/emulator`` on Linux and the like."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "avista-dx" / "emulator"


@dataclass(frozen=True, slots=True)
class RequestLimits:
    """Bounds on one GraphQL request (``EmulatorConfig.request_limits``; see docs/emulator.md)."""

    max_depth: int = 25  # nesting of selections (AppSync: configurable, 1 to 75)
    # Fields and fragment spreads, fragments expanded (validation is quadratic in them).
    max_selections: int = 500
    max_aliases: int = 100  # aliased fields in the operation
    max_resolver_fields: int = 50  # fields backed by a resolver (each alias counts)
    max_resolver_calls: int = 10_000  # resolver calls while executing (AppSync's limit)
    time_limit_seconds: float = 30.0  # no resolver starts after this (AppSync: 30 s)
    max_json_depth: int = 64  # nesting of the JSON body (variables, AWSJSON values)
    document_cache_bytes: int = 64 * 1024 * 1024  # parsed documents kept, by memory


@dataclass(frozen=True, slots=True)
class EmulatorConfig:
    """``data_dir=None`` keeps everything in memory (nothing survives the process)."""

    data_dir: Path | None = None
    presigned_url_ttl_seconds: int = 3600
    # GraphQL bodies only (transfers stream): 100 records with dimensions fit in far less.
    max_request_bytes: int = 8 * 1024 * 1024
    # Threads executing GraphQL requests; above what time-series queries can take
    # (QueryLimits.concurrency + max_waiting), so other requests are always served.
    request_threads: int = 100
    # 0: every publish is committed to disk before it is acknowledged. Above 0, appends are
    # group-committed within that many seconds: faster, but a hard crash may lose that window.
    timeseries_commit_delay_seconds: float = 0.0
    # Time-series query bounds: time limit (60 s, as Timestream), DuckDB memory, concurrency,
    # open paginated queries per user (see docs/emulator.md, "Limits").
    timeseries_query_limits: QueryLimits = field(default_factory=QueryLimits)
    # Re-created by ``Emulator.reset()``; ``build_emulator`` leaves seeding to its caller.
    seed: str | None = None
    # The real-time WebSocket (AppSync's values): the ``connectionTimeoutMs`` announced in
    # ``connection_ack``, how often ``ka`` is sent, the subscriptions one connection may hold.
    realtime_connection_timeout_ms: int = 300_000
    realtime_keep_alive_seconds: float = 60.0
    realtime_max_subscriptions_per_connection: int = 200
    # AppSync ends every real-time connection after 24 hours; clients reconnect.
    realtime_max_connection_seconds: float = 24 * 3600.0
    request_limits: RequestLimits = field(default_factory=RequestLimits)

    def __post_init__(self) -> None:
        limits = self.timeseries_query_limits
        if self.request_threads <= limits.concurrency + limits.max_waiting:
            raise ValueError(
                "request_threads must exceed the time-series queries that may run or wait"
                " (timeseries_query_limits.concurrency + max_waiting)"
            )

    @property
    def in_memory(self) -> bool:
        return self.data_dir is None
