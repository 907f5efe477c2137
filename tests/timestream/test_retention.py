"""Retention: which record times a table accepts, and Timestream's per-record rejections.

Rules from AWS's Timestream guide and API reference: memory-store retention is 1-8766 hours and
magnetic-store retention 1-73000 days (RetentionProperties); "records with timestamps that lie
outside the retention duration of the memory store" are rejected (RejectedRecord) unless
magnetic-store writes are enabled (MagneticStoreWriteProperties), and a record more than 15
minutes in the future is rejected. A rejection fails the whole request (nothing written, as the
exchange does) with a RejectedRecords entry per record. The reason's window wording is inferred
(see docs/timeseries.md).
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from avista_dx._cli import RETENTION_DAYS, build_parser
from avista_dx.emulator import EmulatorConfig
from avista_dx.emulator.timestream import (
    RejectedRecordsError,
    RetentionPolicy,
    TimestreamEngine,
    TimestreamValidationError,
)

from .conftest import allow_all, single_record

DB, TABLE = "retention_db", "readings"
DAY_MS = 86_400_000
WINDOW = re.compile(
    r"The record timestamp is outside the time range \[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z),"
    r" (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\) of the data ingestion window\."
)


def _engine(policy: RetentionPolicy | None = None) -> TimestreamEngine:
    engine = TimestreamEngine(None, commit_delay=0, retention=policy)
    engine.create_table(DB, TABLE)
    return engine


def _rejected(engine: TimestreamEngine, *records: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(RejectedRecordsError) as error:
        engine.publish(DB, TABLE, "meter-1", list(records))
    return list(error.value.rejected_records)


def _count(engine: TimestreamEngine) -> int:
    result = engine.query(f'SELECT count(*) FROM "{DB}"."{TABLE}"', can_read=allow_all)
    return int(result["Rows"][0]["Data"][0]["ScalarValue"])


def _now_ms() -> int:
    return time.time_ns() // 10**6


def test_years_of_history_are_accepted_by_default() -> None:
    with _engine() as engine:
        now = _now_ms()
        engine.publish(
            DB,
            TABLE,
            "meter-1",
            [single_record(now - years * 365 * DAY_MS, "1.5") for years in (0, 1, 5, 19)],
        )
        assert _count(engine) == 4


def test_a_1970_time_from_a_wrong_unit_is_rejected_with_its_index() -> None:
    with _engine() as engine:
        now = _now_ms()
        seconds_sent_as_milliseconds = single_record(now // 1000, "2.0")  # January 1970
        rejected = _rejected(engine, single_record(now, "1.0"), seconds_sent_as_milliseconds)
        assert [entry["RecordIndex"] for entry in rejected] == [1]
        assert set(rejected[0]) == {"RecordIndex", "Reason"}
        match = WINDOW.fullmatch(rejected[0]["Reason"])
        assert match is not None, rejected[0]["Reason"]
        assert int(match[1][:4]) == time.gmtime().tm_year - 20 or int(match[1][:4]) == (
            time.gmtime().tm_year - 19
        )
        assert _count(engine) == 0  # the request's other record is not written either


def test_milliseconds_sent_as_seconds_are_caught_too() -> None:
    with _engine() as engine:
        # Year ~55000: past Timestream's last writable instant, a ValidationException.
        with pytest.raises(TimestreamValidationError, match="after 2262"):
            engine.publish(DB, TABLE, "m", [single_record(_now_ms(), "1.0", unit="SECONDS")])
        # Within 2262 but ahead of now: a rejected record.
        ahead = single_record(_now_ms() + 20 * 365 * DAY_MS, "1.0")
        (entry,) = _rejected(engine, ahead)
        assert entry["Reason"] == "The record timestamp is more than 15 minutes in the future."


def test_without_magnetic_writes_the_memory_store_retention_applies() -> None:
    policy = RetentionPolicy(memory_store_retention_hours=6, magnetic_store_writes_enabled=False)
    with _engine(policy) as engine:
        now = _now_ms()
        engine.publish(DB, TABLE, "meter-1", [single_record(now - 5 * 3_600_000, "1.0")])
        (entry,) = _rejected(engine, single_record(now - 7 * 3_600_000, "2.0"))
        assert WINDOW.fullmatch(entry["Reason"])
        assert _count(engine) == 1


def test_a_shorter_magnetic_retention_rejects_older_records() -> None:
    with _engine(RetentionPolicy(magnetic_store_retention_days=30)) as engine:
        now = _now_ms()
        engine.publish(DB, TABLE, "meter-1", [single_record(now - 29 * DAY_MS, "1.0")])
        (entry,) = _rejected(engine, single_record(now - 31 * DAY_MS, "2.0"))
        assert entry["RecordIndex"] == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"memory_store_retention_hours": 0},
        {"memory_store_retention_hours": 8767},
        {"magnetic_store_retention_days": 0},
        {"magnetic_store_retention_days": 73001},
        {"magnetic_store_retention_days": True},
    ],
)
def test_retention_outside_timestreams_ranges_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be an integer from 1 to"):
        RetentionPolicy(**changes)


def test_the_emulator_config_and_the_cli_carry_the_policy() -> None:
    assert EmulatorConfig().timeseries_retention == RetentionPolicy()
    assert RetentionPolicy().magnetic_store_retention_days == RETENTION_DAYS
    options = build_parser().parse_args(["emulator", "--timeseries-retention-days", "90"])
    assert options.timeseries_retention_days == 90
