"""Upload and download throughput and peak RSS of a large file (targets >= 300 MB/s, <= 100 MB).

    AVISTA_DX_ENDPOINT=... AVISTA_DX_TOKEN=... python -m bench.sdk_transfers [size_mib] [async]

Uses the home directory of the first data store; the uploaded file is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange

from ._env import peak_rss_mb, require_env

CHUNK = 8 * 1024 * 1024


def make_file(path: Path, size: int) -> None:
    block = os.urandom(CHUNK)
    with path.open("wb") as handle:
        written = 0
        while written < size:
            handle.write(block[: min(CHUNK, size - written)])
            written += min(CHUNK, size - written)


def report(label: str, size: int, seconds: float) -> None:
    print(
        f"{label:<9} {size / 1e6 / seconds:8.1f} MB/s ({size / 2**20:.0f} MiB in {seconds:.2f} s)"
    )


def run_sync(endpoint: str, token: str, source: Path, workdir: Path, size: int) -> None:
    with AvistaDigitalExchange(token, endpoint=endpoint, timeout=600) as dx:
        store = dx.listDataStores()[0]
        assert store.homeDirectoryId is not None
        start = time.perf_counter()
        meta = dx.uploadFileToDataStore(store.dataStoreId, store.homeDirectoryId, str(source))
        report("upload", size, time.perf_counter() - start)
        try:
            start = time.perf_counter()
            dx.downloadDataStoreFile(meta.dataStoreFileId, str(workdir / "copy.bin"))
            report("download", size, time.perf_counter() - start)
        finally:
            dx.deleteDataStoreFile(meta.dataStoreFileId)


async def run_async(endpoint: str, token: str, source: Path, workdir: Path, size: int) -> None:
    async with AsyncAvistaDigitalExchange(token, endpoint=endpoint, timeout=600) as dx:
        store = (await dx.listDataStores())[0]
        assert store.homeDirectoryId is not None
        start = time.perf_counter()
        meta = await dx.uploadFileToDataStore(store.dataStoreId, store.homeDirectoryId, str(source))
        report("upload", size, time.perf_counter() - start)
        try:
            start = time.perf_counter()
            await dx.downloadDataStoreFile(meta.dataStoreFileId, str(workdir / "copy.bin"))
            report("download", size, time.perf_counter() - start)
        finally:
            await dx.deleteDataStoreFile(meta.dataStoreFileId)


def main() -> None:
    endpoint, token = require_env()
    size = int(sys.argv[1]) * 2**20 if len(sys.argv) > 1 else 2**30
    use_async = len(sys.argv) > 2 and sys.argv[2] == "async"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = workdir / "bench.bin"
        make_file(source, size)
        rss_before = peak_rss_mb()
        if use_async:
            asyncio.run(run_async(endpoint, token, source, workdir, size))
        else:
            run_sync(endpoint, token, source, workdir, size)
        assert (workdir / "copy.bin").stat().st_size == size
    print(f"peak RSS {peak_rss_mb():.1f} MB (before the transfers: {rss_before:.1f} MB)")


if __name__ == "__main__":
    main()
