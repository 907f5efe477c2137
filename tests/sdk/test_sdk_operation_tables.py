"""Every row of the namespaces' operation tables on the fake exchange, sync and async: the
method sends its operation with the row's variables (the document validated against
schema.graphql by the fake) and returns the documented result; a mutation is never repeated
after a failure that may have happened on the server, a query is retried. Every bad call of
their BAD_CALLS tables is refused with a typed error before any request.

The tables: test_sdk_namespace_operations (dx.dataStores management, dx.timeSeries,
dx.collaboratives, dx.users, dx.admin), test_sdk_iot_management (dx.iot beyond 1.2.1) and
test_sdk_data_capture_operations (dx.dataCapture beyond 1.2.1).
"""

from __future__ import annotations

from typing import Any

import pytest

from . import (
    test_sdk_data_capture_operations,
    test_sdk_iot_management,
    test_sdk_namespace_operations,
)
from .driver import Driver
from .fake_exchange import FakeExchange
from .operation_table import (
    BadCall,
    Case,
    check_not_repeated,
    check_operation,
    check_refused,
    check_retried,
)

CASES: list[Case] = [
    *test_sdk_namespace_operations.CASES,
    *test_sdk_iot_management.CASES,
    *test_sdk_data_capture_operations.CASES,
]
BAD_CALLS: list[BadCall] = [
    *test_sdk_namespace_operations.BAD_CALLS,
    *test_sdk_iot_management.BAD_CALLS,
    *test_sdk_data_capture_operations.BAD_CALLS,
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_method_sends_its_operation_and_returns_the_documented_type(
    dx: Driver, fake: FakeExchange, case: Case
) -> None:
    check_operation(dx, fake, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.mutation], ids=lambda c: c.id)
def test_mutations_are_not_repeated_after_a_failure_that_may_have_happened(
    dx: Driver, fake: FakeExchange, sleeps: list[float], case: Case
) -> None:
    check_not_repeated(dx, fake, sleeps, case)


@pytest.mark.parametrize("case", [c for c in CASES if not c.mutation], ids=lambda c: c.id)
def test_queries_are_retried(
    dx: Driver, fake: FakeExchange, sleeps: list[float], case: Case
) -> None:
    check_retried(dx, fake, sleeps, case)


@pytest.mark.parametrize(("method", "args", "kwargs"), BAD_CALLS, ids=lambda v: str(v)[:40])
def test_bad_arguments_are_refused_before_any_request(
    dx: Driver, fake: FakeExchange, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    check_refused(dx, fake, (method, args, kwargs))
