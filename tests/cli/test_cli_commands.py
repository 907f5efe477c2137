"""Each command in-process (`avista_dx.cli.run` under CliRunner's isolation) against one
emulator: results, --json documents, formats, and the errors' exit codes."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from avista_dx.cli.app import build_app
from avista_dx.emulator import EmulatorHandle

from .conftest import InProcess

STORE = "dx://Demo data store"
DB = "Demo meters"
_unique = itertools.count()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_unique)}"


def test_every_command_and_option_has_help() -> None:
    missing = []

    def visit(command: Any, path: str) -> None:
        if not (command.help or "").strip():
            missing.append(path)
        for parameter in command.params:
            if getattr(parameter, "param_type_name", "") == "option" and not parameter.help:
                missing.append(f"{path} {parameter.opts[0]}")
            if getattr(parameter, "param_type_name", "") == "argument" and not getattr(
                parameter, "help", None
            ):
                missing.append(f"{path} {parameter.name}")
        children = getattr(command, "commands", {})
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if not children and path != "avista-dx emulator" and "--json" not in options:
            missing.append(f"{path} --json")
        for name, child in children.items():
            visit(child, f"{path} {name}")

    root = get_command(build_app())
    root.help = root.help or "root"
    visit(root, "avista-dx")
    assert missing == []


def test_docs_cli_md_describes_every_command_and_option() -> None:
    reference = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()
    undocumented = []

    def visit(command: Any, path: str) -> None:
        children = getattr(command, "commands", {})
        if not children and f"`{path}" not in reference:
            undocumented.append(path)
        for parameter in command.params:
            if parameter.param_type_name == "option" and parameter.opts[0] not in reference:
                undocumented.append(f"{path} {parameter.opts[0]}")
        for name, child in children.items():
            visit(child, f"{path} {name}")

    visit(get_command(build_app()), "avista-dx")
    assert undocumented == []


def test_a_group_without_its_command_prints_its_help(
    cli: InProcess, emulator: EmulatorHandle
) -> None:
    done = cli("db")
    assert done.code == 2
    assert "ls" in done.stdout
    assert done.stderr == ""
    unknown = cli("db", "drop")
    assert unknown.code == 2
    assert unknown.stderr.startswith("avista-dx: error: No such command 'drop'.")
    before = cli("--json", "db", "ls").json()
    assert [db["name"] for db in before] == [DB]
    overridden = cli(
        "--endpoint", "http://127.0.0.1:9/graphql", "db", "ls", "--endpoint", emulator.url
    )
    assert overridden.code == 0, overridden
    version = cli("--version")
    assert version.code == 0
    assert version.stdout.startswith("avista-dx ")


def test_a_bug_is_one_line_unless_the_traceback_is_asked_for(
    cli: InProcess, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorHandle
) -> None:
    from avista_dx import AvistaDigitalExchange

    def broken(self: object) -> None:
        raise RuntimeError(f"boom {emulator.tokens['owner']}")

    monkeypatch.setattr(AvistaDigitalExchange, "getUserInfo", broken)
    done = cli("whoami")
    assert done.code == 1
    assert done.stderr == (
        "avista-dx: error: internal error: RuntimeError: boom *** (hint: please report it; "
        "AVISTA_DX_CLI_TRACEBACK=1 shows the traceback)\n"
    )
    with pytest.raises(RuntimeError, match="boom"):
        cli("whoami", AVISTA_DX_CLI_TRACEBACK="1")


def test_query_streams_csv_and_json_and_stops_at_max_rows(cli: InProcess) -> None:
    sql = "SELECT time, measure_value::double AS kwh FROM {table} ORDER BY time"
    as_csv = cli("query", sql, "--db", DB, "--format", "csv", "--max-rows", "5", "--page-size", "2")
    assert as_csv.code == 0, as_csv
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 5
    assert list(rows[0]) == ["time", "kwh"]
    assert [float(r["kwh"]) for r in rows] == sorted(float(r["kwh"]) for r in rows)
    every = cli("query", sql, "--db", DB, "--json", "--page-size", "7").json()
    assert len(every) == 24  # a day of hourly readings
    assert every[:5] == [{"time": r["time"], "kwh": float(r["kwh"])} for r in rows]
    table = cli("query", "SELECT count(*) AS n FROM {table}", "--db", DB)
    assert table.stdout.split() == ["n", "24"]


def test_query_parquet_writes_a_file_or_says_what_it_needs(cli: InProcess, tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    sql = "SELECT time, measure_value::double AS kwh FROM {table} ORDER BY time LIMIT 3"
    done = cli("query", sql, "--db", DB, "--format", "parquet", "-o", "rows.parquet")
    assert done.code == 0, done
    table = pyarrow_parquet.read_table(tmp_path / "rows.parquet")
    assert table.column_names == ["time", "kwh"]
    assert table.num_rows == 3
    no_file = cli("query", sql, "--db", DB, "--format", "parquet")
    assert no_file.code == 2
    assert "--output" in no_file.stderr


def test_query_names_a_database_by_id_and_refuses_unknown_names(
    cli: InProcess, emulator: EmulatorHandle
) -> None:
    by_id = cli("query", "SELECT 1 AS one", "--db", emulator.ids.time_series_db, "--json")
    assert by_id.json() == [{"one": 1}]
    unknown = cli("query", "SELECT 1", "--db", "no such database")
    assert unknown.code == 3
    assert "avista-dx db ls" in unknown.stderr


def test_db_create_publish_csv_and_parquet_then_rm(cli: InProcess, tmp_path: Path) -> None:
    name = unique("cli-db")
    created = cli("db", "create", name, "--description", "made by a test", "--json").json()
    assert created["name"] == name
    (tmp_path / "readings.csv").write_text(
        "time,meter,kwh,label\n"
        + "".join(f"{1_700_000_000_000 + i * 60_000},m{i % 2},{i / 2},r{i}\n" for i in range(450))
    )
    untyped = cli("publish", "readings.csv", "--db", name, "--asset", "a1", "--dimensions", "meter")
    assert untyped.code == 2
    assert "measure_types" in untyped.stderr  # csv text needs a type
    published = cli(
        "publish", "readings.csv", "--db", name, "--asset", "a1", "--dimensions", "meter",
        "--measure-types", "kwh=DOUBLE,label=VARCHAR", "--measure-name", "reading", "--json",
    ).json()  # fmt: skip
    assert published == {"file": "readings.csv", "database": name, "assetId": "a1", "records": 450}
    counted = cli("query", "SELECT count(*) AS n FROM {table}", "--db", name, "--json").json()
    assert counted == [{"n": 450}]  # one MULTI record per row (kwh, label)
    pyarrow = pytest.importorskip("pyarrow")
    pytest.importorskip("pyarrow.parquet")

    pyarrow.parquet.write_table(
        pyarrow.table({"time": [1_700_100_000_000], "kwh": [2.5], "on": [True]}),
        tmp_path / "more.parquet",
    )
    done = cli("publish", "more.parquet", "--db", name, "--asset", "a2", "--measure-name", "m")
    assert done.code == 0, done
    multi = cli(
        "query", "SELECT kwh, \"on\" FROM {table} WHERE assetId = 'a2'", "--db", name, "--json"
    )
    assert multi.json() == [{"kwh": 2.5, "on": True}]
    assert cli("db", "rm", name).code == 0
    assert name not in cli("db", "ls").stdout


def test_an_interrupted_publish_says_what_was_written(
    cli: InProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avista_dx import AvistaDigitalExchange, PublishInterruptedError

    calls: list[int] = []

    def publish(self: object, database: str, asset: str, records: list[object]) -> list[object]:
        calls.append(len(records))
        if len(calls) == 2:
            interrupt = KeyboardInterrupt()
            interrupt.__cause__ = PublishInterruptedError(
                "interrupted: 2 of 4 requests written",
                written_indexes=[],
                failed_indexes=[],
                errors={},
            )
            raise interrupt
        return []

    monkeypatch.setattr(AvistaDigitalExchange, "publishToTimeSeriesDatabase", publish)
    (tmp_path / "many.csv").write_text(
        "time,kwh\n" + "".join(f"{1_700_000_000_000 + i},{i}\n" for i in range(1000))
    )
    done = cli("publish", "many.csv", "--db", DB, "--asset", "a", "--measure-types", "kwh=DOUBLE")
    assert calls == [400, 400]
    assert done.code == 130
    assert done.stderr.startswith(
        "avista-dx: error: interrupted while publishing records 400 to 799: "
    )
    assert "2 of 4 requests written" in done.stderr
    assert done.stderr.rstrip().endswith("(hint: records 0 to 399 were written)")


def test_tokens_create_ls_rm(cli: InProcess) -> None:
    name = unique("cli-token")
    created = cli("tokens", "create", name, "--days", "2", "--json").json()
    assert created["tokenValue"]
    listed = cli("tokens", "ls", "--json").json()
    assert name in [t["name"] for t in listed]
    assert all(t.get("tokenValue") is None for t in listed)
    human = cli("tokens", "create", unique("cli-token"))
    assert human.code == 0
    assert "shown only now" in human.stderr
    assert cli("tokens", "rm", created["tokenId"]).code == 0
    assert name not in cli("tokens", "ls").stdout


def test_collab_show_unshare_share(cli: InProcess, emulator: EmulatorHandle) -> None:
    ids = emulator.ids
    shown = cli("collab", "show", ids.collaborative, "--json").json()
    assert shown["name"] == "Demo collaborative"
    assert ids.time_series_db in [s["serviceId"] for s in shown["services"]]
    assert ids.collaborative in cli("collab", "ls").stdout
    assert cli("collab", "unshare", ids.time_series_db, ids.collaborative).code == 0
    services = cli("collab", "show", ids.collaborative, "--json").json()["services"]
    assert ids.time_series_db not in [s["serviceId"] for s in services]
    shared = cli("collab", "share", ids.time_series_db, ids.collaborative, "--json").json()
    assert shared == {"serviceType": "TIME_SERIES_DB", "serviceId": ids.time_series_db, "name": DB}


def test_iot_get_publish_last(cli: InProcess, emulator: EmulatorHandle) -> None:
    assert emulator.seed is not None
    endpoint = emulator.seed.ids["iotEndpoint"]
    got = cli("iot", "get", endpoint, "--json").json()
    assert isinstance(got, dict)
    assert "Temperature" in [t["name"] for t in got["telemetry"]]
    assert "Temperature" in cli("iot", "get", endpoint).stdout
    published = cli("iot", "publish", endpoint, "Temperature=31.5", "Humidity=44", "--json").json()
    assert published["failedRecords"] == []
    last = cli("iot", "last", endpoint, "--json").json()
    assert isinstance(last, list)
    assert {"Temperature": "31.5", "Humidity": "44"}.items() <= {
        v["attributeName"]: v["lastValue"] for v in last
    }.items()
    hubs = cli("iot", "hubs", "--json").json()
    assert [h["name"] for h in hubs] == ["Demo hub"]
    endpoints = cli("iot", "ls", "--hub", hubs[0]["iotHubId"], "--json").json()
    assert endpoint in [e["iotEndpointId"] for e in endpoints]
    assert {e["hub"] for e in endpoints} == {"Demo hub"}
    assert "Roof sensor" in cli("iot", "ls").stdout
    written = cli("iot", "publish", endpoint, "Temperature=30")
    assert written.stdout.startswith("written at ")
    assert written.stdout.rstrip().endswith(": Temperature=30")
    refused = cli("iot", "publish", endpoint, "Nope=1")
    assert refused.code == 1
    assert "UNEXPECTED_ATTRIBUTE" in refused.stdout
    assert cli("iot", "publish", endpoint, "no-equals-sign").code == 2
    group = cli("iot", "group", emulator.seed.ids["iotGroup"], "--json").json()
    assert endpoint in [e["iotEndpointId"] for e in group["endpoints"]]


def test_capture_publish_stop(cli: InProcess, emulator: EmulatorHandle) -> None:
    assert emulator.seed is not None
    capture = emulator.seed.ids["capture"]
    listed = cli("capture", "ls", "--json").json()
    assert [(c["captureId"], c["state"]) for c in listed] == [(capture, "CAPTURING")]
    shown = cli("capture", "get", capture)
    assert "Demo capture" in shown.stdout
    assert "pressure" in shown.stdout  # an attribute of its data model
    model = cli("capture", "get", capture, "--json").json()["dataModel"]
    assert "temperature" in [
        a["userDefinedId"] for item in model["items"] for a in item["attributes"]
    ]
    human = cli("capture", "publish", capture, "pressure=310")
    assert human.code == 0
    assert human.stdout.rstrip().endswith(": pressure=310.0")  # as the exchange stored it
    published = cli("capture", "publish", capture, "temperature=41.5", "--json").json()
    assert published["success"] is True
    assert cli("capture", "stop", capture, "--json").json()["success"] is True
    not_capturing = cli("capture", "publish", capture, "temperature=1")
    assert not_capturing.code == 1
    assert "CAPTURING" in not_capturing.stderr, not_capturing
    restart = cli("capture", "start", capture)  # a stopped capture is COMPLETE
    assert restart.code == 1
    assert "not READY" in restart.stderr


def test_graphql_runs_a_document_with_variables(
    cli: InProcess, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    (tmp_path / "store.graphql").write_text(
        "query($id: ID!) { storage_getDataStore(dataStoreId: $id) { name } }"
    )
    variables = json.dumps({"id": emulator.ids.data_store})
    done = cli("graphql", "store.graphql", "--variables", variables)
    assert done.json() == {"storage_getDataStore": {"name": "Demo data store"}}
    from_stdin = cli("graphql", "-", input="{ user_getUserSession { user { firstName } } }")
    assert from_stdin.json() == {"user_getUserSession": {"user": {"firstName": "Olivia"}}}
    assert cli("graphql", "store.graphql", "--variables", "[1]").code == 2
    assert cli("graphql", "missing.graphql").code == 2
    subscription = cli("graphql", "-", input="subscription { onNotifyUploadComplete { id } }")
    assert subscription.code == 2


def test_files_ls_cp_sync_mv_rm_cat(cli: InProcess, tmp_path: Path) -> None:
    folder = f"{STORE}/{unique('cli-files')}"
    local = tmp_path / "up"
    (local / "sub").mkdir(parents=True)
    (local / "a.txt").write_text("alpha")
    (local / "sub" / "b.csv").write_text("x,y\n1,2\n")
    assert cli("mkdir", folder).code == 0
    assert cli("mkdir", folder).code == 2  # exists (mkdir -p would accept it)
    assert cli("mkdir", "-p", f"{folder}/deep/er").code == 0
    assert cli("cp", "up", folder).code == 2  # a folder needs -r
    planned = cli("cp", "-r", "--dry-run", "up", folder).stdout.splitlines()
    assert planned == [f"(dry run) upload: up/a.txt to {folder}/a.txt",
                       f"(dry run) upload: up/sub/b.csv to {folder}/sub/b.csv"]  # fmt: skip
    one = cli("cp", "--dry-run", "up/a.txt", f"{folder}/", "--json").json()
    assert one == {"action": "upload", "dryRun": True, "source": "up/a.txt",
                   "destination": f"{folder}/a.txt"}  # fmt: skip
    assert [e["name"] for e in cli("ls", folder, "--json").json()] == ["deep/"]  # nothing sent
    copied = cli("cp", "-r", "up", folder, "--json").json()
    assert len(copied["transfers"]) == 2
    assert cli("cat", f"{folder}/sub/b.csv").stdout == "x,y\n1,2\n"
    listed = cli("ls", "-l", f"{folder}/sub", "--json").json()
    assert listed == [
        {"type": "file", "name": "b.csv", "id": listed[0]["id"], "size": 8,
         "lastModified": listed[0]["lastModified"]}
    ]  # fmt: skip
    tree = cli("ls", "-R", folder, "--json").json()
    assert isinstance(tree, list)
    assert [d["path"] for d in tree] == [
        folder,
        f"{folder}/deep",
        f"{folder}/deep/er",
        f"{folder}/sub",
    ]
    (local / "a.txt").write_text("alpha, changed")
    (local / "sub" / "b.csv").unlink()
    dry = cli("sync", "up", folder, "--delete", "--dry-run")
    assert dry.code == 0
    assert "(dry run) upload: up/a.txt" in dry.stdout
    assert f"(dry run) delete: {folder}/sub/b.csv" in dry.stdout
    assert cli("cat", f"{folder}/a.txt").stdout == "alpha"  # the dry run changed nothing
    assert cli("sync", "up", folder, "--delete").code == 0
    assert cli("ls", f"{folder}/deep").code == 3  # not in the local folder: deleted
    assert cli("mkdir", "-p", f"{folder}/deep/er").code == 0
    assert cli("cat", f"{folder}/a.txt").stdout == "alpha, changed"
    assert cli("cp", f"{folder}/a.txt", "down.txt").code == 0
    assert (tmp_path / "down.txt").read_text() == "alpha, changed"
    assert cli("cp", "down.txt", f"{folder}/deep/renamed.txt").code == 0
    assert cli("mv", f"{folder}/deep/renamed.txt", f"{folder}/deep/er/").code == 0
    assert cli("mv", f"{folder}/deep/er/renamed.txt", f"{folder}/deep/er/final.txt").code == 0
    assert cli("mv", f"{folder}/deep/er/final.txt", f"{folder}/deep/er/final.csv").code == 2
    assert cli("cat", f"{folder}/deep/er/final.txt").stdout == "alpha, changed"
    assert cli("rm", folder).code == 2  # a directory needs -r
    removed = cli("rm", "-r", folder, "--json").json()
    assert removed["removed"][-1]["path"] == folder
    gone = cli("ls", folder)
    assert gone.code == 3, gone
    assert cli("cp", "down.txt", "other.txt").code == 2  # one side must be dx://


def test_cp_streams_stdin_and_stdout_and_sets_the_content_type(
    cli: InProcess, emulator: EmulatorHandle
) -> None:
    from avista_dx import AvistaDigitalExchange

    target = f"{STORE}/{unique('piped')}.json"
    sent = cli("cp", "-", target, "--content-type", "application/json", "--json", input='{"a": 1}')
    assert sent.code == 0, sent
    assert cli("cp", target, "-").stdout == '{"a": 1}'
    with AvistaDigitalExchange(emulator.tokens["owner"], endpoint=emulator.url) as dx:
        meta = dx.getDataStoreFileMeta(sent.json()["id"])
    assert meta.contentType == "application/json"
    assert cli("cp", "-", f"{STORE}/", input="x").code == 2  # stdin has no name
    missing = cli("cp", "-", f"{STORE}/no such dir/", input="x")
    assert missing.code == 3, missing
