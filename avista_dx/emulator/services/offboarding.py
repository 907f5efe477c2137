"""Before a user leaves: deleting what they own, or handing it over to another user
(``platformAdmin_deleteUsers*`` and ``platformAdmin_migrateUsers*Ownership``).

The one place that changes several services at once: data stores (with their files' bytes),
time-series databases (with their tables) and collaborative memberships. Every method requires
the PLATFORM_ADMIN role (otherwise ``Unauthorized``).
"""

from __future__ import annotations

import dataclasses

from ..data_capture.ownership import hand_over_capture, remove_capture
from ..data_capture.records import CaptureRecord
from ..errors import InvalidRequestError
from ..iot.offboarding import migrate_users_iot, remove_users_iot
from ..iot.service import IotService
from ..persistence import BlobStore, MetadataStore, MetadataView
from ..persistence.models import (
    CollaborativeRecord,
    DataStoreRecord,
    MemberUserRecord,
    TimeSeriesDbRecord,
    UserRecord,
)
from . import views
from .access import Caller, require_record
from .data_stores import remove_data_store
from .time_series import TimeSeriesService, remove_database


def _migration_users(
    view: MetadataView, current_owner_user_id: object, transfer_to_user_id: object
) -> tuple[UserRecord, UserRecord]:
    """The two distinct users of a migrateUsers* call: from whom, to whom."""
    source = require_record(view, UserRecord, current_owner_user_id, "currentOwnerUserId")
    target = require_record(view, UserRecord, transfer_to_user_id, "transferToUserId")
    if source.user_id == target.user_id:
        raise InvalidRequestError("currentOwnerUserId and transferToUserId are the same user")
    return source, target


class OffboardingService:
    def __init__(
        self,
        metadata: MetadataStore,
        blobs: BlobStore,
        time_series: TimeSeriesService,
        iot: IotService,
    ) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._time_series = time_series
        self._iot = iot

    def delete_users_collaboratives(self, caller: Caller, user_id: object) -> list[views.View]:
        """Removes the user from every collaborative; returns those collaboratives.

        Deviation (inferred semantics): the collaboratives themselves are kept.
        """
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            user = require_record(tx, UserRecord, user_id, "userId")
            result = []
            for member in tx.find(MemberUserRecord, user_id=user.user_id):
                tx.delete(MemberUserRecord, member.key)
                collaborative = tx.get(CollaborativeRecord, member.collaborative_id)
                if collaborative is not None:
                    result.append(views.collaborative(tx, collaborative))
            return result

    def delete_users_services(self, caller: Caller, user_id: object) -> list[views.View]:
        """Deletes every data store (with its files' bytes), database, data capture (its
        table is dropped at the next start or reset) and IoT hub (with its endpoints' telemetry
        and its groups) and model the user owns."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            user = require_record(tx, UserRecord, user_id, "userId")
            services, files, databases = [], [], []
            capture_blobs: list[str] = []
            for store in tx.find(DataStoreRecord, owner_user_id=user.user_id):
                services.append(views.service(tx, store))
                files.extend(remove_data_store(tx, store))
            for database in tx.find(TimeSeriesDbRecord, owner_user_id=user.user_id):
                services.append(views.service(tx, database))
                remove_database(tx, database)
                databases.append(database)
            for capture in tx.find(CaptureRecord, owner_user_id=user.user_id):
                services.append(views.service(tx, capture))
                capture_blobs.extend(remove_capture(tx, capture))
            groups, endpoints, result_blobs = remove_users_iot(tx, user.user_id)
            services.extend(groups)
        for key in [record.key for record in files] + capture_blobs + result_blobs:
            self._blobs.delete(key)
        for database in databases:
            self._time_series.drop_table_of(database)
        self._iot.drop_telemetry_of(endpoints)
        return services

    def migrate_users_collaboratives(
        self, caller: Caller, current_owner_user_id: object, transfer_to_user_id: object
    ) -> list[views.View]:
        """Moves the user's collaborative memberships (with their permissions) to another user."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            source, target = _migration_users(tx, current_owner_user_id, transfer_to_user_id)
            result = []
            for member in tx.find(MemberUserRecord, user_id=source.user_id):
                tx.delete(MemberUserRecord, member.key)
                moved = MemberUserRecord(member.collaborative_id, target.user_id, member.permission)
                if tx.get(MemberUserRecord, moved.key) is None:
                    tx.put(moved)
                collaborative = tx.get(CollaborativeRecord, member.collaborative_id)
                if collaborative is not None:
                    result.append(views.collaborative(tx, collaborative))
            return result

    def migrate_users_services(
        self, caller: Caller, current_owner_user_id: object, transfer_to_user_id: object
    ) -> list[views.View]:
        """Makes another user the owner of every data store, database, data capture (with its
        token) and IoT object the user owns (an endpoint's token then acts for the new owner)."""
        caller.require_platform_admin()
        with self._metadata.transaction() as tx:
            source, target = _migration_users(tx, current_owner_user_id, transfer_to_user_id)
            services = []
            for store in tx.find(DataStoreRecord, owner_user_id=source.user_id):
                store = dataclasses.replace(store, owner_user_id=target.user_id)
                tx.put(store)
                services.append(views.service(tx, store))
            for database in tx.find(TimeSeriesDbRecord, owner_user_id=source.user_id):
                database = dataclasses.replace(database, owner_user_id=target.user_id)
                tx.put(database)
                services.append(views.service(tx, database))
            for capture in tx.find(CaptureRecord, owner_user_id=source.user_id):
                services.append(views.service(tx, hand_over_capture(tx, capture, target.user_id)))
            services.extend(migrate_users_iot(tx, source.user_id, target.user_id))
            return services
