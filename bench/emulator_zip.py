"""Zip downloads: time to issue the URL, zip throughput vs plain file GETs, emulator peak RSS.

``python -m bench.emulator_zip [--files 6] [--file-mib 50]``. The emulator runs as the CLI in
a subprocess (on-disk data directory), so its peak RSS is its own: the archive is streamed, so
the peak should stay near the idle figure whatever the archive's size. The baseline is the
same bytes fetched as separate presigned file GETs in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import httpx

from ._env import running_emulator
from .emulator_http import CHUNK, TOKEN, _gql, _peak_rss_mib, _zeros

CREATE_FILE = (
    "mutation($s: ID!, $d: ID!, $n: String!) { storage_createDataStoreFile(dataStoreId: $s, "
    'dataStoreDirectoryId: $d, name: $n, fileExtension: "bin") { url itemId } }'
)
CREATE_DIRECTORY = (
    "mutation($s: ID!, $p: ID!) { storage_createDataStoreDirectory(dataStoreId: $s, "
    'parentDirectoryId: $p, name: "bench-zip") { dataStoreDirectoryId } }'
)
FILE_URL = "query($f: ID!) { storage_getDataStoreFileDownloadUrl(dataStoreFileId: $f) { url } }"
ZIP_URL = (
    "query($d: ID!) { storage_getDataStoreZipDownloadUrl(dataStoreObjectIds: "
    "[{objectType: DIRECTORY, dataStoreDirectoryId: $d}]) { url } }"
)


def _drain(client: httpx.Client, url: str) -> int:
    received = 0
    with client.stream("GET", url) as stream:
        assert stream.status_code == 200, stream.read()
        for chunk in stream.iter_raw(CHUNK):
            received += len(chunk)
    return received


def bench(url: str, pid: int, files: int, file_bytes: int) -> None:
    with (
        httpx.Client(headers={"Authorization": TOKEN}, timeout=600) as client,
        httpx.Client(timeout=600) as plain,
    ):
        (store,) = _gql(
            client, url, "query { storage_listDataStores { dataStoreId homeDirectoryId } }"
        )
        folder = _gql(
            client, url, CREATE_DIRECTORY, s=store["dataStoreId"], p=store["homeDirectoryId"]
        )["dataStoreDirectoryId"]
        file_ids = []
        for index in range(files):
            created = _gql(
                client, url, CREATE_FILE, s=store["dataStoreId"], d=folder, n=f"f{index}"
            )
            response = plain.put(
                created["url"], content=_zeros(file_bytes),
                headers={"Content-Length": str(file_bytes)},
            )  # fmt: skip
            assert response.status_code == 200, response.text
            file_ids.append(created["itemId"])
        rss_idle = _peak_rss_mib(pid)

        start = time.perf_counter()
        for file_id in file_ids:
            assert _drain(plain, _gql(client, url, FILE_URL, f=file_id)["url"]) == file_bytes
        files_seconds = time.perf_counter() - start
        rss_files = _peak_rss_mib(pid)

        start = time.perf_counter()
        zip_url = _gql(client, url, ZIP_URL, d=folder)["url"]
        issue_seconds = time.perf_counter() - start
        start = time.perf_counter()
        archive_bytes = _drain(plain, zip_url)
        zip_seconds = time.perf_counter() - start
        rss_zip = _peak_rss_mib(pid)
    total_mib = files * file_bytes / 2**20
    files_rate, zip_rate = total_mib / files_seconds, archive_bytes / 2**20 / zip_seconds
    print(
        f"zip of {files} x {file_bytes / 2**20:.0f} MiB ({archive_bytes / 2**20:.0f} MiB): "
        f"URL issued in {issue_seconds * 1000:.0f} ms (sizing pass included); "
        f"download {zip_rate:.0f} MiB/s vs {files_rate:.0f} MiB/s as separate file GETs "
        f"(ratio {zip_rate / files_rate:.2f})"
    )
    print(
        f"emulator peak RSS: {rss_idle:.0f} MiB after the uploads, {rss_files:.0f} MiB after "
        f"the file GETs, {rss_zip:.0f} MiB after the zip download"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--file-mib", type=int, default=50)
    options = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="dx-bench-") as data_dir,
        running_emulator(data_dir) as (process, url),
    ):
        bench(url, process.pid, options.files, options.file_mib * 2**20)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
