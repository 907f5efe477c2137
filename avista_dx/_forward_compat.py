"""Tolerance for what a newer exchange may add, applied to raw data before model validation.

The generated models have closed enums: one unknown value fails the whole response. Where the
exchange's contract says to skip what the SDK does not know, the raw data is filtered first.
"""

from __future__ import annotations

from typing import Any

from avista_dx_graphql.enums import DataStoreObjectType

from ._logs import logger

_KNOWN_OBJECT_TYPES = frozenset(member.value for member in DataStoreObjectType)
_DIRECTORY_ROOT = "storage_getDataStoreDirectory"


def drop_unknown_directory_entries(data: dict[str, Any]) -> dict[str, Any]:
    """Removes directory entries of an unknown `objectType` (docs/protocol.md §4)."""
    directory = data.get(_DIRECTORY_ROOT) if isinstance(data, dict) else None
    contents = directory.get("contents") if isinstance(directory, dict) else None
    if not isinstance(contents, list):
        return data
    known = [
        entry
        for entry in contents
        if not isinstance(entry, dict) or entry.get("objectType") in _KNOWN_OBJECT_TYPES
    ]
    if len(known) != len(contents):
        logger.info(
            "%s: skipped %d directory entries of an unknown objectType",
            _DIRECTORY_ROOT,
            len(contents) - len(known),
        )
        directory["contents"] = known  # type: ignore[index]
    return data
