"""The emulator's storage interfaces and their in-memory and on-disk implementations."""

from .blobs import BlobStore, DiskBlobStore, MemoryBlobStore, StagedBlob
from .metadata import MemoryMetadataStore, MetadataStore, MetadataView, SqliteMetadataStore

__all__ = [
    "BlobStore",
    "DiskBlobStore",
    "MemoryBlobStore",
    "MemoryMetadataStore",
    "MetadataStore",
    "MetadataView",
    "SqliteMetadataStore",
    "StagedBlob",
]
