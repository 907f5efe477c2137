"""The Timestream query corpus of tests/timestream, run through the SDK's
`queryTimeSeriesDatabase` against the emulator over HTTP (sync and async).

Nothing of the corpus is copied: its data set is loaded with `load_devops` and its queries and
expectations run unchanged, with `SdkEngine` standing in for the engine. `SdkEngine` sends each
page request through the SDK (so `max_rows` pages become `maxRows` + `NextToken` +
`clientToken` round trips) and renames the corpus table to the emulator's database table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sdk.driver import Driver
from timestream import test_query_corpus as corpus
from timestream.conftest import DATABASE, TABLE, column_types, load_devops, run_query, scalars

from avista_dx import AvistaDigitalExchange, BadRequestError, TimeSeriesDb, TimeSeriesInputRecord
from avista_dx.emulator.runner import EmulatorHandle

from .conftest import Admin

CORPUS_TABLE = f'"{DATABASE}"."{TABLE}"'


class SdkEngine:
    """The corpus's view of a `TimestreamEngine` (`query`, and `create_table`/`publish` to
    load the data set), served by an SDK client and one emulator database."""

    def __init__(self, dx: Any, db: TimeSeriesDb) -> None:
        self.dx = dx
        self.db = db
        self.client_tokens: list[str | None] = []

    def create_table(self, database: str, table: str) -> None:
        assert (database, table) == (DATABASE, TABLE)  # the emulator database already exists

    def publish(
        self, database: str, table: str, asset: str, records: list[dict[str, Any]]
    ) -> list[Any]:
        typed = [TimeSeriesInputRecord.model_validate(r) for r in records]
        result: list[Any] = self.dx.publishToTimeSeriesDatabase(
            self.db.timeSeriesDbId, asset, typed
        )
        return result

    def query(
        self,
        query: str,
        *,
        can_read: Callable[[str, str], bool] | None = None,
        max_rows: int | None = None,
        next_token: str | None = None,
    ) -> dict[str, Any]:
        sql = query.replace(CORPUS_TABLE, f'"{self.db.databaseName}"."{self.db.tableName}"')
        client_token = self.client_tokens[-1] if next_token else None
        page = self.dx.queryTimeSeriesDatabase(
            self.db.timeSeriesDbId, sql, max_rows, next_token, client_token
        )
        self.client_tokens.append(page.clientToken)
        # What the corpus reads: the raw Timestream response the SDK keeps unchanged.
        assert page.Rows == page.timestreamResults["Rows"]
        assert page.NextToken == page.timestreamResults.get("NextToken")
        results: dict[str, Any] = page.timestreamResults
        return results


@pytest.fixture(scope="session")
def devops_db(dx_emulator: EmulatorHandle, admin: Admin) -> TimeSeriesDb:
    """One emulator database holding the corpus's devops data set, loaded through the SDK."""
    created = admin.create_database()
    with AvistaDigitalExchange(dx_emulator.tokens["owner"], endpoint=dx_emulator.url) as dx:
        db = dx.getTimeSeriesDatabase(created["timeSeriesDbId"])
        load_devops(SdkEngine(dx, db))  # type: ignore[arg-type]
    return db


@pytest.fixture
def engine(dx: Driver, devops_db: TimeSeriesDb) -> SdkEngine:
    return SdkEngine(dx, devops_db)


@pytest.mark.parametrize(("query", "types", "row"), corpus.DOCUMENTED_CONSTANTS)
def test_documented_constant_queries(
    engine: SdkEngine, query: str, types: list[str], row: list[str | None]
) -> None:
    corpus.test_documented_constant_queries(engine, query, types, row)  # type: ignore[arg-type]


class AssetColumnChecked:
    """``engine`` for the corpus's ``SELECT *`` case: the exchange stores each record's asset
    as the ``assetId`` dimension (docs/emulator.md), which the engine-level corpus does not
    have. Each result must hold it, equal to the row's ``host`` (the asset ``load_devops``
    publishes for); the rest then meets the corpus's expectations unchanged."""

    def __init__(self, engine: SdkEngine) -> None:
        self.engine = engine

    def query(self, query: str, **options: Any) -> dict[str, Any]:
        result = self.engine.query(query, **options)
        names = [column["Name"] for column in result["ColumnInfo"]]
        asset, host = names.index("assetId"), names.index("host")
        assert result["ColumnInfo"][asset]["Type"] == {"ScalarType": "VARCHAR"}
        for row in result["Rows"]:
            assert row["Data"][asset] == row["Data"][host]
            del row["Data"][asset]
        del result["ColumnInfo"][asset]
        return result


def select_star_column_order_and_types(engine: SdkEngine) -> None:
    corpus.test_select_star_column_order_and_types(AssetColumnChecked(engine))  # type: ignore[arg-type]


DATA_CASES: list[tuple[Callable[..., None], dict[str, Any]]] = [
    (select_star_column_order_and_types, {}),
    *((corpus.test_bin_avg_group_by, {"max_rows": n}) for n in (None, 1, 3)),
    (corpus.test_count_per_measure_and_bigint_sum, {}),
    *((corpus.test_max_by_min_by_latest_value, {"max_rows": n}) for n in (None, 2)),
    (corpus.test_count_if_approx_percentile_and_cte, {}),
    (corpus.test_join_and_window_function, {}),
    (corpus.test_multi_measure_columns_and_time_arithmetic, {}),
    (corpus.test_ago_and_now, {}),
    (corpus.test_date_trunc_and_to_milliseconds_on_data, {}),
    (corpus.test_create_time_series_and_unnest, {}),
    (corpus.test_interpolation_over_sequence, {}),
]


@pytest.mark.parametrize(
    ("case", "kwargs"),
    DATA_CASES,
    ids=[
        f"{case.__name__.removeprefix('test_')}-{kwargs.get('max_rows', 'all')}"
        for case, kwargs in DATA_CASES
    ],
)
def test_data_queries(engine: SdkEngine, case: Callable[..., None], kwargs: dict[str, Any]) -> None:
    case(engine, **kwargs)


def test_paged_results_follow_tokens_and_echo_the_client_token(engine: SdkEngine) -> None:
    result = run_query(
        engine,  # type: ignore[arg-type]
        f"SELECT host, time FROM {CORPUS_TABLE} WHERE measure_name = 'cpu_utilization'"
        " ORDER BY host, time",
        max_rows=50,
    )
    assert len(result["Rows"]) == corpus.MINUTES * len(corpus.HOSTS)
    assert [t for _, t in column_types(result)] == ["VARCHAR", "TIMESTAMP"]
    first, *later = engine.client_tokens
    assert first
    assert later
    assert set(later) == {first}  # the SDK passes the clientToken of the previous page


def test_rows_convert_the_corpus_results(dx: Driver, devops_db: TimeSeriesDb) -> None:
    table = f'"{devops_db.databaseName}"."{devops_db.tableName}"'
    rows = [
        row
        for page in dx.iterTimeSeriesQuery(
            devops_db.timeSeriesDbId,
            f"SELECT host, max(time) AS last, count(*) AS n, avg(cpu) AS cpu FROM {table}"
            " WHERE measure_name = 'metrics' GROUP BY host ORDER BY host",
            1,
        )
        for row in page.rows()
    ]
    assert [r["host"] for r in rows] == [host for host, _ in corpus.HOSTS]
    assert {r["n"] for r in rows} == {6}
    assert all(isinstance(r["cpu"], float) for r in rows)
    assert {r["last"].isoformat() for r in rows} == {"2024-01-01T00:50:00+00:00"}


@pytest.mark.parametrize(("query", "message"), corpus.UNSUPPORTED)
def test_unsupported_constructs_are_typed_errors_naming_them(
    engine: SdkEngine, query: str, message: str
) -> None:
    with pytest.raises(BadRequestError, match=f"(?i){message}") as caught:
        run_query(engine, query)  # type: ignore[arg-type]
    assert caught.value.error_type == "ValidationException"
    assert caught.value.operation == "timeSeriesDb_queryDatabaseWithTimestreamQuery"


def test_bad_next_token_is_a_typed_error(dx: Driver, devops_db: TimeSeriesDb) -> None:
    with pytest.raises(BadRequestError, match=r"(?i)token") as caught:
        dx.queryTimeSeriesDatabase(devops_db.timeSeriesDbId, "SELECT 1", 10, "not-a-token")
    assert caught.value.error_type == "ValidationException"


def test_scalars_helper_sees_sdk_pages_as_engine_pages(engine: SdkEngine) -> None:
    assert scalars(run_query(engine, "SELECT 1")) == [["1"]]  # type: ignore[arg-type]
    assert re.fullmatch(r"[0-9a-f-]{36}", engine.client_tokens[0] or "")
