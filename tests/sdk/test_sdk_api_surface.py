"""The public surface: exports, lazy imports, and the documented methods and types as published."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import avista_dx
from avista_dx import AsyncAvistaDigitalExchange, AvistaDigitalExchange, errors, types

# The published 0.0.19 SDK's README, kept as project data: the documented signatures and types
# that the clients must keep.
DOC = (Path(__file__).parent / "data" / "documented-api-0.0.19.md").read_text()


def documented_methods() -> dict[str, list[tuple[str, bool]]]:
    """`### N. name` sections -> [(parameter, required)] from their Parameters block."""
    methods: dict[str, list[tuple[str, bool]]] = {}
    sections = re.split(r"^### \d+\. ", DOC, flags=re.M)[1:]
    for section in sections:
        name = section.split("\n", 1)[0].strip()
        block = section.split("#### Parameters:", 1)[1].split("#### Return Type", 1)[0]
        params = re.findall(r"^(\w+)\s*:\s*[^,\n]+,\s*(required|optional)", block, flags=re.M)
        methods[name] = [(p, kind == "required") for p, kind in params]
    return methods


def documented_types() -> dict[str, set[str]]:
    types_part = DOC.split("## Types", 1)[1]
    result: dict[str, set[str]] = {}
    for section in re.split(r"^### ", types_part, flags=re.M)[1:]:
        name = section.split("\n", 1)[0].strip()
        block = section.split("#### Properties", 1)[1]
        result[name] = set(re.findall(r"^(\w+)\s*:", block, flags=re.M))
    return result


METHODS = documented_methods()
TYPES = documented_types()


def test_the_documentation_parses_into_21_methods_and_17_types() -> None:
    assert len(METHODS) == 21
    assert len(TYPES) == 17
    assert METHODS["uploadFileToDataStore"] == [
        ("dataStoreId", True),
        ("dataStoreDirectoryId", True),
        ("localPath", True),
        ("name", False),
        ("description", False),
    ]


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
@pytest.mark.parametrize("method", sorted(METHODS))
def test_method_signature_matches_the_documentation(client: type, method: str) -> None:
    signature = inspect.signature(getattr(client, method))
    positional = [
        p
        for p in signature.parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self"
    ]
    assert [(p.name, p.default is p.empty) for p in positional] == METHODS[method]
    for parameter in positional:
        if parameter.default is not parameter.empty:
            assert parameter.default == (1 if parameter.name == "Version" else None)
    # Additions are keyword-only, so documented positional calls keep their meaning.
    extra = [p for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]
    assert all(p.default is not p.empty for p in extra)


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
def test_constructor_signature(client: type) -> None:
    parameters = inspect.signature(client).parameters
    assert list(parameters)[:2] == ["token", "debug"]
    assert parameters["debug"].default is False
    for name in ("endpoint", "timeout", "http_client", "max_retries"):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_async_methods_are_coroutines_with_the_same_names() -> None:
    for method in METHODS:
        sync, async_ = (
            getattr(AvistaDigitalExchange, method),
            getattr(AsyncAvistaDigitalExchange, method),
        )
        local = method.startswith("create")
        assert inspect.iscoroutinefunction(async_) is not local
        assert not inspect.iscoroutinefunction(sync)
    assert inspect.isasyncgenfunction(AsyncAvistaDigitalExchange.iterTimeSeriesQuery)


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_documented_type_has_the_documented_attributes(type_name: str) -> None:
    model = getattr(avista_dx, type_name)
    assert set(TYPES[type_name]) <= set(model.model_fields)


def test_all_is_explicit_sorted_and_importable() -> None:
    assert avista_dx.__all__ == sorted(avista_dx.__all__, key=str)
    assert len(set(avista_dx.__all__)) == len(avista_dx.__all__)
    for name in avista_dx.__all__:
        assert getattr(avista_dx, name) is not None
    documented = {"AvistaDigitalExchange", *TYPES}
    assert documented <= set(avista_dx.__all__)
    assert set(errors.__all__) <= set(avista_dx.__all__)
    assert set(types.__all__) <= set(avista_dx.__all__)
    with pytest.raises(AttributeError):
        _ = avista_dx.NoSuchName  # type: ignore[attr-defined]


def test_old_exception_names_are_aliases_in_the_new_tree() -> None:
    assert avista_dx.UnauthorizedException is errors.AuthenticationError
    assert avista_dx.Unauthorized is errors.PermissionDeniedError
    assert avista_dx.QueryFailed is errors.APIError
    assert avista_dx.MutationFailed is errors.APIError
    assert avista_dx.MissingDataInResultException is errors.InvalidResponseError
    assert avista_dx.InvalidParameterException is errors.InvalidInputError
    assert avista_dx.FileNotFoundException is errors.LocalFileNotFoundError
    assert avista_dx.FileUploadException is errors.UploadError
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.DxError)


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_avista_dx_is_lazy() -> None:
    loaded = _loaded_after("import avista_dx")
    assert not {"avista_dx_graphql", "avista_dx._sync", "httpx", "pydantic"} & loaded


def test_import_of_the_emulator_loads_no_client_module() -> None:
    loaded = _loaded_after("import avista_dx.emulator")
    assert "avista_dx_graphql" not in loaded
    assert not {m for m in loaded if m.startswith("avista_dx._")}
