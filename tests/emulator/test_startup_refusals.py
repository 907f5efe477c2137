"""Issue 9, items 11-12: the directory lock is taken before anything is touched, the port is
bound before anything is announced, and each refusal is one line (never a traceback)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from avista_dx.emulator import EmulatorConfig, build_emulator, run_emulator
from avista_dx.emulator._dirlock import DataDirectoryInUseError

CLI = [sys.executable, "-m", "avista_dx._cli", "emulator"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock.getsockname()[1]


def _refused(args: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(CLI + args, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done
    assert "GraphQL at" not in done.stdout
    assert "dx-demo" not in done.stdout + done.stderr  # no token was announced
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done


def test_a_deleted_lock_file_lets_no_second_emulator_in(tmp_path: Path) -> None:
    first = build_emulator(EmulatorConfig(data_dir=tmp_path))
    try:
        staged = first.transfers.stage()  # an upload in flight
        staged.write(b"half an upload")
        (tmp_path / ".lock").unlink()
        with pytest.raises(DataDirectoryInUseError, match="in use by another emulator"):
            build_emulator(EmulatorConfig(data_dir=tmp_path))
        assert len(list((tmp_path / "staging").iterdir())) == 1  # not cleared
        first.transfers.discard(staged)
    finally:
        first.close()
    build_emulator(EmulatorConfig(data_dir=tmp_path)).close()  # released on close


def test_the_cli_refuses_a_busy_port_in_one_line(busy_port: int, tmp_path: Path) -> None:
    done = _refused(["--port", str(busy_port), "--seed", "demo", "--data-dir", str(tmp_path)])
    assert f"cannot listen on 127.0.0.1:{busy_port}" in done.stderr
    assert list(tmp_path.iterdir()) == []  # the data directory was never opened


def test_the_cli_refuses_a_data_directory_in_use_in_one_line(tmp_path: Path) -> None:
    holder = build_emulator(EmulatorConfig(data_dir=tmp_path))
    try:
        done = _refused(["--port", "0", "--seed", "demo", "--data-dir", str(tmp_path)])
        assert f"{tmp_path} is in use by another emulator process (pid {os.getpid()})" in (
            done.stderr
        )
    finally:
        holder.close()


def test_the_cli_announces_the_port_it_bound(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*CLI, "--port", "0", "--seed", "demo", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("avista-dx emulator: GraphQL at http://127.0.0.1:")
        url = first_line.split(" at ", 1)[1].strip()
        assert not url.endswith(":0/graphql")
        health = httpx.get(url.removesuffix("/graphql") + "/_emulator/health", timeout=30)
        assert health.json()["status"] == "ok"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_run_emulator_binds_before_opening_the_data_directory(
    busy_port: int, tmp_path: Path
) -> None:
    with (
        pytest.raises(OSError, match=r"(?i)address already in use"),
        run_emulator(seed="demo", data_dir=tmp_path, port=busy_port),
    ):
        pass
    assert list(tmp_path.iterdir()) == []


def test_the_listening_socket_disables_nagle() -> None:
    """Accepted connections inherit TCP_NODELAY; without it each answer waits ~40 ms."""
    from avista_dx.emulator.runner import listen

    with listen("127.0.0.1", 0) as sock:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
