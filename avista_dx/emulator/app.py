"""The composition root: stores → engine → services → schema → routes, in that order.

Everything the emulator is made of is wired here, visibly, and nowhere else.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from importlib import metadata as package_metadata

from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from ._dirlock import DataDirectoryLock
from .api import GraphQLExecutor, Services, build_schema
from .config import EmulatorConfig
from .data_capture.files import CaptureFiles
from .data_capture.service import DataCaptureService
from .data_capture.store import CaptureDataStore
from .http.admin import AdminEndpoints
from .http.console import ConsoleEndpoints
from .http.downloads import (
    PresignedDownloadEndpoint,
    data_store_files,
    time_series_exports,
    zip_archives,
)
from .http.graphql import GraphQLEndpoint
from .http.responses import internal_failure
from .http.transfers import TransferEndpoints
from .iot.data_service import IotDataService
from .iot.service import IotService
from .iot.telemetry import TelemetryStore
from .persistence import (
    BlobStore,
    DiskBlobStore,
    MemoryBlobStore,
    MemoryMetadataStore,
    MetadataStore,
    SqliteMetadataStore,
)
from .persistence.models import SettingRecord
from .realtime import EventBroker
from .realtime.connection import RealtimeEndpoint, RealtimeSettings
from .seed import apply_seed
from .services import (
    CollaborativeAdminService,
    CollaborativeService,
    DataStoreService,
    NotificationService,
    OffboardingService,
    OrganizationService,
    TimeSeriesService,
    TransferService,
    UrlSigner,
    UserService,
)
from .services.time_series_exports import EXPORT_PATH, TimeSeriesExportService
from .services.time_series_queries import TimeSeriesQueryService
from .services.transfers import PRESIGNED_PATH
from .services.zip_downloads import ZIP_PATH, ZipDownloadService
from .timestream import TimestreamEngine

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.sqlite3"
TIMESERIES_FILE = "timeseries.duckdb"
EXPORTS_DIRECTORY = "time-series-exports"  # export files: a blob store of their own
SIGNING_KEY_SETTING = "presigned_url_signing_key"


@dataclass(slots=True)
class Emulator:
    """A wired emulator: ``app`` is the ASGI application; ``close()`` releases the stores."""

    config: EmulatorConfig
    metadata: MetadataStore
    blobs: BlobStore
    engine: TimestreamEngine
    services: Services
    transfers: TransferService
    signer: UrlSigner
    lock: DataDirectoryLock | None = None
    events: EventBroker = field(default_factory=EventBroker)
    app: Starlette = field(init=False)

    def reset(self) -> None:
        """Each backend clears itself, then the seed is re-created.

        The URL-signing key stays, so the emulator's identity survives a reset.
        """
        with self.metadata.view() as view:
            signing_key = view.get(SettingRecord, SIGNING_KEY_SETTING)
        self.metadata.reset(keep=[signing_key] if signing_key is not None else [])
        self.blobs.reset()
        self.engine.reset()
        self.services.time_series_exports.delete_files()
        apply_seed(self, self.config.seed)
        logger.info("emulator reset")

    def close(self) -> None:
        self.services.time_series_exports.close()
        self.services.iot_data.close()
        self.engine.close()
        self.metadata.close()
        if self.lock is not None:
            self.lock.release()


def _signing_key(metadata: MetadataStore) -> bytes:
    """Kept with the metadata, so URLs handed out before a restart stay valid."""
    with metadata.transaction() as tx:
        setting = tx.get(SettingRecord, SIGNING_KEY_SETTING)
        if setting is None:
            setting = SettingRecord(SIGNING_KEY_SETTING, secrets.token_hex(32))
            tx.put(setting)
    return bytes.fromhex(setting.value)


def _drop_orphan_blobs(transfers: TransferService, blobs: BlobStore) -> None:
    """Blobs of deleted files (a crash between commit and unlink), never-confirmed uploads, or
    result documents whose record never committed."""
    for key in blobs.keys():  # noqa: SIM118 (a BlobStore, not a dict)
        if not transfers.is_referenced(key):
            logger.info("dropping orphan blob %s", key)
            blobs.delete(key)


def _version() -> str:
    try:
        return package_metadata.version("avista-dx")
    except package_metadata.PackageNotFoundError:
        return "unknown"


def build_emulator(config: EmulatorConfig) -> Emulator:
    """Wires an emulator; with a data directory, holds that directory until ``close()``."""
    lock = None
    if config.data_dir is not None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        lock = DataDirectoryLock(config.data_dir)
        lock.acquire()  # before anything touches the directory (staging is cleared below)
    try:
        return _wire(config, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _wire(config: EmulatorConfig, lock: DataDirectoryLock | None) -> Emulator:
    # 1. Stores.
    metadata: MetadataStore
    blobs: BlobStore
    export_files: BlobStore
    if config.data_dir is None:
        metadata, blobs, export_files = MemoryMetadataStore(), MemoryBlobStore(), MemoryBlobStore()
        engine = TimestreamEngine(
            None,
            commit_delay=config.timeseries_commit_delay_seconds,
            limits=config.timeseries_query_limits,
            retention=config.timeseries_retention,
        )
    else:
        # The engine first: DuckDB's own file lock refuses before staging/ is cleared.
        engine = TimestreamEngine(
            config.data_dir / TIMESERIES_FILE,
            commit_delay=config.timeseries_commit_delay_seconds,
            limits=config.timeseries_query_limits,
            retention=config.timeseries_retention,
        )
        metadata = SqliteMetadataStore(config.data_dir / METADATA_FILE)
        blobs = DiskBlobStore(config.data_dir)  # drops leftover staged uploads
        export_files = DiskBlobStore(config.data_dir / EXPORTS_DIRECTORY)

    # 2. Services (the rules), over the stores.
    signer = UrlSigner(_signing_key(metadata), config.presigned_url_ttl_seconds)
    events = EventBroker()  # committed mutations → real-time subscribers
    users = UserService(metadata)
    time_series = TimeSeriesService(metadata, engine, events)
    capture_data = CaptureDataStore(engine)
    capture_files = CaptureFiles(metadata, blobs, capture_data, signer)
    telemetry = TelemetryStore(engine)
    iot_data = IotDataService(metadata, blobs, telemetry, signer, events)
    iot = IotService(metadata, telemetry)
    services = Services(
        users=users,
        organizations=OrganizationService(metadata),
        data_stores=DataStoreService(metadata, blobs, signer),
        time_series=time_series,
        collaboratives=CollaborativeService(metadata),
        collaborative_admin=CollaborativeAdminService(metadata),
        offboarding=OffboardingService(metadata, blobs, time_series, iot),
        notifications=NotificationService(metadata, events),
        zip_downloads=ZipDownloadService(metadata, blobs, signer),
        time_series_queries=TimeSeriesQueryService(metadata, engine),
        time_series_exports=TimeSeriesExportService(metadata, engine, export_files, signer, events),
        data_capture=DataCaptureService(metadata, capture_data, capture_files, events),
        capture_files=capture_files,
        iot=iot,
        iot_data=iot_data,
    )
    transfers = TransferService(metadata, blobs)
    transfers.add_download_source(capture_files.downloadable)
    transfers.add_download_source(iot_data.downloadable)
    transfers.add_upload_target(capture_files)
    _drop_orphan_blobs(transfers, blobs)
    services.data_capture.resume_completions()
    services.data_capture.drop_orphan_tables()
    iot_data.resume_exports()

    # 3. GraphQL: the packaged schema bound to the resolvers.
    schema = build_schema()
    executor = GraphQLExecutor(schema, services, users.authenticate, config.request_limits)

    # 4. HTTP routes.
    graphql = GraphQLEndpoint(
        executor,
        config.max_request_bytes,
        config.request_limits.max_json_depth,
        config.request_threads,
    )
    presigned = TransferEndpoints(signer, transfers)
    files = PresignedDownloadEndpoint(signer, data_store_files(transfers))
    zip_downloads = PresignedDownloadEndpoint(signer, zip_archives(services.zip_downloads))
    exports = PresignedDownloadEndpoint(signer, time_series_exports(services.time_series_exports))
    admin = AdminEndpoints(users, {"version": _version(), "inMemory": config.in_memory})
    realtime = RealtimeEndpoint(
        schema,
        executor.prepare,
        users.authenticate,
        events,
        RealtimeSettings(
            config.realtime_connection_timeout_ms,
            config.realtime_keep_alive_seconds,
            config.realtime_max_subscriptions_per_connection,
            config.realtime_max_connection_seconds,
        ),
    )
    emulator = Emulator(
        config, metadata, blobs, engine, services, transfers, signer, lock, events=events
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql.handle, methods=["POST"]),
            WebSocketRoute("/graphql", realtime.handle),  # AppSync real-time, same path
            Route(PRESIGNED_PATH + "/{file_id}", presigned.upload, methods=["PUT"]),
            Route(PRESIGNED_PATH + "/{key}", files.download, methods=["GET"]),
            Route(ZIP_PATH + "/{key}", zip_downloads.download, methods=["GET"]),
            Route(EXPORT_PATH + "/{key}", exports.download, methods=["GET"]),
            Route("/_emulator/health", admin.health, methods=["GET"]),
            Route("/_emulator/tokens", admin.issue_token, methods=["POST"]),
            Route("/_emulator/reset", admin.reset_route(emulator.reset), methods=["POST"]),
            *ConsoleEndpoints(config.seed).routes(),  # the browser console and GraphiQL
        ],
        exception_handlers={Exception: internal_failure},  # a bug: JSON 500, no traceback
    )
    emulator.app = app
    return emulator
