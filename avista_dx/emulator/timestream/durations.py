"""Timestream duration literals (``15m``, ``1.5d``, ``100ms``, ``2year``) as exact amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import QueryValidationError

# Microseconds per day-to-second unit; DuckDB intervals have microsecond resolution.
_NANOS_PER_UNIT = {
    "ns": 1,
    "nanosecond": 1,
    "us": 10**3,
    "microsecond": 10**3,
    "ms": 10**6,
    "millisecond": 10**6,
    "s": 10**9,
    "second": 10**9,
    "m": 60 * 10**9,
    "minute": 60 * 10**9,
    "h": 3600 * 10**9,
    "hour": 3600 * 10**9,
    "d": 86400 * 10**9,
    "day": 86400 * 10**9,
}
_MONTHS_PER_UNIT = {"y": 12, "year": 12, "month": 1}
DURATION_UNITS = frozenset(_NANOS_PER_UNIT) | frozenset(_MONTHS_PER_UNIT)
# A duration string as parse_duration() takes it (a value, not SQL): `42.8ms`, `1 d`.
_DURATION_TEXT = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-zA-Z]+)\s*")


@dataclass(frozen=True, slots=True)
class Duration:
    """Either a year-to-month amount (``months``) or a day-to-second one (``microseconds``,
    plus ``nanoseconds`` 0..999 below them, which a DuckDB INTERVAL cannot hold)."""

    months: int = 0
    microseconds: int = 0
    nanoseconds: int = 0
    literal: str = ""

    @property
    def total_nanoseconds(self) -> int:
        return self.microseconds * 1000 + self.nanoseconds

    @property
    def year_to_month(self) -> bool:
        return self.months != 0


def parse_duration(number: str, unit: str) -> Duration:
    """The duration ``<number><unit>``; raises for fractions of a nanosecond or a month."""
    literal = f"{number}{unit}"
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise QueryValidationError(f"Invalid duration literal {literal!r}.") from None
    unit = unit.lower()
    if unit in _MONTHS_PER_UNIT:
        months = amount * _MONTHS_PER_UNIT[unit]
        if months != months.to_integral_value():
            raise QueryValidationError(f"Duration {literal!r} is not a whole number of months.")
        return Duration(months=int(months))
    nanoseconds = amount * _NANOS_PER_UNIT[unit]
    if nanoseconds != nanoseconds.to_integral_value():
        raise QueryValidationError(f"Duration {literal!r} is not a whole number of nanoseconds.")
    whole = int(nanoseconds)
    return Duration(microseconds=whole // 1000, nanoseconds=whole % 1000, literal=literal)


def sub_microsecond_error(literal: str) -> QueryValidationError:
    """Where a duration with nanoseconds cannot be used exactly (it is not in bin() or
    added to a timestamp), the emulator refuses it rather than round it."""
    return QueryValidationError(
        f"Duration {literal!r} has sub-microsecond precision, which the emulator supports only"
        " in bin() and timestamp ± duration."
    )


def parse_duration_text(text: str) -> Duration:
    """``parse_duration('<text>')``; raises for text that is not one duration."""
    match = _DURATION_TEXT.fullmatch(text)
    if match is None or match.group(2).lower() not in DURATION_UNITS:
        raise QueryValidationError(f"Invalid duration {text!r} for parse_duration.")
    return parse_duration(match.group(1), match.group(2))
