"""A walk through every documented avista-dx method (numbered as in the documented API).

Configure it with two environment variables and run it:

    export AVISTA_DX_ENDPOINT=http://127.0.0.1:4000/graphql AVISTA_DX_TOKEN=...
    python examples/quickstart.py

or let `make demo` start a local emulator with demo data and run it for you.

It discovers the ids it needs (data store, time series database, collaborative) from the
listings, and removes what it creates: the uploaded file is deleted and a sharing change is
undone. Time series records cannot be deleted through the API, so it publishes to a
dedicated asset, `quickstart-demo`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from avista_dx import (
    AvistaDigitalExchange,
    DataStoreDirectory,
    DataStoreFile,
    PermissionDeniedError,
    records_from_rows,
)

DEMO_ASSET = "quickstart-demo"


def show(title: str, *lines: object) -> None:
    """One step: the call as a heading, then its result, indented."""
    print(f"\n== {title}")
    for line in lines:
        print(f"   {line}")


def describe_file(file: DataStoreFile) -> list[str]:
    return [
        f"{file.fileName}  ({file.dataStoreFileId})",
        f"{file.storageSizeBytes} bytes, {file.contentType}, modified {file.lastModified}",
        f"upload confirmed: {file.s3ConfirmedUpload}",
    ]


def format_row(row: dict[str, Any]) -> str:
    def value(v: Any) -> str:
        return v.isoformat(timespec="seconds") if isinstance(v, dt.datetime) else repr(v)

    return ", ".join(f"{name}={value(v)}" for name, v in row.items())


def walk_data_store(dx: AvistaDigitalExchange, workdir: Path) -> None:
    stores = dx.listDataStores()
    show("2. listDataStores()", *(f"{s.name}  ({s.dataStoreId})" for s in stores))
    if not stores:
        print("   no data store: skipping the data store walk")
        return
    store = dx.getDataStore(stores[0].dataStoreId)
    show(
        "3. getDataStore(dataStoreId)",
        f"{store.name}: {store.description or '-'}",
        f"owner {store.ownerUserId}, home directory {store.homeDirectoryId}",
    )
    if store.homeDirectoryId is None:
        return

    home = dx.getDataStoreDirectory(store.homeDirectoryId)
    show("4. getDataStoreDirectory(dataStoreDirectoryId), one level per call", *tree(dx, home))

    first_file = find_a_file(dx, home)
    if first_file is not None:
        show(
            "5. getDataStoreFileMeta(dataStoreFileId)",
            *describe_file(dx.getDataStoreFileMeta(first_file)),
        )
        meta = dx.downloadDataStoreFile(first_file, str(workdir))
        local_copy = workdir / meta.fileName
        show(
            "6. downloadDataStoreFile(dataStoreFileId, writeLocation)",
            f"{meta.fileName} -> {local_copy} ({local_copy.stat().st_size} bytes)",
        )

    local = workdir / "quickstart notes.v1.txt"
    local.write_text('Uploaded by the avista-dx quickstart: "quotes", \\ and\nnewlines.\n')
    progress: list[str] = []
    uploaded = dx.uploadFileToDataStore(
        store.dataStoreId,
        store.homeDirectoryId,
        str(local),
        description="created by examples/quickstart.py",
        progress=lambda done, total: progress.append(f"{done}/{total} bytes"),
    )
    show(
        "7. uploadFileToDataStore(dataStoreId, dataStoreDirectoryId, localPath)",
        f"progress: {' -> '.join(progress)}",
        f"name {uploaded.name!r} + extension {uploaded.fileExtension!r} (split at the first dot)",
        *describe_file(uploaded),
    )
    deleted = dx.deleteDataStoreFile(uploaded.dataStoreFileId)
    show("8. deleteDataStoreFile(dataStoreFileId)", f"{deleted.fileName} deleted again")


def tree(dx: AvistaDigitalExchange, directory: DataStoreDirectory, depth: int = 0) -> list[str]:
    """The directory and, through one more call each, its sub-directories."""
    indent = "  " * depth
    lines = [f"{indent}{directory.name}/"]
    lines += [f"{indent}  {f.fileName} ({f.storageSizeBytes} bytes)" for f in directory.files]
    for child in directory.directories:
        lines += tree(dx, dx.getDataStoreDirectory(child.dataStoreDirectoryId), depth + 1)
    return lines


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
    show("9. listTimeSeriesDatabases()", *(f"{d.name}  ({d.timeSeriesDbId})" for d in databases))
    if not databases:
        print("   no time series database: skipping the time series walk")
        return
    db = dx.getTimeSeriesDatabase(databases[0].timeSeriesDbId)
    table = f'"{db.databaseName}"."{db.tableName}"'
    show(
        "10. getTimeSeriesDatabase(timeSeriesDbId)",
        f"{db.name}: {db.description or '-'}",
        f"query it as {table}",
    )

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
    show(
        "12.-14. createTimeSeriesMeasureValue / createTimeSeriesDimension / "
        "createTimeSeriesInputRecord",
        *(f"{r.MeasureName} ({r.MeasureValueType}) at {r.Time} {r.TimeUnit}" for r in records),
    )
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
    lines = []
    for asset in assets:
        lines.append(f"asset {asset.assetId} ({asset.name}): {len(records)} records written")
        lines += [
            f"  {a.name} ({a.attributeType}) = {a.lastValue} at {a.lastValueTime}"
            for a in asset.attributes
        ]
    show("15. publishToTimeSeriesDatabase(timeSeriesDbId, assetId, records)", *lines)

    query = (
        f"SELECT time, measure_value::double AS voltage FROM {table} "
        "WHERE measure_name = 'voltage' ORDER BY time DESC"
    )
    # The documented manual paging: same query and maxRows, the previous tokens.
    pages = [dx.queryTimeSeriesDatabase(db.timeSeriesDbId, query, maxRows=2)]
    while pages[-1].NextToken:
        last = pages[-1]
        pages.append(
            dx.queryTimeSeriesDatabase(
                db.timeSeriesDbId, query, 2, last.NextToken, last.clientToken
            )
        )
    show(
        "11. queryTimeSeriesDatabase(timeSeriesDbId, queryString, maxRows, nextToken, clientToken)",
        query,
        f"{len(pages)} pages of at most 2 rows: {[len(p.Rows) for p in pages]}"
        " (a page may be empty while more follow, as on Timestream)",
        f"raw Timestream rows of the last page: {pages[-1].Rows}",
    )
    # ...or let the SDK follow the tokens, with typed values.
    rows = [row for p in dx.iterTimeSeriesQuery(db.timeSeriesDbId, query, 2) for row in p.rows()]
    show("iterTimeSeriesQuery() + rows(): typed values", *(format_row(r) for r in rows))


def walk_collaboratives(dx: AvistaDigitalExchange) -> None:
    collaboratives = dx.listCollaboratives()
    show("16. listCollaboratives()", *(f"{c.name}  ({c.collaborativeId})" for c in collaboratives))
    if not collaboratives:
        print("   no collaborative: skipping the collaborative walk")
        return
    collaborative = dx.getCollaborative(collaboratives[0].collaborativeId)
    show("17. getCollaborative(collaborativeId)", *members(collaborative.memberOrganizations))
    services = dx.listCollaborativeServices(collaborative.collaborativeId)
    show(
        "18. listCollaborativeServices(collaborativeId)",
        *(f"{s.serviceType}: {service_name(s)}  ({s.serviceId})" for s in services),
    )

    candidates = [s.dataStoreId for s in dx.listDataStores()]
    candidates += [d.timeSeriesDbId for d in dx.listTimeSeriesDatabases()]
    if not candidates:
        return
    service_id = candidates[0]
    shared_with = dx.listCollaborativesServiceSharedWith(service_id)
    show(
        "19. listCollaborativesServiceSharedWith(serviceId)",
        f"{service_id} is shared with {[c.name for c in shared_with]}",
    )
    # Change the sharing, then undo it, so the exchange ends as it started.
    collaborative_id = collaborative.collaborativeId
    try:
        if any(c.collaborativeId == collaborative_id for c in shared_with):
            removed = dx.removeServiceFromCollaborative(service_id, collaborative_id)
            show(
                "21. removeServiceFromCollaborative(serviceId, collaborativeId)", removed.serviceId
            )
            added = dx.addServiceToCollaborative(service_id, collaborative_id)
            show(
                "20. addServiceToCollaborative(serviceId, collaborativeId), restored",
                added.serviceId,
            )
        else:
            added = dx.addServiceToCollaborative(service_id, collaborative_id)
            show("20. addServiceToCollaborative(serviceId, collaborativeId)", added.serviceId)
            removed = dx.removeServiceFromCollaborative(service_id, collaborative_id)
            show(
                "21. removeServiceFromCollaborative(serviceId, collaborativeId), undone",
                removed.serviceId,
            )
    except PermissionDeniedError as error:
        print(f"   sharing not allowed for this user: {error}")


def members(organizations: Iterable[Any]) -> list[str]:
    lines = []
    for member in organizations:
        name = member.organization.name if member.organization else "?"
        users = [
            f"{u.user.firstName} {u.user.lastName} ({u.permission})"
            for u in member.usersInCollaborative
            if u.user
        ]
        lines.append(f"{name} [{member.memberState}]: {', '.join(users) or '-'}")
    return lines


def service_name(service: Any) -> str:
    if service.dataStore is not None:
        return str(service.dataStore.name)
    if service.timeSeriesDb is not None:
        return str(service.timeSeriesDb.name)
    return "-"


def main() -> None:
    # Token and endpoint come from AVISTA_DX_TOKEN and AVISTA_DX_ENDPOINT.
    with AvistaDigitalExchange() as dx, tempfile.TemporaryDirectory() as workdir:
        user = dx.getUserInfo()
        organization = user.organization.name if user.organization else "-"
        full_name = " ".join(n for n in (user.firstName, user.lastName) if n)
        show("1. getUserInfo()", f"{full_name} of {organization} ({user.userId})")
        walk_data_store(dx, Path(workdir))
        walk_time_series(dx)
        walk_collaboratives(dx)
    print("\nEvery documented method ran; the exchange is as it was (bar the published records).")


if __name__ == "__main__":
    main()
