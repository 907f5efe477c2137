"""Real-time subscriptions over AppSync's WebSocket protocol (internal; the optional
``realtime`` extra installs its one dependency, ``websockets``).

The API the client namespaces build on (e.g. a later ``dx.iot.subscribeToEndpoint``)::

    connection = RealtimeConnection(graphql_url, token)        # one per async client
    events = await connection.subscribe(ON_IOT_PUBLISH, {"iotEndpointId": endpoint_id},
                                        operation="onIotPublish")
    async for data in events:          # each event's `data`: {"onIotPublish": {...}}
        ...
    await events.aclose()              # stop → complete (also `async with events:`)
    await connection.close()           # stops what is left, closes the socket

    connection = SyncRealtimeConnection(graphql_url, token)    # one per sync client
    with connection.subscribe(query, variables) as events:     # blocking iterator
        for data in events: ...

``subscribe`` returns after ``start_ack``: trigger the event (an export, a publish) afterwards.
Errors are ``DxError``s: ``AuthenticationError`` (token rejected at connect or start),
``BadRequestError`` (document rejected), ``RealtimeConnectionError`` (socket lost for good);
a subscription the server ends raises its error from the iterator. ``realtime_url`` is the URL
rule (``https`` → ``wss``, ``appsync-api`` → ``appsync-realtime-api``).
"""

from ._connection import RealtimeConnection, Subscription
from ._protocol import ClientProtocol, SubscriptionRequest
from ._sync import SyncRealtimeConnection, SyncSubscription
from ._url import api_host, realtime_url

__all__ = [
    "ClientProtocol",
    "RealtimeConnection",
    "Subscription",
    "SubscriptionRequest",
    "SyncRealtimeConnection",
    "SyncSubscription",
    "api_host",
    "realtime_url",
]
