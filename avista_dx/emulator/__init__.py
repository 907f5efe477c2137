"""A local emulator of the Avista Digital Exchange (install with the ``emulator`` extra).

Start one with ``avista-dx emulator``, in-process with :func:`run_emulator`, or in tests with
the ``dx_emulator`` pytest fixture. See ``docs/emulator.md``.

The names below load on first use: the pytest plugin lives in this package and must import
even where the ``emulator`` extra (Starlette, ariadne, uvicorn) is not installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Emulator, build_emulator
    from .config import EmulatorConfig, RequestLimits, default_data_dir
    from .runner import EmulatorHandle, run_emulator
    from .seed import DemoSeed

__all__ = [
    "DemoSeed",
    "Emulator",
    "EmulatorConfig",
    "EmulatorHandle",
    "RequestLimits",
    "build_emulator",
    "default_data_dir",
    "run_emulator",
]

_HOMES = {
    "DemoSeed": ".seed",
    "Emulator": ".app",
    "EmulatorConfig": ".config",
    "EmulatorHandle": ".runner",
    "RequestLimits": ".config",
    "build_emulator": ".app",
    "default_data_dir": ".config",
    "run_emulator": ".runner",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
