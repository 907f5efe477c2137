"""The event broker: live subscriptions by root field, and events fanned out to them in order.

Thread-safe: mutations publish from worker threads, connections subscribe from worker threads
and receive on their event loop through ``Subscription.deliver`` (which must be thread-safe).
One lock (``_order``) spans a mutation's commit and the fan-out of its event, so every
connection receives events in the order their mutations committed, whichever connection or HTTP
request made them.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..services import Caller

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Event:
    """What a committed mutation pushes to one subscription root field.

    ``arguments`` are matched against each subscription's arguments (a subscription receives the
    event when every argument it gave equals the event's value of that name); ``payload`` is the
    mutation's result, the value the subscription's selection set is resolved against;
    ``readable_by`` says whether a subscriber may read the object (it runs after the commit, in
    the publishing thread, once per distinct caller).
    """

    field: str
    arguments: Mapping[str, Any]
    payload: Any
    readable_by: Callable[[Caller], bool]


def data_message(subscription_id: str, payload_json: str) -> str:
    return f'{{"type":"data","id":{json.dumps(subscription_id)},"payload":{payload_json}}}'


@dataclass(eq=False, slots=True)
class Subscription:
    """One started subscription of one connection.

    ``render`` turns an event's payload into the ``data`` message's payload (a dict with
    ``data``, and ``errors`` when resolving failed); subscriptions with equal ``render_key``
    render alike, so each distinct document is resolved once per event. ``deliver`` queues a
    message for the connection: called from any thread, it must not block.
    """

    id: str
    field: str
    arguments: Mapping[str, Any]
    caller: Caller
    render_key: Hashable
    render: Callable[[Any], dict[str, Any]]
    deliver: Callable[[Subscription, str], None]

    def matches(self, event: Event) -> bool:
        return all(
            value is None or event.arguments.get(name) == value
            for name, value in self.arguments.items()
        )


class EventBroker:
    def __init__(self) -> None:
        self._order = threading.RLock()
        self._registry = threading.Lock()
        # Insertion-ordered; subscriptions hash by identity.
        self._by_field: dict[str, dict[Subscription, None]] = {}

    def subscribe(self, subscription: Subscription, acknowledgement: str) -> None:
        """Registers the subscription and delivers ``acknowledgement`` (its ``start_ack``)
        before any event: events committed after this call reach it."""
        with self._registry:
            self._by_field.setdefault(subscription.field, {})[subscription] = None
            subscription.deliver(subscription, acknowledgement)

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._registry:
            subscriptions = self._by_field.get(subscription.field)
            if subscriptions is not None:
                subscriptions.pop(subscription, None)
                if not subscriptions:
                    del self._by_field[subscription.field]

    def subscription_count(self) -> int:
        with self._registry:
            return sum(len(subscriptions) for subscriptions in self._by_field.values())

    def publish_after(self, commit: Callable[[], T], event_of: Callable[[T], Event | None]) -> T:
        """Runs ``commit`` and publishes ``event_of(its result)``, in commit order.

        Nothing is published when ``commit`` raises. Use it for every mutation that pushes a
        subscription: the broker's lock covers the commit, so two mutations committed one after
        the other reach every subscriber in that order. Call it outside any metadata
        transaction or view (``commit`` opens its own): the access checks of the fan-out open
        views under the broker's lock, so holding a store's lock here could deadlock.
        """
        with self._order:
            result = commit()
            event = event_of(result)
            if event is not None:
                self._fan_out(event)
        return result

    def publish(self, event: Event) -> None:
        """Publishes an event whose mutation has already committed (ordered by this call)."""
        with self._order:
            self._fan_out(event)

    def _fan_out(self, event: Event) -> None:
        with self._registry:
            candidates = list(self._by_field.get(event.field, {}))
        allowed: dict[tuple[str, str], bool] = {}
        rendered: dict[Hashable, str] = {}
        for subscription in candidates:
            if not subscription.matches(event):
                continue
            caller = subscription.caller
            who = (caller.user_id, caller.token_id)
            if who not in allowed:
                allowed[who] = _readable(event, caller)
            if not allowed[who]:
                continue
            payload_json = rendered.get(subscription.render_key)
            if payload_json is None:
                payload = subscription.render(event.payload)
                payload_json = json.dumps(payload, separators=(",", ":"))
                rendered[subscription.render_key] = payload_json
            subscription.deliver(subscription, data_message(subscription.id, payload_json))


def _readable(event: Event, caller: Caller) -> bool:
    try:
        return event.readable_by(caller)
    except Exception:  # a faulty check must not stop the fan-out; it denies
        logger.exception("access check for %s failed", event.field)
        return False
