"""``storage_getDataStoreZipDownloadUrl``: a zip of data-store files and directories, served by
a presigned GET (``/_presigned/zip/<id>``) with the file GETs' signing, expiry and Range rules.

The archive's contents are fixed when the URL is issued (a ``ZipArchiveRecord`` holds the
manifest and the exact size); each GET streams it from the files' blobs in constant memory.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import _clock
from ..errors import InvalidRequestError
from ..ids import IdKind, new_id
from ..persistence import BlobStore, MetadataStore, MetadataView
from ..persistence.models import DirectoryRecord, FileRecord, ZipArchiveRecord
from . import views
from .access import Access, Caller
from .data_stores import _require_directory, _require_file
from .transfers import PRESIGNED_PATH, TransferDeniedError, UrlSigner
from .zip_archive import (
    DateTime,
    ZipEntry,
    archive_chunks,
    archive_size,
    byte_range,
    zip_date_time,
)

logger = logging.getLogger(__name__)

ZIP_PATH = PRESIGNED_PATH + "/zip"
ZIP_CONTENT_TYPE = "application/zip"
MAX_ARCHIVE_ENTRIES = 100_000  # bounds the manifest kept per URL


def file_name(record: FileRecord) -> str:
    """The file's name as the exchange shows it: ``name`` + ``.`` + ``fileExtension``."""
    return f"{record.name}.{record.file_extension}" if record.file_extension else record.name


def _numbered(record: FileRecord, number: int) -> str:
    stem = f"{record.name} ({number})"
    return f"{stem}.{record.file_extension}" if record.file_extension else stem


class _Level:
    """The names taken at one level of the archive (a directory, or the archive's root)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim_directory(self, name: str) -> str:
        return self._claim(name, lambda number: f"{name} ({number})")

    def claim_file(self, record: FileRecord) -> str:
        return self._claim(file_name(record), lambda number: _numbered(record, number))

    def _claim(self, name: str, numbered: Callable[[int], str]) -> str:
        candidate, number = name, 1
        while candidate in self._taken:
            number += 1
            candidate = numbered(number)
        self._taken.add(candidate)
        return candidate


@dataclass(frozen=True, slots=True)
class OpenArchive:
    record: ZipArchiveRecord
    entries: list[ZipEntry]

    @property
    def size(self) -> int:
        return self.record.archive_bytes


class ZipDownloadService:
    def __init__(self, metadata: MetadataStore, blobs: BlobStore, signer: UrlSigner) -> None:
        self._metadata = metadata
        self._blobs = blobs
        self._signer = signer

    def zip_download_url(self, caller: Caller, base_url: str, objects: object) -> views.View:
        """A presigned GET URL for a zip of the given files and directories (READ access to
        each); ``itemId`` is the archive's id.

        Each directory becomes a folder holding its whole tree (empty folders included); each
        file sits at the archive's root. Names are the exchange's (``name.fileExtension``);
        where two members of one folder would share a name (files may share names; a file may
        be named like a folder), folders keep theirs and the later file, in creation order,
        becomes ``name (2).ext``, ``name (3).ext``…. An object listed twice is zipped once.

        Deviations (inferred semantics): the contents are those at the time of the request
        (later changes do not show; a file deleted since makes the GET answer 404
        ``NoSuchKey``); files whose upload never completed are left out of folders, and asking
        for one directly is a ``BadRequestException``; entry times are the files'
        ``lastModified`` (folders: the request's time); the archive is stored, not compressed;
        at most 100,000 entries.
        """
        requested = _requested_objects(objects)
        now = _clock.utc_now()
        with self._metadata.view() as view:
            entries = _plan(view, caller, requested, zip_date_time(now))
        size = archive_size(entries)  # outside the lock: it runs the zip writer once
        record = ZipArchiveRecord(
            zip_archive_id=new_id(IdKind.ZIP_ARCHIVE),
            requested_by_user_id=caller.user_id,
            created=_clock.iso(now),
            expires=self._signer.expiry(),
            archive_bytes=size,
            manifest=json.dumps([entry.to_json() for entry in entries], separators=(",", ":")),
        )
        with self._metadata.transaction() as tx:
            for stale in tx.find(ZipArchiveRecord):
                if stale.expires < time.time():
                    tx.delete(ZipArchiveRecord, stale.key)
            tx.put(record)
        url = self._signer.url(base_url, "GET", record.zip_archive_id, path=ZIP_PATH)
        return {"url": url, "uploadId": None, "itemId": record.zip_archive_id}

    def open_archive(self, zip_archive_id: str) -> OpenArchive:
        """The archive behind a verified URL; 404 ``NoSuchKey`` when it or a member is gone."""
        with self._metadata.view() as view:
            record = view.get(ZipArchiveRecord, zip_archive_id)
        if record is None:
            raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        entries = [ZipEntry.from_json(item) for item in json.loads(record.manifest)]
        for entry in entries:
            if entry.blob_key is not None and self._blobs.size(entry.blob_key) != entry.size:
                raise TransferDeniedError(404, "NoSuchKey", "The specified key does not exist.")
        return OpenArchive(record, entries)

    def read(self, archive: OpenArchive, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``[start, end)`` of the archive, generated as they are sent."""
        chunks = archive_chunks(archive.entries, self._blobs.read)
        try:
            yield from byte_range(chunks, start, end)
        finally:
            chunks.close()


def _requested_objects(objects: object) -> list[tuple[str, str]]:
    """``[(objectType, id)]`` from ``[DataStoreObjectIdInput]``, duplicates dropped."""
    if not isinstance(objects, list) or not objects:
        raise InvalidRequestError("dataStoreObjectIds must list at least one object")
    requested: dict[tuple[str, str], None] = {}
    for index, item in enumerate(objects):
        if not isinstance(item, dict):
            raise InvalidRequestError(f"dataStoreObjectIds[{index}] must not be null")
        object_type = item.get("objectType")
        field = "dataStoreDirectoryId" if object_type == "DIRECTORY" else "dataStoreFileId"
        other = "dataStoreFileId" if object_type == "DIRECTORY" else "dataStoreDirectoryId"
        if object_type not in ("DIRECTORY", "FILE"):
            raise InvalidRequestError(f"dataStoreObjectIds[{index}].objectType is not valid")
        object_id = item.get(field)
        if not isinstance(object_id, str) or not object_id:
            raise InvalidRequestError(
                f"dataStoreObjectIds[{index}] is a {object_type} and needs {field}"
            )
        if item.get(other) is not None:
            raise InvalidRequestError(
                f"dataStoreObjectIds[{index}] is a {object_type}: {other} must not be set"
            )
        requested[(object_type, object_id)] = None
    return list(requested)


def _plan(
    view: MetadataView, caller: Caller, requested: list[tuple[str, str]], folder_time: DateTime
) -> list[ZipEntry]:
    """The archive's entries, in order, after checking READ access to every object."""
    entries: list[ZipEntry] = []
    root = _Level()
    for object_type, object_id in requested:
        if object_type == "FILE":
            record = _require_file(view, caller, object_id, Access.READ)
            if not record.s3_confirmed_upload:
                raise InvalidRequestError(f"file {object_id} has no uploaded bytes")
            entries.append(_file_entry(root.claim_file(record), record))
        else:
            directory = _require_directory(view, caller, object_id, Access.READ)
            _add_tree(view, directory, root.claim_directory(directory.name), folder_time, entries)
        if len(entries) > MAX_ARCHIVE_ENTRIES:
            raise InvalidRequestError(f"a zip download holds at most {MAX_ARCHIVE_ENTRIES} entries")
    return entries


def _file_entry(path: str, record: FileRecord) -> ZipEntry:
    assert record.storage_size_bytes is not None
    modified = zip_date_time(_clock.parse_iso(record.last_modified))
    return ZipEntry(path, record.data_store_file_id, record.storage_size_bytes, modified)


def _add_tree(
    view: MetadataView,
    top: DirectoryRecord,
    top_path: str,
    folder_time: DateTime,
    entries: list[ZipEntry],
) -> None:
    """The folder and everything below it, depth first: each folder, its files, then its
    sub-folders (each in creation order)."""
    pending = [(top, f"{top_path}/")]
    while pending:
        directory, path = pending.pop()
        entries.append(ZipEntry(path, None, 0, folder_time))
        if len(entries) > MAX_ARCHIVE_ENTRIES:
            raise InvalidRequestError(f"a zip download holds at most {MAX_ARCHIVE_ENTRIES} entries")
        level = _Level()
        key = directory.data_store_directory_id
        children = view.find(DirectoryRecord, parent_directory_id=key)
        child_paths = [(child, f"{path}{level.claim_directory(child.name)}/") for child in children]
        for record in view.find(FileRecord, data_store_directory_id=key):
            if record.s3_confirmed_upload:
                entries.append(_file_entry(path + level.claim_file(record), record))
        pending.extend(reversed(child_paths))
