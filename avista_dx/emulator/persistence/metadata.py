"""Metadata stores: records by kind and key, with atomic multi-record transactions.

Two implementations keep the same contract (``tests/emulator/test_storage_contract.py``):
``SqliteMetadataStore`` (a file in WAL mode, or ``:memory:``) and ``MemoryMetadataStore`` (dicts).
A transaction either commits every write or none; a view is read-only, and typed so
(``MetadataView`` has no ``put``/``delete``: mypy rejects a write through a view).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from .models import ALL_RECORD_TYPES, Record

R = TypeVar("R", bound=Record)


def _to_row(record: Record) -> dict[str, Any]:
    return dataclasses.asdict(record)


def _from_row(cls: type[R], row: dict[str, Any]) -> R:
    # JSON has no tuples: tuple fields come back as lists.
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})


class MetadataView(ABC):
    """Reads records. What ``MetadataStore.view()`` gives: it has no way to write."""

    @abstractmethod
    def get(self, cls: type[R], key: str) -> R | None: ...

    @abstractmethod
    def find(self, cls: type[R], **equals: Any) -> list[R]:
        """Records whose fields equal ``equals``, in insertion order."""


class MetadataTransaction(MetadataView):
    """Reads and writes records; what ``MetadataStore.transaction()`` gives."""

    @abstractmethod
    def put(self, record: Record) -> None:
        """Insert, or replace the record with the same key (keeping its position)."""

    @abstractmethod
    def delete(self, cls: type[Record], key: str) -> bool:
        """Remove a record; False when there was none."""


class MetadataStore(ABC):
    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[MetadataTransaction]:
        """Serialised read-write access; commits on normal exit, rolls back on an exception."""

    @abstractmethod
    @contextmanager
    def view(self) -> Iterator[MetadataView]:
        """Read-only access to a consistent state."""

    def reset(self, keep: Iterable[Record] = ()) -> None:
        """Deletes every record, then puts ``keep`` back, in one transaction."""
        kept = list(keep)
        with self.transaction() as tx:
            for cls in ALL_RECORD_TYPES:
                for record in tx.find(cls):
                    tx.delete(cls, record.key)
            for record in kept:
                tx.put(record)

    @abstractmethod
    def close(self) -> None: ...


class _ReadOnly(MetadataView):
    """Typed as a view (no ``put``); refuses writes at run time too, for untyped callers."""

    def __init__(self, inner: MetadataView) -> None:
        self._inner = inner

    def get(self, cls: type[R], key: str) -> R | None:
        return self._inner.get(cls, key)

    def find(self, cls: type[R], **equals: Any) -> list[R]:
        return self._inner.find(cls, **equals)

    def put(self, record: Record) -> None:
        raise RuntimeError("write outside a transaction")

    def delete(self, cls: type[Record], key: str) -> bool:
        raise RuntimeError("write outside a transaction")


class _SqliteTransaction(MetadataTransaction):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def get(self, cls: type[R], key: str) -> R | None:
        row = self._db.execute(f"SELECT body FROM {cls.KIND} WHERE key = ?", (key,)).fetchone()
        return None if row is None else _from_row(cls, json.loads(row[0]))

    def find(self, cls: type[R], **equals: Any) -> list[R]:
        clauses, params = [], []
        for name, value in equals.items():
            if name not in cls.__dataclass_fields__:
                raise AttributeError(f"{cls.__name__} has no field {name!r}")
            clauses.append(f"json_extract(body, '$.{name}') IS ?")
            params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(f"SELECT body FROM {cls.KIND}{where} ORDER BY rowid", params)
        return [_from_row(cls, json.loads(body)) for (body,) in rows]

    def put(self, record: Record) -> None:
        self._db.execute(
            f"INSERT INTO {record.KIND} (key, body) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET body = excluded.body",
            (record.key, json.dumps(_to_row(record), separators=(",", ":"))),
        )

    def delete(self, cls: type[Record], key: str) -> bool:
        return self._db.execute(f"DELETE FROM {cls.KIND} WHERE key = ?", (key,)).rowcount > 0


# Committed reads kept by SqliteMetadataStore (records are small; past this, start over).
_MAX_CACHED_READS = 4096


class _CachedReads(_ReadOnly):
    """A view reading through the store's cache of committed reads: most requests read the
    same few records (the caller's token and user, the object asked for), and a record decoded
    once is shared, as MemoryMetadataStore shares its records (they are frozen)."""

    def __init__(self, inner: MetadataView, cache: dict[tuple[Any, ...], Any]) -> None:
        super().__init__(inner)
        self._cache = cache

    def get(self, cls: type[R], key: str) -> R | None:
        entry = (cls, key)
        try:
            found: R | None = self._cache[entry]
        except KeyError:
            found = self._cache[entry] = self._inner.get(cls, key)
        return found

    def find(self, cls: type[R], **equals: Any) -> list[R]:
        entry = (cls, *equals.items())
        try:
            found: tuple[R, ...] = self._cache[entry]
        except KeyError:
            found = self._cache[entry] = tuple(self._inner.find(cls, **equals))
        except TypeError:  # an unhashable value: not cached
            return self._inner.find(cls, **equals)
        return list(found)


class SqliteMetadataStore(MetadataStore):
    """SQLite in WAL mode; one connection shared by request threads behind a lock.

    Views read through a cache of committed reads, emptied whenever a transaction ends (this
    process alone writes the file: the data directory is locked). ``path=None`` keeps the
    database in memory (tests).
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self._lock = threading.RLock()
        self._reads: dict[tuple[Any, ...], Any] = {}
        self._open_transactions = 0  # a view inside one sees its uncommitted writes: uncached
        self._db = sqlite3.connect(
            ":memory:" if path is None else os.fspath(path),
            isolation_level=None,  # explicit BEGIN/COMMIT below
            check_same_thread=False,
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: a COMMIT that returned is on disk, so an acknowledged mutation survives a crash.
            self._db.execute("PRAGMA synchronous=FULL")
        self._create_tables()

    def _create_tables(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            for cls in ALL_RECORD_TYPES:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {cls.KIND} "
                    "(key TEXT PRIMARY KEY, body TEXT NOT NULL)"
                )
                for name in cls.INDEXED:
                    self._db.execute(
                        f"CREATE INDEX IF NOT EXISTS {cls.KIND}_{name} "
                        f"ON {cls.KIND} (json_extract(body, '$.{name}'))"
                    )
            self._db.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[MetadataTransaction]:
        with self._lock:
            self._open_transactions += 1
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield _SqliteTransaction(self._db)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                self._open_transactions -= 1
                self._reads.clear()

    @contextmanager
    def view(self) -> Iterator[MetadataView]:
        with self._lock:
            if self._open_transactions:
                yield _ReadOnly(_SqliteTransaction(self._db))
                return
            if len(self._reads) >= _MAX_CACHED_READS:
                self._reads.clear()
            yield _CachedReads(_SqliteTransaction(self._db), self._reads)

    def close(self) -> None:
        with self._lock:
            self._db.close()


_Table = dict[str, tuple[int, Record]]  # key -> (insertion sequence, record)


class _MemoryTransaction(MetadataTransaction):
    def __init__(self, store: MemoryMetadataStore, undo: list[tuple[str, str, Any]]) -> None:
        self._store = store
        self._undo = undo

    def get(self, cls: type[R], key: str) -> R | None:
        entry = self._store.tables[cls.KIND].get(key)
        return entry[1] if entry is not None and isinstance(entry[1], cls) else None

    def find(self, cls: type[R], **equals: Any) -> list[R]:
        for name in equals:
            if name not in cls.__dataclass_fields__:
                raise AttributeError(f"{cls.__name__} has no field {name!r}")
        return [
            record
            for _, record in self._store.tables[cls.KIND].values()
            if isinstance(record, cls)
            and all(getattr(record, name) == value for name, value in equals.items())
        ]

    def put(self, record: Record) -> None:
        table = self._store.tables[record.KIND]
        previous = table.get(record.key)
        self._undo.append((record.KIND, record.key, previous))
        sequence = previous[0] if previous is not None else self._store.next_sequence()
        table[record.key] = (sequence, record)

    def delete(self, cls: type[Record], key: str) -> bool:
        table = self._store.tables[cls.KIND]
        if key not in table:
            return False
        self._undo.append((cls.KIND, key, table.pop(key)))
        return True


class MemoryMetadataStore(MetadataStore):
    """Dicts of frozen records; a transaction keeps an undo log to roll back."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sequence = 0
        self.tables: dict[str, _Table] = {cls.KIND: {} for cls in ALL_RECORD_TYPES}

    def next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence

    @contextmanager
    def transaction(self) -> Iterator[MetadataTransaction]:
        with self._lock:
            undo: list[tuple[str, str, Any]] = []
            try:
                yield _MemoryTransaction(self, undo)
            except BaseException:
                touched = set()
                for kind, key, previous in reversed(undo):
                    touched.add(kind)
                    if previous is None:
                        self.tables[kind].pop(key, None)
                    else:
                        self.tables[kind][key] = previous
                for kind in touched:  # restored deletions go back to their original place
                    self.tables[kind] = dict(
                        sorted(self.tables[kind].items(), key=lambda e: e[1][0])
                    )
                raise

    @contextmanager
    def view(self) -> Iterator[MetadataView]:
        with self._lock:
            yield _ReadOnly(_MemoryTransaction(self, []))

    def close(self) -> None:
        return None
