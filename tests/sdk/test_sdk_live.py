"""Read-only smoke of both clients against a real exchange or a running emulator.

Runs only when AVISTA_DX_TEST_BASE_URL (the GraphQL URL) and AVISTA_DX_TEST_TOKEN are set:

    AVISTA_DX_TEST_BASE_URL=http://127.0.0.1:8000/graphql AVISTA_DX_TEST_TOKEN=... pytest -m live
"""

from __future__ import annotations

import asyncio
import os

import pytest

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, PermissionDeniedError

BASE_URL = os.environ.get("AVISTA_DX_TEST_BASE_URL")
TOKEN = os.environ.get("AVISTA_DX_TEST_TOKEN")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (BASE_URL and TOKEN), reason="AVISTA_DX_TEST_BASE_URL/AVISTA_DX_TEST_TOKEN not set"
    ),
]


def test_sync_reads() -> None:
    with AvistaDigitalExchange(TOKEN, endpoint=BASE_URL) as dx:
        assert dx.getUserInfo().userId
        for store in dx.listDataStores():
            assert dx.getDataStore(store.dataStoreId).dataStoreId == store.dataStoreId
            if store.homeDirectoryId:
                home = dx.getDataStoreDirectory(store.homeDirectoryId)
                assert home.dataStoreDirectoryId == store.homeDirectoryId
        for db in dx.listTimeSeriesDatabases():
            assert dx.getTimeSeriesDatabase(db.timeSeriesDbId).tableName == db.tableName
        for collaborative in dx.listCollaboratives():
            dx.listCollaborativeServices(collaborative.collaborativeId)
        with pytest.raises(PermissionDeniedError):
            dx.getDataStore("dataStoreId.does-not-exist")


def test_async_reads() -> None:
    async def scenario() -> None:
        async with AsyncAvistaDigitalExchange(TOKEN, endpoint=BASE_URL) as dx:
            user, stores = await asyncio.gather(dx.getUserInfo(), dx.listDataStores())
            assert user.userId
            assert isinstance(stores, list)

    asyncio.run(scenario())
