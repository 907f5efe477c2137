"""The whole loop in a temporary copy of the repo: `make schema` from a server that answers
introspection like AppSync, `make schema-diff`, `make codegen`, then the SDK's unit suite.

The served schema adds a field, an enum value and a root field, and removes a field that
queries/ selects; then the same without the removal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, build_schema, graphql_sync

from scripts.fetch_schema import canonical_sdl

ROOT = Path(__file__).resolve().parents[2]
# What `make schema`, `make schema-diff`, `make codegen` and tests/sdk need.
COPIED = (
    "Makefile",
    "pyproject.toml",
    "ariadne-codegen-sync.toml",
    "schema.graphql",
    "queries",
    "scripts",
    "avista_dx",
    "generated",
    "examples",
    "tests/sdk",
)
TOKEN = "introspection-token-5678"

ADDITIONS = """
extend type DataStore { region: String }
extend enum ServiceType { SOLAR_FARM }
extend type Query { storage_listRegions: [String] }
"""
REMOVED = ("DataStoreFile", "contentType")  # selected by the file fragment of queries/


def served_schema(remove_field: bool) -> GraphQLSchema:
    schema = build_schema((ROOT / "schema.graphql").read_text("utf-8") + ADDITIONS)
    if remove_field:
        type_name, field_name = REMOVED
        owner = schema.get_type(type_name)
        assert isinstance(owner, GraphQLObjectType)
        del owner.fields[field_name]
    return schema


@contextmanager
def exchange_serving(schema: GraphQLSchema) -> Iterator[str]:
    """A GraphQL endpoint over HTTP that, like AppSync, wants the raw token in Authorization."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.headers.get("Authorization") != TOKEN:
                status, answer = 401, {"errors": [{"errorType": "UnauthorizedException"}]}
            else:
                result = graphql_sync(
                    schema, body["query"], operation_name=body.get("operationName")
                )
                status, answer = 200, result.formatted
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source, target = ROOT / name, copy / name
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True, ignore=ignore)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (copy / ".venv-stamp").touch()  # the current venv is reused: `make venv` has nothing to do
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *command], cwd=copy, check=True, capture_output=True)
    # The checkout's mypy cache (warm after `make lint`), so that the suite's mypy test checks
    # what the regenerated package changes (mypy re-checks each file whose content differs, and
    # what depends on it) instead of every module from scratch (~20 s). Copied after the commit:
    # it is not the repo's.
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", copy / ".mypy_cache", symlinks=True)
    return copy


def run(copy: Path, *command: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AVISTA_DX_")}
    # The copy's own scripts/, avista_dx/ and generated package, not the checkout's.
    environ["PYTHONPATH"] = os.pathsep.join([str(copy), str(copy / "generated")])
    return subprocess.run(
        list(command), cwd=copy, env=environ, capture_output=True, text=True, timeout=300
    )


def make(copy: Path, target: str, *variables: str) -> subprocess.CompletedProcess[str]:
    return run(
        copy, "make", "-s", target, f"VENV={sys.prefix}", f"STAMP={copy / '.venv-stamp'}",
        *variables,
    )  # fmt: skip


def fetch(copy: Path, schema: GraphQLSchema) -> None:
    with exchange_serving(schema) as endpoint:
        done = make(copy, "schema", f"AVISTA_DX_ENDPOINT={endpoint}", f"AVISTA_DX_TOKEN={TOKEN}")
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert (copy / "schema.graphql").read_text("utf-8") == canonical_sdl(schema)


def section(report: str, title: str) -> list[str]:
    """The lines of one section of the report, without its title."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{title} ("))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return lines[start + 1 : end]


def methods_of(lines: list[str]) -> set[str]:
    (line,) = [line for line in lines if line.strip().startswith("methods:")]
    return set(line.split(":", 1)[1].strip().split(", "))


def test_a_removal_used_by_queries_is_reported_and_fails_the_diff(repo_copy: Path) -> None:
    fetch(repo_copy, served_schema(remove_field=True))
    diff = make(repo_copy, "schema-diff")
    assert diff.returncode != 0
    assert "Error 1" in diff.stderr  # the script's own verdict, not a usage error (2)
    report = diff.stdout

    breaking = section(report, "Breaking")
    assert breaking[0] == "  FIELD_REMOVED: DataStoreFile.contentType was removed."
    assert len([line for line in breaking if not line.startswith("      ")]) == 1
    assert methods_of(breaking) >= {
        "getDataStoreFileMeta",
        "getDataStoreDirectory",
        "deleteDataStoreFile",
        "downloadDataStoreFile",
        "uploadFileToDataStore",
    }

    dangerous = section(report, "Dangerous")
    assert dangerous[0] == "  VALUE_ADDED_TO_ENUM: SOLAR_FARM was added to enum type ServiceType."
    assert len([line for line in dangerous if not line.startswith("      ")]) == 1
    assert methods_of(dangerous) >= {
        "listCollaborativeServices",
        "addServiceToCollaborative",
        "removeServiceFromCollaborative",
        "listCollaborativesServiceSharedWith",
    }

    assert section(report, "Added (safe)") == ["  DataStore.region was added."]
    assert section(report, "New root fields not reached by any method") == [
        "  Query.storage_listRegions"
    ]
    invalid = section(report, "Operations of queries/ invalid against the new schema")
    assert sorted(line.split(":")[0].strip() for line in invalid if line.startswith("  s")) == [
        "storage_createDataStoreFileDataView",
        "storage_deleteDataStoreFile",
        "storage_deleteDataStoreFileDataView",
        "storage_getDataStoreDirectory",
        "storage_getDataStoreFile",
        "storage_updateDataStoreFile",
    ]


def test_additions_pass_the_diff_and_the_regenerated_sdk_passes_its_suite(
    repo_copy: Path,
) -> None:
    fetch(repo_copy, served_schema(remove_field=False))
    diff = make(repo_copy, "schema-diff")
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert section(diff.stdout, "Breaking") == []
    assert section(diff.stdout, "Added (safe)") == ["  DataStore.region was added."]

    codegen = make(repo_copy, "codegen")
    assert codegen.returncode == 0, codegen.stderr
    enums = (repo_copy / "generated" / "avista_dx_graphql" / "enums.py").read_text("utf-8")
    assert 'SOLAR_FARM = "SOLAR_FARM"' in enums

    suite = run(
        repo_copy, sys.executable, "-m", "pytest", "tests/sdk", "-q", "-p", "no:cacheprovider"
    )
    assert suite.returncode == 0, suite.stdout[-3000:]
    assert " passed" in suite.stdout
