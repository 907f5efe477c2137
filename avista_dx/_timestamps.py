"""The exchange's time strings (ISO-8601, `2024-01-31T00:00:00.000Z`) as aware datetimes."""

from __future__ import annotations

import datetime as dt

from .errors import InvalidResponseError


def aware_datetime(text: str | None, field: str) -> dt.datetime | None:
    """`text` as an aware datetime (UTC when it names no zone); None stays None.

    Raises:
        InvalidResponseError: `text` is not an ISO-8601 time.
    """
    if text is None:
        return None
    try:
        # Python 3.10's fromisoformat does not read the `Z` suffix.
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidResponseError(f"{field} is not an ISO-8601 time: {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
