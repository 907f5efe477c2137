"""pytest plugin (registered through the ``pytest11`` entry point): the emulator fixtures.

``dx_emulator`` is a session-scoped, in-memory emulator with the demo seed, served over real
HTTP on a free loopback port (``url``, ``tokens`` by role, ``ids`` of the demo objects).
``dx_reset`` is the same emulator, reset to the seed before the test: the isolation the SDK
client fixtures (``dx``, ``async_dx``, ``dx_as``; ``avista_dx.pytest_plugin``) build on.

The emulator is imported only when a fixture is used, so the plugin costs nothing otherwise,
and a missing ``emulator`` extra is one clear line rather than a ``ModuleNotFoundError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .runner import EmulatorHandle

# The top-level modules the `emulator` extra installs (pyproject.toml).
EXTRA_MODULES = frozenset(
    {"ariadne", "graphql", "starlette", "uvicorn", "duckdb", "sqlglot", "cachetools", "websockets"}
)
MISSING_EXTRA = (
    "the avista-dx emulator fixtures need the `emulator` extra ({module} is not installed): "
    'pip install "avista-dx[emulator]"'
)


@pytest.fixture(scope="session")
def dx_emulator() -> Iterator[EmulatorHandle]:
    """An in-memory demo emulator for the whole session (see docs/emulator.md, "Testing")."""
    missing = None
    try:
        from .runner import run_emulator
    except ModuleNotFoundError as error:
        if error.name is None or error.name.partition(".")[0] not in EXTRA_MODULES:
            raise
        missing = error.name
    if missing is not None:  # outside the except block: one line, no chained traceback
        pytest.fail(MISSING_EXTRA.format(module=missing), pytrace=False)

    with run_emulator(seed="demo") as handle:
        yield handle


@pytest.fixture
def dx_reset(dx_emulator: EmulatorHandle) -> EmulatorHandle:
    """The session's emulator, reset to the demo seed before the test (tens of milliseconds:
    ``bench/emulator_reset.py``), so nothing an earlier test did is visible."""
    dx_emulator.reset()
    return dx_emulator
