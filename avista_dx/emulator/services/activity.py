"""Users' ``lastActive``: the time of their latest authenticated request, kept cheaply.

Every request authenticates, so writing each one would turn reads into writes. A user's
``lastActive`` is written at most once per ``interval`` (a minute): between writes it lags the
true last request by less than that.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from .. import _clock
from ..persistence import MetadataStore
from ..persistence.models import UserRecord

ACTIVITY_INTERVAL = timedelta(minutes=1)


class ActivityTracker:
    def __init__(
        self,
        metadata: MetadataStore,
        interval: timedelta = ACTIVITY_INTERVAL,
        clock: Callable[[], datetime] = _clock.utc_now,
    ) -> None:
        self._metadata = metadata
        self._interval = interval
        self._clock = clock
        self._written: dict[str, datetime] = {}  # user id -> when this process last wrote it
        self._lock = threading.Lock()

    def touch(self, user: UserRecord) -> UserRecord:
        """``user`` as of this request: its ``lastActive`` is now, give or take ``interval``."""
        now = self._clock()
        with self._lock:
            last = self._written.get(user.user_id)
            if user.last_active is not None:
                stored = _clock.parse_iso(user.last_active)
                last = stored if last is None else max(last, stored)
            if last is not None and now - last < self._interval:
                return user
            # Claimed under the lock: concurrent requests of this user do not write too.
            self._written[user.user_id] = now
        with self._metadata.transaction() as tx:
            current = tx.get(UserRecord, user.user_id)
            if current is None:
                return user
            updated = dataclasses.replace(current, last_active=_clock.iso(now))
            tx.put(updated)
        return updated
