"""`avista-dx ls|cat|rm|mkdir|mv` on exchange paths (dx.dataStores: resolve, walk, mkdir and
the file and directory methods)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .completion import complete_remote_path
from .failures import CliError
from .remote_paths import (
    PATH_HELP,
    SCHEME,
    resolve,
    resolve_directory,
    shown,
    split_parent,
    store_path,
)
from .session import Session, command

if TYPE_CHECKING:
    from ..types import DataStoreDirectory, DataStoreFile

RemotePath = Annotated[
    str, typer.Argument(help=PATH_HELP, show_default=False, autocompletion=complete_remote_path)
]
STORE_COLUMNS = (("name", "STORE"), ("dataStoreId", "ID"), ("description", "DESCRIPTION"))
LONG_COLUMNS = (("size", "SIZE"), ("lastModified", "MODIFIED"), ("name", "NAME"), ("id", "ID"))


def register(app: typer.Typer) -> None:
    app.command("ls")(list_path)
    app.command("cat")(cat)
    app.command("rm")(remove)
    app.command("mkdir")(make_directory)
    app.command("mv")(move)


def entries(
    directories: Sequence[DataStoreDirectory], files: Sequence[DataStoreFile]
) -> list[dict[str, Any]]:
    """One row per entry: directories (named with a trailing /) first, then files."""
    rows: list[dict[str, Any]] = [
        {"type": "directory", "name": d.name + "/", "id": d.dataStoreDirectoryId,
         "size": None, "lastModified": None}
        for d in directories
    ]  # fmt: skip
    rows += [
        {"type": "file", "name": f.fileName, "id": f.dataStoreFileId,
         "size": f.storageSizeBytes, "lastModified": f.lastModified}
        for f in files
    ]  # fmt: skip
    return rows


@command
def list_path(
    session: Session,
    path: Annotated[
        str | None,
        typer.Argument(
            help=f"{PATH_HELP} Without it: your stores.", autocompletion=complete_remote_path
        ),
    ] = None,
    long: Annotated[bool, typer.Option("--long", "-l", help="Sizes, times and ids.")] = False,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-R", help="Every directory below, too.")
    ] = False,
) -> None:
    """Lists your stores, a directory or a file (dx.dataStores.listDataStores, resolve,
    walk)."""
    from ..types import DataStoreFile

    out = session.out
    if path is None or path.rstrip("/") == SCHEME.rstrip("/"):
        out.emit(session.client.dataStores.listDataStores(), STORE_COLUMNS)
        return
    target = store_path(path)
    columns = LONG_COLUMNS if long else (("name", "NAME"),)
    if not recursive:
        found = resolve(session, target)
        if isinstance(found, DataStoreFile):
            rows = entries([], [found])
        else:
            rows = entries(found.directories, found.files)
        out.emit(rows, columns)
        return
    listing: list[dict[str, Any]] = [
        {"path": shown(current), "entries": entries(directories, files)}
        for current, directories, files in session.client.dataStores.walk(target)
    ]
    if out.json_mode:
        out.print_json(listing)
        return
    for index, directory in enumerate(listing):
        out.line(("\n" if index else "") + f"{directory['path']}:")
        out.table(directory["entries"], columns)


def remote_file(session: Session, path: str) -> DataStoreFile:
    from ..types import DataStoreFile

    found = resolve(session, path)
    if not isinstance(found, DataStoreFile):
        raise CliError(f"{shown(path)!r} is a directory", hint="`avista-dx ls` lists it")
    return found


@command
def cat(session: Session, path: RemotePath) -> None:
    """Writes a file's bytes to stdout (dx.dataStores.resolve, downloadDataStoreFile)."""
    file = remote_file(session, store_path(path))
    sys.stdout.flush()
    session.client.dataStores.downloadDataStoreFile(file.dataStoreFileId, sys.stdout.buffer)


@command
def remove(
    session: Session,
    path: RemotePath,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Remove a directory and all it holds.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Print what would be removed; remove nothing.")
    ] = False,
) -> None:
    """Removes a file, or with -r a directory and everything below it
    (dx.dataStores.deleteDataStoreFile, walk, deleteDataStoreDirectory)."""
    from ..types import DataStoreFile

    target = store_path(path)
    found = resolve(session, target)
    stores = session.client.dataStores
    removed: list[dict[str, str]] = []
    if isinstance(found, DataStoreFile):
        plan = [("file", target, found.dataStoreFileId)]
    else:
        if not recursive:
            raise CliError(
                f"{shown(target)!r} is a directory", hint="add -r to remove it and its contents"
            )
        if found.homeDirectory:
            raise CliError(f"{shown(target)!r} is a store's home directory: it cannot be removed")
        plan = _tree_removal(session, found, target.rstrip("/"))
    for kind, shown_path, entry_id in plan:
        if not dry_run:
            if kind == "file":
                stores.deleteDataStoreFile(entry_id)
            else:
                stores.deleteDataStoreDirectory(entry_id)
        removed.append({"type": kind, "path": shown(shown_path), "id": entry_id})
        session.out.line(f"{'(dry run) ' if dry_run else ''}removed {shown(shown_path)}")
    if session.out.json_mode:
        session.out.print_json({"dryRun": dry_run, "removed": removed})


def _tree_removal(
    session: Session, directory: DataStoreDirectory, path: str
) -> list[tuple[str, str, str]]:
    """(kind, path, id) of everything below `directory` and itself, in an order that empties
    each directory before it is removed (one listing request per sub-directory)."""
    plan = [("file", f"{path}/{f.fileName}", f.dataStoreFileId) for f in directory.files]
    for child in directory.directories:
        listing = session.client.dataStores.getDataStoreDirectory(child.dataStoreDirectoryId)
        plan += _tree_removal(session, listing, f"{path}/{child.name}")
    plan.append(("directory", path, directory.dataStoreDirectoryId))
    return plan


@command
def make_directory(
    session: Session,
    path: RemotePath,
    parents: Annotated[
        bool, typer.Option("--parents", "-p", help="Create missing parents; no error if it exists.")
    ] = False,
) -> None:
    """Creates a directory (dx.dataStores.mkdir)."""
    target = store_path(path)
    created = session.client.dataStores.mkdir(target, parents=parents, exist_ok=parents)
    session.out.emit(
        {"path": shown(target), "dataStoreDirectoryId": created.dataStoreDirectoryId},
        (("path", "PATH"), ("dataStoreDirectoryId", "ID")),
    )


@command
def move(session: Session, source: RemotePath, destination: RemotePath) -> None:
    """Moves or renames a file or directory within its store: into DESTINATION if it is a
    directory, else to that new path (dx.dataStores.updateDataStoreFile,
    updateDataStoreDirectory)."""
    from ..errors import PathNotFoundError
    from ..types import DataStoreFile

    source_path, target_path = store_path(source), store_path(destination)
    found = resolve(session, source_path)
    try:
        into: DataStoreDirectory | None = resolve_directory(session, target_path)
        name = None
    except PathNotFoundError:
        parent, name = split_parent(target_path)
        into = resolve_directory(session, parent)
    assert into is not None
    taken = [f.fileName for f in into.files] + [d.name for d in into.directories]
    if name is None and _name_of(found) in taken:
        raise CliError(
            f"{shown(target_path)!r} already holds a {_name_of(found)!r}",
            hint="remove it first, or give the new path with a new name",
        )
    if into.dataStoreId != found.dataStoreId:
        raise CliError("mv moves within one store", hint="copy across stores with `avista-dx cp`")
    stores = session.client.dataStores
    if isinstance(found, DataStoreFile):
        moved: Any = stores.updateDataStoreFile(
            found.dataStoreFileId,
            name=_file_base_name(found, name),
            dataStoreDirectoryId=into.dataStoreDirectoryId,
        )
        result = {"path": shown(target_path), "id": moved.dataStoreFileId, "name": moved.fileName}
    else:
        moved = stores.updateDataStoreDirectory(
            found.dataStoreDirectoryId, name=name, parentDirectoryId=into.dataStoreDirectoryId
        )
        result = {"path": shown(target_path), "id": moved.dataStoreDirectoryId, "name": moved.name}
    session.out.emit(result, (("path", "PATH"), ("name", "NAME"), ("id", "ID")))


def _name_of(entry: DataStoreDirectory | DataStoreFile) -> str:
    from ..types import DataStoreFile

    return entry.fileName if isinstance(entry, DataStoreFile) else entry.name


def _file_base_name(file: DataStoreFile, new_name: str | None) -> str | None:
    """The name without extension to give `file` as `new_name` (None: keep it). The
    exchange keeps a file's extension, so a new name must end with the same one."""
    if new_name is None or new_name == file.fileName:
        return None
    extension = f".{file.fileExtension}" if file.fileExtension else ""
    if (extension and not new_name.endswith(extension)) or new_name == extension:
        raise CliError(
            f"a file keeps its extension: {file.fileName!r} can become NAME{extension}, "
            f"not {new_name!r}"
        )
    return new_name[: len(new_name) - len(extension)] if extension else new_name
