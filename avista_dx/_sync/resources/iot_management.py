# Produced by scripts/unasync.py from avista_dx/_async/resources/iot_management.py: do not edit.
"""`dx.iot`'s methods beyond 1.2.1's: hubs, models and versions, DTDL, endpoint management and
tokens, groups, last values of a group or a hub, cancelling a query. A base of `Iot`
(kept apart from the 1.2.1 names)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ... import _iot as iot
from ... import _ops_iot as ops
from ..._operations import Call
from ..._pagination import NextTokens
from ...types_iot import DigitalTwinModel, EndpointLastValues, IotEndpoint, IotGroup, IotHub
from ...types_time_series import ServerResponse
from ...types_users import AuthenticationToken
from .._resource import SyncAPIResource


class IotManagement(SyncAPIResource):
    """Creating, changing and deleting hubs, models, endpoints and groups; endpoint tokens;
    last values of many endpoints. Unset optional arguments are left out of the request (the
    exchange keeps its value)."""

    # -- hubs ---------------------------------------------------------------------------------

    def listHubs(self) -> list[IotHub]:
        """The IoT hubs you own."""
        return self._execute(ops.list_hubs())

    def getHub(self, iotHubId: str) -> IotHub:
        """A hub's metadata."""
        return self._execute(ops.get_hub(iotHubId))

    def createHub(self, name: str, *, description: str | None = None) -> IotHub:
        """Creates a hub you own: endpoints and groups live in one."""
        return self._execute(ops.create_hub(name, description))

    def updateHub(
        self, iotHubId: str, *, name: str | None = None, description: str | None = None
    ) -> IotHub:
        """Renames a hub or changes its description; returns it as it is now.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return self._execute(ops.update_hub(iotHubId, name, description))

    def deleteHub(self, iotHubId: str) -> IotHub:
        """Deletes a hub with its endpoints (and their telemetry) and groups; returns what it
        was."""
        return self._execute(ops.delete_hub(iotHubId))

    def listEndpointsInHub(self, iotHubId: str) -> list[IotEndpoint]:
        """The endpoints of a hub, with their properties and telemetry attributes."""
        return self._execute(ops.list_endpoints_in_hub(iotHubId))

    # -- models -------------------------------------------------------------------------------

    def listModels(self) -> list[DigitalTwinModel]:
        """The digital twin models you own (every version of each)."""
        return self._execute(ops.list_models())

    def getModel(self, modelId: str) -> DigitalTwinModel:
        """A digital twin model with its properties and telemetry."""
        return self._execute(ops.get_model(modelId))

    def getModelInDTDLFormat(self, modelId: str) -> dict[str, Any]:
        """The model as a DTDL Interface: the JSON-LD document, parsed (`"@id"` is its DTMI,
        `"contents"` its properties and telemetry).

        Raises:
            InvalidResponseError: the exchange's document is not a JSON object.
        """
        return self._execute(ops.get_model_dtdl(modelId))

    def updateModel(
        self,
        modelId: str,
        *,
        displayName: str | None = None,
        dtmiSegment: str | None = None,
        description: str | None = None,
    ) -> DigitalTwinModel:
        """Changes a model version's names or description (its attributes change through
        `createNewModelVersion`).

        Raises:
            InvalidInputError: none of `displayName`, `dtmiSegment`, `description` is given.
        """
        return self._execute(ops.update_model(modelId, displayName, dtmiSegment, description))

    def createNewModelVersion(
        self,
        modelId: str,
        *,
        version: int | None = None,
        displayName: str | None = None,
        description: str | None = None,
        properties: Sequence[Mapping[str, Any]] | None = None,
        telemetry: Sequence[Mapping[str, Any]] | None = None,
    ) -> DigitalTwinModel:
        """A new version of a model (a model of its own, same DTMI segment): what is left out
        is copied from `modelId`. `properties` and `telemetry` are dicts as `createModel`'s.
        Endpoints keep their model until `updateModelUsedByEndpoint`.

        Raises:
            InvalidInputError: a bad version or attribute definition (nothing is sent).
            BadRequestError: `version` is not above the model's existing versions.
        """
        return self._execute(
            ops.create_new_model_version(
                modelId, version, displayName, description, properties, telemetry
            )
        )

    def deleteModel(self, modelId: str) -> DigitalTwinModel:
        """Deletes a model version; returns what it was.

        Raises:
            BadRequestError: endpoints still use the model.
        """
        return self._execute(ops.delete_model(modelId))

    def updateModelUsedByEndpoint(self, iotEndpointId: str, modelId: str) -> IotEndpoint:
        """Moves an endpoint to another model (e.g. a new version); property values whose
        names the new model keeps are kept."""
        return self._execute(ops.update_model_used_by_endpoint(iotEndpointId, modelId))

    # -- endpoints and their tokens -----------------------------------------------------------

    def updateEndpoint(
        self, iotEndpointId: str, *, name: str | None = None, description: str | None = None
    ) -> IotEndpoint:
        """Renames an endpoint or changes its description; returns it as it is now.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return self._execute(ops.update_endpoint(iotEndpointId, name, description))

    def deleteEndpoint(self, iotEndpointId: str) -> IotEndpoint:
        """Deletes an endpoint with its token, group memberships and telemetry; returns what
        it was."""
        return self._execute(ops.delete_endpoint(iotEndpointId))

    def getEndpointToken(self, iotEndpointId: str) -> AuthenticationToken:
        """The endpoint's own token (`IOT_ENDPOINT_READ_WRITE`): a device passes its
        `tokenValue` as the client's token to publish to, read and set properties of that
        endpoint only. The value is a secret: it is left out of the result's repr."""
        return self._execute(ops.get_endpoint_token(iotEndpointId))

    def regenerateEndpointToken(self, iotEndpointId: str) -> AuthenticationToken:
        """Replaces the endpoint's token; the previous one stops working at once. Returns
        the new one (its `tokenValue` left out of the repr)."""
        return self._execute(ops.regenerate_endpoint_token(iotEndpointId))

    # -- groups -------------------------------------------------------------------------------

    def listGroups(self, iotHubId: str, *, includeEndpoints: bool | None = None) -> list[IotGroup]:
        """The groups of a hub; with `includeEndpoints=True`, their endpoints too."""
        return self._execute(ops.list_groups(iotHubId, includeEndpoints))

    def createGroup(
        self,
        iotHubId: str,
        name: str,
        *,
        description: str | None = None,
        iotEndpointIds: str | Sequence[str] | None = None,
    ) -> IotGroup:
        """Creates a group of endpoints of one hub (`iotEndpointIds`: an id or a list)."""
        return self._execute(ops.create_group(iotHubId, name, description, iotEndpointIds))

    def updateGroup(
        self, iotGroupId: str, *, name: str | None = None, description: str | None = None
    ) -> IotGroup:
        """Renames a group or changes its description; returns it as it is now.

        Raises:
            InvalidInputError: neither `name` nor `description` is given.
        """
        return self._execute(ops.update_group(iotGroupId, name, description))

    def deleteGroup(self, iotGroupId: str) -> IotGroup:
        """Deletes a group (not its endpoints); returns what it was."""
        return self._execute(ops.delete_group(iotGroupId))

    def removeEndpointsFromGroup(
        self, iotGroupId: str, iotEndpointIds: str | Sequence[str]
    ) -> IotGroup:
        """Removes one endpoint (an id) or several (a list) from a group."""
        return self._execute(ops.remove_endpoints_from_group(iotGroupId, iotEndpointIds))

    # -- last values of many endpoints; cancelling a query ------------------------------------

    def listGroupsEndpointsLastValues(self, iotGroupId: str) -> list[EndpointLastValues]:
        """The last value of each telemetry attribute of each endpoint of a group. Follows
        every `nextToken` and reads pages the exchange kept in storage.

        Raises:
            PaginationError: the exchange repeated a nextToken.
        """
        data = self._last_values_data(lambda paging: ops.list_group_last_values(iotGroupId, paging))
        return [EndpointLastValues.model_validate(item) for item in data]

    def listHubsEndpointsLastValues(self, iotHubId: str) -> list[EndpointLastValues]:
        """The last value of each telemetry attribute of each endpoint of a hub, as
        `listGroupsEndpointsLastValues`.

        Raises:
            PaginationError: the exchange repeated a nextToken.
        """
        data = self._last_values_data(lambda paging: ops.list_hub_last_values(iotHubId, paging))
        return [EndpointLastValues.model_validate(item) for item in data]

    def cancelQuery(self, queryId: str) -> ServerResponse:
        """Cancels a telemetry query (`iot_queryByTimeRange`'s `queryId`): no more pages or
        exports. The outcome is in the answer (`httpStatusCode`, `errorMessage`)."""
        return self._execute(ops.cancel_query(queryId))

    def _last_values_data(
        self, page_of: Callable[[iot.Paging], Call[iot.LastValuesPage]]
    ) -> list[dict[str, Any]]:
        """Every page of a last-values query (as the wire's JSON): each `nextToken` followed,
        each page kept in storage fetched by its presigned URL (docs/protocol.md §7.2)."""
        paging = iot.Paging()
        first = page_of(paging)  # validates the arguments before any request
        tokens = NextTokens(first.operation)
        data: list[dict[str, Any]] = []
        call = first
        while True:
            page = self._execute(call)
            if page.stored_url is not None:
                document = self._client._fetch_url(page.stored_url, call.operation)
                data += iot.stored_last_values(document)
            else:
                data += page.data
            if not tokens.more(page.paging.next_token):
                return data
            call = page_of(page.paging)
