"""Which record times a table accepts: Timestream's memory-store and magnetic-store retention.

Timestream (AWS's ``RetentionProperties`` and ``MagneticStoreWriteProperties``): memory-store
retention is 1 to 8766 hours, magnetic-store retention 1 to 73000 days. A record older than the
memory-store retention is rejected unless magnetic-store writes are enabled; then it is
accepted back to the magnetic-store retention. A record more than 15 minutes in the future is
always rejected. Rejections are per record (``RejectedRecords``), never a failed request.

The exchange's API sets no retention, so one policy (``EmulatorConfig.timeseries_retention``,
``--timeseries-retention-days``) applies to every table. Its defaults (inferred, see
docs/timeseries.md) accept years of history yet reject a record whose time was sent in the wrong
unit: seconds sent as milliseconds land in January 1970 (older than 20 years: rejected),
milliseconds sent as seconds land tens of thousands of years ahead (in the future: rejected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

MAX_MEMORY_STORE_HOURS = 8766
MAX_MAGNETIC_STORE_DAYS = 73000
FUTURE_TOLERANCE_NS = 15 * 60 * 10**9
_NS_PER_HOUR = 3600 * 10**9
_NS_PER_DAY = 24 * _NS_PER_HOUR

FUTURE_REASON = "The record timestamp is more than 15 minutes in the future."


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """A table's retention; the defaults accept 20 years back (magnetic-store writes on)."""

    memory_store_retention_hours: int = MAX_MEMORY_STORE_HOURS
    magnetic_store_retention_days: int = 20 * 365
    magnetic_store_writes_enabled: bool = True

    def __post_init__(self) -> None:
        for name, value, top in (
            ("memory_store_retention_hours", self.memory_store_retention_hours, 8766),
            ("magnetic_store_retention_days", self.magnetic_store_retention_days, 73000),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValueError(f"{name} must be an integer from 1 to {top}, got {value!r}")

    def oldest_writable_ns(self, now_ns: int) -> int:
        """The earliest record time accepted at ``now_ns``."""
        if self.magnetic_store_writes_enabled:
            return now_ns - self.magnetic_store_retention_days * _NS_PER_DAY
        return now_ns - self.memory_store_retention_hours * _NS_PER_HOUR

    def rejection(self, time_ns: int, now_ns: int) -> str | None:
        """The ``RejectedRecords`` reason for a record at ``time_ns``, or None to accept it."""
        if time_ns > now_ns + FUTURE_TOLERANCE_NS:
            return FUTURE_REASON
        oldest = self.oldest_writable_ns(now_ns)
        if time_ns < oldest:
            return (
                f"The record timestamp is outside the time range [{_iso(oldest)},"
                f" {_iso(now_ns + FUTURE_TOLERANCE_NS)}) of the data ingestion window."
            )
        return None


def _iso(time_ns: int) -> str:
    moment = datetime.fromtimestamp(time_ns // 10**9, UTC)
    millis = (time_ns // 10**6) % 1000
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"
