"""The documentation site's API reference checks (scripts/docs_reference.py): `make docs` fails
when the built site lacks a public method; these tests check that check, and what the griffe
extension adds to the reference."""

from __future__ import annotations

import zlib
from pathlib import Path

import griffe
import pytest

from scripts import docs_reference
from scripts.sdk_surface import method_operations

ROOT = Path(__file__).resolve().parents[1]


def _write_inventory(site: Path, objects: dict[str, str]) -> None:
    """A Sphinx (version 2) inventory such as mkdocstrings writes: path -> role."""
    lines = "".join(f"{path} {role} 1 reference/#$ -\n" for path, role in objects.items())
    header = b"# Sphinx inventory version 2\n# Project: p\n# Version: 0\n# zlib below\n"
    (site / docs_reference.INVENTORY).write_bytes(header + zlib.compress(lines.encode()))


def _complete_inventory() -> dict[str, str]:
    objects = {method.path: "py:method" for method in docs_reference.public_methods()}
    for paths in docs_reference.exported_paths().values():
        objects.update(dict.fromkeys(paths, "py:class"))
    return objects


def test_public_methods_are_the_sdk_surface_of_both_clients() -> None:
    methods = docs_reference.public_methods()
    assert {method.call for method in methods} == set(method_operations())
    paths = {method.path for method in methods}
    assert {
        "avista_dx._sync.client.AvistaDigitalExchange.listDataStores",
        "avista_dx._async.client.AsyncAvistaDigitalExchange.getUserInfo",
        "avista_dx._sync.resources.data_stores.DataStores.createDataStore",  # inherited
        "avista_dx._async.resources.iot.AsyncIot.subscribeToEndpoint",
        "avista_dx._sync.resources.admin.Admin.getCollaborative",
    } <= paths


def test_every_exported_name_has_a_place_to_be_rendered() -> None:
    paths = docs_reference.exported_paths()
    assert paths["UnauthorizedException"] == {"avista_dx.errors.UnauthorizedException"}
    assert "avista_dx.types.DataStore" in paths["DataStore"]
    assert "avista_dx._transfers.ProgressCallback" in paths["ProgressCallback"]
    assert all(paths.values())


def test_a_complete_reference_has_no_gaps(tmp_path: Path) -> None:
    _write_inventory(tmp_path, _complete_inventory())
    assert docs_reference.reference_gaps(tmp_path) == []


def test_gaps_name_a_missing_method_an_attribute_and_a_missing_export(tmp_path: Path) -> None:
    objects = _complete_inventory()
    del objects["avista_dx._async.resources.users.AsyncUsers.getUserSession"]
    objects["avista_dx._sync.client.AvistaDigitalExchange.getDataStore"] = "py:attribute"
    for path in docs_reference.exported_paths()["RateLimitError"]:
        del objects[path]
    _write_inventory(tmp_path, objects)
    gaps = docs_reference.reference_gaps(tmp_path)
    assert [gap.split(":")[0] for gap in gaps] == [
        "avista_dx._sync.client.AvistaDigitalExchange.getDataStore",
        "avista_dx._async.resources.users.AsyncUsers.getUserSession",
        "avista_dx.RateLimitError",
    ]


def test_gaps_name_what_has_no_docstring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def undocumented() -> None:
        pass

    class UndocumentedError(Exception):  # its base's docstring is not its own
        pass

    path = "avista_dx._sync.resources.users.Users.getUserSession"
    methods = [docs_reference.PublicMethod(path, "users.getUserSession", undocumented)]
    monkeypatch.setattr(docs_reference, "public_methods", lambda: methods)
    monkeypatch.setattr(
        docs_reference, "exported_paths", lambda: {"UndocumentedError": {"m.UndocumentedError"}}
    )
    monkeypatch.setattr(
        docs_reference.avista_dx, "UndocumentedError", UndocumentedError, raising=False
    )
    _write_inventory(tmp_path, {path: "py:method", "m.UndocumentedError": "py:class"})
    assert docs_reference.reference_gaps(tmp_path) == [
        f"{path}: public method without a docstring",
        "avista_dx.UndocumentedError: exported without a docstring",
    ]


def test_a_file_that_is_not_an_inventory_is_refused(tmp_path: Path) -> None:
    (tmp_path / docs_reference.INVENTORY).write_text("<html>")
    with pytest.raises(ValueError, match="not a Sphinx inventory"):
        docs_reference.reference_gaps(tmp_path)


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    """`avista_dx` as mkdocstrings loads it, with the site's griffe extension."""
    extensions = griffe.load_extensions(docs_reference.ReferenceExtension)
    loaded = griffe.load("avista_dx", search_paths=[ROOT], extensions=extensions)
    assert isinstance(loaded, griffe.Module)
    return loaded


def test_root_methods_taken_from_a_namespace_render_as_methods(package: griffe.Module) -> None:
    client = package["_sync.client.AvistaDigitalExchange"]
    member = client.members["listDataStores"]
    assert member.is_alias
    assert member.is_function
    assert member.target_path == "avista_dx._sync.resources.data_stores.DataStores.listDataStores"


def test_each_method_documents_the_graphql_operations_it_sends(package: griffe.Module) -> None:
    def docstring(path: str) -> str:
        found = package[path].docstring
        assert found is not None
        return str(found.value)

    upload = docstring("_async.resources.data_stores.AsyncDataStores.uploadFileToDataStore")
    assert upload.endswith(
        "GraphQL: `storage_createDataStoreFile`, `storage_deleteDataStoreFile`, "
        "`storage_getDataStoreFile`."
    )
    # Same name, other namespace, other operation: each function gets its own.
    assert docstring("_sync.resources.admin.Admin.getCollaborative").endswith(
        "GraphQL: `platformAdmin_getCollaborative`."
    )
    assert "GraphQL" not in docstring("_sync.client.AvistaDigitalExchange.with_options")


def test_the_make_step_builds_strictly() -> None:
    """`mkdocs build --strict --quiet` passes with warnings (quiet hides them from the strict
    count), and MkDocs only reports broken anchors and pages left out of the nav as warnings
    when mkdocs.yml asks."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = makefile.split("\ndocs: ", 1)[1].split("\n\n", 1)[0]
    assert "build --strict" in recipe
    assert "--quiet" not in recipe
    assert " -q" not in recipe
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    validation = config.split("\nvalidation:\n", 1)[1].split("\n\n", 1)[0]
    for check in ("omitted_files", "absolute_links", "unrecognized_links", "anchors"):
        assert f"  {check}: warn" in validation
