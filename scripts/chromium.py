"""Debian's headless Chromium under Playwright, for the console's browser tests and screenshot.

Playwright drives the system browser (``executable_path``); ``playwright install`` is never run,
as it downloads browser builds. ``.ci/run`` installs Debian's ``chromium`` package.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str | None:
    """``$AVISTA_DX_CHROMIUM``, else ``chromium`` on the PATH; None when there is none."""
    return os.environ.get("AVISTA_DX_CHROMIUM") or shutil.which("chromium")
