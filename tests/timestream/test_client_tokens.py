"""ClientToken idempotency of first Query calls.

Timestream's Query API reference: "Providing a ClientToken makes the call to Query idempotent";
a call with a ClientToken and no NextToken is a new query run; a request "with the same client
token, but change other parameters, within the 5-minute idempotency window" fails, as does one
"with the same client token outside of the 5-minute idempotency window"; "after 4 hours, any
request with the same ClientToken is treated as a new request".
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from avista_dx.emulator.timestream import QueryValidationError, TimestreamEngine
from avista_dx.emulator.timestream.idempotency import ClientTokens

from .conftest import T0_MS, allow_all, single_record

DB, TABLE = "tokens_db", "readings"
QUERY = f'SELECT time, measure_value::double FROM "{DB}"."{TABLE}" ORDER BY time'
TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def engine() -> Iterator[TimestreamEngine]:
    with TimestreamEngine(None, commit_delay=0) as engine:
        engine.create_table(DB, TABLE)
        engine.publish(DB, TABLE, "m", [single_record(T0_MS + i, str(i + 0.5)) for i in range(5)])
        yield engine


def _query(engine: TimestreamEngine, **kwargs: object) -> dict[str, object]:
    arguments: dict[str, object] = {"can_read": allow_all, "principal": "alice", **kwargs}
    return engine.query(QUERY, **arguments)  # type: ignore[arg-type]


def test_the_same_token_returns_the_same_query_and_pages(engine: TimestreamEngine) -> None:
    first = _query(engine, max_rows=2, client_token=TOKEN)
    again = _query(engine, max_rows=2, client_token=TOKEN)
    assert again == first  # same QueryId, same page, same NextToken
    following = _query(engine, max_rows=2, next_token=first["NextToken"])
    assert following["QueryId"] == first["QueryId"]
    assert len(following["Rows"]) == 2  # type: ignore[arg-type]


def test_without_a_token_every_call_is_a_new_query(engine: TimestreamEngine) -> None:
    assert _query(engine)["QueryId"] != _query(engine)["QueryId"]
    assert (
        _query(engine, client_token=TOKEN)["QueryId"]
        != _query(engine, client_token=TOKEN + "x")["QueryId"]
    )


def test_a_replay_is_not_rerun_even_after_new_writes(engine: TimestreamEngine) -> None:
    first = _query(engine, client_token=TOKEN)
    engine.publish(DB, TABLE, "m", [single_record(T0_MS + 100, "9.5")])
    assert _query(engine, client_token=TOKEN) == first
    assert len(_query(engine)["Rows"]) == 6  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "max_rows"), [(QUERY, 3), ("SELECT 1", 2)])
def test_the_same_token_with_other_parameters_fails(
    engine: TimestreamEngine, query: str, max_rows: int
) -> None:
    _query(engine, max_rows=2, client_token=TOKEN)
    with pytest.raises(QueryValidationError, match="other parameters"):
        engine.query(
            query, can_read=allow_all, principal="alice", max_rows=max_rows, client_token=TOKEN
        )


def test_tokens_belong_to_their_caller(engine: TimestreamEngine) -> None:
    mine = _query(engine, client_token=TOKEN)
    theirs = engine.query(QUERY, can_read=allow_all, principal="bob", client_token=TOKEN)
    assert theirs["QueryId"] != mine["QueryId"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_windows_5_minutes_then_refused_then_new_after_4_hours() -> None:
    clock = Clock()
    tokens = ClientTokens(clock=clock)
    tokens.remember("alice", TOKEN, "SELECT 1", None, "page")
    clock.now += 299
    assert tokens.replay("alice", TOKEN, "SELECT 1", None) == "page"
    clock.now += 2
    with pytest.raises(QueryValidationError, match="more than 5 minutes ago"):
        tokens.replay("alice", TOKEN, "SELECT 1", None)
    clock.now += 4 * 3600
    assert tokens.replay("alice", TOKEN, "SELECT 1", None) is None  # a new request


def test_pages_beyond_the_budget_are_dropped_oldest_first() -> None:
    clock = Clock()
    tokens = ClientTokens(page_budget_bytes=10, clock=clock)
    tokens.remember("alice", "t1", "q", None, "123456")
    tokens.remember("alice", "t2", "q", None, "abcdef")
    assert tokens.replay("alice", "t1", "q", None) is None  # dropped: the query runs again
    assert tokens.replay("alice", "t2", "q", None) == "abcdef"


def test_a_json_first_page_is_kept_verbatim(engine: TimestreamEngine) -> None:
    text = engine.query_json(QUERY, can_read=allow_all, principal="alice", client_token=TOKEN)
    assert engine.query_json(QUERY, can_read=allow_all, principal="alice", client_token=TOKEN) == (
        text
    )
    assert json.loads(text)["QueryId"]
