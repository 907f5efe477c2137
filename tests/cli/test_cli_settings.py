"""Where the endpoint and token come from (docs/cli.md, "Configuration"), and the profiles
file: pure functions, no emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from avista_dx.cli.failures import CliError, wrong_kind_hint
from avista_dx.cli.profiles import Profile, load_profile, profile_names, save_profile
from avista_dx.cli.settings import resolve_settings

PRODUCTION = "https://rrfs7pb7ancybo7bom7uxcsaxq.appsync-api.us-west-2.amazonaws.com/graphql"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config"
    save_profile(path, Profile("default", "http://default.example/graphql", "t-default"))
    save_profile(path, Profile("dev", "http://dev.example/graphql", "t-dev"))
    return path


def test_options_then_an_explicit_profile_then_environment_then_default_profile(
    config: Path,
) -> None:
    env = {"AVISTA_DX_CONFIG_FILE": str(config)}
    with_env = {
        **env,
        "AVISTA_DX_ENDPOINT": "http://env.example/graphql",
        "AVISTA_DX_TOKEN": "t-env",
    }
    plain = resolve_settings(None, None, env)
    assert (plain.endpoint, plain.token, plain.profile) == (
        "http://default.example/graphql", "t-default", "default",
    )  # fmt: skip
    environment = resolve_settings(None, None, with_env)
    assert (environment.endpoint, environment.token, environment.token_source) == (
        "http://env.example/graphql", "t-env", "AVISTA_DX_TOKEN",
    )  # fmt: skip
    explicit = resolve_settings("dev", None, with_env)
    assert (explicit.endpoint, explicit.token) == ("http://dev.example/graphql", "t-dev")
    by_variable = resolve_settings(None, None, {**env, "AVISTA_DX_PROFILE": "dev"})
    assert by_variable.token == "t-dev"
    option = resolve_settings("dev", "http://option.example/graphql", with_env)
    assert (option.endpoint, option.endpoint_source) == (
        "http://option.example/graphql",
        "--endpoint",
    )
    nothing = resolve_settings(None, None, {"AVISTA_DX_CONFIG_FILE": str(config.parent / "none")})
    assert (nothing.endpoint, nothing.token, nothing.profile) == (PRODUCTION, None, None)


def test_an_unknown_profile_is_refused_by_name(config: Path) -> None:
    with pytest.raises(CliError, match="no profile 'prod'") as refused:
        resolve_settings("prod", None, {"AVISTA_DX_CONFIG_FILE": str(config)})
    assert "avista-dx configure --profile prod" in refused.value.hint


def test_saving_keeps_other_profiles_and_a_broken_file_is_one_line(config: Path) -> None:
    save_profile(config, Profile("dev", "http://dev2.example/graphql", None))
    assert profile_names(config) == ["default", "dev"]
    assert load_profile(config, "dev") == Profile("dev", "http://dev2.example/graphql", None)
    assert "t-default" not in repr(load_profile(config, "default"))
    config.write_text("token = outside any section\n")
    with pytest.raises(CliError, match="is not valid") as broken:
        load_profile(config, "default")
    assert "\n" not in broken.value.message


def test_the_wrong_kind_of_id_is_named() -> None:
    assert wrong_kind_hint([("collaborative", "dataStoreId.1")]) == (
        "dataStoreId.… is the id of a data store; "
        "a collaborative id (collaborativeId.…) was expected"
    )
    assert wrong_kind_hint([("collaborative", "collaborativeId.1"), ("token", "unknown")]) == ""
