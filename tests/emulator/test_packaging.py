"""Packaging and boundaries: the shipped schema, the import boundary, the coverage table."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = ROOT / "avista_dx" / "emulator"
# The SDK's client side: the emulator must never use it (bugs must not cancel out).
FORBIDDEN_PREFIXES = ("avista_dx_graphql",)
FORBIDDEN_SDK_MODULES = ("avista_dx._client", "avista_dx._base_client", "avista_dx.client")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                base = ".".join(package)
                names.append(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.append(node.module)
    return names


def test_emulator_never_imports_the_generated_client_or_the_sdk() -> None:
    offenders = []
    for path in sorted(EMULATOR.rglob("*.py")):
        for name in _imports(path):
            top_level_sdk = name.startswith("avista_dx.") and not name.startswith(
                "avista_dx.emulator"
            )
            if (
                name.startswith(FORBIDDEN_PREFIXES)
                or name in FORBIDDEN_SDK_MODULES
                or top_level_sdk
            ):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_importing_the_emulator_loads_no_client_code() -> None:
    code = (
        "import sys, avista_dx.emulator, avista_dx.emulator.app, avista_dx.emulator.runner;"
        "bad = sorted(m for m in sys.modules if m.startswith('avista_dx_graphql'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_cli_imports_the_emulator_lazily() -> None:
    code = (
        "import sys, avista_dx._cli;"
        "print(any(m.startswith('avista_dx.emulator') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"


def test_package_schema_is_the_top_level_schema() -> None:
    from avista_dx.emulator.api.schema import load_type_defs

    assert load_type_defs() == (ROOT / "schema.graphql").read_text("utf-8")


def test_wheel_ships_an_identical_schema(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
         str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0 and "No module named 'hatchling'" in result.stderr + result.stdout:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
            capture_output=True,
            text=True,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("avista_dx-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("avista_dx/emulator/schema.graphql")
        names = archive.namelist()
    assert shipped == (ROOT / "schema.graphql").read_bytes()
    assert "avista_dx/emulator/api/schema.py" in names
    # The console and GraphiQL work offline: every static file ships, vendored ones included.
    static = EMULATOR / "http" / "static"
    expected = {
        f"avista_dx/emulator/http/static/{path.relative_to(static).as_posix()}"
        for path in static.rglob("*")
        if path.is_file()
    }
    assert "avista_dx/emulator/http/static/vendor/graphiql.min.js" in expected
    assert expected <= set(names)


def test_coverage_table_is_current() -> None:
    from avista_dx.emulator.coverage import render

    committed = (ROOT / "docs" / "emulator-coverage.md").read_text("utf-8")
    assert committed == render(), (
        "docs/emulator-coverage.md is stale: run "
        "python -m avista_dx.emulator.coverage docs/emulator-coverage.md"
    )


def test_every_resolver_calls_one_backend_method() -> None:
    from avista_dx.emulator.api.resolvers import ROOT_RESOLVERS
    from avista_dx.emulator.coverage import backend_methods

    assert set(backend_methods()) == set(ROOT_RESOLVERS)


def test_pytest_plugin_imports_without_the_emulator_extra() -> None:
    """The pytest11 entry point loads for every user of pytest, extra installed or not."""
    code = (
        "import sys\n"
        "for name in ('starlette', 'ariadne', 'uvicorn', 'graphql'): sys.modules[name] = None\n"
        "import avista_dx.emulator.pytest_plugin as plugin\n"
        "print(plugin.dx_emulator.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "dx_emulator"


def test_public_names_resolve() -> None:
    import avista_dx.emulator as emulator

    for name in emulator.__all__:
        assert getattr(emulator, name) is not None
    assert set(emulator.__all__) <= set(dir(emulator))
