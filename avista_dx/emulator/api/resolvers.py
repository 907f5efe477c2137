"""Thin resolvers: each root field maps its arguments onto one backend call.

``ROOT_RESOLVERS`` is the list of implemented root fields (the coverage table is generated from
it); every other root field of the schema answers ``NotImplemented``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..data_capture.access import CAPTURE_TOKEN_FIELDS, CAPTURE_TOKEN_TYPE
from ..data_capture.files import CaptureFiles
from ..data_capture.service import DataCaptureService
from ..iot.access import ENDPOINT_TOKEN_FIELDS, ENDPOINT_TOKEN_TYPE
from ..iot.data_service import IotDataService, Paging
from ..iot.service import IotService
from ..services import (
    Caller,
    CollaborativeAdminService,
    CollaborativeService,
    DataStoreService,
    NotificationService,
    OffboardingService,
    OrganizationService,
    TimeSeriesService,
    UserService,
)
from ..services.time_series_exports import TimeSeriesExportService
from ..services.time_series_queries import TimeSeriesQueryService
from ..services.validation import UNSET
from ..services.zip_downloads import ZipDownloadService
from .limits import RequestBudget


@dataclass(frozen=True, slots=True)
class Services:
    """One backend per area; a new area is one field here and one line in ``app.py``."""

    users: UserService
    organizations: OrganizationService
    data_stores: DataStoreService
    time_series: TimeSeriesService
    collaboratives: CollaborativeService
    collaborative_admin: CollaborativeAdminService
    offboarding: OffboardingService
    notifications: NotificationService
    zip_downloads: ZipDownloadService
    time_series_queries: TimeSeriesQueryService
    time_series_exports: TimeSeriesExportService
    data_capture: DataCaptureService
    capture_files: CaptureFiles
    iot: IotService
    iot_data: IotDataService


@dataclass(frozen=True, slots=True)
class RequestContext:
    caller: Caller
    services: Services
    base_url: str  # where presigned URLs point: the URL the client reached us at
    budget: RequestBudget  # charged before each resolver call


Args = dict[str, Any]
RootResolver = Callable[[RequestContext, Args], Any]


# Root fields a scoped token may call, by token type; every other field answers Unauthorized.
SCOPED_TOKEN_FIELDS: dict[str, frozenset[str]] = {
    CAPTURE_TOKEN_TYPE: CAPTURE_TOKEN_FIELDS,
    ENDPOINT_TOKEN_TYPE: ENDPOINT_TOKEN_FIELDS,
}


def _opt(args: Args, name: str) -> Any:
    """An optional argument: UNSET when omitted, None when sent as null."""
    return args.get(name, UNSET)


ROOT_RESOLVERS: dict[str, RootResolver] = {
    # --- users and tokens
    "user_getUserSession": lambda c, a: c.services.users.session(c.caller),
    "user_listAuthenticationTokens": lambda c, a: c.services.users.list_tokens(c.caller),
    "user_createAuthenticationToken": lambda c, a: c.services.users.create_token(
        c.caller, a["name"], a["daysBeforeExpiration"]
    ),
    "user_deleteAuthenticationToken": lambda c, a: c.services.users.delete_token(
        c.caller, a["tokenId"]
    ),
    # --- data stores
    "storage_listDataStores": lambda c, a: c.services.data_stores.list_data_stores(
        c.caller, a.get("organizationId"), a.get("userId")
    ),
    "storage_getDataStore": lambda c, a: c.services.data_stores.get_data_store(
        c.caller, a["dataStoreId"]
    ),
    "storage_createDataStore": lambda c, a: c.services.data_stores.create_data_store(
        c.caller, a["name"], a.get("description")
    ),
    "storage_updateDataStore": lambda c, a: c.services.data_stores.update_data_store(
        c.caller, a["dataStoreId"], _opt(a, "name"), _opt(a, "description")
    ),
    "storage_deleteDataStore": lambda c, a: c.services.data_stores.delete_data_store(
        c.caller, a["dataStoreId"]
    ),
    "storage_getDataStoreDirectory": lambda c, a: c.services.data_stores.get_directory(
        c.caller, a["dataStoreDirectoryId"]
    ),
    "storage_createDataStoreDirectory": lambda c, a: c.services.data_stores.create_directory(
        c.caller, a["dataStoreId"], a["parentDirectoryId"], a["name"]
    ),
    "storage_updateDataStoreDirectory": lambda c, a: c.services.data_stores.update_directory(
        c.caller, a["dataStoreDirectoryId"], _opt(a, "name"), _opt(a, "parentDirectoryId")
    ),
    "storage_deleteDataStoreDirectory": lambda c, a: c.services.data_stores.delete_directory(
        c.caller, a["dataStoreDirectoryId"]
    ),
    "storage_getDataStoreFile": lambda c, a: c.services.data_stores.get_file(
        c.caller, a["dataStoreFileId"]
    ),
    "storage_createDataStoreFile": lambda c, a: c.services.data_stores.create_file(
        c.caller,
        c.base_url,
        a["dataStoreId"],
        a["dataStoreDirectoryId"],
        a["name"],
        a["fileExtension"],
        a.get("description"),
    ),
    "storage_updateDataStoreFile": lambda c, a: c.services.data_stores.update_file(
        c.caller,
        a["dataStoreFileId"],
        _opt(a, "name"),
        _opt(a, "description"),
        _opt(a, "dataStoreDirectoryId"),
    ),
    "storage_deleteDataStoreFile": lambda c, a: c.services.data_stores.delete_file(
        c.caller, a["dataStoreFileId"]
    ),
    "storage_getDataStoreFileDownloadUrl": lambda c, a: c.services.data_stores.download_url(
        c.caller, c.base_url, a["dataStoreFileId"]
    ),
    "storage_createDataStoreFileDataView": lambda c, a: c.services.data_stores.create_data_view(
        c.caller, a["dataStoreFileId"]
    ),
    "storage_deleteDataStoreFileDataView": lambda c, a: c.services.data_stores.delete_data_view(
        c.caller, a["dataStoreFileId"], a["dataViewId"]
    ),
    "storage_getDataStoreZipDownloadUrl": lambda c, a: c.services.zip_downloads.zip_download_url(
        c.caller, c.base_url, a["dataStoreObjectIds"]
    ),
    "notifications_notifyUploadComplete": lambda c, a: (
        c.services.notifications.notify_upload_complete(c.caller, a["uploadId"])
    ),
    # --- time-series databases
    "timeSeriesDb_listAllAssetLastValues": lambda c, a: (
        c.services.time_series_queries.list_all_asset_last_values(
            c.caller, a["timeSeriesDbId"], a.get("nextToken"), a.get("clientToken")
        )
    ),
    "timeSeriesDb_queryDatabase": lambda c, a: c.services.time_series_queries.query_database(
        c.caller,
        a["timeSeriesDbId"],
        a["assets"],
        a["queryType"],
        a.get("startTime"),
        a.get("endTime"),
        a.get("maxRows"),
        a.get("nextToken"),
        a.get("queryString"),
        a.get("clientToken"),
    ),
    "timeSeriesDb_cancelDatabaseQuery": lambda c, a: c.services.time_series_queries.cancel_query(
        c.caller, a["timeSeriesDbId"], a["queryId"]
    ),
    "timeSeriesDb_generateQueryResultExportFile": lambda c, a: (
        c.services.time_series_exports.generate(
            c.caller, c.base_url, a["timeSeriesDbId"], a["queryId"], a.get("fileFormat")
        )
    ),
    "timeSeriesDb_notifyTimeSeriesQueryExportComplete": lambda c, a: (
        c.services.time_series_exports.notify_complete(
            c.caller, c.base_url, a.get("fileFormat"), a["queryId"]
        )
    ),
    "timeSeriesDb_listDatabases": lambda c, a: c.services.time_series.list_databases(c.caller),
    "timeSeriesDb_getDatabase": lambda c, a: c.services.time_series.get_database(
        c.caller, a["timeSeriesDbId"]
    ),
    "timeSeriesDb_createDatabase": lambda c, a: c.services.time_series.create_database(
        c.caller, a["name"], a.get("description")
    ),
    "timeSeriesDb_updateDatabase": lambda c, a: c.services.time_series.update_database(
        c.caller, a["timeSeriesDbId"], _opt(a, "name"), _opt(a, "description")
    ),
    "timeSeriesDb_deleteDatabase": lambda c, a: c.services.time_series.delete_database(
        c.caller, a["timeSeriesDbId"]
    ),
    "timeSeriesDb_publishToDatabase": lambda c, a: c.services.time_series.publish(
        c.caller, a["timeSeriesDbId"], a["assetId"], a["data"]
    ),
    "timeSeriesDb_queryDatabaseWithTimestreamQuery": lambda c, a: c.services.time_series.query(
        c.caller,
        a["timeSeriesDbId"],
        a["queryString"],
        a.get("maxRows"),
        a.get("nextToken"),
        a.get("clientToken"),
    ),
    # --- collaboratives
    "collaborative_listCollaboratives": lambda c, a: c.services.collaboratives.list_collaboratives(
        c.caller
    ),
    "collaborative_getCollaborative": lambda c, a: c.services.collaboratives.get_collaborative(
        c.caller, a["collaborativeId"]
    ),
    "collaborative_listCollaborativeServices": lambda c, a: c.services.collaboratives.list_services(
        c.caller, a["collaborativeId"]
    ),
    "collaborative_listCollaborativesServiceSharedWith": lambda c, a: (
        c.services.collaboratives.list_shared_with(c.caller, a["serviceType"], a["serviceId"])
    ),
    "collaborative_listCollaborativeMemberOrganizationRequests": lambda c, a: (
        c.services.collaboratives.list_member_requests(
            c.caller,
            a.get("collaborativeId"),
            a.get("includeApprovedRequests"),
            a.get("includeDeniedRequests"),
        )
    ),
    "collaborative_addServiceToCollaborative": lambda c, a: c.services.collaboratives.add_service(
        c.caller, a["collaborativeId"], a["serviceType"], a["serviceId"]
    ),
    "collaborative_removeServiceFromCollaborative": lambda c, a: (
        c.services.collaboratives.remove_service(
            c.caller, a["collaborativeId"], a["serviceType"], a["serviceId"]
        )
    ),
    "collaborative_updateCollaborativeMemberOrganization": lambda c, a: (
        c.services.collaboratives.update_member_organization(
            c.caller, a["collaborativeId"], a["organizationId"], a["memberState"]
        )
    ),
    # --- platform administration
    "platformAdmin_listOrganizations": lambda c, a: c.services.organizations.list_organizations(
        c.caller
    ),
    "platformAdmin_getOrganization": lambda c, a: c.services.organizations.get_organization(
        c.caller, a["organizationId"]
    ),
    "platformAdmin_createOrganization": lambda c, a: c.services.organizations.create_organization(
        c.caller, a["name"], a.get("hostOrganization")
    ),
    "platformAdmin_updateOrganization": lambda c, a: c.services.organizations.update_organization(
        c.caller, a["organizationId"], _opt(a, "name")
    ),
    "platformAdmin_deleteOrganization": lambda c, a: c.services.organizations.delete_organization(
        c.caller, a["organizationId"], a.get("comment")
    ),
    "platformAdmin_listUsers": lambda c, a: c.services.users.list_users(
        c.caller, a.get("organizationId")
    ),
    "platformAdmin_getUser": lambda c, a: c.services.users.get_user(c.caller, a["userId"]),
    "platformAdmin_createUser": lambda c, a: c.services.users.create_user(
        c.caller,
        a["organizationId"],
        a["email"],
        a["firstName"],
        a["lastName"],
        a.get("mobile"),
        a.get("userRoles"),
    ),
    "platformAdmin_updateUser": lambda c, a: c.services.users.update_user(
        c.caller,
        a["userId"],
        _opt(a, "firstName"),
        _opt(a, "lastName"),
        _opt(a, "userAccountState"),
        _opt(a, "userRoles"),
    ),
    "platformAdmin_deleteUser": lambda c, a: c.services.users.delete_user(c.caller, a["userId"]),
    "platformAdmin_resendUserInvitation": lambda c, a: c.services.users.resend_invitation(
        c.caller, a["userId"]
    ),
    "platformAdmin_listCollaboratives": lambda c, a: (
        c.services.collaborative_admin.list_collaboratives(
            c.caller, a.get("includeMemberOrganizations")
        )
    ),
    "platformAdmin_getCollaborative": lambda c, a: c.services.collaborative_admin.get_collaborative(
        c.caller, a["collaborativeId"], a.get("includeMemberOrganizations")
    ),
    "platformAdmin_createCollaborative": lambda c, a: (
        c.services.collaborative_admin.create_collaborative(
            c.caller, a["name"], a.get("description")
        )
    ),
    "platformAdmin_updateCollaborative": lambda c, a: (
        c.services.collaborative_admin.update_collaborative(
            c.caller, a["collaborativeId"], _opt(a, "name"), _opt(a, "description")
        )
    ),
    "platformAdmin_deleteCollaborative": lambda c, a: (
        c.services.collaborative_admin.delete_collaborative(
            c.caller, a["collaborativeId"], a.get("comment")
        )
    ),
    "platformAdmin_addCollaborativeMember": lambda c, a: c.services.collaborative_admin.add_member(
        c.caller, a["collaborativeId"], a["userId"], a.get("permission")
    ),
    "platformAdmin_updateCollaborativeMember": lambda c, a: (
        c.services.collaborative_admin.update_member(
            c.caller, a["collaborativeId"], a["userId"], a["permission"]
        )
    ),
    "platformAdmin_removeCollaborativeMember": lambda c, a: (
        c.services.collaborative_admin.remove_member(c.caller, a["collaborativeId"], a["userId"])
    ),
    "platformAdmin_deleteUsersCollaboratives": lambda c, a: (
        c.services.offboarding.delete_users_collaboratives(c.caller, a["userId"])
    ),
    "platformAdmin_deleteUsersServices": lambda c, a: c.services.offboarding.delete_users_services(
        c.caller, a["userId"]
    ),
    "platformAdmin_migrateUsersCollaborativesOwnership": lambda c, a: (
        c.services.offboarding.migrate_users_collaboratives(
            c.caller, a["currentOwnerUserId"], a["transferToUserId"]
        )
    ),
    "platformAdmin_migrateUsersServicesOwnership": lambda c, a: (
        c.services.offboarding.migrate_users_services(
            c.caller, a["currentOwnerUserId"], a["transferToUserId"]
        )
    ),
    # --- data capture
    "dataCapture_listCaptures": lambda c, a: c.services.data_capture.list_captures(
        c.caller, a.get("includeDataModels"), a.get("limit"), a.get("nextToken")
    ),
    "dataCapture_getCapture": lambda c, a: c.services.data_capture.get_capture(
        c.caller, a["captureId"], a.get("includeDataModel")
    ),
    "dataCapture_createCapture": lambda c, a: c.services.data_capture.create_capture(
        c.caller, a["captureType"], a["displayName"], a.get("description")
    ),
    "dataCapture_updateCapture": lambda c, a: c.services.data_capture.update_capture(
        c.caller, a["captureId"], a
    ),
    "dataCapture_deleteCapture": lambda c, a: c.services.data_capture.delete_capture(
        c.caller, a["captureId"]
    ),
    "dataCapture_getDataModel": lambda c, a: c.services.data_capture.get_data_model(
        c.caller, a["captureId"]
    ),
    "dataCapture_updateDataModel": lambda c, a: c.services.data_capture.update_data_model(
        c.caller, a["captureId"], a["dataModel"]
    ),
    "dataCapture_getDataModelExport": lambda c, a: c.services.data_capture.get_data_model_export(
        c.caller, a["captureId"]
    ),
    "dataCapture_startCapture": lambda c, a: c.services.data_capture.start_capture(
        c.caller, a["captureId"]
    ),
    "dataCapture_stopCapture": lambda c, a: c.services.data_capture.stop_capture(
        c.caller, a["captureId"]
    ),
    "dataCapture_handleCompletion": lambda c, a: c.services.data_capture.handle_completion(
        c.caller, a["captureId"]
    ),
    "dataCapture_notifyCaptureComplete": lambda c, a: (
        c.services.data_capture.notify_capture_complete(c.caller, a["captureId"])
    ),
    "dataCapture_publishData": lambda c, a: c.services.data_capture.publish_data(
        c.caller, a["captureId"], a["data"]
    ),
    "dataCapture_getCaptureAuthenticationToken": lambda c, a: (
        c.services.data_capture.get_capture_token(c.caller, a["captureId"])
    ),
    "dataCapture_regenerateAuthenticationToken": lambda c, a: (
        c.services.data_capture.regenerate_token(c.caller, a["captureId"])
    ),
    "dataCapture_getPythonSDKSample": lambda c, a: c.services.data_capture.python_sdk_sample(
        c.caller, a["captureId"]
    ),
    "dataCapture_attachFile": lambda c, a: c.services.capture_files.attach_file(
        c.caller, c.base_url, a["captureId"], a["fileName"], a.get("description")
    ),
    "dataCapture_listAttachments": lambda c, a: c.services.capture_files.list_attachments(
        c.caller, a["captureId"], a.get("limit"), a.get("nextToken")
    ),
    "dataCapture_getFileAttachmentDownloadUrl": lambda c, a: (
        c.services.capture_files.attachment_download_url(
            c.caller, c.base_url, a["captureId"], a["attachmentId"]
        )
    ),
    "dataCapture_deleteAttachment": lambda c, a: c.services.capture_files.delete_attachment(
        c.caller, a["captureId"], a["attachmentId"]
    ),
    "dataCapture_getDataExportDownloadUrl": lambda c, a: c.services.capture_files.data_export_url(
        c.caller, c.base_url, a["captureId"]
    ),
    "dataCapture_getActiveCaptureDataExportDownloadUrl": lambda c, a: (
        c.services.capture_files.active_export_url(c.caller, c.base_url, a["captureId"])
    ),
    # --- IoT
    "iot_listHubs": lambda c, a: c.services.iot.list_hubs(c.caller),
    "iot_getHub": lambda c, a: c.services.iot.get_hub(c.caller, a["iotHubId"]),
    "iot_createHub": lambda c, a: c.services.iot.create_hub(
        c.caller, a["name"], a.get("description")
    ),
    "iot_updateHub": lambda c, a: c.services.iot.update_hub(
        c.caller, a["iotHubId"], _opt(a, "name"), _opt(a, "description")
    ),
    "iot_deleteHub": lambda c, a: c.services.iot.delete_hub(c.caller, a["iotHubId"]),
    "iot_listEndpointsInHub": lambda c, a: c.services.iot.list_endpoints_in_hub(
        c.caller, a["iotHubId"]
    ),
    "iot_getEndpoint": lambda c, a: c.services.iot.get_endpoint(c.caller, a["iotEndpointId"]),
    "iot_createEndpoint": lambda c, a: c.services.iot.create_endpoint(
        c.caller, a["iotHubId"], a["modelId"], a["name"], a.get("description")
    ),
    "iot_updateEndpoint": lambda c, a: c.services.iot.update_endpoint(
        c.caller, a["iotEndpointId"], _opt(a, "name"), _opt(a, "description")
    ),
    "iot_updateEndpointProperties": lambda c, a: c.services.iot.update_endpoint_properties(
        c.caller, a["iotEndpointId"], a["properties"]
    ),
    "iot_updateModelUsedByEndpoint": lambda c, a: c.services.iot.update_model_used_by_endpoint(
        c.caller, a["iotEndpointId"], a["modelId"]
    ),
    "iot_deleteEndpoint": lambda c, a: c.services.iot.delete_endpoint(c.caller, a["iotEndpointId"]),
    "iot_getEndpointToken": lambda c, a: c.services.iot.get_endpoint_token(
        c.caller, a["iotEndpointId"]
    ),
    "iot_regenerateEndpointToken": lambda c, a: c.services.iot.regenerate_endpoint_token(
        c.caller, a["iotEndpointId"]
    ),
    "iot_listGroups": lambda c, a: c.services.iot.list_groups(
        c.caller, a["iotHubId"], a.get("includeEndpoints")
    ),
    "iot_getGroup": lambda c, a: c.services.iot.get_group(
        c.caller, a["iotGroupId"], a.get("includeEndpoints")
    ),
    "iot_createGroup": lambda c, a: c.services.iot.create_group(
        c.caller, a["iotHubId"], a["name"], a.get("description"), a.get("iotEndpointIds")
    ),
    "iot_updateGroup": lambda c, a: c.services.iot.update_group(
        c.caller, a["iotGroupId"], _opt(a, "name"), _opt(a, "description")
    ),
    "iot_addEndpointsToGroup": lambda c, a: c.services.iot.add_endpoints_to_group(
        c.caller, a["iotGroupId"], a["iotEndpointIds"]
    ),
    "iot_removeEndpointsFromGroup": lambda c, a: c.services.iot.remove_endpoints_from_group(
        c.caller, a["iotGroupId"], a["iotEndpointIds"]
    ),
    "iot_deleteGroup": lambda c, a: c.services.iot.delete_group(c.caller, a["iotGroupId"]),
    "iot_listModels": lambda c, a: c.services.iot.list_models(c.caller),
    "iot_getModel": lambda c, a: c.services.iot.get_model(c.caller, a["modelId"]),
    "iot_getModelInDTDLFormat": lambda c, a: c.services.iot.get_model_dtdl(c.caller, a["modelId"]),
    "iot_createModel": lambda c, a: c.services.iot.create_model(
        c.caller,
        a["displayName"],
        a["dtmiSegment"],
        a.get("description"),
        a.get("properties"),
        a.get("telemetry"),
    ),
    "iot_createNewModelVersion": lambda c, a: c.services.iot.create_new_model_version(
        c.caller,
        a["modelId"],
        a.get("version"),
        _opt(a, "displayName"),
        _opt(a, "description"),
        _opt(a, "properties"),
        _opt(a, "telemetry"),
    ),
    "iot_updateModel": lambda c, a: c.services.iot.update_model(
        c.caller,
        a["modelId"],
        _opt(a, "displayName"),
        _opt(a, "dtmiSegment"),
        _opt(a, "description"),
    ),
    "iot_deleteModel": lambda c, a: c.services.iot.delete_model(c.caller, a["modelId"]),
    "iot_publish": lambda c, a: c.services.iot_data.publish(
        c.caller, a["iotEndpointId"], a["data"]
    ),
    "iot_listEndpointLastValues": lambda c, a: c.services.iot_data.list_endpoint_last_values(
        c.caller, c.base_url, a["iotEndpointId"], Paging.from_arguments(a)
    ),
    "iot_listGroupsEndpointsLastValues": lambda c, a: c.services.iot_data.list_group_last_values(
        c.caller, c.base_url, a["iotGroupId"], Paging.from_arguments(a)
    ),
    "iot_listHubsEndpointsLastValues": lambda c, a: c.services.iot_data.list_hub_last_values(
        c.caller, c.base_url, a["iotHubId"], Paging.from_arguments(a)
    ),
    "iot_queryByTimeRange": lambda c, a: c.services.iot_data.query_by_time_range(
        c.caller,
        c.base_url,
        a["endpointQueryFilters"],
        a["startTime"],
        a["endTime"],
        Paging.from_arguments(a),
    ),
    "iot_generateQueryResultExport": lambda c, a: c.services.iot_data.generate_export(
        c.caller, c.base_url, a["queryId"], a.get("fileFormat")
    ),
    "iot_cancelQuery": lambda c, a: c.services.iot_data.cancel_query(c.caller, a["queryId"]),
    "iot_notifyQueryExportComplete": lambda c, a: c.services.iot_data.notify_export_complete(
        c.caller, c.base_url, a["queryId"], a.get("fileFormat")
    ),
}


# Root query fields answered from the metadata store alone: indexed reads, no time-series
# engine, no blob I/O, nothing that waits on another request. A small request made only of
# these runs on the event loop (http/graphql.py): the hop to a request thread and back was
# most of its cost.
METADATA_READS: frozenset[str] = frozenset(
    {
        "user_getUserSession",
        "user_listAuthenticationTokens",
        "storage_listDataStores",
        "storage_getDataStore",
        "storage_getDataStoreDirectory",
        "storage_getDataStoreFile",
        "timeSeriesDb_listDatabases",
        "timeSeriesDb_getDatabase",
        "collaborative_listCollaboratives",
        "collaborative_getCollaborative",
        "collaborative_listCollaborativeServices",
        "collaborative_listCollaborativesServiceSharedWith",
        "collaborative_listCollaborativeMemberOrganizationRequests",
        "platformAdmin_listOrganizations",
        "platformAdmin_getOrganization",
        "platformAdmin_listUsers",
        "platformAdmin_getUser",
        "platformAdmin_listCollaboratives",
        "platformAdmin_getCollaborative",
    }
)


def directory_contents(parent: dict[str, Any], context: RequestContext) -> list[dict[str, Any]]:
    """``DataStoreDirectory.contents``, resolved only when selected (at any depth)."""
    return context.services.data_stores.directory_contents(
        context.caller, parent["dataStoreDirectoryId"]
    )
