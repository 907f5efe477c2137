"""Parsed, validated documents by query text, bounded by the memory they hold.

Clients send the same few documents over and over, so each is parsed and validated once. A
parsed document holds far more than its text (every node and token, with locations: about
30 bytes per character of query), so the bound is on measured bytes, not on entries.
"""

from __future__ import annotations

import sys
import threading
from enum import Enum

from cachetools import LRUCache
from graphql import DocumentNode, Source
from graphql.language import Location, Node, Token

_WALKED = (Node, Token, Location, Source)


def footprint(document: DocumentNode) -> int:
    """Bytes held by the document's own objects (nodes, tokens, locations, their strings)."""
    seen: set[int] = set()
    total = 0
    stack: list[object] = [document]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, Enum) or id(item) in seen:
            continue  # None and enum members are shared by every document
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, _WALKED):
            for cls in type(item).__mro__:
                for name in getattr(cls, "__slots__", ()):
                    stack.append(getattr(item, name, None))
            stack.append(getattr(item, "__dict__", None))
        elif isinstance(item, dict):
            stack.extend(item.values())
    return total


class DocumentCache:
    """A thread-safe LRU of documents whose total :func:`footprint` stays under ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: LRUCache[str, tuple[DocumentNode, int]] = LRUCache(
            maxsize=max_bytes, getsizeof=lambda entry: entry[1]
        )

    def get(self, query: str) -> DocumentNode | None:
        with self._lock:
            entry = self._entries.get(query)
        return None if entry is None else entry[0]

    def put(self, query: str, document: DocumentNode) -> None:
        size = footprint(document) + sys.getsizeof(query)
        if size > self.max_bytes:
            return  # larger than the whole cache: parsed again when sent again
        with self._lock:
            self._entries[query] = (document, size)  # evicts least recently used entries

    @property
    def bytes_held(self) -> int:
        with self._lock:
            return int(self._entries.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
