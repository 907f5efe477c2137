"""AppSync's real-time subscriptions: the WebSocket endpoint and the event broker behind it.

The endpoint (``connection.RealtimeEndpoint``) serves AppSync's protocol on the GraphQL path
(``ws://host:port/graphql``: the GraphQL URL with ``http`` → ``ws``, ``https`` → ``wss``); the
broker (``broker.EventBroker``, one per emulator, ``Emulator.events``) fans committed mutations
out to the subscriptions that may see them.

Publishing an event from a mutation (one call; the broker's lock spans the commit, so events
reach every subscriber in commit order)::

    from ..realtime import Event, EventBroker

    result = self._events.publish_after(
        lambda: self._commit_the_mutation(...),          # returns the mutation's result
        lambda result: Event(
            "onIotPublish",                              # the Subscription root field
            {"iotEndpointId": endpoint_id},              # matched against its arguments
            result,                                      # what its selection set resolves on
            readable_by=lambda caller: ...,              # may this subscriber read the object?
        ),
    )

Nothing is published when the commit raises. ``EventBroker.publish(event)`` publishes for a
mutation that has already committed: time-series publishes call it from the engine's
``after_commit`` (run after their group commit, in commit order), so that concurrent publishes
can share a commit instead of queueing behind the broker's lock. Add the subscription to
``EVENT_SOURCES`` (the coverage table reads it) and test it over a socket (``tests/realtime``).
"""

# The endpoint (``.connection``) is imported by the app only: services import the broker, and
# the endpoint depends on the GraphQL layer, which depends on the services.
from .broker import Event, EventBroker, Subscription
from .sources import EVENT_SOURCES

__all__ = ["EVENT_SOURCES", "Event", "EventBroker", "Subscription"]
