"""The ``avista-dx`` command line: a thin layer over the public SDK (docs/cli.md).

Only the console script (`avista_dx._cli.main`) imports it: `import avista_dx` never loads it
nor Typer. One module per command group; `app.py` assembles them.
"""

from __future__ import annotations

from .app import run

__all__ = ["run"]
