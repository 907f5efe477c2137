"""`dx.graphql(...)`, the raw door: same token, retries (queries only), error mapping, logging."""

from __future__ import annotations

import logging

import httpx
import pytest

from avista_dx import APIConnectionError, AuthenticationError, InvalidInputError, ServerError
from avista_dx.errors import PermissionDeniedError

from .conftest import ClientFactory
from .fake_exchange import TOKEN, WEIRD, FakeExchange

GET_STORE = "query get($id: ID!) { storage_getDataStore(dataStoreId: $id) { dataStoreId name } }"
DELETE_FILE = (
    "mutation del($id: ID!) { storage_deleteDataStoreFile(dataStoreFileId: $id) { name } }"
)


def status(code: int):
    return lambda request: httpx.Response(code, text="busy")


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("connection reset by peer", request=request)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_a_query_returns_the_data_dict_with_the_variables_sent_as_json(
    make_dx: ClientFactory, fake: FakeExchange
) -> None:
    dx = make_dx()
    variables = {"id": WEIRD + "dataStore"}
    data = dx.graphql(GET_STORE, variables)
    assert data == {"storage_getDataStore": {"dataStoreId": WEIRD + "dataStore", "name": WEIRD}}
    (sent,) = fake.requests
    assert sent.query == GET_STORE  # the caller's document, unchanged
    assert sent.variables == variables
    assert sent.headers["authorization"] == TOKEN
    assert variables == {"id": WEIRD + "dataStore"}  # the caller's dict is not touched


def test_operation_name_picks_one_of_several_operations(
    make_dx: ClientFactory, fake: FakeExchange
) -> None:
    dx = make_dx()
    document = GET_STORE + "\nquery me { user_getUserSession { user { userId } } }"
    assert dx.graphql(document, operation_name="me") == {
        "user_getUserSession": {"user": {"userId": "userId.1"}}
    }
    assert fake.requests[0].operation == "me"
    with pytest.raises(InvalidInputError, match="operation_name"):
        dx.graphql(document)
    with pytest.raises(InvalidInputError, match="no operation named 'other'"):
        dx.graphql(document, operation_name="other")
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("document", "match"),
    [
        ("query { storage_listDataStores { name }", "not valid GraphQL"),
        ("", "non-empty"),
        ("fragment F on User { userId }", "0 operations"),
        (
            "subscription s($id: ID!) { onIotPublish(iotEndpointId: $id) { iotEndpointId } }",
            "subscriptions",
        ),
    ],
)
def test_documents_that_cannot_work_are_refused_before_sending(
    make_dx: ClientFactory, fake: FakeExchange, document: str, match: str
) -> None:
    dx = make_dx()
    with pytest.raises(InvalidInputError, match=match):
        dx.graphql(document)
    assert fake.requests == []


def test_variables_must_be_a_mapping(make_dx: ClientFactory, fake: FakeExchange) -> None:
    dx = make_dx()
    with pytest.raises(InvalidInputError, match="variables"):
        dx.graphql(GET_STORE, ["id"])  # type: ignore[arg-type]
    assert fake.requests == []


@pytest.mark.parametrize("fault", [status(503), reset, refused])
def test_a_query_is_retried_on_transient_failures(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float], fault
) -> None:
    dx = make_dx()
    fake.faults.append(fault)
    assert dx.graphql(GET_STORE, {"id": "dataStoreId.1"})["storage_getDataStore"]["name"] == "Store"
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("fault", "error"), [(status(503), ServerError), (reset, APIConnectionError)]
)
def test_a_mutation_is_not_repeated_after_it_may_have_run(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float], fault, error
) -> None:
    dx = make_dx()
    fake.faults.append(fault)
    with pytest.raises(error):
        dx.graphql(DELETE_FILE, {"id": "file.1"})
    assert sleeps == []
    assert "file.1" in fake.files


def test_a_mutation_that_never_reached_the_exchange_is_retried(
    make_dx: ClientFactory, fake: FakeExchange, sleeps: list[float]
) -> None:
    dx = make_dx()
    fake.faults.append(refused)
    assert dx.graphql(DELETE_FILE, {"id": "file.1"}) == {
        "storage_deleteDataStoreFile": {"name": "report"}
    }
    assert len(sleeps) == 1
    assert "file.1" not in fake.files


def test_errors_are_mapped_and_carry_partial_data(make_dx: ClientFactory) -> None:
    dx = make_dx()
    with pytest.raises(PermissionDeniedError) as raised:
        dx.graphql(GET_STORE, {"id": "dataStoreId.missing"})
    assert raised.value.operation == "get"
    assert raised.value.data == {"storage_getDataStore": None}
    assert raised.value.errors[0]["message"] == "Unauthorized"


def test_a_bad_token_is_an_authentication_error(make_dx: ClientFactory) -> None:
    dx = make_dx(token="wrong-token")
    with pytest.raises(AuthenticationError):
        dx.graphql(GET_STORE, {"id": "dataStoreId.1"})


def test_the_operation_is_logged_without_the_token(
    make_dx: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    dx = make_dx(debug=True)
    with caplog.at_level(logging.DEBUG, logger="avista_dx"):
        dx.graphql(GET_STORE, {"id": "dataStoreId.1"})
    assert any("get" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_unsendable_text_is_refused_before_sending(
    make_dx: ClientFactory, fake: FakeExchange
) -> None:
    dx = make_dx()
    with pytest.raises(
        InvalidInputError, match=r"variables\['id'\]\[1\] contains a lone surrogate"
    ):
        dx.graphql(GET_STORE, {"id": ["ok", "bad\ud800"]})
    with pytest.raises(InvalidInputError, match="document contains a lone surrogate"):
        dx.graphql(GET_STORE + " # \udfff")
    assert fake.requests == []
