"""The engine stays inside the emulator: it never imports the SDK or its generated client."""

from __future__ import annotations

import ast
from pathlib import Path

import avista_dx.emulator.timestream as timestream_package

ALLOWED_THIRD_PARTY = {"duckdb", "sqlglot"}


def test_engine_modules_import_only_the_stdlib_duckdb_sqlglot_and_each_other() -> None:
    package_dir = Path(timestream_package.__file__).parent
    for source in sorted(package_dir.glob("*.py")):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                continue  # a sibling module of the engine
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                assert not name.startswith(("avista_dx", "avista_dx_graphql")), (source, name)
                assert top in ALLOWED_THIRD_PARTY or _is_stdlib(top), (source, name)


def _is_stdlib(module: str) -> bool:
    import sys

    return module in sys.stdlib_module_names or module == "__future__"
