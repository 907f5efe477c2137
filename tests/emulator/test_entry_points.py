"""How the emulator starts: the in-process runner, the demo runner, the pytest fixture, the CLI."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from avista_dx._cli import build_parser
from avista_dx.emulator import EmulatorHandle, run_emulator

SESSION = "query { user_getUserSession { user { firstName } } }"


def test_run_emulator_serves_real_http_and_stops() -> None:
    with run_emulator(seed="demo") as handle:
        assert handle.url.startswith("http://127.0.0.1:")
        assert set(handle.tokens) == {"admin", "owner", "writer", "reader", "outsider"}
        response = httpx.post(
            handle.url, json={"query": SESSION}, headers={"Authorization": handle.tokens["owner"]}
        )
        assert response.json() == {
            "data": {"user_getUserSession": {"user": {"firstName": "Olivia"}}}
        }
        url = handle.url
    with pytest.raises(httpx.TransportError):
        httpx.post(url, json={"query": SESSION}, timeout=2)


def test_run_emulator_without_seed_has_no_tokens() -> None:
    with run_emulator(seed=None) as handle:
        assert handle.tokens == {}
        assert httpx.get(handle.base_url + "/_emulator/health").json()["inMemory"] is True


def test_unknown_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown seed"), run_emulator(seed="nope"):
        pass


def test_pytest_fixture(dx_emulator: EmulatorHandle) -> None:
    """The plugin is registered through the package's pytest11 entry point."""
    response = httpx.post(
        dx_emulator.url,
        json={"query": SESSION},
        headers={"Authorization": dx_emulator.tokens["reader"]},
    )
    assert response.json()["data"]["user_getUserSession"]["user"]["firstName"] == "Rita"


def test_demo_runner_exports_endpoint_and_token(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys, httpx
            body = httpx.post(
                os.environ["AVISTA_DX_ENDPOINT"],
                json={"query": "query { storage_listDataStores { name } }"},
                headers={"Authorization": os.environ["AVISTA_DX_TOKEN"]},
            ).json()
            print(body["data"]["storage_listDataStores"][0]["name"], sys.argv[1:])
            sys.exit(3)
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "avista_dx.emulator.demo", str(script), "a", "b"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == "Demo data store ['a', 'b']"


def test_demo_runner_rejects_a_missing_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "avista_dx.emulator.demo", "no/such/script.py"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no such script" in result.stderr


def test_cli_arguments() -> None:
    options = build_parser().parse_args(
        ["emulator", "--port", "4100", "--data-dir", "/tmp/x", "--seed", "demo"]
    )
    assert (options.host, options.port, options.data_dir, options.seed) == (
        "127.0.0.1",
        4100,
        "/tmp/x",
        "demo",
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args(["emulator", "--seed", "other"])


def test_default_data_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from avista_dx.emulator import default_data_dir

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / "avista-dx" / "emulator"


def test_reset_route_restores_the_seed(tmp_path: Path) -> None:
    with run_emulator(seed="demo", data_dir=tmp_path) as handle:
        owner = {"Authorization": handle.tokens["owner"]}
        admin = {"Authorization": handle.tokens["admin"]}
        httpx.post(
            handle.url,
            json={"query": 'mutation { storage_createDataStore(name: "Scratch") { name } }'},
            headers=owner,
        )
        blobs_before = handle.emulator.blobs.keys()
        reset_url = handle.base_url + "/_emulator/reset"
        assert httpx.post(reset_url, headers=owner).status_code == 403
        assert httpx.post(reset_url, headers=admin).status_code == 200
        stores = httpx.post(
            handle.url, json={"query": "query { storage_listDataStores { name } }"}, headers=owner
        ).json()["data"]["storage_listDataStores"]
        assert stores == [{"name": "Demo data store"}]
        assert len(handle.emulator.blobs.keys()) == len(blobs_before)
        assert set(handle.emulator.blobs.keys()).isdisjoint(blobs_before)


def test_tokens_stay_out_of_reprs() -> None:
    with run_emulator(seed="demo") as handle:
        assert handle.seed is not None
        for token in handle.tokens.values():
            assert token not in repr(handle)
            assert token not in repr(handle.seed)


def test_cli_seed_choices_match_the_seeds() -> None:
    from avista_dx._cli import SEED_NAMES
    from avista_dx.emulator.seed import SEEDS

    assert set(SEED_NAMES) == set(SEEDS)


def test_admin_seed_bootstraps_an_empty_platform(tmp_path: Path) -> None:
    with run_emulator(seed="admin", data_dir=tmp_path) as handle:
        admin = {"Authorization": handle.tokens["admin"]}

        def call(query: str, **variables: object) -> dict[str, object]:
            body = httpx.post(
                handle.url, json={"query": query, "variables": variables}, headers=admin
            ).json()
            assert "errors" not in body, body
            return body["data"]  # type: ignore[no-any-return]

        org = call('mutation { platformAdmin_createOrganization(name: "Acme") { organizationId } }')
        user = call(
            "mutation($o: ID!) { platformAdmin_createUser(organizationId: $o, "
            'email: "dev@acme.example", firstName: "D", lastName: "V") { userId } }',
            o=org["platformAdmin_createOrganization"]["organizationId"],  # type: ignore[index]
        )
        issued = httpx.post(
            handle.base_url + "/_emulator/tokens",
            json={"userId": user["platformAdmin_createUser"]["userId"]},  # type: ignore[index]
            headers=admin,
        ).json()["data"]
        session = httpx.post(
            handle.url,
            json={"query": "query { user_getUserSession { user { email } } }"},
            headers={"Authorization": issued["tokenValue"]},
        ).json()
        assert session["data"]["user_getUserSession"]["user"]["email"] == "dev@acme.example"
    with run_emulator(seed="admin", data_dir=tmp_path) as again:
        users = httpx.post(
            again.url,
            json={"query": "query { platformAdmin_listUsers { email } }"},
            headers={"Authorization": again.tokens["admin"]},
        ).json()["data"]["platformAdmin_listUsers"]
        assert sorted(u["email"] for u in users) == ["admin@emulator.example", "dev@acme.example"]
