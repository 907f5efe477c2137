"""Argument helpers shared by the per-area operation modules (`_ops_*.py`): optional ids,
omitted optionals, updates that must change something. I/O-free."""

from __future__ import annotations

from typing import Any, TypeVar

from avista_dx_graphql.base_model import UNSET, UnsetType

from ._validation import optional_text, require_id, shown
from .errors import InvalidInputError

T = TypeVar("T")


def optional_id(argument: str, value: Any) -> str | None:
    """An object id, or None when the caller left it out."""
    return None if value is None else require_id(argument, value)


def optional_token(argument: str, value: Any) -> str | None:
    """A paging token (`nextToken`, `clientToken`): a non-empty string, or None."""
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidInputError(f"{argument} must be a non-empty string or None")
    return optional_text(argument, value)


def omitted(value: T | None) -> T | UnsetType:
    """An unset optional argument is left out of the request, never sent as null."""
    return UNSET if value is None else value


def require_change(operation: str, **fields: object) -> None:
    """An update must set at least one field; otherwise the request would change nothing."""
    if all(value is None for value in fields.values()):
        raise InvalidInputError(f"{operation}: give at least one of {', '.join(fields)}")


def optional_flag(argument: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidInputError(f"{argument} must be True, False or None; got {shown(value)}")


def choice(argument: str, value: Any, allowed: tuple[str, ...]) -> str:
    """One of an enum's values (the caller may pass the enum member or its string)."""
    text = getattr(value, "value", value)
    if not isinstance(text, str) or text not in allowed:
        raise InvalidInputError(
            f"{argument} must be one of {', '.join(allowed)}; got {shown(value)}"
        )
    return text
