"""The operation tables' row type and checks, shared by the namespace test modules.

A row (Case) names one method, the arguments given, the variables that must go out (an optional
argument left unset is absent, never null), a canned answer of the exchange and what the
documented result must hold. The tables live with their namespace's other tests
(test_sdk_namespace_operations, test_sdk_iot_management, test_sdk_data_capture_operations);
test_sdk_operation_tables runs every row of every table through the checks below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from avista_dx import InvalidInputError, ServerError

from .driver import Driver
from .fake_exchange import FakeExchange

# The operation-name verbs of the schema's mutations: a mutation is never repeated after a
# failure that may have happened on the server.
WRITE_VERBS = (
    "create",
    "update",
    "delete",
    "add",
    "remove",
    "migrate",
    "resend",
    "generate",
    "cancel",
    "regenerate",
)

NO_RESULT = object()  # Case.returns left unset: the result is not compared as a whole


# A call that must be refused: ("<namespace>.<method>", args, kwargs).
BadCall = tuple[str, tuple[Any, ...], dict[str, Any]]


@dataclass
class Case:
    method: str  # "<namespace>.<method>"
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    root: str  # the GraphQL root field = operation name
    variables: dict[str, Any]
    answer: Any
    check: tuple[str, Any] | None = None  # (attribute of the result, expected value)
    result_type: type | None = field(default=None, kw_only=True)  # the result's documented type
    returns: Any = field(default=NO_RESULT, kw_only=True)  # the whole result, when it is plain
    mutation: bool = field(init=False)

    def __post_init__(self) -> None:
        self.mutation = self.root.split("_")[1].startswith(WRITE_VERBS)

    @property
    def id(self) -> str:
        return self.method


def method_of(dx: Driver, path: str) -> Any:
    namespace, name = path.split(".")
    return getattr(getattr(dx, namespace), name)


def answering(fake: FakeExchange, root: str, answer: Any) -> list[dict[str, Any]]:
    """Makes the fake answer `root` with `answer`; returns the arguments it receives."""
    received: list[dict[str, Any]] = []

    def resolve(info: Any, **arguments: Any) -> Any:
        received.append(arguments)
        return answer

    fake.extra_roots[root] = resolve
    return received


def check_operation(dx: Driver, fake: FakeExchange, case: Case) -> None:
    """The method sends the case's operation with its variables and adapts the answer."""
    answering(fake, case.root, case.answer)
    result = method_of(dx, case.method)(*case.args, **case.kwargs)
    (request,) = fake.requests
    assert fake.invalid_documents == []
    assert request.operation == case.root
    assert request.variables == case.variables  # unset optionals absent, not null
    if isinstance(case.answer, list):
        assert len(result) == len([item for item in case.answer if item is not None])
    if case.returns is not NO_RESULT:
        assert result == case.returns
    if case.result_type is not None:
        assert isinstance(result, case.result_type)
    if case.check is not None:
        attribute, expected = case.check
        assert getattr(result, attribute) == expected


def check_not_repeated(dx: Driver, fake: FakeExchange, sleeps: list[float], case: Case) -> None:
    """A mutation is not sent again after a failure that may have happened on the server."""
    answering(fake, case.root, case.answer)
    fake.faults.append(lambda request: httpx.Response(503))
    with pytest.raises(ServerError):
        method_of(dx, case.method)(*case.args, **case.kwargs)
    assert sleeps == []


def check_retried(dx: Driver, fake: FakeExchange, sleeps: list[float], case: Case) -> None:
    """A query is sent again after a server error."""
    received = answering(fake, case.root, case.answer)
    fake.faults.append(lambda request: httpx.Response(503))
    method_of(dx, case.method)(*case.args, **case.kwargs)
    assert len(sleeps) == 1
    assert len(received) == 1


def check_refused(dx: Driver, fake: FakeExchange, call: BadCall) -> None:
    """Bad input gets a typed error before any request."""
    method, args, kwargs = call
    with pytest.raises(InvalidInputError):
        method_of(dx, method)(*args, **kwargs)
    assert fake.requests == []
