"""Named profiles in an INI file, as the AWS CLI keeps them (docs/cli.md, "Configuration").

    [default]
    endpoint = https://…/graphql
    token = …

The file lives in the user's config directory (`platformdirs`), or wherever
`AVISTA_DX_CONFIG_FILE` says; it is written with mode 0600, as it holds tokens.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .failures import CliError

CONFIG_FILE_ENV = "AVISTA_DX_CONFIG_FILE"
PROFILE_ENV = "AVISTA_DX_PROFILE"
DEFAULT_PROFILE = "default"
KEYS = ("endpoint", "token")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)


def config_path(environ: Mapping[str, str]) -> Path:
    explicit = environ.get(CONFIG_FILE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return platformdirs.user_config_path("avista-dx", appauthor=False) / "config"


def _read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, default_section="\0none")
    try:
        with path.open(encoding="utf-8") as file:
            parser.read_file(file)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read the config file {path}: {error}") from None
    except configparser.Error as error:
        first_line = str(error).splitlines()[0]
        raise CliError(
            f"the config file {path} is not valid: {first_line}",
            hint="fix it, or write it again with `avista-dx configure`",
        ) from None
    return parser


def load_profile(path: Path, name: str) -> Profile | None:
    parser = _read(path)
    if not parser.has_section(name):
        return None
    section = parser[name]
    return Profile(name, section.get("endpoint") or None, section.get("token") or None)


def profile_names(path: Path) -> list[str]:
    return _read(path).sections()


def save_profile(path: Path, profile: Profile) -> None:
    """Writes `profile` into the file (other profiles kept), atomically, mode 0600."""
    parser = _read(path)
    if not parser.has_section(profile.name):
        parser.add_section(profile.name)
    for key in KEYS:
        value = getattr(profile, key)
        if value:
            parser[profile.name][key] = value
        else:
            parser.remove_option(profile.name, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-")
    except OSError as error:
        raise CliError(f"cannot write the config file {path}: {error}") from None
    try:
        # mkstemp creates the file with mode 0600 already; chmod keeps it so on any umask.
        os.chmod(temporary, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            parser.write(file)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise CliError(f"cannot write the config file {path}: {error}") from None
