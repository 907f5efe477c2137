"""Runaway time-series queries: other requests stay served, and the limit cancels them all."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from avista_dx.emulator import run_emulator
from avista_dx.emulator.config import EmulatorConfig
from avista_dx.emulator.timestream import QueryLimits

QUERY = (
    "query($t: ID!, $q: String!) { timeSeriesDb_queryDatabaseWithTimestreamQuery("
    "timeSeriesDbId: $t, queryString: $q) { resultJSONString } }"
)
RUNAWAY = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
TIME_LIMIT = 4.0
RUNAWAYS = 40


# One client for every thread: a client per request would spend seconds of CPU on set-up.
_CLIENT = httpx.Client(limits=httpx.Limits(max_connections=64))


def _query(
    url: str, token: str, database_id: str, sql: str, timeout: float = 30
) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    response = _CLIENT.post(
        url,
        json={"query": QUERY, "variables": {"t": database_id, "q": sql}},
        headers={"Authorization": token},
        timeout=timeout,
    )
    assert response.status_code == 200
    return time.monotonic() - started, response.json()


def test_health_and_other_users_are_served_while_runaway_queries_run() -> None:
    config = EmulatorConfig(timeseries_query_limits=QueryLimits(time_limit_seconds=TIME_LIMIT))
    with run_emulator(seed="demo", config=config) as handle:
        assert handle.seed is not None
        database = handle.seed.ids["timeSeriesDb"]
        owner, reader = handle.tokens["owner"], handle.tokens["reader"]
        with ThreadPoolExecutor(RUNAWAYS) as pool:
            runaways = [
                pool.submit(_query, handle.url, owner, database, RUNAWAY) for _ in range(RUNAWAYS)
            ]
            sandbox = handle.emulator.engine._sandbox
            arrived = time.monotonic() + TIME_LIMIT * 0.75
            while len(sandbox._watches) + len(sandbox._slots._waiting) < RUNAWAYS:
                assert time.monotonic() < arrived, "the runaway queries did not all arrive"
                time.sleep(0.01)  # the owner's share of the slots runs, the rest waits
            health_started = time.monotonic()
            health = _CLIENT.get(f"{handle.base_url}/_emulator/health", timeout=5)
            assert health.status_code == 200
            assert time.monotonic() - health_started < 1
            elapsed, small = _query(handle.url, reader, database, "SELECT 1 AS one")
            assert elapsed < 1, elapsed
            page = json.loads(
                small["data"]["timeSeriesDb_queryDatabaseWithTimestreamQuery"]["resultJSONString"]
            )
            assert page["Rows"] == [{"Data": [{"ScalarValue": "1"}]}]
            assert not any(future.done() for future in runaways)  # all still running or waiting
            results = [future.result() for future in runaways]
        for _, body in results:
            (error,) = body["errors"]
            assert error["errorType"] == "ValidationException"
            assert "query time limit" in error["message"]
        assert max(elapsed for elapsed, _ in results) < TIME_LIMIT + 3


def test_closing_the_engine_cancels_running_queries_at_once() -> None:
    config = EmulatorConfig(timeseries_query_limits=QueryLimits(time_limit_seconds=60))
    with run_emulator(seed="demo", config=config) as handle:
        assert handle.seed is not None
        database = handle.seed.ids["timeSeriesDb"]
        with ThreadPoolExecutor(8) as pool:
            runaways = [
                pool.submit(_query, handle.url, handle.tokens["owner"], database, RUNAWAY)
                for _ in range(8)
            ]
            time.sleep(0.5)
            started = time.monotonic()
            handle.emulator.engine.cancel_queries()  # what SIGTERM does first
            results = [future.result() for future in runaways]
        assert time.monotonic() - started < 3
        for _, body in results:
            assert body["errors"][0]["errorType"] == "InternalFailure"


def test_a_query_is_cancelled_when_its_client_disconnects() -> None:
    config = EmulatorConfig(timeseries_query_limits=QueryLimits(time_limit_seconds=60))
    with run_emulator(seed="demo", config=config) as handle:
        assert handle.seed is not None
        sandbox = handle.emulator.engine._sandbox
        database = handle.seed.ids["timeSeriesDb"]
        with ThreadPoolExecutor(1) as pool:
            leaving = pool.submit(_query, handle.url, handle.tokens["owner"], database, RUNAWAY, 1)
            seen = time.monotonic() + 1
            while not sandbox._watches and time.monotonic() < seen:
                time.sleep(0.01)
            assert sandbox._watches  # the query runs
            with pytest.raises(httpx.ReadTimeout):
                leaving.result()  # the client gives up and closes its connection
        deadline = time.monotonic() + 2
        while sandbox._watches and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not sandbox._watches  # the query stopped long before its 60 s limit
