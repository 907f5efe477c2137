"""Running the emulator: in a background thread (tests, scripts) or in the foreground (CLI)."""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import uvicorn

from .app import Emulator, build_emulator
from .config import DEFAULT_HOST, EmulatorConfig
from .seed import SEEDS, DemoSeed, apply_seed

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class EmulatorHandle:
    """A running emulator: ``url`` is its GraphQL endpoint; ``tokens`` the seed's, by role."""

    url: str
    base_url: str
    tokens: dict[str, str] = field(repr=False)  # credentials never appear in a repr
    seed: DemoSeed | None = field(repr=False)
    emulator: Emulator = field(repr=False)

    @property
    def realtime_url(self) -> str:
        """The real-time WebSocket: the GraphQL URL with ``http`` → ``ws`` (same port, path)."""
        return "ws" + self.url.removeprefix("http")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening on ``host:port`` (0: a free port), or ``OSError`` (the
    port is busy, the host is not local...). Bound before anything is announced or opened."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family)
    # Accepted connections inherit it: without it, uvloop's served-socket path leaves Nagle on
    # and every response waits ~40 ms for the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def url_of(host: str, sock: socket.socket) -> str:
    """``http://host:port`` of a listening socket (the bound port, also when 0 was asked)."""
    url_host = f"[{host}]" if ":" in host else host
    return f"http://{url_host}:{sock.getsockname()[1]}"


def serve(emulator: Emulator, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serves the emulator on a listening socket until SIGINT/SIGTERM (the CLI's foreground)."""
    _server(emulator, log_level).run(sockets=[sock])


def _server(emulator: Emulator, log_level: str) -> uvicorn.Server:
    return _Server(uvicorn.Config(emulator.app, log_level=log_level, lifespan="off"), emulator)


def prepare(seed: str | None, config: EmulatorConfig) -> tuple[Emulator, DemoSeed | None]:
    if seed is not None and seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r} (known: {', '.join(SEEDS)})")
    emulator = build_emulator(dataclasses.replace(config, seed=seed))
    try:
        return emulator, apply_seed(emulator, seed)
    except BaseException:
        emulator.close()
        raise


@contextmanager
def run_emulator(
    seed: str | None = "demo",
    data_dir: str | Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    config: EmulatorConfig | None = None,
) -> Iterator[EmulatorHandle]:
    """Starts an emulator with uvicorn on ``host:port`` (0: a free port) in a background thread.

    ``seed``: ``"demo"``, ``"admin"`` or None (see docs/emulator.md). ``data_dir=None`` keeps
    everything in memory; a full ``config`` wins over ``data_dir``. On exit the server stops and
    the stores close.
    """
    if config is None:
        config = EmulatorConfig(data_dir=None if data_dir is None else Path(data_dir), seed=seed)
    sock = listen(host, port)  # a busy port fails here, before the data directory is opened
    try:
        emulator, demo = prepare(seed, config)
    except BaseException:
        sock.close()
        raise
    server = _server(emulator, "warning")
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="avista-dx-emulator", daemon=True
    )
    thread.start()
    try:
        if not _wait_started(server, thread):
            raise RuntimeError("the emulator did not start (see the log for the reason)")
        base_url = url_of(host, sock)
        yield EmulatorHandle(
            url=f"{base_url}/graphql",
            base_url=base_url,
            tokens=dict(demo.tokens) if demo else {},
            seed=demo,
            emulator=emulator,
        )
    finally:
        server.should_exit = True
        emulator.engine.cancel_queries()  # running queries must not hold the shutdown up
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS)
        sock.close()
        emulator.close()


class _Server(uvicorn.Server):
    """uvicorn's server, cancelling time-series queries as soon as it is told to stop
    (SIGINT/SIGTERM): it then waits for requests to finish, and a runaway query would hold
    it up until its time limit."""

    def __init__(self, config: uvicorn.Config, emulator: Emulator) -> None:
        super().__init__(config)
        self._emulator = emulator

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._emulator.engine.cancel_queries()
        super().handle_exit(sig, frame)


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> bool:
    import time

    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
