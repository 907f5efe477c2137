"""Guards of the two-pass codegen configuration (CONTRIBUTING.md, "generated/"): ariadne-codegen
ignores unknown keys silently, and the passes must agree on everything that shapes the shared
models."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ONLY_KEYS = {"client_name", "client_file_name", "async_client"}
CONFIGS = ["pyproject.toml", "ariadne-codegen-sync.toml"]


def _section(name: str) -> dict[str, Any]:
    with (ROOT / name).open("rb") as handle:
        section: dict[str, Any] = tomllib.load(handle)["tool"]["ariadne-codegen"]
    return section


def _shared(section: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in section.items() if k not in CLIENT_ONLY_KEYS}


def test_sync_and_async_passes_share_model_settings() -> None:
    async_pass, sync_pass = _section("pyproject.toml"), _section("ariadne-codegen-sync.toml")
    assert _shared(async_pass) == _shared(sync_pass)
    assert async_pass["async_client"] is True
    assert sync_pass["async_client"] is False
    assert {async_pass["client_file_name"], sync_pass["client_file_name"]} == {
        "async_client",
        "client",
    }


@pytest.mark.parametrize("name", CONFIGS)
def test_no_unknown_keys(name: str) -> None:
    settings = pytest.importorskip("ariadne_codegen.settings")
    known = {f.name for f in fields(settings.ClientSettings)}
    assert set(_section(name)) - known == set()


@pytest.mark.parametrize("name", CONFIGS)
def test_generated_bytes_are_reproducible_settings(name: str) -> None:
    section = _section(name)
    assert section["include_comments"] == "stable"  # no timestamps in generated/
    assert not Path(section["schema_path"]).is_absolute()
    assert not Path(section["queries_path"]).is_absolute()


def test_generated_package_has_both_clients_sharing_one_model_set() -> None:
    import asyncio

    import httpx
    from avista_dx_graphql.async_client import AsyncClient
    from avista_dx_graphql.client import Client

    store = {"dataStoreId": "dataStoreId.1", "name": "S", "description": None,
             "ownerUserId": None, "homeDirectoryId": None}  # fmt: skip

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"storage_getDataStore": store}})

    transport = httpx.MockTransport(answer)
    with httpx.Client(transport=transport) as http:
        sync_result = Client(url="http://x/graphql", http_client=http).storage_get_data_store("1")

    async def call_async() -> object:
        async with httpx.AsyncClient(transport=transport) as http:
            client = AsyncClient(url="http://x/graphql", http_client=http)
            return await client.storage_get_data_store("1")

    async_result = asyncio.run(call_async())
    assert type(sync_result) is type(async_result)  # one model class serves both clients
