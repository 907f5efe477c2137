"""Argument checks shared by the backends; each failure is a ``BadRequestException``."""

from __future__ import annotations

import unicodedata
from typing import Any, Final

from ..errors import InvalidRequestError

MAX_NAME_LENGTH: Final = 255
MAX_DESCRIPTION_LENGTH: Final = 4096
MAX_EMAIL_LENGTH: Final = 254


class Unset:
    """An optional argument the client left out (as opposed to an explicit ``null``)."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


def _has_control_characters(value: str) -> bool:
    if value.isascii():  # ASCII's only such characters are its controls (category Cc)
        return not value.isprintable()
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value)


def name(value: object, what: str, *, allow_empty: bool = False) -> str:
    """A display or file-system name: no ``/``, no control characters, 1-255 characters.

    Names are non-null on every type, so an explicit ``null`` (also on ``update*``) is an error.
    """
    if value is None:
        raise InvalidRequestError(f"{what} must not be null")
    if not isinstance(value, str):
        raise InvalidRequestError(f"{what} must be a string")
    if not allow_empty and not value.strip():
        raise InvalidRequestError(f"{what} must not be empty")
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidRequestError(f"{what} is longer than {MAX_NAME_LENGTH} characters")
    if "/" in value or "\\" in value:
        raise InvalidRequestError(f"{what} must not contain '/' or '\\'")
    if _has_control_characters(value):
        raise InvalidRequestError(f"{what} must not contain control characters")
    if value in (".", ".."):
        raise InvalidRequestError(f"{what} must not be '.' or '..'")
    return value


def description(value: object) -> str | None:
    """Free text (line breaks and tabs allowed), at most 4096 characters; ``None`` clears it."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRequestError("description must be a string")
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise InvalidRequestError(f"description is longer than {MAX_DESCRIPTION_LENGTH} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in value):
        raise InvalidRequestError("description must not contain control characters")
    return value


def name_and_description_changes(new_name: object, new_description: object) -> dict[str, Any]:
    """Validated fields of an ``update*`` that renames or re-describes (``UNSET``: untouched)."""
    changes: dict[str, Any] = {}
    if new_name is not UNSET:
        changes["name"] = name(new_name, "name")
    if new_description is not UNSET:
        changes["description"] = description(new_description)
    return changes


def identifier(value: object, what: str) -> str:
    """An id argument: a non-empty string without control characters."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"{what} must not be empty")
    if len(value) > 512 or _has_control_characters(value):
        raise InvalidRequestError(f"{what} is not a valid id")
    return value


def email(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError("email must not be empty")
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or len(value) > MAX_EMAIL_LENGTH:
        raise InvalidRequestError(f"email {value!r} is not a valid address")
    if _has_control_characters(value) or any(c.isspace() for c in value):
        raise InvalidRequestError(f"email {value!r} is not a valid address")
    return value
