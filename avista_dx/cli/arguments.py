"""Small parsers of command-line values shared by several commands."""

from __future__ import annotations

import time

from .failures import CliError


def names(text: str | None) -> list[str]:
    """`"a, b,c"` → ["a", "b", "c"]."""
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def assignments(items: list[str], what: str) -> dict[str, str]:
    """`["kwh=1.5", "on=true"]` → {"kwh": "1.5", "on": "true"} (values stay text: the
    exchange receives every value as a string)."""
    values = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise CliError(f"{what}: {item!r} is not NAME=VALUE", hint="e.g. temperature=21.5")
        values[name.strip()] = value
    if not values:
        raise CliError(f"give at least one {what} as NAME=VALUE")
    return values


def timestamp(text: str | None) -> tuple[str | int, str]:
    """`--time`: (value, time unit): epoch milliseconds, an ISO-8601 string, or now."""
    if text is None:
        return time.time_ns() // 1_000_000, "MILLISECONDS"
    if text.isdigit():
        return int(text), "MILLISECONDS"
    return text, "ISO8601"


TIME_HELP = (
    "The record's time: epoch milliseconds or ISO-8601 (yyyy-MM-ddTHH:mm:ss.SSSZ); default now."
)
