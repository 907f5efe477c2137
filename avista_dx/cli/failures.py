"""Exit codes, and the one-line message (with a hint) for every error a command can meet."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    DxError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    PartialPublishError,
    PathError,
    PermissionDeniedError,
)


class ExitCode(enum.IntEnum):
    """The documented exit codes (docs/cli.md)."""

    OK = 0
    EXCHANGE = 1  # the exchange answered with an error, or a transfer failed
    USAGE = 2  # a bad option, argument, input file or configuration; nothing was sent
    NOT_FOUND = 3  # no such object, or not one you may see (the exchange does not say which)
    AUTH = 4  # no token, or the exchange rejected it
    UNREACHABLE = 5  # the exchange could not be reached (refused, DNS, timeout)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class CliError(Exception):
    """A failure the CLI reports as one line on stderr, with an optional hint."""

    def __init__(self, message: str, *, code: ExitCode = ExitCode.USAGE, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


# The prefix of each kind of id the exchange issues (`dataStoreId.…`), by the word a
# command's help uses for it.
ID_PREFIXES = {
    "data store": "dataStoreId.",
    "directory": "dataStoreDirectoryId.",
    "file": "dataStoreFileId.",
    "time series database": "timeSeriesDbId.",
    "collaborative": "collaborativeId.",
    "token": "authenticationTokenId.",
    "IoT hub": "iotHubId.",
    "IoT endpoint": "iotEndpointId.",
    "IoT group": "iotGroupId.",
    "data capture": "captureId.",
    "organization": "organizationId.",
    "user": "userId.",
}


def wrong_kind_hint(expected: Iterable[tuple[str, str]]) -> str:
    """Names each given id whose prefix is another kind's: `[(kind, value), ...]`."""
    hints = []
    for kind, value in expected:
        wanted = ID_PREFIXES.get(kind)
        if wanted is None or value.startswith(wanted):
            continue
        actual = next((k for k, p in ID_PREFIXES.items() if value.startswith(p)), None)
        if actual is not None:
            hints.append(
                f"{value.partition('.')[0]}.… is the id of a {actual}; "
                f"a {kind} id ({wanted}…) was expected"
            )
    return "; ".join(hints)


def describe(error: DxError, *, endpoint: str, expected_ids: Iterable[tuple[str, str]]) -> CliError:
    """The CLI's report of an SDK error."""
    message = str(error)
    if isinstance(error, ConfigurationError):
        return CliError(message, hint="see `avista-dx configure --help`")
    if isinstance(error, InvalidInputError):
        return CliError(message)
    if isinstance(error, AuthenticationError):
        return CliError(
            message,
            code=ExitCode.AUTH,
            hint="the token is invalid or expired: `avista-dx configure` stores a new one",
        )
    if isinstance(error, PermissionDeniedError | NotFoundError):
        hint = wrong_kind_hint(expected_ids) or (
            "the exchange answers Unauthorized both for what does not exist and for what "
            "you may not see"
            if isinstance(error, PermissionDeniedError)
            else ""
        )
        return CliError(message, code=ExitCode.NOT_FOUND, hint=hint)
    if isinstance(error, PathError):
        return CliError(message, hint="name an entry by its id where names are shared")
    if isinstance(error, APIConnectionError):
        hint = "is the endpoint right? (`avista-dx emulator` serves one locally)"
        return CliError(
            f"cannot reach {endpoint}: {error.message}", code=ExitCode.UNREACHABLE, hint=hint
        )
    if isinstance(error, APIStatusError | InvalidResponseError) and not _graphql_path(endpoint):
        return CliError(
            message,
            code=ExitCode.EXCHANGE,
            hint=f"the endpoint {endpoint} does not end with /graphql: the GraphQL URL does",
        )
    if isinstance(error, PartialPublishError):
        return CliError(message, code=ExitCode.EXCHANGE, hint="the written records are kept")
    return CliError(message, code=ExitCode.EXCHANGE)


def _graphql_path(endpoint: str) -> bool:
    return endpoint.split("?", 1)[0].rstrip("/").endswith("/graphql")
