"""Persistence: the metadata and blob stores (interfaces, in-memory and on-disk
implementations) and the record types they hold (``models``)."""

from .blobs import BlobStore, DiskBlobStore, MemoryBlobStore, StagedBlob
from .metadata import (
    MemoryMetadataStore,
    MetadataStore,
    MetadataTransaction,
    MetadataView,
    SqliteMetadataStore,
)

__all__ = [
    "BlobStore",
    "DiskBlobStore",
    "MemoryBlobStore",
    "MemoryMetadataStore",
    "MetadataStore",
    "MetadataTransaction",
    "MetadataView",
    "SqliteMetadataStore",
    "StagedBlob",
]
