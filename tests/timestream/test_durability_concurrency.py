"""The DuckDB file survives close/reopen; concurrent publishers and queriers lose nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from avista_dx.emulator.timestream import RejectedRecordsError, TimestreamEngine
from avista_dx.emulator.timestream.group_commit import CommitFailedError

from .conftest import T0_MS, allow_all, dimension, multi_record, run_query, scalars, single_record


def test_data_and_schema_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "timeseries.duckdb"
    with TimestreamEngine(path) as engine:
        engine.create_table("plant", "sensors")
        engine.publish("plant", "sensors", "a", [single_record(T0_MS, "1.5")])
        engine.publish("plant", "sensors", "a", [multi_record(T0_MS, "h", 2.0, 3, "OK")])
    with TimestreamEngine(path) as engine:
        result = run_query(
            engine,
            'SELECT measure_name, measure_value::double, memory FROM "plant"."sensors" ORDER BY 1',
        )
        assert scalars(result) == [["cpu_utilization", "1.5", None], ["metrics", None, "3"]]
        # Versions, series and measure types are remembered too.
        with pytest.raises(RejectedRecordsError) as error:
            engine.publish("plant", "sensors", "a", [single_record(T0_MS, "9.0")])
        assert "A record already exists" in error.value.rejected_records[0]["Reason"]
        with pytest.raises(RejectedRecordsError):
            engine.publish(
                "plant", "sensors", "a", [single_record(T0_MS + 1, "1", value_type="BIGINT")]
            )
        engine.publish("plant", "sensors", "a", [single_record(T0_MS + 1, "2.5")])
        assert scalars(run_query(engine, "SHOW TABLES FROM plant")) == [["sensors"]]
    with TimestreamEngine(path) as engine:
        assert scalars(run_query(engine, 'SELECT count(*) FROM "plant"."sensors"')) == [["3"]]


def test_closed_engine_refuses_work(tmp_path: Path) -> None:
    engine = TimestreamEngine(tmp_path / "x.duckdb")
    engine.close()
    engine.close()
    with pytest.raises(Exception, match="closed"):
        engine.query("SELECT 1", can_read=allow_all)


def test_concurrent_publishers_and_queriers(tmp_path: Path) -> None:
    writers, batches, per_batch = 4, 25, 100
    errors: list[BaseException] = []
    observed_counts: list[int] = []
    with TimestreamEngine(tmp_path / "load.duckdb") as engine:
        engine.create_table("load", "points")
        # One seed record creates the `worker` column the readers query.
        seed = single_record(T0_MS - 1, "0.0", dimensions=[dimension("worker", "seed")])
        engine.publish("load", "points", "seed", [seed])
        done = threading.Event()

        def write(worker: int) -> None:
            try:
                for batch in range(batches):
                    base = T0_MS + (batch * per_batch)
                    records = [
                        single_record(
                            base + i, f"{worker}.5", dimensions=[dimension("worker", str(worker))]
                        )
                        for i in range(per_batch)
                    ]
                    engine.publish("load", "points", f"w{worker}", records)
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        def read() -> None:
            try:
                while not done.is_set():
                    result = run_query(engine, 'SELECT count(*) FROM "load"."points"', max_rows=10)
                    observed_counts.append(int(scalars(result)[0][0] or 0))
                    paged = run_query(
                        engine,
                        'SELECT worker, count(*) FROM "load"."points" GROUP BY worker',
                        max_rows=1,
                    )
                    assert all(
                        int(row[1] or 0) % per_batch == 0
                        for row in scalars(paged)
                        if row[0] != "seed"
                    )
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        readers = [threading.Thread(target=read) for _ in range(2)]
        for thread in threads + readers:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        for thread in readers:
            thread.join()
        assert errors == []
        total = writers * batches * per_batch
        final = run_query(engine, 'SELECT count(*), count(DISTINCT worker) FROM "load"."points"')
        assert scalars(final) == [[str(total + 1), str(writers + 1)]]
        # Every count a reader saw was a whole number of requests: no half-written request.
        assert observed_counts
        assert all((count - 1) % per_batch == 0 for count in observed_counts)


def test_concurrent_conflicting_writers_keep_versions_consistent(engine: TimestreamEngine) -> None:
    engine.create_table("load", "versions")
    results: list[str] = []

    def write(version: int) -> None:
        record = single_record(T0_MS, f"{version}.0", version=version)
        try:
            engine.publish("load", "versions", "a", [record])
            results.append("ok")
        except RejectedRecordsError:
            results.append("rejected")

    threads = [threading.Thread(target=write, args=(v,)) for v in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20
    final = run_query(engine, 'SELECT measure_value::double FROM "load"."versions"')
    assert scalars(final) == [["20.0"]]  # the highest version wins whatever the order


def test_group_commit_happens_in_the_background(tmp_path: Path) -> None:
    with TimestreamEngine(tmp_path / "gc.duckdb", commit_delay=0.01) as engine:
        engine.create_table("plant", "sensors")
        engine.publish("plant", "sensors", "a", [single_record(T0_MS, "1.5")])
        deadline = time.monotonic() + 5
        while engine._writer.has_pending and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not engine._writer.has_pending


def test_commit_delay_zero_commits_every_request(tmp_path: Path) -> None:
    with TimestreamEngine(tmp_path / "sync.duckdb", commit_delay=0) as engine:
        engine.create_table("plant", "sensors")
        engine.publish("plant", "sensors", "a", [single_record(T0_MS, "1.5")])
        assert not engine._writer.has_pending
        assert scalars(run_query(engine, 'SELECT count(*) FROM "plant"."sensors"')) == [["1"]]


def test_concurrent_durable_publishes_share_commits(tmp_path: Path) -> None:
    """Group commit: requests that queue while a commit runs share the next one (that each is
    committed before it returns is tests/emulator/test_persistence.py's kill -9 test)."""
    writers, requests = 8, 20
    with TimestreamEngine(tmp_path / "group.duckdb", commit_delay=0) as engine:
        engine.create_table("plant", "meters")
        for worker in range(writers):  # the series exist: what follows are plain appends
            engine.publish("plant", "meters", "a", [_worker_record(worker, -1)])
        before = engine.commit_count
        errors: list[BaseException] = []

        def write(worker: int) -> None:
            try:
                for index in range(requests):
                    engine.publish("plant", "meters", "a", [_worker_record(worker, index)])
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        commits = engine.commit_count - before
        assert 1 <= commits < writers * requests
        total = run_query(engine, 'SELECT count(*) FROM "plant"."meters"')
        assert scalars(total) == [[str(writers * (requests + 1))]]


def _worker_record(worker: int, index: int) -> dict[str, Any]:
    return single_record(T0_MS + index, "1.5", dimensions=[dimension("worker", str(worker))])


def test_a_failed_durable_commit_fails_its_requests_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TimestreamEngine(tmp_path / "failing.duckdb", commit_delay=0) as engine:
        engine.create_table("plant", "meters")
        engine.publish("plant", "meters", "a", [_worker_record(0, 0)])
        writer = engine._writer
        real_insert = writer._insert

        def failing_insert(*args: Any) -> None:
            monkeypatch.setattr(writer, "_insert", real_insert)  # fails once
            raise duckdb.IOException("disk full")

        monkeypatch.setattr(writer, "_insert", failing_insert)
        with pytest.raises(CommitFailedError):
            engine.publish("plant", "meters", "a", [_worker_record(0, 1)])
        engine.publish("plant", "meters", "a", [_worker_record(0, 2)])
        times = run_query(engine, 'SELECT to_milliseconds(time) FROM "plant"."meters" ORDER BY 1')
        assert scalars(times) == [[str(T0_MS)], [str(T0_MS + 2)]]


def test_out_of_order_writes_check_pending_appends_without_committing_them(
    tmp_path: Path,
) -> None:
    with TimestreamEngine(tmp_path / "window.duckdb", commit_delay=60) as engine:
        engine.create_table("plant", "meters")
        engine.publish("plant", "meters", "a", [_worker_record(0, 0)])  # a new series
        engine.publish("plant", "meters", "a", [_worker_record(0, 5)])  # pending
        engine.publish("plant", "meters", "a", [_worker_record(0, 3)])  # out of order
        engine.publish("plant", "meters", "a", [_worker_record(0, 5)])  # the same: deduplicated
        commits = engine.commit_count
        assert engine._writer.has_pending  # none of these forced a commit
        changed = single_record(T0_MS + 5, "9.5", dimensions=[dimension("worker", "0")])
        with pytest.raises(RejectedRecordsError) as error:
            engine.publish("plant", "meters", "a", [changed])  # a pending point, same version
        assert "A record already exists" in error.value.rejected_records[0]["Reason"]
        assert engine.commit_count == commits
        newer = {**changed, "Version": 2}
        engine.publish("plant", "meters", "a", [newer])  # replaces the pending point
        rows = run_query(
            engine, 'SELECT to_milliseconds(time), measure_value::double FROM "plant"."meters"'
            " ORDER BY 1",
        )  # fmt: skip
        assert scalars(rows) == [
            [str(T0_MS), "1.5"], [str(T0_MS + 3), "1.5"], [str(T0_MS + 5), "9.5"]
        ]  # fmt: skip


def test_a_failed_group_commit_sync_fails_its_requests_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FailingCommit:
        def __init__(self, cursor: Any) -> None:
            self.cursor = cursor

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "COMMIT":
                raise duckdb.IOException("could not sync the log")
            return self.cursor.execute(sql, *args)

    with TimestreamEngine(tmp_path / "failing.duckdb", commit_delay=0) as engine:
        engine.create_table("plant", "meters")
        engine.publish("plant", "meters", "a", [_worker_record(0, 0)])
        writer = engine._writer
        real_cursor = writer._commit_cursor
        monkeypatch.setattr(writer, "_commit_cursor", FailingCommit(real_cursor))
        with pytest.raises(CommitFailedError):
            engine.publish("plant", "meters", "a", [_worker_record(0, 1)])
        monkeypatch.setattr(writer, "_commit_cursor", real_cursor)
        engine.publish("plant", "meters", "a", [_worker_record(0, 2)])
        times = run_query(engine, 'SELECT to_milliseconds(time) FROM "plant"."meters" ORDER BY 1')
        assert scalars(times) == [[str(T0_MS)], [str(T0_MS + 2)]]


def test_one_insert_of_requests_of_different_shapes_stores_each_value(tmp_path: Path) -> None:
    """A group commit inserts constant columns as one value: mixed groups stay exact."""

    def record(ms: int, site: str, value: str, version: int = 1) -> dict[str, Any]:
        dimensions = [dimension("site", site)]
        return single_record(T0_MS + ms, value, dimensions=dimensions, version=version)

    with TimestreamEngine(tmp_path / "shapes.duckdb", commit_delay=60) as engine:
        engine.create_table("plant", "meters")
        # Both series exist (committed at once); the next requests are pending appends.
        engine.publish("plant", "meters", "a", [record(0, "a", "1.5"), record(1, "b", "1.5")])
        engine.publish("plant", "meters", "a", [record(10, "a", "2.5"), record(11, "a", "2.5")])
        engine.publish("plant", "meters", "a", [record(12, "b", "3.5", version=7)])
        assert engine._writer.has_pending  # the last two requests go in one insert
        rows = run_query(
            engine,
            'SELECT to_milliseconds(time), site, measure_value::double FROM "plant"."meters"'
            " ORDER BY 1",
        )  # fmt: skip
        expected = [(0, "a", "1.5"), (1, "b", "1.5"), (10, "a", "2.5"), (11, "a", "2.5"),
                    (12, "b", "3.5")]  # fmt: skip
        assert scalars(rows) == [[str(T0_MS + ms), site, value] for ms, site, value in expected]
