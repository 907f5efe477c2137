"""Every operation the SDK is generated from (``queries/*.graphql``) runs on the emulator.

The SDK is built in parallel; this keeps the two sides in step without importing it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse, print_ast
from graphql.language import FragmentDefinitionNode

from avista_dx.emulator.api.resolvers import ROOT_RESOLVERS

from .conftest import Harness

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def _operations() -> list[tuple[str, str]]:
    definitions = []
    for path in sorted(QUERIES.glob("*.graphql")):
        definitions.extend(parse(path.read_text("utf-8")).definitions)
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = []
    for definition in definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            used = _used_fragments(definition, fragments)
            document = "\n".join([print_ast(definition), *(print_ast(fragments[n]) for n in used)])
            operations.append((definition.name.value, document))
    return operations


def _used_fragments(node: Any, fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """Fragments an operation spreads, transitively (as the code generator inlines them)."""
    found: list[str] = []
    pending = [node]
    while pending:
        current = pending.pop()
        for spread in re.findall(r"\.\.\.(\w+)", print_ast(current)):
            if spread in fragments and spread not in found:
                found.append(spread)
                pending.append(fragments[spread])
    return sorted(found)


def _variables(h: Harness, document: str) -> dict[str, Any]:
    candidates: dict[str, Any] = {
        "dataStoreId": h.ids["dataStore"],
        "dataStoreDirectoryId": h.ids["homeDirectory"],
        "dataStoreFileId": h.ids["file:README.md"],
        "timeSeriesDbId": h.ids["timeSeriesDb"],
        "collaborativeId": h.ids["collaborative"],
        "serviceType": "TIME_SERIES_DB",
        "serviceId": h.ids["timeSeriesDb"],
        "name": "sdk",
        "fileExtension": "txt",
        "queryString": "SELECT 1",
        "assetId": "asset-1",
        "data": {"records": []},
        # The management operations (dx.dataStores, dx.timeSeries, dx.users, dx.admin).
        "parentDirectoryId": h.ids["homeDirectory"],
        "organizationId": h.ids["organization2"],
        "memberState": "APPROVED",
        "userId": h.ids["outsider"],
        "permission": "READ_ONLY",
        "email": "sdk@example.com",
        "firstName": "Sdk",
        "lastName": "Documents",
        "daysBeforeExpiration": 1,
        "tokenId": "token-unknown",
        "currentOwnerUserId": h.ids["outsider"],
        "transferToUserId": h.ids["reader"],
        "dataStoreObjectIds": [{"objectType": "FILE", "dataStoreFileId": h.ids["file:README.md"]}],
        "dataViewId": "dataView-unknown",
        "queryType": "LAST_X_ROWS",
        "assets": [{"assetId": "asset-1"}],
        "maxRows": 1,
        "queryId": "query-unknown",
        # IoT and data capture (dx.iot, dx.dataCapture): the demo seed's objects.
        "iotEndpointId": h.ids["iotEndpoint"],
        "iotEndpointIds": [h.ids["iotEndpoint"]],
        "iotGroupId": h.ids["iotGroup"],
        "iotHubId": h.ids["iotHub"],
        "modelId": h.ids["iotModel"],
        "captureId": h.ids["capture"],
        "displayName": "Sdk",
        "dtmiSegment": "sdk",
        "properties": [],
        "endpointQueryFilters": [],
        # dx.dataCapture beyond 1.2.1: an update that changes nothing, an unknown attachment.
        "captureType": "STANDARD",
        "fileName": "sdk.txt",
        "attachmentId": "attachment-unknown",
        "dataModel": {"assets": []},
        **{
            f"update{argument}": False
            for argument in (
                "DisplayName",
                "Description",
                "StartTimeType",
                "ScheduledStartTime",
                "StopTimeType",
                "ScheduledStopTime",
            )
        },
    }
    if "iot_queryByTimeRange(" in document:  # epoch milliseconds there
        candidates.update(startTime="0", endTime="1")
    chosen = {name: value for name, value in candidates.items() if f"${name}:" in document}
    if "data" in chosen and "[" in document.split("$data:", 1)[1].split(")", 1)[0].split(",")[0]:
        chosen["data"] = []  # IoT and capture publishes take a list of records
    return chosen


OPERATIONS = _operations()

# The placeholders above name the demo objects, which some writes refuse by the exchange's
# rules: the answer must then be exactly that refusal (the document itself ran).
PLACEHOLDER_CONFLICTS = {
    "storage_deleteDataStoreDirectory": ["BadRequestException"],  # the home directory
    "storage_updateDataStoreDirectory": ["BadRequestException"],  # the home directory
    "user_deleteAuthenticationToken": ["Unauthorized"],  # no such token
    "platformAdmin_deleteOrganization": ["BadRequestException"],  # it still has users
    "platformAdmin_updateCollaborativeMember": ["BadRequestException"],  # not a member
    "platformAdmin_removeCollaborativeMember": ["BadRequestException"],  # not a member
    "storage_deleteDataStoreFileDataView": ["BadRequestException"],  # no such data view
    "timeSeriesDb_generateQueryResultExportFile": ["Unauthorized"],  # no such query
    "dataCapture_startCapture": ["BadRequestException"],  # the demo capture is already running
    "iot_addEndpointsToGroup": ["BadRequestException"],  # the demo endpoint is in the group
    "iot_queryByTimeRange": ["BadRequestException"],  # a placeholder queryId continues nothing
    "iot_generateQueryResultExport": ["Unauthorized"],  # no such query
    "iot_publish": ["BadRequestException"],  # the placeholder publishes no records
    "iot_updateEndpointProperties": ["BadRequestException"],  # and changes no property
    "dataCapture_updateDataModel": ["BadRequestException"],  # the demo capture is running
    "dataCapture_getFileAttachmentDownloadUrl": ["Unauthorized"],  # no such attachment
    "dataCapture_deleteAttachment": ["Unauthorized"],  # no such attachment
    "iot_deleteModel": ["BadRequestException"],  # the demo endpoint uses the demo model
    "iot_cancelQuery": ["Unauthorized"],  # no such query
}


def test_the_sdk_documents_were_found() -> None:
    assert len(OPERATIONS) >= 18


@pytest.mark.parametrize(("name", "document"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_sdk_operation_runs(harness: Harness, name: str, document: str) -> None:
    if name not in ROOT_RESOLVERS:  # operations are named after their root field
        # The SDK and the emulator grow area by area in parallel (IoT, data capture).
        pytest.skip(f"the emulator does not serve {name} yet")
    role = "admin" if name.startswith("platformAdmin_") else "owner"
    body = harness.gql(role, document, **_variables(harness, document))
    # Sharing the demo database again conflicts; the placeholder publishes no records.
    expected_errors = {
        "collaborative_addServiceToCollaborative": ["BadRequestException"],
        "timeSeriesDb_publishToDatabase": ["ValidationException"],
        **PLACEHOLDER_CONFLICTS,
    }
    errors = [error["errorType"] for error in body.get("errors", [])]
    assert errors == expected_errors.get(name, []), body
    if not errors:
        assert all(value is not None for value in body["data"].values()), body
