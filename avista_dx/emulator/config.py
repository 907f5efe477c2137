"""The emulator's settings and where it keeps its data by default."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

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
class EmulatorConfig:
    """``data_dir=None`` keeps everything in memory (nothing survives the process)."""

    data_dir: Path | None = None
    presigned_url_ttl_seconds: int = 3600
    # GraphQL bodies only (transfers stream): 100 records with dimensions fit in far less.
    max_request_bytes: int = 8 * 1024 * 1024
    # 0: every publish is committed to disk before it is acknowledged. Above 0, appends are
    # group-committed within that many seconds: faster, but a hard crash may lose that window.
    timeseries_commit_delay_seconds: float = 0.0
    # Re-created by ``Emulator.reset()``; ``build_emulator`` leaves seeding to its caller.
    seed: str | None = None
    # The real-time WebSocket (AppSync's values): the ``connectionTimeoutMs`` announced in
    # ``connection_ack``, how often ``ka`` is sent, the subscriptions one connection may hold.
    realtime_connection_timeout_ms: int = 300_000
    realtime_keep_alive_seconds: float = 60.0
    realtime_max_subscriptions_per_connection: int = 200
    # AppSync ends every real-time connection after 24 hours; clients reconnect.
    realtime_max_connection_seconds: float = 24 * 3600.0

    @property
    def in_memory(self) -> bool:
        return self.data_dir is None
