"""pytest plugin (registered through the ``pytest11`` entry point): the ``dx_emulator`` fixture.

``dx_emulator`` is a session-scoped, in-memory emulator with the demo seed, served over real
HTTP on a free loopback port: use ``dx_emulator.url`` and ``dx_emulator.tokens["owner"]``.
The emulator is imported only when the fixture is used, so the plugin costs nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .runner import EmulatorHandle


@pytest.fixture(scope="session")
def dx_emulator() -> Iterator[EmulatorHandle]:
    from .runner import run_emulator

    with run_emulator(seed="demo") as handle:
        yield handle
