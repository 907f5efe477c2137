"""`dx.iot`: IoT endpoints, groups, models, telemetry and subscriptions (the 1.2.1 names)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from ... import _iot as iot
from ... import _operations as ops
from ... import _subscriptions as subscriptions
from ..._backends import AsyncBackend
from ..._pagination import NextTokens
from ..._transfers import resolve_download_target
from ...errors import InvalidResponseError
from ...types_iot import (
    DigitalTwinModel,
    EndpointLastValue,
    IotEndpoint,
    IotGroup,
    PublishIotDataResult,
)
from .iot_management import AsyncIotManagement

EXPORT_FILE_NAME = "result.csv"  # 1.2.1's name when the write location is a directory
LAST_VALUES_FILE_NAME = "lastValues.json"


class AsyncIot(AsyncIotManagement):
    """IoT: `dx.iot.getEndpoint(...)`, ... The methods defined here are 1.2.1's; hubs, models,
    endpoint management and tokens, groups come from `AsyncIotManagement`. An endpoint token
    (`getEndpointToken`) may be the client's token for the calls about its own endpoint."""

    async def getEndpoint(self, iotEndpointId: str) -> IotEndpoint:
        """The endpoint with its properties (current values) and telemetry attributes."""
        return await self._execute(iot.get_endpoint(iotEndpointId))

    async def getGroup(self, iotGroupId: str, includeEndpoints: bool) -> IotGroup:
        """The group; with `includeEndpoints`, its endpoints too (same request)."""
        return await self._execute(iot.get_group(iotGroupId, includeEndpoints))

    async def createEndpoint(
        self, iotHubId: str, modelId: str, name: str, description: str | None = None
    ) -> IotEndpoint:
        """Creates an endpoint in a hub, typed by the digital twin model `modelId`."""
        return await self._execute(iot.create_endpoint(iotHubId, modelId, name, description))

    async def addEndpointsToGroup(
        self, iotGroupId: str, iotEndpointIds: str | Sequence[str]
    ) -> IotGroup:
        """Adds one endpoint (an id) or several (a list of ids) to a group."""
        return await self._execute(iot.add_endpoints_to_group(iotGroupId, iotEndpointIds))

    async def createModel(
        self,
        name: str,
        description: str | None,
        properties: Sequence[Mapping[str, Any]],
        telemetry: Sequence[Mapping[str, Any]],
    ) -> DigitalTwinModel:
        """Creates a digital twin model.

        `name` (alphanumeric) is the model's display name and DTMI segment. `properties`:
        dicts of `name`, `schemaType` ("integer", "double", "string", "boolean", "dateTime",
        "duration"), optional `description`, `defaultValue` and `writable` (default False);
        `telemetry`: dicts of `name`, `schemaType`, optional `description`. Each keeps its
        position in the list as its `index`. The dicts are read, never changed.

        Raises:
            InvalidInputError: a bad name, an unknown key or schema type (nothing is sent).
        """
        return await self._execute(iot.create_model(name, description, properties, telemetry))

    async def publish(
        self, iotEndpointId: str, data: Sequence[Mapping[str, Any]]
    ) -> PublishIotDataResult:
        """Publishes telemetry records of one endpoint.

        Each record: `attributes` (a dict of attribute name → value), `timestamp` (default:
        now, epoch ms) and `timeUnit` ("MILLISECONDS" by default, "SECONDS", "MICROSECONDS",
        "NANOSECONDS", or "ISO8601" for a `yyyy-MM-ddTHH:mm:ss.SSSZ` string, sent as epoch
        ms). Values are sent as strings (booleans as `true`/`false`). The caller's dicts are
        never changed. Records the exchange refuses are in `failedRecords`, not raised.
        """
        return await self._execute(iot.publish(iotEndpointId, data))

    async def updateEndpointProperties(
        self, iotEndpointId: str, properties: Mapping[str, Any]
    ) -> IotEndpoint:
        """Sets writable properties (a dict of name → value), stamped now; returns the
        endpoint with its new values."""
        return await self._execute(iot.update_endpoint_properties(iotEndpointId, properties))

    async def listEndpointLastValues(
        self,
        iotEndpointId: str,
        resultFileWriteLocation: str | os.PathLike[str] | None = None,
    ) -> list[EndpointLastValue]:
        """The last value of each telemetry attribute: `[{attributeName, lastValue,
        timestamp}]` (timestamps in epoch ms). Follows every `nextToken` and reads pages the
        exchange kept in storage. With `resultFileWriteLocation`, the list is also written
        there as JSON (`lastValues.json` inside it if it is a directory).

        Raises:
            PaginationError: the exchange repeated a nextToken.
        """
        data = await self._last_values_data(
            lambda paging: iot.list_endpoint_last_values(iotEndpointId, paging)
        )
        entries = iot.last_value_entries(data)
        if resultFileWriteLocation is not None:
            target = resolve_download_target(resultFileWriteLocation, LAST_VALUES_FILE_NAME)
            target.write_text(json.dumps(entries, indent=2), encoding="utf-8")
        return entries

    async def queryByTimeRange(
        self,
        iotEndpointId: str,
        attributeNames: Sequence[str],
        startTime: Any,
        endTime: Any,
        resultFileWriteLocation: str | os.PathLike[str],
    ) -> bool:
        """Runs a telemetry query over `[startTime, endTime]` (ISO-8601 strings, aware
        datetimes or epoch ms) and writes the result CSV to `resultFileWriteLocation`
        (`result.csv` inside it if it is a directory). Returns True; failures raise.

        Needs the `realtime` extra: the export's completion arrives as a subscription event.
        """
        url = await self._export_url(iotEndpointId, attributeNames, startTime, endTime)
        target = resolve_download_target(resultFileWriteLocation, EXPORT_FILE_NAME)
        await self._client._save_url(url, target, "iot_generateQueryResultExport")
        return True

    async def queryDataByTimeRange(
        self, iotEndpointId: str, attributeNames: Sequence[str], startTime: Any, endTime: Any
    ) -> list[dict[str, Any]]:
        """Like `queryByTimeRange`, but returns the rows: dicts of `iotEndpointId`, `name`,
        `timestamp` and each attribute, its value typed by the endpoint's model (integer →
        int, double → float, boolean → bool; an empty value → None; others str)."""
        endpoint = await self.getEndpoint(iotEndpointId)
        url = await self._export_url(iotEndpointId, attributeNames, startTime, endTime)
        content = await self._client._fetch_url(url, "iot_generateQueryResultExport")
        return iot.typed_rows(iot.parse_export_csv(content), endpoint)

    async def _export_url(
        self, iotEndpointId: str, attributeNames: Sequence[str], startTime: Any, endTime: Any
    ) -> str:
        """Pages the query to its end, then exports it: subscribe to the completion, wait
        for `start_ack`, trigger the export, wait for the event (docs/protocol.md §7.2)."""
        names = iot.attribute_names(attributeNames)
        filters = [
            {
                "iotEndpointId": ops.require_id("iotEndpointId", iotEndpointId),
                "attributeNames": names,
            }
        ]
        start = iot.time_argument(startTime, "startTime")
        end = iot.time_argument(endTime, "endTime")
        paging = iot.Paging()
        tokens = NextTokens("iot_queryByTimeRange")
        while True:
            paging = await self._execute(iot.query_by_time_range(start, end, filters, paging))
            if not tokens.more(paging.next_token):
                break
        if not paging.query_id:
            raise InvalidResponseError(
                "the exchange returned no queryId", operation="iot_queryByTimeRange"
            )
        export = await self._client._notice_after(
            subscriptions.on_iot_query_export_complete(paging.query_id),
            iot.generate_query_result_export(paging.query_id),
        )
        return export.url

    def subscribeToEndpoint(
        self, iotEndpointId: str | None = None, *, endpointId: str | None = None
    ) -> AsyncIterator[PublishIotDataResult]:
        """Each publish of the endpoint, as it happens: an async iterator on the async client;
        an iterator on the sync one, which `async for` also accepts (as in 1.2.1).
        `endpointId=` is accepted, as 1.2.1's example passes it.

        One WebSocket per client carries every subscription; the subscription is stopped
        when the loop ends. Needs the `realtime` extra.

        Raises:
            AuthenticationError, BadRequestError, RealtimeConnectionError: as the subscription
                or the connection fails.
        """
        call = subscriptions.on_iot_publish(iot.one_of(iotEndpointId, endpointId))
        return AsyncBackend.events(self._client._events(call))
