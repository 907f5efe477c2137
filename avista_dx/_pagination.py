"""Cursor state of a Timestream query across pages (docs/protocol.md §5.5). I/O-free."""

from __future__ import annotations

from typing import Any

from ._validation import whole_number
from .errors import InvalidInputError, PaginationError
from .types import QueryResult_TimestreamVariables


def normalize_max_rows(max_rows: Any) -> int | None:
    """`maxRows` was documented as `str`: accept integer-like input, reject 0 and garbage."""
    if max_rows is None:
        return None
    value = whole_number("maxRows", max_rows, expected="an integer from 1 to 1000")
    if not 1 <= value <= 1000:
        raise InvalidInputError(f"maxRows must be from 1 to 1000, not {value}")
    return value


class QueryCursor:
    """Which page to ask for next; raises when the server repeats a token."""

    def __init__(self, time_series_db_id: str, query_string: str, max_rows: Any) -> None:
        self.time_series_db_id = time_series_db_id
        self.query_string = query_string
        self.max_rows = normalize_max_rows(max_rows)
        self.next_token: str | None = None
        self.client_token: str | None = None
        self.pages = 0
        self._seen_tokens: set[str] = set()
        self.done = False

    def advance(self, page: QueryResult_TimestreamVariables) -> None:
        """Records `page`; afterwards `done` tells whether another page exists."""
        self.pages += 1
        token = page.NextToken
        if token is None:
            self.done = True
            return
        if token in self._seen_tokens:
            raise PaginationError(
                f"the server repeated a NextToken after page {self.pages}; stopping",
                operation="timeSeriesDb_queryDatabaseWithTimestreamQuery",
            )
        self._seen_tokens.add(token)
        self.next_token = token
        self.client_token = page.clientToken
