"""Property-based tests: every public entry point of both clients, fed hostile values.

Whatever the arguments (lone surrogates, NUL, huge and negative numbers, NaN/inf, wrong
types, None, empty values, huge lists), only `DxError` subclasses come out, and the token
never appears in an error's message, repr or chain, nor in any log line at DEBUG.

Entry points are found by introspection (the clients' public methods, those of their
resource namespaces, and the module-level record helpers), so a new method is covered
without touching this file; `ARGUMENTS` only makes the values of known parameters likelier
to reach past the first check (real ids, real paths, valid records).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import avista_dx
from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, DxError
from avista_dx._operations import SERVICE_TYPES
from avista_dx._records import input_record

from .fake_exchange import ENDPOINT, TOKEN, WEIRD, FakeExchange

settings.register_profile(
    "sdk-hostile",
    max_examples=40,
    deadline=dt.timedelta(seconds=3),  # generous: the machine is shared; examples take ms
    database=None,  # no .hypothesis/ directory in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = settings.get_profile("sdk-hostile")

# -- hostile values ----------------------------------------------------------------------------

CHARACTERS = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates: st.characters() never draws them
    st.sampled_from("\x00\n\r\t\x7f\u200b\u201c\u201d\ufeff\uffff\u2028"),
)
TEXT = st.text(CHARACTERS, max_size=24)
SURROGATE = st.characters(categories=["Cs"])


def spliced(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with `inner` somewhere in it (ids and names look like `dataStore\ud800`)."""
    return st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), inner, st.text(max_size=8))


SPECIAL_NUMBERS = [0, -1, 2**31, 2**63, -(2**63) - 1, 2**64, 10**400, -(10**30), 1e308]
SCALARS = st.one_of(st.none(), st.booleans(), TEXT, st.integers(), st.floats())
# Flat, so that each kind of trouble is drawn often (one_of picks a branch uniformly).
HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    TEXT,
    spliced(SURROGATE),
    spliced(st.just("\x00")),
    st.sampled_from(["", " ", "\x00", "\ud800", "None", "0", "-1", "1e999", "NaN", "\u0661"]),
    st.integers(),
    st.floats(),  # NaN and infinities included
    st.sampled_from([*SPECIAL_NUMBERS, float("inf"), float("-inf"), float("nan")]),
    st.binary(max_size=8),
    st.lists(SCALARS, max_size=4),
    st.dictionaries(TEXT, SCALARS, max_size=3),
    st.builds(object),
    st.just([0] * 10_000),  # a huge list
)


def or_hostile(*valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value half of the time (to get past the first check), else a hostile one."""
    return st.one_of(st.one_of(*valid), HOSTILE_VALUES.map(lambda value: value))


def record_list(count: int) -> list[Any]:
    return [
        input_record(str(1_700_000_000 + i), "SECONDS", "power", "DOUBLE", f"{i}.5")
        for i in range(count)
    ]


IDS = st.sampled_from(
    [
        "dataStoreId.1",
        "dir.home",
        "dir.sub",
        "file.1",
        "timeSeriesDbId.1",
        "collab.1",
        WEIRD + "dataStore",
        WEIRD + "file",
    ]
)
RECORDS = st.one_of(
    st.builds(record_list, st.integers(1, 3)),
    st.builds(record_list, st.just(250)),  # three requests
    st.lists(st.one_of(st.builds(lambda: record_list(1)[0]), HOSTILE_VALUES), max_size=4),
)


def inside(workdir: Path, value: Any) -> Any:
    """`value`, but a text becomes a path inside `workdir`, whatever its characters.

    The suite must never write outside its own directory: a hostile `writeLocation` such as
    "/x" or "../x" would otherwise be a real path the download writes to (as root, even a
    device such as /dev/null could be replaced).
    """
    if isinstance(value, str):
        return f"{workdir}/{value.replace('..', '__').lstrip('/')}"
    if isinstance(value, Path):
        return workdir / inside(workdir, str(value)).removeprefix(f"{workdir}/")
    return value


def local_path(workdir: Path, *valid: Any) -> st.SearchStrategy[Any]:
    return or_hostile(st.sampled_from(valid)).map(lambda value: inside(workdir, value))


def arguments(workdir: Path) -> dict[str, st.SearchStrategy[Any]]:
    """Likelier values of known parameters (by name); any other gets `HOSTILE_VALUES`."""
    return {
        "localPath": local_path(workdir, "upload.csv", ".", Path("upload.csv")),
        "writeLocation": local_path(workdir, ".", "out.bin", Path("."), "missing/out.bin"),
        "records": or_hostile(RECORDS),
        "queryString": or_hostile(st.just("SELECT 1")),
        "maxRows": or_hostile(st.integers(-5, 2000)),
        "serviceType": or_hostile(st.sampled_from(SERVICE_TYPES)),
        "progress": or_hostile(st.just(lambda done, total: None)),
        "Type": or_hostile(st.sampled_from(["BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP"])),
        "MeasureValueType": or_hostile(st.sampled_from(["BIGINT", "DOUBLE", "MULTI"])),
        "TimeUnit": or_hostile(st.sampled_from(["SECONDS", "NANOSECONDS"])),
        "time_unit": or_hostile(st.sampled_from(["SECONDS", "NANOSECONDS"])),
        "DimensionValueType": or_hostile(st.just("VARCHAR")),
        "rows": or_hostile(st.lists(st.dictionaries(TEXT, SCALARS, max_size=3), max_size=3)),
        "measures": or_hostile(st.dictionaries(TEXT, SCALARS, min_size=1, max_size=3)),
    }


def strategy_for(name: str, workdir: Path) -> st.SearchStrategy[Any]:
    known = arguments(workdir)
    if name in known:
        return known[name]
    if name.endswith("Id") or name in ("nextToken", "clientToken"):
        return or_hostile(IDS)
    return HOSTILE_VALUES


# -- the entry points --------------------------------------------------------------------------


def public_methods(client: Any) -> dict[str, Callable[..., Any]]:
    """`name -> bound method` of a client and of its resource namespaces (`dx.dataStores`)."""
    methods: dict[str, Callable[..., Any]] = {}
    for name in dir(client):
        if name.startswith("_") or name == "close":  # close() would end the test's client
            continue
        attribute = getattr(client, name)
        if inspect.ismethod(attribute):
            methods[name] = attribute
        elif not isinstance(attribute, str | int | float | httpx.Timeout) and attribute is not None:
            for inner in dir(attribute):  # a resource namespace
                method = getattr(attribute, inner)
                if not inner.startswith("_") and inspect.ismethod(method):
                    methods[f"{name}.{inner}"] = method
    return methods


def entry_point_names() -> list[str]:
    with AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT) as sync_client:
        names = sorted(public_methods(sync_client))
    return names


ENTRY_POINTS = entry_point_names()
HELPERS = {
    "record_from_values": avista_dx.record_from_values,
    "records_from_rows": avista_dx.records_from_rows,
}


def test_the_suite_sees_every_documented_method() -> None:
    documented = {
        "getUserInfo", "listDataStores", "getDataStore", "getDataStoreDirectory",
        "getDataStoreFileMeta", "downloadDataStoreFile", "uploadFileToDataStore",
        "deleteDataStoreFile", "listTimeSeriesDatabases", "getTimeSeriesDatabase",
        "queryTimeSeriesDatabase", "iterTimeSeriesQuery", "publishToTimeSeriesDatabase",
        "createTimeSeriesMeasureValue", "createTimeSeriesDimension",
        "createTimeSeriesInputRecord", "listCollaboratives", "getCollaborative",
        "listCollaborativeServices", "listCollaborativesServiceSharedWith",
        "addServiceToCollaborative", "removeServiceFromCollaborative",
    }  # fmt: skip
    assert documented <= set(ENTRY_POINTS)


class LogLines(logging.Handler):
    """Every log record of every logger, formatted, while the block runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @contextlib.contextmanager
    def capturing(self) -> Iterator[LogLines]:
        root = logging.getLogger()
        level = root.level
        root.addHandler(self)
        root.setLevel(logging.DEBUG)
        try:
            yield self
        finally:
            root.removeHandler(self)
            root.setLevel(level)


def chain(error: BaseException) -> Iterator[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is s for s in seen):
        seen.append(current)
        yield current
        current = current.__cause__ or current.__context__


def assert_secret_kept(secret: str, error: BaseException | None, logs: LogLines) -> None:
    for line in logs.lines:
        assert secret not in line, f"the token is in a log line: {line[:200]!r}"
    if error is not None:
        for link in chain(error):
            for text in (str(link), repr(link), repr(link.args)):
                assert secret not in text, f"the token is in {type(link).__name__}: {text[:200]}"


def outcome_of(call: Callable[[], Any], loop: asyncio.AbstractEventLoop | None) -> Any:
    """Runs `call` to its end: awaits a coroutine, exhausts an iterator or async iterator."""
    result = call()
    if inspect.isawaitable(result):
        assert loop is not None
        result = loop.run_until_complete(result)
    if inspect.isasyncgen(result):
        assert loop is not None

        async def collect() -> list[Any]:
            return [item async for item in result]

        result = loop.run_until_complete(collect())
    elif inspect.isgenerator(result):
        result = list(result)
    return result


def check_call(
    call: Callable[[], Any], loop: asyncio.AbstractEventLoop | None, secret: str
) -> None:
    """`call` returns or raises a DxError; nothing shows `secret`."""
    error: BaseException | None = None
    with LogLines().capturing() as logs:
        try:
            outcome_of(call, loop)
        except DxError as raised:
            error = raised
        except BaseException as raised:  # what this suite exists to find
            pytest.fail(f"raw {type(raised).__name__} escaped: {raised!r}"[:500])
    assert_secret_kept(secret, error, logs)


def files_in_system_directories() -> set[str]:
    return {
        str(entry)
        for directory in (Path("/"), Path("/dev"))
        for entry in directory.iterdir()
        if entry.is_file() and not entry.is_symlink()
    }


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Relative paths land in the test's own directory (contextlib.chdir is 3.11+)."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


async def refused_socket(url: str, **options: Any) -> Any:
    raise ConnectionRefusedError("no real-time endpoint in this test")


def without_realtime_endpoint(client: Any, flavour: str) -> None:
    """Subscriptions fail at once, as against a closed port: resolving the fake endpoint's
    host for real would cost a DNS timeout (5 s) now and then, over the examples' deadline."""
    pytest.importorskip("websockets")
    from avista_dx._realtime import RealtimeConnection, SyncRealtimeConnection

    connection_type = SyncRealtimeConnection if flavour == "sync" else RealtimeConnection
    client._realtime_connection = connection_type(ENDPOINT, TOKEN, open_socket=refused_socket)


@contextlib.contextmanager
def client_of(flavour: str, fake: FakeExchange) -> Iterator[tuple[Any, Any]]:
    """A client over the fake (no retries: a hostile value never needs one), and its loop."""
    transport = httpx.MockTransport(fake.handle)
    options = {"token": TOKEN, "endpoint": ENDPOINT, "debug": True, "max_retries": 0}
    if flavour == "sync":
        with (
            httpx.Client(transport=transport) as http,
            AvistaDigitalExchange(http_client=http, **options) as client,
        ):
            without_realtime_endpoint(client, flavour)
            yield client, None
        return
    loop = asyncio.new_event_loop()
    http_async = httpx.AsyncClient(transport=transport)
    client = AsyncAvistaDigitalExchange(http_client=http_async, **options)
    without_realtime_endpoint(client, flavour)
    try:
        yield client, loop
    finally:
        loop.run_until_complete(client.close())
        loop.run_until_complete(http_async.aclose())
        loop.close()


def call_strategy(method: Callable[..., Any], workdir: Path) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for `method`: every required one, optional ones sometimes."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        target = required if parameter.default is parameter.empty else optional
        target[parameter.name] = strategy_for(parameter.name, workdir)
    return st.fixed_dictionaries(required, optional=optional)


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_entry_point_raises_only_dx_errors_and_never_shows_the_token(
    flavour: str, name: str
) -> None:
    fake = FakeExchange()
    system_files = files_in_system_directories()
    with (
        tempfile.TemporaryDirectory() as temp,
        working_directory(Path(temp)),
        client_of(flavour, fake) as (client, loop),
    ):
        workdir = Path(temp)
        (workdir / "upload.csv").write_bytes(b"a,b\n1,2\n")
        method = public_methods(client)[name]

        @HOSTILE
        @given(call_strategy(method, workdir))
        def hostile_call(kwargs: dict[str, Any]) -> None:
            check_call(lambda: method(**kwargs), loop, TOKEN)

        hostile_call()
    assert files_in_system_directories() <= system_files  # nothing written outside


@pytest.mark.parametrize("name", sorted(HELPERS))
def test_the_record_helpers_raise_only_dx_errors(name: str) -> None:
    helper = HELPERS[name]
    with tempfile.TemporaryDirectory() as temp, working_directory(Path(temp)):

        @HOSTILE
        @given(call_strategy(helper, Path(temp)))
        def hostile_call(kwargs: dict[str, Any]) -> None:
            check_call(lambda: helper(**kwargs), None, TOKEN)

        hostile_call()


SECRET = st.text("0123456789abcdef", min_size=16, max_size=16)
CLIENT_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "debug": HOSTILE_VALUES,
        "endpoint": or_hostile(st.just(ENDPOINT), st.just("https://x.test:70000/")),
        "timeout": or_hostile(st.floats(0, 100), st.just(httpx.Timeout(1.0))),
        "max_retries": or_hostile(st.integers(0, 5)),
        "http_client": HOSTILE_VALUES,
        "publish_concurrency": or_hostile(st.integers(1, 8)),
    },
)


@pytest.mark.parametrize("client_type", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
@HOSTILE
@given(before=TEXT, secret=SECRET, after=TEXT, options=CLIENT_OPTIONS)
def test_any_token_and_settings_give_a_client_or_a_configuration_error_without_the_token(
    client_type: type, before: str, secret: str, after: str, options: dict[str, Any]
) -> None:
    token = before + secret + after
    loop = asyncio.new_event_loop()
    try:

        def construct() -> Any:
            client = client_type(token, **options)
            closed = client.close()
            if inspect.isawaitable(closed):
                loop.run_until_complete(closed)

        check_call(construct, loop, secret)
    finally:
        loop.close()
