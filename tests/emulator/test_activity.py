"""Users' lastActive: set by authenticated requests, written at most once a minute per user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from avista_dx.emulator import _clock
from avista_dx.emulator.persistence import MemoryMetadataStore, MetadataView
from avista_dx.emulator.persistence.models import UserRecord
from avista_dx.emulator.services.activity import ActivityTracker

from .conftest import Harness, make_harness

SESSION = "query { user_getUserSession { user { userId lastActive } } }"


@pytest.fixture
def harness() -> Iterator[Harness]:
    yield from make_harness()


def test_a_request_records_last_active(harness: Harness) -> None:
    before = _clock.utc_now().replace(microsecond=0)
    user = harness.data("reader", SESSION)["user"]
    assert user["lastActive"] is not None
    assert _clock.parse_iso(user["lastActive"]) >= before


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class CountingStore(MemoryMetadataStore):
    def __init__(self) -> None:
        super().__init__()
        self.transactions = 0

    @contextmanager
    def transaction(self) -> Iterator[MetadataView]:
        self.transactions += 1
        with super().transaction() as tx:
            yield tx


USER = UserRecord("userId.1", "organizationId.1", "a@example.com", "Ada", "Lovelace")


def _user(store: CountingStore) -> UserRecord:
    with store.view() as view:
        user = view.get(UserRecord, USER.user_id)
    assert user is not None
    return user


@pytest.fixture
def store() -> CountingStore:
    store = CountingStore()
    with store.transaction() as tx:
        tx.put(USER)
    return store


def test_at_most_one_write_per_user_per_minute(store: CountingStore) -> None:
    clock = Clock()
    tracker = ActivityTracker(store, clock=clock)
    user = _user(store)
    written = store.transactions
    first = tracker.touch(user)
    assert first.last_active == _clock.iso(clock.now)
    assert store.transactions == written + 1
    for seconds in (1, 30, 59):
        clock.now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
        assert tracker.touch(first) is first  # no write within the minute
    assert store.transactions == written + 1
    clock.now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=60)
    later = tracker.touch(first)
    assert later.last_active == _clock.iso(clock.now)
    assert store.transactions == written + 2
    assert _user(store).last_active == later.last_active
