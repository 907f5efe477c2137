"""A local emulator of the Avista Digital Exchange (install with the ``emulator`` extra).

Start one with ``avista-dx emulator``, in-process with :func:`run_emulator`, or in tests with
the ``dx_emulator`` pytest fixture. See ``docs/emulator.md``.
"""

from .app import Emulator, build_emulator
from .config import EmulatorConfig, default_data_dir
from .runner import EmulatorHandle, run_emulator
from .seed import DemoSeed

__all__ = [
    "DemoSeed",
    "Emulator",
    "EmulatorConfig",
    "EmulatorHandle",
    "build_emulator",
    "default_data_dir",
    "run_emulator",
]
