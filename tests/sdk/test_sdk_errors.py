"""Error mapping: every case of the error contract, from the wire to the typed exception."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from avista_dx import (
    APIStatusError,
    AsyncAvistaDigitalExchange,
    AuthenticationError,
    AvistaDigitalExchange,
    BadRequestError,
    ConfigurationError,
    DxError,
    GraphQLError,
    InvalidResponseError,
    NotImplementedByServerError,
    PermissionDeniedError,
    RateLimitError,
    RejectedRecordsError,
    ServerError,
)

from .conftest import ClientFactory, Driver
from .fake_exchange import TOKEN, FakeExchange


def respond(status: int, body: Any = None, *, text: str | None = None, **headers: str):
    def fault(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return fault


def graphql_error(message: str, error_type: str | None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "path": ["storage_getDataStore"], **extra}
    if error_type:
        error["errorType"] = error_type
    return error


def test_bad_token_is_an_authentication_error(make_dx: ClientFactory) -> None:
    dx = make_dx(token="wrong")
    with pytest.raises(AuthenticationError) as caught:
        dx.getUserInfo()
    error = caught.value
    assert error.status_code == 401
    assert error.error_type == "UnauthorizedException"
    assert "Bad token" in str(error)
    assert error.operation == "user_getUserSession"
    assert "wrong" not in str(error)
    assert "wrong" not in repr(error)


def test_authentication_error_on_a_mutation_too(make_dx: ClientFactory) -> None:
    dx = make_dx(token="wrong")
    with pytest.raises(AuthenticationError):
        dx.deleteDataStoreFile("file.1")


def test_unknown_id_is_permission_denied_with_the_server_message(dx: Driver) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        dx.getDataStore("dataStoreId.404")
    error = caught.value
    assert error.message == "Unauthorized"
    assert error.status_code == 200
    assert error.data == {"storage_getDataStore": None}
    assert error.errors[0]["path"] == ["storage_getDataStore"]


@pytest.mark.parametrize(
    ("error_type", "message", "expected"),
    [
        ("ValidationError", "Validation error of type FieldUndefined: x", BadRequestError),
        (None, "Validation error of type WrongType: argument", BadRequestError),
        ("BadRequestException", "name may not contain '/'", BadRequestError),
        ("ValidationException", "line 1:8: mismatched input", BadRequestError),
        ("NotImplemented", "iot_getEndpoint is not implemented", NotImplementedByServerError),
        ("InternalFailure", "An internal failure occurred", ServerError),
        ("ThrottlingException", "Rate exceeded", RateLimitError),
        ("SomethingNew", "a new kind of error", GraphQLError),
        ("UnauthorizedException", "Token has expired", AuthenticationError),
    ],
)
def test_graphql_error_types_are_mapped(
    make_dx: ClientFactory, fake: FakeExchange, error_type: str | None, message: str, expected: type
) -> None:
    dx = make_dx(max_retries=0)
    body = {"data": None, "errors": [graphql_error(message, error_type)]}
    fake.faults.append(respond(200, body))
    with pytest.raises(expected) as caught:
        dx.getDataStore("dataStoreId.1")
    assert type(caught.value) is expected
    assert message in str(caught.value)
    assert caught.value.error_type == error_type or error_type is None


def test_every_error_is_examined_and_kept(dx: Driver, fake: FakeExchange) -> None:
    body = {
        "data": {"storage_getDataStore": None},
        "errors": [
            graphql_error("first problem", "SomethingElse"),
            graphql_error("Unauthorized", "Unauthorized"),
        ],
    }
    fake.faults.append(respond(200, body))
    with pytest.raises(PermissionDeniedError) as caught:
        dx.getDataStore("dataStoreId.1")
    assert len(caught.value.errors) == 2
    assert "first problem" in caught.value.message


def test_rejected_records_carry_the_error_info(dx: Driver) -> None:
    record = dx.createTimeSeriesInputRecord("1", "SECONDS", "m", "VARCHAR", "REJECT")
    with pytest.raises(RejectedRecordsError) as caught:
        dx.publishToTimeSeriesDatabase("timeSeriesDbId.1", "asset", [record])
    assert caught.value.rejected_records == [{"RecordIndex": 0, "Reason": "rejected by the test"}]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            400,
            {"errors": [{"errorType": "MalformedHttpRequestException", "message": "bad"}]},
            BadRequestError,
        ),
        (413, None, BadRequestError),
        (403, None, AuthenticationError),
        (404, None, APIStatusError),
        (500, None, ServerError),
        (502, None, ServerError),
        (429, None, RateLimitError),
    ],
)
def test_http_statuses_are_mapped(
    make_dx: ClientFactory, fake: FakeExchange, status: int, body: Any, expected: type
) -> None:
    dx = make_dx(max_retries=0)
    fake.faults.append(respond(status, body) if body else respond(status, text="<html>oops"))
    with pytest.raises(expected) as caught:
        dx.listDataStores()
    assert caught.value.status_code == status
    assert str(status) in str(caught.value) or body


@pytest.mark.parametrize(
    "fault",
    [
        respond(200, text="<html>not json</html>"),
        respond(200, {"unexpected": True}),
        respond(200, ["a", "list"]),
    ],
)
def test_invalid_bodies_are_invalid_responses(
    make_dx: ClientFactory, fake: FakeExchange, fault: Any
) -> None:
    dx = make_dx(max_retries=0)
    fake.faults.append(fault)
    with pytest.raises(InvalidResponseError):
        dx.listDataStores()


def test_unexpected_shape_is_wrapped_without_leaking_data(dx: Driver, fake: FakeExchange) -> None:
    secret = "customer-secret-value"
    body = {"data": {"storage_getDataStore": {"dataStoreId": None, "name": secret}}}
    fake.faults.append(respond(200, body))
    with pytest.raises(InvalidResponseError) as caught:
        dx.getDataStore("dataStoreId.1")
    assert "dataStoreId" in str(caught.value)
    assert secret not in str(caught.value)


def test_unknown_enum_value_from_the_server_comes_through_as_its_string(
    dx: Driver, fake: FakeExchange
) -> None:
    service = {"serviceId": "x", "serviceType": "NEW_KIND", "dataStore": None, "timeSeriesDb": None}
    fake.faults.append(
        respond(200, {"data": {"collaborative_listCollaborativeServices": [service]}})
    )
    (decoded,) = dx.listCollaborativeServices("collab.1")
    assert decoded.serviceType == "NEW_KIND"


def test_an_enum_value_that_is_not_a_string_is_an_invalid_response(
    dx: Driver, fake: FakeExchange
) -> None:
    service = {"serviceId": "x", "serviceType": 7, "dataStore": None, "timeSeriesDb": None}
    fake.faults.append(
        respond(200, {"data": {"collaborative_listCollaborativeServices": [service]}})
    )
    with pytest.raises(InvalidResponseError):
        dx.listCollaborativeServices("collab.1")


def test_connection_errors_are_typed(make_dx: ClientFactory, fake: FakeExchange) -> None:
    from avista_dx import APIConnectionError, APITimeoutError

    dx = make_dx(max_retries=0)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    fake.faults.append(refuse)
    with pytest.raises(APIConnectionError) as refused:
        dx.listDataStores()
    assert refused.value.request_sent is False
    fake.faults.append(slow)
    with pytest.raises(APITimeoutError) as timed_out:
        dx.listDataStores()
    assert timed_out.value.request_sent is True


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
def test_missing_token_names_argument_and_variable(client: type) -> None:
    with pytest.raises(ConfigurationError, match="AVISTA_DX_TOKEN") as caught:
        client()
    assert "token" in str(caught.value)


@pytest.mark.parametrize("client", [AvistaDigitalExchange, AsyncAvistaDigitalExchange])
@pytest.mark.parametrize(
    "kwargs",
    [{"endpoint": "ftp://x"}, {"endpoint": "not a url"}, {"timeout": 0}, {"max_retries": -1}],
)
def test_bad_settings_fail_at_construction(client: type, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        client(TOKEN, **kwargs)


def test_the_token_never_appears_in_logs_or_reprs(
    make_dx: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="avista_dx")
    dx = make_dx(debug=True, max_retries=0)
    dx.listDataStores()
    with pytest.raises(DxError):
        dx.getDataStore("dataStoreId.404")
    assert "storage_listDataStores ok" in caplog.text
    assert "storage_getDataStore failed" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(dx.client)
    assert TOKEN not in repr(dx.client._config)


def test_directory_entries_of_an_unknown_object_type_are_skipped(
    dx: Driver, fake: FakeExchange
) -> None:
    file = {
        "dataStoreFileId": "dataStoreFileId.1", "dataStoreId": "dataStoreId.1",
        "dataStoreDirectoryId": "dataStoreDirectoryId.1", "name": "report",
        "fileExtension": "csv", "description": None, "storageSizeBytes": 3, "ownerUserId": None,
        "s3ConfirmedUpload": True, "lastModified": None, "contentType": "text/csv",
        "dataViewIds": None,
    }  # fmt: skip
    listing = {
        "dataStoreDirectoryId": "dataStoreDirectoryId.1", "dataStoreId": "dataStoreId.1",
        "name": "Home", "ownerUserId": None, "homeDirectory": True, "parentDirectoryId": None,
        "contents": [
            {"objectType": "SYMLINK", "dataStoreFile": None, "dataStoreDirectory": None},
            {"objectType": "FILE", "dataStoreFile": file, "dataStoreDirectory": None},
        ],
    }  # fmt: skip
    fake.faults.append(respond(200, {"data": {"storage_getDataStoreDirectory": listing}}))
    directory = dx.getDataStoreDirectory("dataStoreDirectoryId.1")
    assert [f.dataStoreFileId for f in directory.files] == ["dataStoreFileId.1"]
    assert directory.directories == []
