"""The emulator as a plain ASGI app behind ``httpx.ASGITransport`` (no sockets), async."""

from __future__ import annotations

import httpx
import pytest

from avista_dx.emulator import EmulatorConfig, build_emulator
from avista_dx.emulator.seed import seed_demo


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_graphql_and_transfers_through_asgi_transport() -> None:
    emulator = build_emulator(EmulatorConfig())
    try:
        seed = seed_demo(emulator)
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://emulator.test"
        ) as client:
            headers = {"Authorization": seed.tokens["writer"]}
            created = (
                await client.post(
                    "/graphql",
                    headers=headers,
                    json={
                        "query": "mutation($s: ID!, $d: ID!) { storage_createDataStoreFile("
                        'dataStoreId: $s, dataStoreDirectoryId: $d, name: "a", fileExtension: "b")'
                        " { url itemId } }",
                        "variables": {"s": seed.ids["dataStore"], "d": seed.ids["homeDirectory"]},
                    },
                )
            ).json()["data"]["storage_createDataStoreFile"]
            assert (await client.put(created["url"], content=b"async bytes")).status_code == 200
            url = (
                await client.post(
                    "/graphql",
                    headers=headers,
                    json={
                        "query": "query($f: ID!) { storage_getDataStoreFileDownloadUrl("
                        "dataStoreFileId: $f) { url } }",
                        "variables": {"f": created["itemId"]},
                    },
                )
            ).json()["data"]["storage_getDataStoreFileDownloadUrl"]["url"]
            assert (await client.get(url)).content == b"async bytes"
    finally:
        emulator.close()
