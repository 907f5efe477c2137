"""Regression tests of issue 9 (SDK part): a token that cannot be a header, raw exceptions from
hostile arguments, and records outside the service's ranges. Each bad value fails before any
request with a typed error; sync and async alike."""

from __future__ import annotations

import enum
import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
import pytest

from avista_dx import (
    AsyncAvistaDigitalExchange,
    AvistaDigitalExchange,
    ConfigurationError,
    DownloadError,
    InvalidInputError,
    TimeSeriesInputRecord,
    record_from_values,
    records_from_rows,
)

from .conftest import ClientFactory, Driver
from .fake_exchange import ENDPOINT, FakeExchange

DB = "timeSeriesDbId.1"
SECRET = "tok-4f1c9a7e2b8d6053"


def exception_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def texts_of(error: BaseException) -> str:
    """Everything a traceback or a log line could show of an error and its chain."""
    return "\n".join(
        f"{e!s}\n{e!r}\n{e.args!r}\n{getattr(e, 'object', '')!r}" for e in exception_chain(error)
    )


# -- 13. a token that cannot go in an HTTP header ----------------------------------------------


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
@pytest.mark.parametrize(
    "bad",
    [
        "\u200b",
        "\u201c",
        "\u201d",
        "\u00e9",
        "\x00",
        "\x7f",
        "\t",
        "\u2028",
        "\ud800",
        "\U0001f511",
    ],
)
def test_a_token_with_a_non_header_character_is_refused_without_quoting_it(
    client: type, bad: str
) -> None:
    token = f"{SECRET}{bad}{SECRET[::-1]}"
    with pytest.raises(ConfigurationError, match="HTTP header") as caught:
        client(token, endpoint=ENDPOINT)
    shown = texts_of(caught.value)
    assert SECRET not in shown
    assert SECRET[::-1] not in shown
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def test_a_token_from_the_environment_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", f"\u201c{SECRET}\u201d")
    with pytest.raises(ConfigurationError) as caught:
        AvistaDigitalExchange(endpoint=ENDPOINT)
    assert SECRET not in texts_of(caught.value)


def test_a_printable_ascii_token_with_inner_spaces_is_accepted() -> None:
    with AvistaDigitalExchange(f"Bearer {SECRET}!~", endpoint=ENDPOINT) as dx:
        assert dx.endpoint == ENDPOINT


@pytest.mark.parametrize(
    "kwargs",
    [
        {"endpoint": "https://exchange.test/\ud800"},
        {"endpoint": "https://ex\ud800.test/"},
        {"endpoint": 42},
        {"endpoint": "https://exchange.test:99999/graphql"},
        {"timeout": "abc"},
        {"timeout": [1]},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"timeout": 10**400},
        {"timeout": True},
        {"max_retries": 1.5},
    ],
)
@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
def test_hostile_settings_are_configuration_errors(client: type, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        client(SECRET, **{"endpoint": ENDPOINT, **kwargs})


def test_with_options_checks_its_settings_the_same_way(dx: Driver) -> None:
    for kwargs in ({"endpoint": "https://x.test/\ud800"}, {"timeout": "1"}):
        with pytest.raises(ConfigurationError):
            dx.with_options(**kwargs)


# -- 14. raw exceptions from hostile arguments -------------------------------------------------

ID_METHODS = [
    ("getDataStore", ()),
    ("getDataStoreDirectory", ()),
    ("getDataStoreFileMeta", ()),
    ("deleteDataStoreFile", ()),
    ("getTimeSeriesDatabase", ()),
    ("getCollaborative", ()),
    ("listCollaborativeServices", ()),
    ("queryTimeSeriesDatabase", ("SELECT 1",)),
    ("listCollaborativesServiceSharedWith", ()),
    ("addServiceToCollaborative", ("collab.1",)),
    ("removeServiceFromCollaborative", ("collab.1",)),
]


@pytest.mark.parametrize(("method", "rest"), ID_METHODS)
@pytest.mark.parametrize("bad_id", ["\ud800", "dataStore\udfff", "timeSeriesDb-\ud83d"])
def test_an_id_with_a_lone_surrogate_is_invalid_input(
    dx: Driver, fake: FakeExchange, method: str, rest: tuple[Any, ...], bad_id: str
) -> None:
    with pytest.raises(InvalidInputError, match="surrogate"):
        getattr(dx, method)(bad_id, *rest)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("SELECT '\ud800'",), {}),
        (("SELECT 1", None, "token-\udc00", "client-token"), {}),
        (("SELECT 1", None, "token-1", "\ud800"), {}),
        (("x" * 262_145,), {}),
    ],
)
def test_query_strings_and_tokens_that_cannot_be_sent(
    dx: Driver, fake: FakeExchange, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        dx.queryTimeSeriesDatabase(DB, *args, **kwargs)
    assert fake.requests == []


@pytest.mark.parametrize(
    "bad",
    [
        float("inf"),
        float("-inf"),
        float("nan"),
        1e300,
        10**400,
        "1_0",
        "\u0661\u0662",  # Arabic-Indic digits: int() takes them, no server does
        "9" * 5000,
        Fraction(3, 2),
        [5],
        b"5",
    ],
)
def test_max_rows_that_are_not_a_count_are_invalid_input(
    dx: Driver, fake: FakeExchange, bad: Any
) -> None:
    with pytest.raises(InvalidInputError, match="maxRows"):
        dx.queryTimeSeriesDatabase(DB, "SELECT 1", bad)
    with pytest.raises(InvalidInputError, match="maxRows"):
        list(dx.iterTimeSeriesQuery(DB, "SELECT 1", bad))
    assert fake.requests == []


@pytest.mark.parametrize("good", [5, 5.0, " 5 ", "+5"])
def test_integer_like_max_rows_are_still_accepted(
    dx: Driver, fake: FakeExchange, good: Any
) -> None:
    dx.queryTimeSeriesDatabase(DB, "SELECT 1", good)
    assert fake.requests[-1].variables["maxRows"] == 5


@pytest.mark.parametrize(
    ("rows", "kwargs"),
    [
        (None, {}),
        (5, {}),
        ("time,value", {}),
        ({"time": 1, "v": 2}, {}),
        ([None], {}),
        ([5], {}),
        ([{"time": 1, "v": 2}], {"time_field": ["time"]}),
        ([{"time": 1, "v": 2}], {"dimension_fields": [["v"]]}),
        ([{"time": 1, "v": 2}], {"measure_fields": [{"v"}]}),
        ([{"time": 1, "v": 2}], {"dimension_fields": 5}),
    ],
)
def test_records_from_rows_rejects_what_is_not_rows(rows: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        records_from_rows(rows, **kwargs)


@pytest.mark.parametrize(
    ("measures", "kwargs"),
    [
        (None, {}),
        ([("v", 1)], {}),
        ({"v": 1}, {"dimensions": ["site"]}),
        ({"v\ud800": 1}, {}),
        ({"v": "\ud800"}, {}),
        ({"v": 1}, {"dimensions": {"site": "\ud800"}}),
        ({"v": 1, "w": 2}, {"measure_name": 5}),
    ],
)
def test_record_from_values_rejects_hostile_values(measures: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        record_from_values(1, measures, **kwargs)


def test_an_upload_with_a_nul_in_the_local_path_sends_nothing(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError, match="NUL"):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(tmp_path / "a\x00b.txt"))
    assert fake.requests == []


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [({"name": "\ud800.txt"}, "surrogate"), ({"description": "d\udfff"}, "surrogate")],
)
def test_an_upload_name_or_description_that_cannot_be_sent_sends_nothing(
    dx: Driver, fake: FakeExchange, tmp_path: Path, kwargs: dict[str, Any], problem: str
) -> None:
    local = tmp_path / "a.txt"
    local.write_bytes(b"x")
    with pytest.raises(InvalidInputError, match=problem):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", str(local), **kwargs)
    assert fake.requests == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX keeps undecodable name bytes as surrogates")
def test_a_local_file_name_with_undecodable_bytes_is_refused_before_the_request(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    local = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    local.write_bytes(b"x")  # a real file: the OS has no trouble with it
    with pytest.raises(InvalidInputError, match="surrogate"):
        dx.uploadFileToDataStore("dataStoreId.1", "dir.home", local)
    assert fake.requests == []
    # With an explicit cloud name it uploads fine.
    meta = dx.uploadFileToDataStore("dataStoreId.1", "dir.home", local, "cafe.txt")
    assert fake.blobs[meta.dataStoreFileId] == b"x"


@pytest.mark.parametrize("location", ["a\x00b.csv", "dir\x00/x.csv", "\ud800.csv", 5])
def test_a_download_to_an_unusable_local_path_gets_nothing(
    dx: Driver, fake: FakeExchange, tmp_path: Path, location: Any
) -> None:
    target = str(tmp_path / location) if isinstance(location, str) else location
    with pytest.raises(InvalidInputError, match="writeLocation"):
        dx.downloadDataStoreFile("file.1", target)
    assert fake.s3_requests == []
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("location", "progress", "problem"),
    [("a\x00b.csv", None, "writeLocation"), ("ok.csv", "yes", "progress")],
)
def test_download_arguments_are_checked_before_any_request(
    dx: Driver, fake: FakeExchange, tmp_path: Path, location: str, progress: Any, problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        dx.downloadDataStoreFile("file.1", str(tmp_path / location), progress=progress)
    assert fake.requests == []


def escaped_json(fake: FakeExchange, placeholder: str, escape: str) -> Any:
    """The fake's handler, with `placeholder` in its JSON answers replaced by `escape` (a JSON
    escape such as \\ud800: a server may send lone surrogates that way)."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = fake.handle(request)
        if request.url.host == "s3.test":
            return response
        content = response.read().replace(placeholder.encode(), escape.encode())
        return httpx.Response(response.status_code, content=content, headers=response.headers)

    return handle


@pytest.mark.parametrize("escape", ["\\ud800", "caf\\udce9", "\\udfff\\ud800"])
def test_a_cloud_file_name_with_a_lone_surrogate_is_a_download_error(
    make_dx: ClientFactory, fake: FakeExchange, tmp_path: Path, escape: str
) -> None:
    fake.files["file.1"].update(name="PLACEHOLDER", fileExtension="txt")
    dx = make_dx(escaped_json(fake, "PLACEHOLDER", escape))
    assert dx.getDataStoreFileMeta("file.1").name == json.loads(f'"{escape}"')
    with pytest.raises(DownloadError, match="not a safe local file name"):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    assert fake.s3_requests == []
    assert os.listdir(tmp_path) == []
    # Given a file path instead, the same file downloads.
    dx.downloadDataStoreFile("file.1", str(tmp_path / "named.txt"))
    assert (tmp_path / "named.txt").read_bytes() == b"a,b\n1,2\n"


@pytest.mark.parametrize("service_type", [["DATA_STORE"], 5, "\ud800"])
def test_a_service_type_that_is_not_one_of_the_enum_is_invalid_input(
    dx: Driver, fake: FakeExchange, service_type: Any
) -> None:
    with pytest.raises(InvalidInputError, match="serviceType"):
        dx.listCollaborativesServiceSharedWith("dataStoreId.1", serviceType=service_type)
    assert fake.requests == []


# -- 15. records validated to the service's ranges ---------------------------------------------


def record(dx: Driver, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "Time": "1700000000",
        "TimeUnit": "SECONDS",
        "MeasureName": "m",
        "MeasureValueType": "BIGINT",
        "MeasureValue": "1",
        "MeasureValues": None,
        "Dimensions": None,
        "Version": 1,
    }
    fields.update(changes)
    return dx.createTimeSeriesInputRecord(**fields)


def multi(dx: Driver, *values: tuple[str, str, Any], **changes: Any) -> Any:
    measures = [dx.createTimeSeriesMeasureValue(t, n, v) for t, n, v in values]
    return record(
        dx, MeasureValueType="MULTI", MeasureValue=None, MeasureValues=measures, **changes
    )


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"MeasureValue": "18446744073709551616"}, "BIGINT"),
        ({"MeasureValue": "9223372036854775808"}, "BIGINT"),
        ({"MeasureValue": "-9223372036854775809"}, "BIGINT"),
        ({"MeasureValue": 2**63}, "BIGINT"),
        ({"MeasureValue": "\u0661"}, "BIGINT"),
        ({"Time": 10**30}, "2262"),
        ({"Time": str(10**30)}, "2262"),
        ({"Time": "9223372037"}, "2262"),  # SECONDS: just past the last instant
        ({"Time": "9223372036855", "TimeUnit": "MILLISECONDS"}, "2262"),
        ({"Time": "9223372036854776", "TimeUnit": "MICROSECONDS"}, "2262"),
        ({"Time": "9223372036854775808", "TimeUnit": "NANOSECONDS"}, "2262"),
        ({"Time": "1" * 257, "TimeUnit": "NANOSECONDS"}, "epoch integer"),
        ({"Time": "\u0661\u0662\u0663"}, "epoch integer"),
        ({"Time": -1}, "epoch integer"),
        ({"Version": 0}, "Version"),
        ({"Version": 2**31}, "Version"),  # the exchange's Version is a GraphQL Int
        ({"Version": 2**63}, "Version"),
        ({"Version": True}, "Version"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": "nan"}, "DOUBLE"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": "Infinity"}, "DOUBLE"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": "1e999"}, "DOUBLE"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": "1_0"}, "DOUBLE"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": "\u0661"}, "DOUBLE"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": float("nan")}, "finite"),
        ({"MeasureValueType": "DOUBLE", "MeasureValue": float("-inf")}, "finite"),
        ({"MeasureValueType": "VARCHAR", "MeasureValue": ""}, "non-empty"),
        ({"MeasureValueType": "VARCHAR", "MeasureValue": "é" * 1025}, "2048"),
        ({"MeasureValueType": "TIMESTAMP", "MeasureValue": "1"}, "MULTI"),
        ({"MeasureName": "m" * 257}, "256"),
        ({"MeasureName": "\ud800"}, "surrogate"),
        ({"MeasureValues": 5}, "list"),
        ({"Dimensions": 5}, "list"),
        ({"Dimensions": "name"}, "list"),
    ],
)
def test_records_outside_the_service_ranges_are_refused(
    dx: Driver, changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        record(dx, **changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"MeasureValue": "9223372036854775807"},
        {"MeasureValue": "-9223372036854775808"},
        {"MeasureValue": 2**63 - 1},
        {"Time": "9223372036"},
        {"Time": "0"},
        {"Time": "9223372036854775807", "TimeUnit": "NANOSECONDS"},
        {"Version": 2**31 - 1},
        {"Version": None},
        {"MeasureName": "time"},  # a measure name is a value, not a column
        {"MeasureValueType": "DOUBLE", "MeasureValue": "-1.5E-3"},
        {"MeasureValueType": "VARCHAR", "MeasureValue": "é" * 1023 + "a"},  # 2,047 bytes
    ],
)
def test_records_at_the_edges_of_the_ranges_are_accepted(
    dx: Driver, fake: FakeExchange, changes: dict[str, Any]
) -> None:
    dx.publishToTimeSeriesDatabase(DB, "asset-1", [record(dx, **changes)])
    assert len(fake.records[DB]) == 1


def test_number_subclasses_are_sent_as_plain_numbers(dx: Driver) -> None:
    assert record(dx, MeasureValue=Level.HIGH).MeasureValue == "3"
    assert record(dx, Time=Level.HIGH).Time == "3"
    np = pytest.importorskip("numpy")
    double = record(dx, MeasureValueType="DOUBLE", MeasureValue=np.float64(1.5))
    assert double.MeasureValue == "1.5"


def test_a_datetime_before_1970_is_refused() -> None:
    import datetime as dt

    with pytest.raises(InvalidInputError, match="epoch integer"):
        record_from_values(dt.datetime(1969, 12, 31, tzinfo=dt.timezone.utc), {"v": 1})


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda dx: dx.createTimeSeriesDimension("VARCHAR", "d" * 61, "v"), "60"),
        (lambda dx: dx.createTimeSeriesDimension("VARCHAR", "time", "v"), "reserved"),
        (lambda dx: dx.createTimeSeriesDimension("VARCHAR", "ts_site", "v"), "reserved"),
        (lambda dx: dx.createTimeSeriesDimension("VARCHAR", "site", "v" * 2049), "2048"),
        (lambda dx: dx.createTimeSeriesDimension("VARCHAR", "site", "\ud800"), "surrogate"),
        (
            lambda dx: dx.createTimeSeriesMeasureValue("BIGINT", "n", "9223372036854775808"),
            "BIGINT",
        ),
        (lambda dx: dx.createTimeSeriesMeasureValue("TIMESTAMP", "at", "-1"), "TIMESTAMP"),
        (lambda dx: dx.createTimeSeriesMeasureValue("TIMESTAMP", "at", str(2**63)), "TIMESTAMP"),
        (lambda dx: dx.createTimeSeriesMeasureValue("DOUBLE", "x", "inf"), "DOUBLE"),
        (lambda dx: multi(dx, ("BIGINT", "measure_name_2", "1")), "reserved"),
        (lambda dx: multi(dx, *[("BIGINT", f"m{i}", "1") for i in range(257)]), "256"),
        (
            lambda dx: record(
                dx,
                Dimensions=[
                    dx.createTimeSeriesDimension("VARCHAR", f"d{i}", "v") for i in range(129)
                ],
            ),
            "128",
        ),
        (
            lambda dx: record(
                dx, Dimensions=[dx.createTimeSeriesDimension("VARCHAR", "d", v) for v in "ab"]
            ),
            "repeat",
        ),
        (
            lambda dx: multi(
                dx,
                ("BIGINT", "site", "1"),
                Dimensions=[dx.createTimeSeriesDimension("VARCHAR", "site", "a")],
            ),
            "dimension",
        ),
        (
            lambda dx: multi(dx, *[("VARCHAR", f"m{i}", "v" * 700) for i in range(3)]),
            "bytes",
        ),
    ],
)
def test_names_values_and_counts_are_checked_to_the_service_limits(
    dx: Driver, build: Any, problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        build(dx)


def test_a_hand_built_record_outside_the_ranges_is_caught_before_sending(
    dx: Driver, fake: FakeExchange
) -> None:
    good = record(dx)
    bad = TimeSeriesInputRecord.model_construct(
        Time="1700000001",
        TimeUnit="SECONDS",
        MeasureName="m",
        MeasureValueType="BIGINT",
        MeasureValue="18446744073709551616",
        Version=1,
    )
    with pytest.raises(InvalidInputError, match=r"record 1: .*BIGINT"):
        dx.publishToTimeSeriesDatabase(DB, "asset-1", [good, bad])
    assert fake.requests == []


def test_a_multi_record_at_the_limits_is_accepted(dx: Driver, fake: FakeExchange) -> None:
    values = [("BIGINT", f"m{i}", "9223372036854775807") for i in range(50)]
    dims = [dx.createTimeSeriesDimension("VARCHAR", f"d{i}", "v") for i in range(128)]
    dx.publishToTimeSeriesDatabase(DB, "asset-1", [multi(dx, *values, Dimensions=dims)])
    assert len(fake.records[DB]) == 1


def test_client_factory_fixture_is_used(make_dx: ClientFactory) -> None:
    # A smoke check that the async client validates the same way at its own entry points.
    dx = make_dx()
    with pytest.raises(InvalidInputError):
        dx.getDataStore("\ud800")


def test_a_symlink_loop_at_the_target_is_invalid_input(
    dx: Driver, fake: FakeExchange, tmp_path: Path
) -> None:
    (tmp_path / "report.csv").symlink_to(tmp_path / "report.csv")  # points at itself
    with pytest.raises(InvalidInputError, match="cannot download"):
        dx.downloadDataStoreFile("file.1", str(tmp_path))
    assert fake.s3_requests == []
