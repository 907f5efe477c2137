"""Decimal numbers in HTTP headers (``Content-Length``, ``Range``): ASCII digits only.

``str.isdigit`` accepts ``²`` and ``١``, which ``int()`` then refuses or reads as digits of
another script; HTTP numbers are ``1*DIGIT`` in ASCII. Nineteen digits bound the value below
2**63, far past any size the emulator accepts.
"""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"[0-9]{1,19}")


def parse_decimal(text: str | None) -> int | None:
    """The value of an HTTP decimal, or None when ``text`` is not one."""
    if text is None or _DECIMAL.fullmatch(text) is None:
        return None
    return int(text)
