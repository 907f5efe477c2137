"""Data stores, their directory trees and files.

Access: the owner and READ_WRITE members write (directories, files); READ_ONLY members read;
only the owner updates or deletes the store itself. Unknown ids and denials both answer
``Unauthorized``.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from .. import _clock
from ..errors import InvalidRequestError, UnauthorizedError
from ..ids import IdKind, new_id
from ..persistence import BlobStore, MetadataStore, MetadataTransaction, MetadataView
from ..persistence.models import (
    DataStoreRecord,
    DirectoryRecord,
    FileRecord,
    UserRecord,
)
from . import validation, views
from .access import Access, Caller, delete_shares, service_access
from .transfers import UrlSigner
from .validation import UNSET

logger = logging.getLogger(__name__)

HOME_DIRECTORY_NAME = "Home"


def _store_access(view: MetadataView, caller: Caller, store: DataStoreRecord) -> Access:
    return service_access(view, caller.user, store.data_store_id, store.owner_user_id)


def _require_store(
    view: MetadataView, caller: Caller, data_store_id: object, needed: Access
) -> DataStoreRecord:
    key = validation.identifier(data_store_id, "dataStoreId")
    store = view.get(DataStoreRecord, key)
    if store is None or _store_access(view, caller, store) < needed:
        raise UnauthorizedError()
    return store


def _require_directory(
    view: MetadataView, caller: Caller, directory_id: object, needed: Access
) -> DirectoryRecord:
    key = validation.identifier(directory_id, "dataStoreDirectoryId")
    directory = view.get(DirectoryRecord, key)
    if directory is None:
        raise UnauthorizedError()
    _require_store(view, caller, directory.data_store_id, needed)
    return directory


def _require_file(
    view: MetadataView, caller: Caller, file_id: object, needed: Access
) -> FileRecord:
    key = validation.identifier(file_id, "dataStoreFileId")
    record = view.get(FileRecord, key)
    if record is None:
        raise UnauthorizedError()
    _require_store(view, caller, record.data_store_id, needed)
    return record


def remove_data_store(tx: MetadataTransaction, store: DataStoreRecord) -> list[FileRecord]:
    """Deletes the store, its whole tree and its shares in ``tx``; returns its files, whose
    bytes are deleted only after the commit (a crash then leaves unreferenced blobs, never
    records without bytes)."""
    files = tx.find(FileRecord, data_store_id=store.data_store_id)
    for record in files:
        tx.delete(FileRecord, record.key)
    for directory in tx.find(DirectoryRecord, data_store_id=store.data_store_id):
        tx.delete(DirectoryRecord, directory.key)
    delete_shares(tx, store.data_store_id)
    tx.delete(DataStoreRecord, store.key)
    return files


def _check_sibling_name(
    view: MetadataView, parent_id: str, name: str, moving_id: str | None = None
) -> None:
    """Directory names are unique among siblings, so paths (``a/b``) stay unambiguous."""
    for sibling in view.find(DirectoryRecord, parent_directory_id=parent_id, name=name):
        if sibling.data_store_directory_id != moving_id:
            raise InvalidRequestError(f"a directory named {name!r} already exists there")


class DataStoreService:
    def __init__(self, metadata: MetadataStore, blobs: BlobStore, signer: UrlSigner) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._signer = signer

    # --- data stores -------------------------------------------------------------------------

    def list_data_stores(
        self, caller: Caller, organization_id: object = None, user_id: object = None
    ) -> list[views.View]:
        """Without arguments, the stores the caller owns.

        Deviation (inferred semantics): with ``userId`` or ``organizationId``, the stores owned
        by that user, or by the users of that organization, that the caller can read.
        """
        with self._metadata.view() as view:
            if user_id is None and organization_id is None:
                owners = [caller.user_id]
            else:
                owners = []
                if user_id is not None:
                    owners.append(validation.identifier(user_id, "userId"))
                if organization_id is not None:
                    org_key = validation.identifier(organization_id, "organizationId")
                    users = view.find(UserRecord, organization_id=org_key)
                    org_users = {u.user_id for u in users}
                    owners = [o for o in owners if o in org_users] if user_id else sorted(org_users)
            result = []
            for owner in owners:
                for store in view.find(DataStoreRecord, owner_user_id=owner):
                    if _store_access(view, caller, store) >= Access.READ:
                        result.append(views.data_store(store))
            return result

    def get_data_store(self, caller: Caller, data_store_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.data_store(_require_store(view, caller, data_store_id, Access.READ))

    def create_data_store(
        self, caller: Caller, name: object, description: object = None
    ) -> views.View:
        """A new store owned by the caller, with its home directory.

        Deviation: the home directory's name (``Home``) is the emulator's choice.
        """
        store_name = validation.name(name, "name")
        store_description = validation.description(description)
        store_id = new_id(IdKind.DATA_STORE)
        home = DirectoryRecord(
            data_store_directory_id=new_id(IdKind.DIRECTORY),
            data_store_id=store_id,
            name=HOME_DIRECTORY_NAME,
            owner_user_id=caller.user_id,
        )
        store = DataStoreRecord(
            data_store_id=store_id,
            name=store_name,
            owner_user_id=caller.user_id,
            home_directory_id=home.data_store_directory_id,
            description=store_description,
        )
        with self._metadata.transaction() as tx:
            tx.put(store)
            tx.put(home)
        return views.data_store(store)

    def update_data_store(
        self, caller: Caller, data_store_id: object, name: Any = UNSET, description: Any = UNSET
    ) -> views.View:
        """Owner only. An explicit ``null`` description clears it; ``name`` cannot be null."""
        changes = validation.name_and_description_changes(name, description)
        with self._metadata.transaction() as tx:
            store = _require_store(tx, caller, data_store_id, Access.OWNER)
            store = dataclasses.replace(store, **changes)
            tx.put(store)
        return views.data_store(store)

    def delete_data_store(self, caller: Caller, data_store_id: object) -> views.View:
        """Owner only: the store, its whole tree, its files' bytes and its shares go."""
        with self._metadata.transaction() as tx:
            store = _require_store(tx, caller, data_store_id, Access.OWNER)
            files = remove_data_store(tx, store)
        for record in files:
            self._blobs.delete(record.data_store_file_id)
        return views.data_store(store)

    # --- directories -------------------------------------------------------------------------

    def get_directory(self, caller: Caller, directory_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.directory(_require_directory(view, caller, directory_id, Access.READ))

    def directory_contents(self, caller: Caller, directory_id: str) -> list[views.View]:
        """Immediate children: directories first, then files, each in creation order."""
        with self._metadata.view() as view:
            _require_directory(view, caller, directory_id, Access.READ)
            directories = view.find(DirectoryRecord, parent_directory_id=directory_id)
            files = view.find(FileRecord, data_store_directory_id=directory_id)
        return [
            {
                "objectType": "DIRECTORY",
                "dataStoreDirectory": views.directory(d),
                "dataStoreFile": None,
            }
            for d in directories
        ] + [
            {"objectType": "FILE", "dataStoreFile": views.file(f), "dataStoreDirectory": None}
            for f in files
        ]

    def create_directory(
        self, caller: Caller, data_store_id: object, parent_directory_id: object, name: object
    ) -> views.View:
        """A sub-directory; owner and READ_WRITE members.

        Deviation: sibling directory names must be unique (so paths stay unambiguous); files
        may share names, as on the service, where their ids tell them apart.
        """
        directory_name = validation.name(name, "name")
        parent_key = validation.identifier(parent_directory_id, "parentDirectoryId")
        with self._metadata.transaction() as tx:
            store = _require_store(tx, caller, data_store_id, Access.WRITE)
            parent = tx.get(DirectoryRecord, parent_key)
            if parent is None or parent.data_store_id != store.data_store_id:
                raise InvalidRequestError(
                    f"{parent_key} is not a directory of data store {store.data_store_id}"
                )
            _check_sibling_name(tx, parent_key, directory_name)
            directory = DirectoryRecord(
                data_store_directory_id=new_id(IdKind.DIRECTORY),
                data_store_id=store.data_store_id,
                name=directory_name,
                owner_user_id=caller.user_id,
                parent_directory_id=parent_key,
            )
            tx.put(directory)
        return views.directory(directory)

    def update_directory(
        self,
        caller: Caller,
        directory_id: object,
        name: Any = UNSET,
        parent_directory_id: Any = UNSET,
    ) -> views.View:
        """Rename and/or move within the same store; never the home directory, never into itself."""
        with self._metadata.transaction() as tx:
            directory = _require_directory(tx, caller, directory_id, Access.WRITE)
            changes: dict[str, Any] = {}
            if name is not UNSET:
                changes["name"] = validation.name(name, "name")
            if parent_directory_id is not UNSET and parent_directory_id is not None:
                parent_key = validation.identifier(parent_directory_id, "parentDirectoryId")
                changes["parent_directory_id"] = self._checked_new_parent(tx, directory, parent_key)
            if not changes:
                return views.directory(directory)
            if directory.is_home:
                raise InvalidRequestError("the home directory cannot be renamed or moved")
            updated = dataclasses.replace(directory, **changes)
            assert updated.parent_directory_id is not None
            _check_sibling_name(
                tx, updated.parent_directory_id, updated.name, updated.data_store_directory_id
            )
            tx.put(updated)
        return views.directory(updated)

    @staticmethod
    def _checked_new_parent(view: MetadataView, directory: DirectoryRecord, parent_key: str) -> str:
        parent = view.get(DirectoryRecord, parent_key)
        if parent is None or parent.data_store_id != directory.data_store_id:
            raise InvalidRequestError(
                f"{parent_key} is not a directory of data store {directory.data_store_id}"
            )
        ancestor: DirectoryRecord | None = parent
        while ancestor is not None:
            if ancestor.data_store_directory_id == directory.data_store_directory_id:
                raise InvalidRequestError(
                    "a directory cannot be moved into itself or its subdirectories"
                )
            ancestor = (
                None
                if ancestor.parent_directory_id is None
                else view.get(DirectoryRecord, ancestor.parent_directory_id)
            )
        return parent_key

    def delete_directory(self, caller: Caller, directory_id: object) -> views.View:
        """Only an empty, non-home directory can be deleted."""
        with self._metadata.transaction() as tx:
            directory = _require_directory(tx, caller, directory_id, Access.WRITE)
            if directory.is_home:
                raise InvalidRequestError("the home directory cannot be deleted")
            key = directory.data_store_directory_id
            has_directories = bool(tx.find(DirectoryRecord, parent_directory_id=key))
            if has_directories or tx.find(FileRecord, data_store_directory_id=key):
                raise InvalidRequestError("the directory is not empty")
            tx.delete(DirectoryRecord, key)
        return views.directory(directory)

    # --- files -------------------------------------------------------------------------------

    def get_file(self, caller: Caller, file_id: object) -> views.View:
        with self._metadata.view() as view:
            return views.file(_require_file(view, caller, file_id, Access.READ))

    def create_file(
        self,
        caller: Caller,
        base_url: str,
        data_store_id: object,
        data_store_directory_id: object,
        name: object,
        file_extension: object,
        description: object = None,
    ) -> views.View:
        """Registers the file (unconfirmed, no bytes) and returns a single-use presigned PUT URL.

        Deviation: S3 accepts a presigned PUT URL repeatedly until it expires; here it completes
        exactly one upload (later uses answer 403), since no mutation re-opens a file's bytes.
        """
        file_name = validation.name(name, "name", allow_empty=True)
        extension = validation.name(file_extension, "fileExtension", allow_empty=True)
        if not file_name and not extension:
            raise InvalidRequestError("name and fileExtension must not both be empty")
        file_description = validation.description(description)
        directory_key = validation.identifier(data_store_directory_id, "dataStoreDirectoryId")
        with self._metadata.transaction() as tx:
            store = _require_store(tx, caller, data_store_id, Access.WRITE)
            directory = tx.get(DirectoryRecord, directory_key)
            if directory is None or directory.data_store_id != store.data_store_id:
                raise InvalidRequestError(
                    f"{directory_key} is not a directory of data store {store.data_store_id}"
                )
            upload_id = new_id(IdKind.UPLOAD)
            record = FileRecord(
                data_store_file_id=new_id(IdKind.FILE),
                data_store_id=store.data_store_id,
                data_store_directory_id=directory_key,
                name=file_name,
                file_extension=extension,
                owner_user_id=caller.user_id,
                last_modified=_clock.now_iso(),
                description=file_description,
                pending_upload_id=upload_id,
                upload_id=upload_id,
            )
            tx.put(record)
        url = self._signer.url(base_url, "PUT", record.data_store_file_id, upload_id)
        return {"url": url, "uploadId": upload_id, "itemId": record.data_store_file_id}

    def update_file(
        self,
        caller: Caller,
        file_id: object,
        name: Any = UNSET,
        description: Any = UNSET,
        data_store_directory_id: Any = UNSET,
    ) -> views.View:
        """Rename, describe and/or move to another directory of the same store."""
        with self._metadata.transaction() as tx:
            record = _require_file(tx, caller, file_id, Access.WRITE)
            changes: dict[str, Any] = {}
            if name is not UNSET:
                changes["name"] = validation.name(name, "name", allow_empty=True)
                if not changes["name"] and not record.file_extension:
                    raise InvalidRequestError("name and fileExtension must not both be empty")
            if description is not UNSET:
                changes["description"] = validation.description(description)
            if data_store_directory_id is not UNSET and data_store_directory_id is not None:
                key = validation.identifier(data_store_directory_id, "dataStoreDirectoryId")
                target = tx.get(DirectoryRecord, key)
                if target is None or target.data_store_id != record.data_store_id:
                    raise InvalidRequestError(
                        f"{key} is not a directory of data store {record.data_store_id}"
                    )
                changes["data_store_directory_id"] = key
            if changes:
                record = dataclasses.replace(record, last_modified=_clock.now_iso(), **changes)
                tx.put(record)
        return views.file(record)

    def delete_file(self, caller: Caller, file_id: object) -> views.View:
        """Removes the record, then the bytes; also cancels an upload in flight."""
        with self._metadata.transaction() as tx:
            record = _require_file(tx, caller, file_id, Access.WRITE)
            tx.delete(FileRecord, record.data_store_file_id)
        self._blobs.delete(record.data_store_file_id)
        return views.file(record)

    def download_url(self, caller: Caller, base_url: str, file_id: object) -> views.View:
        """A presigned GET URL (reusable until it expires, as on S3).

        Deviation: for a file whose upload is unconfirmed the URL is issued, and GET answers
        404 NoSuchKey, as S3 would for a missing object.
        """
        with self._metadata.view() as view:
            record = _require_file(view, caller, file_id, Access.READ)
        url = self._signer.url(base_url, "GET", record.data_store_file_id)
        return {"url": url, "uploadId": None, "itemId": record.data_store_file_id}
