"""examples/quickstart.py runs end to end against the fake exchange and cleans up after itself."""

from __future__ import annotations

import runpy
from typing import Any

import httpx
import pytest

from .fake_exchange import ENDPOINT, ROOT, TOKEN, FakeExchange


def test_quickstart_walks_every_documented_method(
    monkeypatch: pytest.MonkeyPatch, fake: FakeExchange, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", TOKEN)
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", ENDPOINT)
    real_client = httpx.Client

    def client_on_fake(**kwargs: Any) -> httpx.Client:
        return real_client(transport=httpx.MockTransport(fake.handle), **kwargs)

    monkeypatch.setattr("httpx.Client", client_on_fake)
    files_before = set(fake.files)
    shared_before = {k: list(v) for k, v in fake.shared.items()}

    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")

    output = capsys.readouterr().out
    operations = {r.operation for r in fake.requests}
    assert len(operations) == 18  # every GraphQL operation of the 21 methods
    for method in (
        "== 1. getUserInfo()",
        "== 15. publishToTimeSeriesDatabase(timeSeriesDbId, assetId, records)",
        "== 21. removeServiceFromCollaborative(serviceId, collaborativeId)",
    ):
        assert method in output
    assert set(fake.files) == files_before  # the uploaded file was deleted
    assert fake.shared == shared_before  # the sharing change was undone
    assert fake.invalid_documents == []
