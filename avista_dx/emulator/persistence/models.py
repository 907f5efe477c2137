"""The emulator's persisted records: plain frozen dataclasses, one per stored kind.

Stores persist them field by field (``dataclasses.asdict``); ``KIND`` names the table and ``key``
is the primary key. Field values are JSON types only, so every store can hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Record:
    KIND: ClassVar[str] = ""
    # Fields a store indexes for ``find``; others may be filtered too, just slower.
    INDEXED: ClassVar[tuple[str, ...]] = ()

    @property
    def key(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class OrganizationRecord(Record):
    KIND: ClassVar[str] = "organization"
    organization_id: str
    name: str
    host_organization: bool = False

    @property
    def key(self) -> str:
        return self.organization_id


@dataclass(frozen=True, slots=True)
class UserRecord(Record):
    KIND: ClassVar[str] = "user"
    INDEXED: ClassVar[tuple[str, ...]] = ("organization_id",)
    user_id: str
    organization_id: str
    email: str
    first_name: str
    last_name: str
    mobile: str | None = None
    user_account_state: str = "ACTIVE"
    user_roles: tuple[str, ...] = ()
    last_active: str | None = None

    @property
    def key(self) -> str:
        return self.user_id

    @property
    def is_platform_admin(self) -> bool:
        return "PLATFORM_ADMIN" in self.user_roles


@dataclass(frozen=True, slots=True)
class TokenRecord(Record):
    """A personal token. Only its SHA-256 is stored; the raw value is shown once, at creation."""

    KIND: ClassVar[str] = "token"
    INDEXED: ClassVar[tuple[str, ...]] = ("token_hash", "user_id")
    token_id: str
    user_id: str
    name: str
    token_hash: str
    token_type: str
    date_created: str
    date_expires: str
    last_active: str | None = None
    # The one object a scoped token acts on (a capture's or an IoT endpoint's id); empty for
    # personal tokens.
    scope: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.token_id


@dataclass(frozen=True, slots=True)
class DataStoreRecord(Record):
    KIND: ClassVar[str] = "data_store"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    data_store_id: str
    name: str
    owner_user_id: str
    home_directory_id: str
    description: str | None = None

    @property
    def key(self) -> str:
        return self.data_store_id


@dataclass(frozen=True, slots=True)
class DirectoryRecord(Record):
    KIND: ClassVar[str] = "directory"
    INDEXED: ClassVar[tuple[str, ...]] = ("data_store_id", "parent_directory_id")
    data_store_directory_id: str
    data_store_id: str
    name: str
    owner_user_id: str
    parent_directory_id: str | None = None

    @property
    def key(self) -> str:
        return self.data_store_directory_id

    @property
    def is_home(self) -> bool:
        return self.parent_directory_id is None


@dataclass(frozen=True, slots=True)
class FileRecord(Record):
    """A file. ``pending_upload_id`` is the upload id its PUT URL carries (that URL may PUT
    again until it expires); ``upload_id`` names that upload for good
    (``notifications_notifyUploadComplete``). ``content_md5`` is the stored bytes' MD5 hex."""

    KIND: ClassVar[str] = "file"
    INDEXED: ClassVar[tuple[str, ...]] = ("data_store_id", "data_store_directory_id", "upload_id")
    data_store_file_id: str
    data_store_id: str
    data_store_directory_id: str
    name: str
    file_extension: str
    owner_user_id: str
    last_modified: str
    description: str | None = None
    storage_size_bytes: int | None = None
    content_type: str | None = None
    s3_confirmed_upload: bool = False
    pending_upload_id: str | None = None
    upload_id: str | None = None
    data_view_ids: tuple[str, ...] = ()
    content_md5: str | None = None

    @property
    def key(self) -> str:
        return self.data_store_file_id


@dataclass(frozen=True, slots=True)
class TimeSeriesDbRecord(Record):
    KIND: ClassVar[str] = "time_series_db"
    INDEXED: ClassVar[tuple[str, ...]] = ("owner_user_id",)
    time_series_db_id: str
    name: str
    owner_user_id: str
    database_name: str
    table_name: str
    description: str | None = None

    @property
    def key(self) -> str:
        return self.time_series_db_id


@dataclass(frozen=True, slots=True)
class CollaborativeRecord(Record):
    KIND: ClassVar[str] = "collaborative"
    INDEXED: ClassVar[tuple[str, ...]] = ("host_organization_id",)
    collaborative_id: str
    name: str
    host_organization_id: str
    description: str | None = None

    @property
    def key(self) -> str:
        return self.collaborative_id


def collaborative_link_key(collaborative_id: str, linked_id: str) -> str:
    """The key of a record linking a collaborative to a member organization, a member user
    or a shared service: lookups build it from the two ids without loading the record."""
    return f"{collaborative_id}|{linked_id}"


@dataclass(frozen=True, slots=True)
class MemberOrganizationRecord(Record):
    KIND: ClassVar[str] = "member_organization"
    INDEXED: ClassVar[tuple[str, ...]] = ("collaborative_id", "organization_id")
    collaborative_id: str
    organization_id: str
    member_state: str
    submitted_timestamp: str
    submitted_by_user_id: str | None = None
    access_approved_by_user_id: str | None = None

    @property
    def key(self) -> str:
        return collaborative_link_key(self.collaborative_id, self.organization_id)


@dataclass(frozen=True, slots=True)
class MemberUserRecord(Record):
    KIND: ClassVar[str] = "member_user"
    INDEXED: ClassVar[tuple[str, ...]] = ("collaborative_id", "user_id")
    collaborative_id: str
    user_id: str
    permission: str

    @property
    def key(self) -> str:
        return collaborative_link_key(self.collaborative_id, self.user_id)


@dataclass(frozen=True, slots=True)
class ShareRecord(Record):
    """A service shared with a collaborative."""

    KIND: ClassVar[str] = "share"
    INDEXED: ClassVar[tuple[str, ...]] = ("collaborative_id", "service_id")
    collaborative_id: str
    service_type: str
    service_id: str

    @property
    def key(self) -> str:
        return collaborative_link_key(self.collaborative_id, self.service_id)


@dataclass(frozen=True, slots=True)
class SettingRecord(Record):
    """Emulator-wide settings that must survive restarts (the URL-signing key, the seed marker)."""

    KIND: ClassVar[str] = "setting"
    name: str
    value: str = field(repr=False)

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ZipArchiveRecord(Record):
    """A zip download handed out by ``storage_getDataStoreZipDownloadUrl``: what it holds was
    fixed when the URL was issued (``manifest``: JSON entries), so every GET of the URL, and
    every range of it, serves the same bytes."""

    KIND: ClassVar[str] = "zip_archive"
    zip_archive_id: str
    requested_by_user_id: str
    created: str
    expires: int  # epoch seconds, as the URL's; the record is dropped after that
    archive_bytes: int
    manifest: str

    @property
    def key(self) -> str:
        return self.zip_archive_id


@dataclass(frozen=True, slots=True)
class TimeSeriesQueryRecord(Record):
    """A ``timeSeriesDb_queryDatabase`` query: the Timestream SQL it stands for, and its state
    (``FINISHED`` or ``CANCELLED``)."""

    KIND: ClassVar[str] = "time_series_query"
    INDEXED: ClassVar[tuple[str, ...]] = ("time_series_db_id",)
    query_id: str
    time_series_db_id: str
    user_id: str
    query_string: str
    created: str
    state: str = "FINISHED"

    @property
    def key(self) -> str:
        return self.query_id


@dataclass(frozen=True, slots=True)
class TimeSeriesExportRecord(Record):
    """The export file of one query in one format: ``PENDING`` while it is written in the
    background, then ``READY`` (its bytes are the blob ``export_id``), ``FAILED`` or
    ``CANCELLED``."""

    KIND: ClassVar[str] = "time_series_export"
    INDEXED: ClassVar[tuple[str, ...]] = ("query_id", "state")
    export_id: str
    query_id: str
    time_series_db_id: str
    file_format: str
    requested_by_user_id: str
    base_url: str  # where the completion event's URL points
    created: str
    state: str = "PENDING"
    file_size_bytes: int | None = None
    error_message: str | None = None

    @property
    def key(self) -> str:
        return self.export_id


from ..data_capture.records import CAPTURE_RECORD_TYPES  # noqa: E402 (they subclass Record)
from ..iot.records import IOT_RECORD_TYPES  # noqa: E402 (IoT rows subclass Record above)

ALL_RECORD_TYPES: tuple[type[Record], ...] = (
    OrganizationRecord,
    UserRecord,
    TokenRecord,
    DataStoreRecord,
    DirectoryRecord,
    FileRecord,
    TimeSeriesDbRecord,
    CollaborativeRecord,
    MemberOrganizationRecord,
    MemberUserRecord,
    ShareRecord,
    SettingRecord,
    ZipArchiveRecord,
    TimeSeriesQueryRecord,
    TimeSeriesExportRecord,
    *CAPTURE_RECORD_TYPES,
    *IOT_RECORD_TYPES,
)
