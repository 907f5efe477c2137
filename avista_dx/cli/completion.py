"""Shell completion of `dx://` paths: store names, then the entries of the directory typed so
far (one listing request per completion; nothing when the exchange cannot be asked)."""

from __future__ import annotations

import typer

from ..types import DataStoreDirectory
from .remote_paths import SCHEME
from .session import GlobalOptions, Session


def complete_remote_path(ctx: typer.Context, incomplete: str) -> list[str]:
    if not incomplete.startswith(SCHEME):
        return [SCHEME] if SCHEME.startswith(incomplete) else []
    options = GlobalOptions(
        profile=ctx.params.get("shared_profile"), endpoint=ctx.params.get("shared_endpoint")
    )
    session = Session(options)
    try:
        candidates = _candidates(session, incomplete[len(SCHEME) :])
    except Exception:  # completion must never print an error into the user's shell
        return []
    finally:
        session.close()
    return [c for c in candidates if c.startswith(incomplete)]


def _candidates(session: Session, typed: str) -> list[str]:
    parent, separator, _ = typed.rpartition("/")
    dx = session.client
    if not separator:
        return [f"{SCHEME}{store.name}/" for store in dx.dataStores.listDataStores()]
    found = dx.dataStores.resolve(parent + "/")  # a trailing / resolves directories only
    assert isinstance(found, DataStoreDirectory)
    return [f"{SCHEME}{parent}/{d.name}/" for d in found.directories] + [
        f"{SCHEME}{parent}/{f.fileName}" for f in found.files
    ]
