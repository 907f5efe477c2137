"""The console script in a subprocess: exit codes, one-line errors, the token never shown,
configure's file, Ctrl-C, and the CLI kept out of `import avista_dx`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

from avista_dx.emulator import EmulatorHandle

from .conftest import CONSOLE_SCRIPT, Run


def _one_line_error(done: subprocess.CompletedProcess[str], code: int, *parts: str) -> str:
    assert done.returncode == code, done
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("avista-dx: error: "), line
    for part in parts:
        assert part in line, line
    return line


def test_json_output_parses_and_names_the_store(avista_dx: Run) -> None:
    done = avista_dx("ls", "--json")
    assert done.returncode == 0, done.stderr
    assert [s["name"] for s in json.loads(done.stdout)] == ["Demo data store"]


def test_exit_codes_and_hints(avista_dx: Run, emulator: EmulatorHandle) -> None:
    token = emulator.tokens["owner"]
    usage = avista_dx("query")
    _one_line_error(usage, 2, "Missing argument", "avista-dx query --help")
    wrong_kind = avista_dx("collab", "show", emulator.ids.data_store)
    _one_line_error(wrong_kind, 3, "Unauthorized", "a collaborative id (collaborativeId.…)")
    rejected = avista_dx("whoami", AVISTA_DX_TOKEN="not-a-token")
    _one_line_error(rejected, 4, "avista-dx configure")
    bearer = avista_dx("whoami", AVISTA_DX_TOKEN=f"Bearer {token}")
    _one_line_error(bearer, 4, "'Bearer '", "the exchange wants the token alone")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/graphql"
    refused = avista_dx("db", "ls", "--endpoint", url)
    _one_line_error(refused, 5, f"cannot reach {url}")
    no_graphql = avista_dx("whoami", "--endpoint", emulator.base_url + "/")
    _one_line_error(no_graphql, 1, "does not end with /graphql")
    outputs = [usage, wrong_kind, rejected, bearer, refused, no_graphql]
    assert all(token not in o.stdout + o.stderr for o in outputs)


def test_configure_writes_a_private_profile_that_commands_use(
    avista_dx: Run, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    token = emulator.tokens["reader"]
    done = avista_dx(
        "configure",
        "--profile",
        "reader",
        "--json",
        input=f"{emulator.url}\n{token}\n",
        AVISTA_DX_TOKEN="",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["profile"] == "reader"
    assert token not in done.stdout + done.stderr
    config = tmp_path / "config" / "avista-dx"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert f"token = {token}" in config.read_text()
    whoami = avista_dx("whoami", "--json", "--profile", "reader", AVISTA_DX_ENDPOINT="")
    assert json.loads(whoami.stdout)["email"] == "reader@northwind.example"
    assert json.loads(whoami.stdout)["tokenFrom"] == "profile reader"
    assert token not in whoami.stdout + whoami.stderr


def test_subscribe_prints_events_until_ctrl_c(
    cli_env: dict[str, str], emulator: EmulatorHandle
) -> None:
    from avista_dx import AvistaDigitalExchange

    assert emulator.seed is not None
    endpoint = emulator.seed.ids["iotEndpoint"]
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "--json", "subscribe", "iot", endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env,
    )
    try:
        with AvistaDigitalExchange(emulator.tokens["owner"], endpoint=emulator.url) as dx:
            # Publish until the subscriber has started: its first event is the proof.
            assert process.stdout is not None
            os.set_blocking(process.stdout.fileno(), False)
            line = ""
            for _ in range(100):
                dx.iot.publish(endpoint, [{"attributes": {"Temperature": 21.5}}])
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.3)  # an early exit fails below
                line = process.stdout.readline()
                if line or process.returncode is not None:
                    break
        event = json.loads(line)
        assert event["iotEndpointId"] == endpoint
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    finally:
        process.kill()
        process.wait()


def test_shell_completion_offers_commands_and_remote_paths(avista_dx: Run) -> None:
    commands = avista_dx(_AVISTA_DX_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="avista-dx sy")
    assert '"sync"' in commands.stdout
    entries = avista_dx(
        _AVISTA_DX_COMPLETE="complete_zsh",
        _TYPER_COMPLETE_ARGS="avista-dx ls -l 'dx://Demo data store/rep'",
    )
    assert "://Demo data store/reports/" in entries.stdout, entries
    assert "readings" not in entries.stdout


def test_without_the_cli_extra_one_line_names_it() -> None:
    code = (
        "import sys; sys.modules['typer'] = None;"
        "from avista_dx._cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "whoami"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        'avista-dx: this command needs the "cli" extra: pip install "avista-dx[cli]"'
    )
    emulator_help = subprocess.run(
        [sys.executable, "-c", code, "emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert emulator_help.returncode == 0, emulator_help.stderr
    assert "--in-memory" in emulator_help.stdout


def test_importing_the_sdk_loads_no_cli_library() -> None:
    # Not rich or click: httpx itself imports them for its own `httpx` command when they are
    # installed (httpx/_main.py), whoever installed them.
    code = (
        "import sys, avista_dx; avista_dx.AvistaDigitalExchange; avista_dx.errors;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'shellingham')"
        " or m.startswith('avista_dx.cli')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done
