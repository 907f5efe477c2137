"""The `avista_dx` logger: switched on by `debug=True` or `AVISTA_DX_LOG=debug|info`."""

from __future__ import annotations

import logging
import os

from ._constants import LOG_ENV

logger = logging.getLogger("avista_dx")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


def setup_logging(debug: bool) -> None:
    """Makes the logger emit when asked to, without touching an application's own setup."""
    level = logging.DEBUG if debug else _LEVELS.get(os.environ.get(LOG_ENV, "").lower())
    if level is None:
        return
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
