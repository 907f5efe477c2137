"""`avista-dx cp` and `avista-dx sync`: files and folders between this machine and the
exchange, with progress bars on stderr (dx.dataStores: uploadFileToDataStore,
downloadDataStoreFile, upload_dir, download_dir, sync)."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .failures import CliError
from .remote_paths import (
    PATH_HELP,
    is_remote,
    resolve,
    resolve_directory,
    shown,
    split_parent,
    store_path,
)
from .session import Session, command

if TYPE_CHECKING:
    from .._tree_plan import TreePlan, TreeProgress
    from ..types import DataStoreDirectory, DataStoreFile

SOURCE_HELP = f"A local file or folder (- for stdin), or {PATH_HELP}"
DESTINATION_HELP = "A local path (- for stdout), or dx://STORE/path; one side must be local."
DryRunOption = Annotated[
    bool, typer.Option(help="Print what would be transferred or deleted; change nothing.")
]


def register(app: typer.Typer) -> None:
    app.command("cp")(copy)
    app.command("sync")(sync)


def _sides(source: str, destination: str) -> bool:
    """True for an upload, False for a download."""
    if is_remote(source) == is_remote(destination):
        raise CliError(
            "one of SOURCE and DESTINATION must be local and the other dx://STORE/path",
            hint="the exchange copies no file to itself; download, then upload",
        )
    return is_remote(destination)


@contextlib.contextmanager
def _progress(session: Session, label: str) -> Iterator[Callable[[int, int | None], None]]:
    """A bar on stderr (gone when done; nothing when stderr is no terminal); yields the
    `(done, total)` callback the SDK's transfers call."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(
        *columns,
        console=session.out.errors,
        transient=True,
        disable=not session.out.errors.is_terminal,
    ) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def _tree_callback(update: Callable[[int, int | None], None]) -> Callable[[TreeProgress], None]:
    return lambda done: update(done.bytes_done, done.bytes_total)


@command
def copy(
    session: Session,
    source: Annotated[str, typer.Argument(help=SOURCE_HELP, show_default=False)],
    destination: Annotated[str, typer.Argument(help=DESTINATION_HELP, show_default=False)],
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Copy a folder's contents, recursively.")
    ] = False,
    content_type: Annotated[
        str | None,
        typer.Option(help="The uploaded file's MIME type (default: guessed from its name)."),
    ] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Copies a file, or with -r a folder's contents, to or from the exchange; - is stdin
    or stdout. A file of the same name at the destination is replaced."""
    upload = _sides(source, destination)
    if upload:
        local, remote = Path(source), store_path(destination)
        if local.is_dir():
            _require_recursive(recursive, source)
            if content_type is not None:
                raise CliError("--content-type is for one file", hint="copy the files one by one")
            with _progress(session, f"upload {local.name}") as update:
                plan = session.client.dataStores.upload_dir(
                    local, remote, progress=_tree_callback(update), dry_run=dry_run
                )
            _report_plan(session, plan)
        else:
            _upload_file(session, source, remote, content_type, dry_run)
        return
    from ..types import DataStoreFile

    remote, local = store_path(source), Path(destination)
    found = resolve(session, remote)
    if isinstance(found, DataStoreFile):
        if dry_run:
            _report(session, "download", shown(remote), destination, dry_run=True)
            return
        if destination == "-":
            sys.stdout.flush()
            session.client.dataStores.downloadDataStoreFile(
                found.dataStoreFileId, sys.stdout.buffer
            )
            return
        with _progress(session, f"download {found.fileName}") as update:
            session.client.dataStores.downloadDataStoreFile(
                found.dataStoreFileId, local, progress=update
            )
        _report(session, "download", shown(remote), str(local), dry_run=False)
        return
    _require_recursive(recursive, source)
    with _progress(session, f"download {found.name}") as update:
        plan = session.client.dataStores.download_dir(
            remote, local, progress=_tree_callback(update), dry_run=dry_run
        )
    _report_plan(session, plan)


def _require_recursive(recursive: bool, path: str) -> None:
    if not recursive:
        raise CliError(f"{path!r} is a folder", hint="add -r to copy its contents")


def _upload_file(
    session: Session, source: str, remote: str, content_type: str | None, dry_run: bool
) -> None:
    """Uploads into the directory `remote` names, or as the file `remote` names (`source`
    `-`: stdin); a file it replaces is deleted once the new one is complete."""
    from ..errors import PathNotFoundError
    from ..types import DataStoreDirectory

    replaced: list[DataStoreFile] = []
    found_directory = None
    try:
        found = resolve(session, remote)
    except PathNotFoundError:
        if remote.endswith("/"):
            raise  # a directory was meant, and it is missing
        parent, name = split_parent(remote)
        directory = resolve_directory(session, parent)
    else:
        if isinstance(found, DataStoreDirectory):
            if source == "-":
                raise CliError(
                    "stdin has no name", hint="give the file's name: dx://STORE/dir/NAME"
                )
            directory, name = found, Path(source).name
            found_directory = found
            replaced = [f for f in found.files if f.fileName == name]
        else:
            parent, name = split_parent(remote)
            directory, replaced = resolve_directory(session, parent), [found]
    destination = f"{remote.rstrip('/')}/{name}" if directory is found_directory else remote
    if dry_run:
        _report(session, "upload", source, shown(destination), dry_run=True)
        return
    stores = session.client.dataStores
    content = sys.stdin.buffer if source == "-" else Path(source)
    with _progress(session, f"upload {name}") as update:
        uploaded = stores.uploadFileToDataStore(
            _store_of(directory),
            directory.dataStoreDirectoryId,
            content,
            name=name,
            progress=update,
            content_type=content_type,
        )
    for old in replaced:
        stores.deleteDataStoreFile(old.dataStoreFileId)
    _report(
        session, "upload", source, shown(destination), id_=uploaded.dataStoreFileId, dry_run=False
    )


def _store_of(directory: DataStoreDirectory) -> str:
    if not directory.dataStoreId:
        raise CliError(f"the exchange did not say which store {directory.name!r} is in")
    return directory.dataStoreId


def _report(
    session: Session, action: str, source: str, destination: str, *, id_: str = "", dry_run: bool
) -> None:
    if session.out.json_mode:
        result = {"action": action, "dryRun": dry_run, "source": source, "destination": destination}
        session.out.print_json({**result, "id": id_} if id_ else result)
    else:
        prefix = "(dry run) " if dry_run else ""
        session.out.line(f"{prefix}{action}: {source} to {destination}")


@command
def sync(
    session: Session,
    source: Annotated[str, typer.Argument(help=SOURCE_HELP, show_default=False)],
    destination: Annotated[str, typer.Argument(help=DESTINATION_HELP, show_default=False)],
    delete: Annotated[
        bool, typer.Option(help="Also delete destination files the source does not have.")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Makes a folder and an exchange directory alike, in the direction given: copies new
    and changed files (size differs, or the source is newer), skips unchanged ones
    (dx.dataStores.sync)."""
    upload = _sides(source, destination)
    local, remote = (
        (source, store_path(destination)) if upload else (destination, store_path(source))
    )
    with _progress(session, "sync") as update:
        plan = session.client.dataStores.sync(
            local,
            remote,
            direction="upload" if upload else "download",
            delete=delete,
            dry_run=dry_run,
            progress=_tree_callback(update),
        )
    _report_plan(session, plan)


def _report_plan(session: Session, plan: TreePlan) -> None:
    out = session.out
    if out.json_mode:
        out.print_json(dataclasses.asdict(plan))
        return
    prefix = "(dry run) " if plan.dry_run else ""
    local_root, remote_root = plan.local_path.rstrip("/"), shown(plan.remote_path.rstrip("/"))
    source, destination = (
        (local_root, remote_root) if plan.direction == "upload" else (remote_root, local_root)
    )
    for transfer in plan.transfers:
        out.line(
            f"{prefix}{plan.direction}: {source}/{transfer.relative} to "
            f"{destination}/{transfer.relative}"
        )
    for deletion in (*plan.delete_files, *plan.delete_directories):
        out.line(f"{prefix}delete: {destination}/{deletion.relative}")
    if not plan.transfers and not plan.delete_files and not plan.delete_directories:
        out.line(f"{prefix}nothing to do: {len(plan.unchanged)} files unchanged")
