"""Upload ids outlive a restart: the notification still finds its file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")

from avista_dx.emulator.runner import run_emulator

from .conftest import Exchange


def test_notify_upload_complete_after_a_restart(tmp_path: Path) -> None:
    with run_emulator(seed="demo", data_dir=tmp_path) as first:
        exchange = Exchange(first)
        created = exchange.create_file("before restart")
        httpx.put(created["url"], content=b"bytes").raise_for_status()
        exchange.close()
    with run_emulator(seed="demo", data_dir=tmp_path) as second:
        exchange = Exchange(second)
        reported = exchange.data(
            "owner",
            "mutation($u: ID!) { notifications_notifyUploadComplete(uploadId: $u)"
            " { uploadId httpStatusCode } }",
            u=created["uploadId"],
        )
        exchange.close()
    assert reported == {"uploadId": created["uploadId"], "httpStatusCode": 200}
