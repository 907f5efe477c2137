"""The console's routes without a browser: pages, assets, demo tokens, GraphiQL for browsers."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("ariadne", reason="the emulator extra is not installed")

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from avista_dx.emulator import EmulatorConfig, build_emulator
from avista_dx.emulator.http.console import STATIC_DIR, STATIC_PATH
from avista_dx.emulator.seed import apply_seed

OWN_CODE = [path for path in STATIC_DIR.rglob("*") if path.suffix in {".js", ".html", ".css"}]
OWN_CODE = [path for path in OWN_CODE if "vendor" not in path.parts]
REFERENCE = re.compile(r"""(?:src|href)="([^"]+)"|from "([^"]+)"|import\("([^"]+)"\)""")


def client_for(seed: str | None) -> Iterator[TestClient]:
    emulator = build_emulator(EmulatorConfig(seed=seed))
    apply_seed(emulator, seed)
    try:
        with TestClient(emulator.app) as client:
            yield client
    finally:
        emulator.close()


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield from client_for("demo")


def test_console_page_is_served(client: TestClient) -> None:
    response = client.get("/_emulator/console")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'src="{STATIC_PATH}/console.js"' in response.text
    assert client.get("/_emulator/console/", follow_redirects=False).status_code == 307


def test_graphql_get_serves_graphiql_to_browsers_only(client: TestClient) -> None:
    browser = client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml,*/*"})
    assert browser.status_code == 200
    assert "vendor/graphiql.min.js" in browser.text
    for accept in ("application/json", "*/*"):
        other = client.get("/graphql", headers={"Accept": accept})
        assert other.status_code == 405
        assert other.headers["allow"] == "POST"
    assert client.post("/graphql", json={"query": "{ __typename }"}).status_code == 401


def test_every_reference_of_the_pages_and_modules_is_shipped_and_local(
    client: TestClient,
) -> None:
    """Nothing is fetched from another host: every src/href/import resolves on the emulator."""
    checked = 0
    for path in OWN_CODE:
        for match in REFERENCE.finditer(path.read_text("utf-8")):
            reference = next(group for group in match.groups() if group)
            if reference.startswith(("#", "data:")):
                continue
            assert "//" not in reference, f"{path.name} refers to another host: {reference}"
            if reference.startswith("/"):
                url = reference
            else:  # a module relative to the importing module
                relative = path.parent.relative_to(STATIC_DIR) / reference
                url = f"{STATIC_PATH}/{Path(relative).as_posix()}"
            response = client.get(url)
            assert response.status_code == 200, f"{path.name}: {reference} → {url}"
            checked += 1
    assert checked >= 20


def test_modules_and_styles_are_served_with_their_types(client: TestClient) -> None:
    module = client.get(f"{STATIC_PATH}/console.js")
    assert module.headers["content-type"].startswith("text/javascript")
    style = client.get(f"{STATIC_PATH}/vendor/graphiql.min.css")
    assert style.headers["content-type"].startswith("text/css")


def test_static_files_stay_inside_the_static_directory(client: TestClient) -> None:
    assert client.get(f"{STATIC_PATH}/../console.py").status_code == 404
    assert client.get(f"{STATIC_PATH}/missing.js").status_code == 404


def test_demo_tokens_are_the_seeds_and_sign_in(client: TestClient) -> None:
    tokens = client.get("/_emulator/console/demo-tokens").json()["tokens"]
    assert [entry["role"] for entry in tokens] == ["admin", "owner", "writer", "reader", "outsider"]
    owner = next(entry for entry in tokens if entry["role"] == "owner")
    assert owner["name"] == "Olivia Owner"
    body = client.post(
        "/graphql",
        json={"query": "{ user_getUserSession { user { firstName } } }"},
        headers={"Authorization": owner["token"]},
    ).json()
    assert body["data"]["user_getUserSession"]["user"]["firstName"] == "Olivia"


@pytest.mark.parametrize(("seed", "roles"), [("admin", ["admin"]), (None, [])])
def test_demo_tokens_follow_the_seed(seed: str | None, roles: list[str]) -> None:
    for client in client_for(seed):
        tokens = client.get("/_emulator/console/demo-tokens").json()["tokens"]
        assert [entry["role"] for entry in tokens] == roles
        for entry in tokens:
            status = client.post(
                "/graphql",
                json={"query": "{ user_getUserSession { user { userId } } }"},
                headers={"Authorization": entry["token"]},
            ).status_code
            assert status == 200


def test_vendored_files_are_recorded_with_version_and_license() -> None:
    vendor = STATIC_DIR / "vendor"
    readme = (vendor / "README.md").read_text("utf-8")
    vendored = sorted(path.name for path in vendor.iterdir() if path.suffix in {".js", ".css"})
    assert vendored == [
        "graphiql.min.css",
        "graphiql.min.js",
        "react-dom.production.min.js",
        "react.production.min.js",
    ]
    for name in vendored:
        assert name in readme
    for package in ("graphiql", "react", "react-dom"):
        assert (vendor / f"LICENSE.{package}").is_file()
