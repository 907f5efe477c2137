"""A walk through every documented avista-dx method.

Configure it with two environment variables and run it:

    export AVISTA_DX_ENDPOINT=http://127.0.0.1:8000/graphql AVISTA_DX_TOKEN=...
    python examples/quickstart.py

It discovers the ids it needs (data store, time series database, collaborative) from the
listings, and removes what it creates: the uploaded file is deleted and a sharing change is
undone. Time series records cannot be deleted through the API, so it publishes to a
dedicated asset, `quickstart-demo`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from avista_dx import (
    AvistaDigitalExchange,
    DataStoreDirectory,
    PermissionDeniedError,
    records_from_rows,
)

DEMO_ASSET = "quickstart-demo"


def show(title: str, value: object) -> None:
    print(f"\n== {title}\n{value}")


def walk_data_store(dx: AvistaDigitalExchange, workdir: Path) -> None:
    stores = dx.listDataStores()
    show("listDataStores()", [f"{s.name} ({s.dataStoreId})" for s in stores])
    if not stores:
        print("no data store: skipping the data store walk")
        return
    store = dx.getDataStore(stores[0].dataStoreId)
    show("getDataStore()", store)
    if store.homeDirectoryId is None:
        return

    home = dx.getDataStoreDirectory(store.homeDirectoryId)
    print_tree(dx, home)

    first_file = find_a_file(dx, home)
    if first_file is not None:
        show("getDataStoreFileMeta()", dx.getDataStoreFileMeta(first_file))
        meta = dx.downloadDataStoreFile(first_file, str(workdir))
        size = (workdir / meta.fileName).stat().st_size
        show("downloadDataStoreFile()", f"{meta.fileName}: {size} bytes in {workdir}")

    local = workdir / "quickstart notes.v1.txt"
    local.write_text('Uploaded by the avista-dx quickstart: "quotes", \\ and\nnewlines.\n')
    uploaded = dx.uploadFileToDataStore(
        store.dataStoreId,
        store.homeDirectoryId,
        str(local),
        description="created by examples/quickstart.py",
        progress=lambda done, total: print(f"  uploaded {done}/{total} bytes"),
    )
    show("uploadFileToDataStore()", f"{uploaded.fileName} -> {uploaded.dataStoreFileId}")
    deleted = dx.deleteDataStoreFile(uploaded.dataStoreFileId)
    show("deleteDataStoreFile()", f"{deleted.fileName} deleted again")


def print_tree(dx: AvistaDigitalExchange, directory: DataStoreDirectory, depth: int = 0) -> None:
    """getDataStoreDirectory() returns one level; descend into each sub-directory."""
    if depth == 0:
        print("\n== getDataStoreDirectory(), recursively")
    indent = "  " * depth
    print(f"{indent}{directory.name}/")
    for file in directory.files:
        print(f"{indent}  {file.fileName} ({file.storageSizeBytes} bytes)")
    for child in directory.directories:
        print_tree(dx, dx.getDataStoreDirectory(child.dataStoreDirectoryId), depth + 1)


def find_a_file(dx: AvistaDigitalExchange, directory: DataStoreDirectory) -> str | None:
    if directory.files:
        return directory.files[0].dataStoreFileId
    for child in directory.directories:
        found = find_a_file(dx, dx.getDataStoreDirectory(child.dataStoreDirectoryId))
        if found:
            return found
    return None


def walk_time_series(dx: AvistaDigitalExchange) -> None:
    databases = dx.listTimeSeriesDatabases()
    show("listTimeSeriesDatabases()", [f"{d.name} ({d.timeSeriesDbId})" for d in databases])
    if not databases:
        print("no time series database: skipping the time series walk")
        return
    db = dx.getTimeSeriesDatabase(databases[0].timeSeriesDbId)
    show("getTimeSeriesDatabase()", db)

    # The documented way: build each piece, then the record.
    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    dimensions = [dx.createTimeSeriesDimension("VARCHAR", "name", "Quickstart demo asset")]
    measures = [
        dx.createTimeSeriesMeasureValue("DOUBLE", "power_kw", "12.5"),
        dx.createTimeSeriesMeasureValue("VARCHAR", "state", "running"),
    ]
    records = [
        dx.createTimeSeriesInputRecord(
            str(now), "SECONDS", "status", "MULTI", None, measures, dimensions
        ),
        dx.createTimeSeriesInputRecord(
            str(now), "SECONDS", "temperature_c", "DOUBLE", "21.5", None, dimensions
        ),
    ]
    # The shortcut: records from plain rows (types inferred, dimensions from columns).
    records += records_from_rows(
        [
            {"time": now - i, "name": "Quickstart demo asset", "voltage": 230.0 + i}
            for i in range(5)
        ],
        dimension_fields=["name"],
        time_unit="SECONDS",
    )
    assets = dx.publishToTimeSeriesDatabase(db.timeSeriesDbId, DEMO_ASSET, records)
    for asset in assets:
        show("publishToTimeSeriesDatabase()", f"{asset.name}: {len(asset.attributes)} attributes")
        for attribute in asset.attributes:
            print(f"  {attribute.name} = {attribute.lastValue} at {attribute.lastValueTime}")

    table = f'"{db.databaseName}"."{db.tableName}"'
    query = (
        f"SELECT time, measure_name, measure_value::double FROM {table} "
        "WHERE measure_name = 'voltage' ORDER BY time DESC"
    )
    page = dx.queryTimeSeriesDatabase(db.timeSeriesDbId, query, maxRows=2)
    show(
        "queryTimeSeriesDatabase(), first page",
        f"{len(page.Rows)} rows, NextToken={page.NextToken!r}",
    )
    if page.NextToken:  # the documented manual paging...
        second = dx.queryTimeSeriesDatabase(
            db.timeSeriesDbId, query, 2, page.NextToken, page.clientToken
        )
        print(f"  second page: {len(second.Rows)} rows")
    # ...or let the SDK follow the tokens, with typed values.
    rows = [row for p in dx.iterTimeSeriesQuery(db.timeSeriesDbId, query, 2) for row in p.rows()]
    show("iterTimeSeriesQuery() + rows()", "\n".join(str(r) for r in rows[:5]))


def walk_collaboratives(dx: AvistaDigitalExchange) -> None:
    collaboratives = dx.listCollaboratives()
    show("listCollaboratives()", [f"{c.name} ({c.collaborativeId})" for c in collaboratives])
    if not collaboratives:
        print("no collaborative: skipping the collaborative walk")
        return
    collaborative = dx.getCollaborative(collaboratives[0].collaborativeId)
    members = [m.organization.name for m in collaborative.memberOrganizations if m.organization]
    show("getCollaborative()", f"{collaborative.name}: members {members}")
    services = dx.listCollaborativeServices(collaborative.collaborativeId)
    show("listCollaborativeServices()", [f"{s.serviceType} {s.serviceId}" for s in services])

    candidates = [s.dataStoreId for s in dx.listDataStores()]
    candidates += [d.timeSeriesDbId for d in dx.listTimeSeriesDatabases()]
    if not candidates:
        return
    service_id = candidates[0]
    shared_with = dx.listCollaborativesServiceSharedWith(service_id)
    show("listCollaborativesServiceSharedWith()", [c.name for c in shared_with])
    # Change the sharing, then undo it, so the exchange ends as it started.
    try:
        if any(c.collaborativeId == collaborative.collaborativeId for c in shared_with):
            removed = dx.removeServiceFromCollaborative(service_id, collaborative.collaborativeId)
            show("removeServiceFromCollaborative()", removed.serviceId)
            added = dx.addServiceToCollaborative(service_id, collaborative.collaborativeId)
            show("addServiceToCollaborative() (restored)", added.serviceId)
        else:
            added = dx.addServiceToCollaborative(service_id, collaborative.collaborativeId)
            show("addServiceToCollaborative()", added.serviceId)
            removed = dx.removeServiceFromCollaborative(service_id, collaborative.collaborativeId)
            show("removeServiceFromCollaborative() (undone)", removed.serviceId)
    except PermissionDeniedError as error:
        print(f"sharing not allowed for this user: {error}")


def main() -> None:
    # Token and endpoint come from AVISTA_DX_TOKEN and AVISTA_DX_ENDPOINT.
    with AvistaDigitalExchange() as dx, tempfile.TemporaryDirectory() as workdir:
        user = dx.getUserInfo()
        organization = user.organization.name if user.organization else "-"
        show("getUserInfo()", f"{user.firstName} {user.lastName} ({organization})")
        walk_data_store(dx, Path(workdir))
        walk_time_series(dx)
        walk_collaboratives(dx)


if __name__ == "__main__":
    main()
