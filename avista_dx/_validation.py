"""Checks of caller-supplied values shared by every public entry point, I/O-free.

Everything here runs before any request: a value that cannot travel (a lone surrogate cannot
be UTF-8 encoded, a NUL cannot be in a local path, a number out of range) becomes an
`InvalidInputError` naming the argument, never a raw `UnicodeEncodeError`, `ValueError` or
`OverflowError` from deep inside httpx, json or the OS.

Messages show at most `_SHOWN_CHARS` of a value, and never raise from inside an `except`
block, so that no exception chain carries more of the value than the message does.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidInputError

_SHOWN_CHARS = 60
_ASCII_DIGITS = re.compile(r"[0-9]+")


def shown(value: Any) -> str:
    """`repr(value)`, cut to a readable length (values may be megabytes long)."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def unencodable_index(text: str) -> int | None:
    """The index of the first character UTF-8 cannot encode (a lone surrogate), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def surrogate_problem(argument: str, text: str) -> str | None:
    """Why `text` cannot be sent as JSON text (UTF-8), or None when it can."""
    index = unencodable_index(text)
    if index is None:
        return None
    return (
        f"{argument} contains a lone surrogate (U+{ord(text[index]):04X}) at index {index}: "
        "it is not valid Unicode text and cannot be sent"
    )


def require_text(
    argument: str, value: Any, *, allow_empty: bool = False, max_chars: int | None = None
) -> str:
    """`value` as a string that can be sent: a `str`, non-empty unless allowed, no surrogates."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{argument} must be a string, not {type(value).__name__}")
    if not allow_empty and not value:
        raise InvalidInputError(f"{argument} must be a non-empty string")
    if max_chars is not None and len(value) > max_chars:
        raise InvalidInputError(
            f"{argument} has {len(value)} characters; at most {max_chars} are allowed"
        )
    problem = surrogate_problem(argument, value)
    if problem is not None:
        raise InvalidInputError(problem)
    return value


def optional_text(argument: str, value: Any, *, allow_empty: bool = False) -> str | None:
    return None if value is None else require_text(argument, value, allow_empty=allow_empty)


def require_id(argument: str, value: Any) -> str:
    """An object id: a non-blank string that can be sent."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{argument} must be a non-empty string id, not {shown(value)}")
    return require_text(argument, value)


def require_sequence(argument: str, value: Any) -> Sequence[Any]:
    """A list-like argument (a str, bytes or mapping is not a list of items)."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        raise InvalidInputError(f"{argument} must be a list, not {type(value).__name__}")
    return value


def whole_number(argument: str, value: Any, *, expected: str = "a whole number") -> int:
    """An integer from an int, an integral float or a string of ASCII digits (with a sign).

    bool is refused (True is not a count); so are NaN, infinities and fractions.
    """
    problem = f"{argument} must be {expected}, not {shown(value)}"
    if isinstance(value, bool):
        raise InvalidInputError(problem)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InvalidInputError(problem)
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        unsigned = text[1:] if text[:1] in ("+", "-") else text
        if not _ASCII_DIGITS.fullmatch(unsigned) or len(unsigned) > 30:
            raise InvalidInputError(problem)
        return int(text)
    if hasattr(type(value), "__index__"):  # numpy integers and other integral types
        return int(value.__index__())
    raise InvalidInputError(problem)


def require_local_path(argument: str, value: Any) -> Path:
    """A local path the OS can be asked about: str or PathLike of str, without NUL, and
    encodable in the file system's encoding (POSIX keeps undecodable bytes as escapes)."""
    if not isinstance(value, str | os.PathLike):
        raise InvalidInputError(f"{argument} must be a path, not {type(value).__name__}")
    text = value if isinstance(value, str) else os.fspath(value)
    if not isinstance(text, str):
        raise InvalidInputError(f"{argument} must be a str path, not {type(text).__name__}")
    problem = local_name_problem(text)
    if problem is not None:
        raise InvalidInputError(f"{argument} {shown(text)} {problem}")
    return Path(text)


def local_name_problem(text: str) -> str | None:
    """Why the OS cannot be given `text` as a path, or None."""
    if not text:
        return "is empty"
    if "\x00" in text:
        return "contains a NUL character"
    if not text.isascii():
        try:
            os.fsencode(text)
        except UnicodeEncodeError:
            return "cannot be encoded for the file system"
    return None
