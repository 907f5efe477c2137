"""Which endpoint and token a command uses: options, environment, profile (docs/cli.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .._constants import ENDPOINT_ENV, PRODUCTION_ENDPOINT, TOKEN_ENV
from .failures import CliError, ExitCode
from .profiles import DEFAULT_PROFILE, PROFILE_ENV, config_path, load_profile


@dataclass(frozen=True, slots=True)
class Settings:
    endpoint: str
    token: str | None = field(repr=False)
    profile: str | None  # the profile that supplied a value, if any
    endpoint_source: str
    token_source: str


def resolve_settings(
    profile_option: str | None, endpoint_option: str | None, environ: Mapping[str, str]
) -> Settings:
    """`--endpoint` wins; then a profile named by `--profile` beats the environment; then
    the environment beats the profile named by AVISTA_DX_PROFILE (or `default`)."""
    path = config_path(environ)
    name = profile_option or environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    profile = load_profile(path, name)
    if profile is None and (profile_option or environ.get(PROFILE_ENV)):
        raise CliError(
            f"no profile {name!r} in {path}",
            hint=f"create it with `avista-dx configure --profile {name}`",
        )
    # (endpoint's source, endpoint, token's source, token), first match wins.
    sources = [(ENDPOINT_ENV, environ.get(ENDPOINT_ENV), TOKEN_ENV, environ.get(TOKEN_ENV))]
    if profile is not None:
        label = f"profile {name}"
        sources.insert(0 if profile_option else 1, (label, profile.endpoint, label, profile.token))
    endpoint, endpoint_source = next(
        ((e, s) for s, e, _, _ in sources if e), (PRODUCTION_ENDPOINT, "default")
    )
    if endpoint_option is not None:
        endpoint, endpoint_source = endpoint_option, "--endpoint"
    token, token_source = next(((t, s) for _, _, s, t in sources if t), (None, "none"))
    from_profile = "profile" in endpoint_source + token_source
    used_profile = name if from_profile else None
    return Settings(endpoint, token, used_profile, endpoint_source, token_source)


def require_token(settings: Settings) -> str:
    token = settings.token
    if token is None:
        raise CliError(
            "no token",
            code=ExitCode.AUTH,
            hint=f"run `avista-dx configure`, or set {TOKEN_ENV}",
        )
    if token.lower().startswith("bearer "):
        raise CliError(
            f"the token (from {settings.token_source}) starts with 'Bearer '",
            code=ExitCode.AUTH,
            hint="the exchange wants the token alone: drop the 'Bearer ' prefix",
        )
    return token
