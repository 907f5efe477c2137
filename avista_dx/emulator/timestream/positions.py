"""Positions in the caller's query text, for ``line L:C:`` prefixes in error messages.

The translator parses a rewritten text (duration literals replaced by calls); a
:class:`SourceMap` maps offsets in it back to the query the caller wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def location(text: str, offset: int) -> str:
    """Trino's ``line L:C`` (both 1-based) of ``offset`` in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}:{column}"


@dataclass(slots=True)
class SourceMap:
    """The caller's ``original`` text and the spans the rewrite replaced in it."""

    original: str
    rewritten: str = ""
    # (rewritten start, rewritten end, original start, original end), in text order.
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def original_offset(self, offset: int) -> int:
        shift = 0
        for rewritten_start, rewritten_end, original_start, original_end in self.spans:
            if offset < rewritten_start:
                break
            if offset < rewritten_end:
                return original_start
            shift = original_end - rewritten_end
        return offset + shift

    def location(self, rewritten_offset: int) -> str:
        return location(self.original, self.original_offset(rewritten_offset))

    def original_text(self, rewritten_start: int, rewritten_end: int) -> str:
        start = self.original_offset(rewritten_start)
        end = self.original_offset(max(rewritten_start, rewritten_end - 1)) + 1
        for span_start, span_end, _, original_end in self.spans:
            if span_start <= rewritten_end - 1 < span_end:
                end = original_end
        return self.original[start:end]
