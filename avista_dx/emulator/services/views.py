"""Records → dicts shaped like the schema's types (the GraphQL layer resolves fields by key)."""

from __future__ import annotations

from typing import Any

from ..data_capture import views as capture_views
from ..data_capture.records import CaptureRecord
from ..iot import views as iot_views
from ..iot.records import IotGroupRecord
from ..persistence import MetadataView
from ..persistence.models import (
    CollaborativeRecord,
    DataStoreRecord,
    DirectoryRecord,
    FileRecord,
    MemberOrganizationRecord,
    MemberUserRecord,
    OrganizationRecord,
    TimeSeriesDbRecord,
    TokenRecord,
    UserRecord,
)

View = dict[str, Any]


def organization(record: OrganizationRecord) -> View:
    return {
        "organizationId": record.organization_id,
        "name": record.name,
        "hostOrganization": record.host_organization,
    }


def user(view: MetadataView, record: UserRecord) -> View:
    org = view.get(OrganizationRecord, record.organization_id)
    return {
        "userId": record.user_id,
        "firstName": record.first_name,
        "lastName": record.last_name,
        "email": record.email,
        "mobile": record.mobile,
        "lastActive": record.last_active,
        "userAccountState": record.user_account_state,
        "userRoles": list(record.user_roles),
        "organization": None if org is None else organization(org),
    }


def token(record: TokenRecord, token_value: str | None = None) -> View:
    return {
        "tokenId": record.token_id,
        "userId": record.user_id,
        "name": record.name,
        "tokenType": record.token_type,
        "scope": list(record.scope),
        "tokenValue": token_value,
        "dateCreated": record.date_created,
        "dateExpires": record.date_expires,
        "lastActive": record.last_active,
    }


def data_store(record: DataStoreRecord) -> View:
    return {
        "dataStoreId": record.data_store_id,
        "name": record.name,
        "description": record.description,
        "ownerUserId": record.owner_user_id,
        "homeDirectoryId": record.home_directory_id,
    }


def directory(record: DirectoryRecord) -> View:
    # `contents` is resolved lazily by its own field resolver, at any nesting depth.
    return {
        "dataStoreDirectoryId": record.data_store_directory_id,
        "dataStoreId": record.data_store_id,
        "name": record.name,
        "ownerUserId": record.owner_user_id,
        "homeDirectory": record.is_home,
        "parentDirectoryId": record.parent_directory_id,
    }


def file(record: FileRecord) -> View:
    return {
        "dataStoreFileId": record.data_store_file_id,
        "dataStoreId": record.data_store_id,
        "dataStoreDirectoryId": record.data_store_directory_id,
        "name": record.name,
        "fileExtension": record.file_extension,
        "description": record.description,
        "storageSizeBytes": record.storage_size_bytes,
        "ownerUserId": record.owner_user_id,
        "s3ConfirmedUpload": record.s3_confirmed_upload,
        "lastModified": record.last_modified,
        "contentType": record.content_type,
        "dataViewIds": list(record.data_view_ids),
    }


def time_series_db(record: TimeSeriesDbRecord) -> View:
    return {
        "timeSeriesDbId": record.time_series_db_id,
        "name": record.name,
        "description": record.description,
        "ownerUserId": record.owner_user_id,
        "databaseName": record.database_name,
        "tableName": record.table_name,
    }


ServiceRecord = DataStoreRecord | TimeSeriesDbRecord | CaptureRecord | IotGroupRecord


def service(view: MetadataView, record: ServiceRecord) -> View:
    """The ``Service`` of a shareable record; its id is the record's."""
    store = data_store(record) if isinstance(record, DataStoreRecord) else None
    database = time_series_db(record) if isinstance(record, TimeSeriesDbRecord) else None
    capture = (
        capture_views.capture(view, record, include_model=False)
        if isinstance(record, CaptureRecord)
        else None
    )
    group = (
        iot_views.group(view, record, include_endpoints=False)
        if isinstance(record, IotGroupRecord)
        else None
    )
    service_type = (
        "DATA_STORE"
        if store
        else "TIME_SERIES_DB"
        if database
        else "DATA_CAPTURE"
        if capture
        else "IOT_GROUP"
    )
    return {
        "serviceId": record.key,
        "serviceType": service_type,
        "dataStore": store,
        "timeSeriesDb": database,
        "dataCapture": capture,
        "iotEndpointGroup": group,
        "ocsAdapter": None,
    }


def member_organization(view: MetadataView, record: MemberOrganizationRecord) -> View:
    org = view.get(OrganizationRecord, record.organization_id)
    submitted_by = (
        None
        if record.submitted_by_user_id is None
        else view.get(UserRecord, record.submitted_by_user_id)
    )
    members = []
    for member in view.find(MemberUserRecord, collaborative_id=record.collaborative_id):
        member_user = view.get(UserRecord, member.user_id)
        if member_user is not None and member_user.organization_id == record.organization_id:
            members.append({"permission": member.permission, "user": user(view, member_user)})
    return {
        "collaborativeId": record.collaborative_id,
        "organization": None if org is None else organization(org),
        "memberState": record.member_state,
        "submittedByUser": None if submitted_by is None else user(view, submitted_by),
        "submittedTimestamp": record.submitted_timestamp,
        "accessApprovedByUserId": record.access_approved_by_user_id,
        "usersInCollaborative": members,
    }


def collaborative(
    view: MetadataView,
    record: CollaborativeRecord,
    *,
    include_members: bool = True,
    member_states: frozenset[str] | None = None,
) -> View:
    members: list[View] | None = None
    if include_members:
        members = [
            member_organization(view, membership)
            for membership in view.find(
                MemberOrganizationRecord, collaborative_id=record.collaborative_id
            )
            if member_states is None or membership.member_state in member_states
        ]
    return {
        "collaborativeId": record.collaborative_id,
        "name": record.name,
        "description": record.description,
        "hostOrganizationId": record.host_organization_id,
        "memberOrganizations": members,
    }
