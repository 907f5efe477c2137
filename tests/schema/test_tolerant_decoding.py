"""Additive changes of the exchange against the current generated client: enum values this SDK
does not know decode as their strings (one debug line each), unknown fields are ignored, and a
directory entry of an unknown objectType is skipped."""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import logging
import pkgutil
import typing
from typing import Any

import avista_dx_graphql
import httpx
import pydantic
import pytest
from avista_dx_graphql.collaborative_list_collaborative_services import (
    CollaborativeListCollaborativeServices,
)
from avista_dx_graphql.enums import DataStoreObjectType, MeasureValueType, ServiceType
from avista_dx_graphql.input_types import TimeSeriesDbRecordInput
from avista_dx_graphql.open_enums import OpenEnum
from avista_dx_graphql.storage_get_data_store_directory import StorageGetDataStoreDirectory
from avista_dx_graphql.time_series_db_publish_to_database import TimeSeriesDbPublishToDatabase

from avista_dx import AvistaDigitalExchange
from avista_dx.types import Service, TimeSeriesAssetAttribute

ENDPOINT = "https://exchange.test/graphql"
TOKEN = "test-token-1234"


def _service(service_type: Any, **extra: Any) -> dict[str, Any]:
    return {
        "serviceId": "svc.1",
        "serviceType": service_type,
        "dataStore": None,
        "timeSeriesDb": None,
        **extra,
    }


def _asset(attribute_type: str) -> dict[str, Any]:
    attribute = {
        "name": "power",
        "attributeType": attribute_type,
        "lastValue": "1.5",
        "lastValueTime": "2026-01-01T00:00:00Z",
        "data": [],
        "unit": "kW",  # a field this SDK does not know
    }
    return {"assetId": "asset.1", "name": "a", "attributes": [attribute]}


def _entry(object_type: str, name: str) -> dict[str, Any]:
    directory = {
        "dataStoreDirectoryId": f"dir.{name}",
        "dataStoreId": "store.1",
        "name": name,
        "ownerUserId": None,
        "homeDirectory": False,
        "parentDirectoryId": "dir.home",
    }
    return {"objectType": object_type, "dataStoreFile": None, "dataStoreDirectory": directory}


def _directory(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "storage_getDataStoreDirectory": {
            "dataStoreDirectoryId": "dir.home",
            "dataStoreId": "store.1",
            "name": "home",
            "ownerUserId": None,
            "homeDirectory": True,
            "parentDirectoryId": None,
            "contents": list(entries),
            "quota": 10,  # a field this SDK does not know
        }
    }


def _unknown_value_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "avista_dx.open_enums"]


def test_unknown_service_type_decodes_as_its_string_with_one_debug_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="avista_dx")
    data = {
        "collaborative_listCollaborativeServices": [
            _service("SOLAR_FARM", region="us-west-2"),
            _service("DATA_STORE"),
        ]
    }
    unknown, known = CollaborativeListCollaborativeServices.model_validate(
        data
    ).collaborative_list_collaborative_services
    assert unknown.service_type == "SOLAR_FARM"
    assert type(unknown.service_type) is str
    assert known.service_type is ServiceType.DATA_STORE
    assert not hasattr(unknown, "region")
    assert _unknown_value_lines(caplog) == [
        "ServiceType value 'SOLAR_FARM' is unknown to this SDK: kept as a string"
    ]


def test_unknown_measure_value_type_decodes_as_its_string() -> None:
    data = {"timeSeriesDb_publishToDatabase": [_asset("DECIMAL"), _asset("DOUBLE")]}
    unknown, known = TimeSeriesDbPublishToDatabase.model_validate(
        data
    ).time_series_db_publish_to_database
    assert unknown.attributes[0].attribute_type == "DECIMAL"
    assert known.attributes[0].attribute_type is MeasureValueType.DOUBLE


def test_unknown_object_type_decodes_as_its_string() -> None:
    data = _directory(_entry("SYMLINK", "link"), _entry("DIRECTORY", "sub"))
    directory = StorageGetDataStoreDirectory.model_validate(data).storage_get_data_store_directory
    link, sub = directory.contents
    assert link.object_type == "SYMLINK"
    assert sub.object_type is DataStoreObjectType.DIRECTORY


def test_a_value_that_is_not_a_string_still_fails() -> None:
    with pytest.raises(pydantic.ValidationError):
        CollaborativeListCollaborativeServices.model_validate(
            {"collaborative_listCollaborativeServices": [_service(3)]}
        )


def test_inputs_keep_closed_enums() -> None:
    # What the SDK sends must be a value it knows: only results are open.
    with pytest.raises(pydantic.ValidationError):
        TimeSeriesDbRecordInput.model_validate({"MeasureValueType": "DECIMAL"})


def _result_models() -> list[type[pydantic.BaseModel]]:
    models = []
    for module_info in pkgutil.iter_modules(avista_dx_graphql.__path__):
        if module_info.name in ("input_types", "enums"):
            continue
        module = importlib.import_module(f"avista_dx_graphql.{module_info.name}")
        models += [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, pydantic.BaseModel)
            and value.__module__ == module.__name__
        ]
    return models


def _enum_leaves(annotation: Any, inside_open: bool = False) -> list[tuple[type, bool]]:
    """Each Enum class in an annotation, with whether an OpenEnum wraps it."""
    if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
        return [(annotation, inside_open)]
    opened = inside_open or (
        typing.get_origin(annotation) is typing.Annotated
        and any(type(m).__name__ == "_KnownMemberOrString" for m in annotation.__metadata__)
    )
    return [leaf for arg in typing.get_args(annotation) for leaf in _enum_leaves(arg, opened)]


def test_every_enum_of_every_result_model_is_open() -> None:
    leaves = [
        (model.__name__, name, enum_type, opened)
        for model in _result_models()
        for name, info in model.model_fields.items()
        for enum_type, opened in _enum_leaves(
            typing.get_type_hints(model, include_extras=True)[name]
        )
    ]
    assert len(leaves) >= 7  # ServiceType, MeasureValueType, objectType, user and member enums
    assert [leaf for leaf in leaves if not leaf[3]] == []


def test_open_enum_is_the_known_enum_or_str_for_type_checkers() -> None:
    (alias,) = typing.get_args(OpenEnum[ServiceType])[:1]
    assert set(typing.get_args(alias)) == {ServiceType, str}


def test_the_documented_types_are_typed_known_enum_or_str() -> None:
    hints = typing.get_type_hints(Service)
    assert set(typing.get_args(hints["serviceType"])) == {ServiceType, str}
    attribute = TimeSeriesAssetAttribute.model_validate(
        {"name": "p", "attributeType": "DECIMAL", "lastValue": None}
    )
    assert attribute.attributeType == "DECIMAL"


def _facade(responses: dict[str, dict[str, Any]]) -> AvistaDigitalExchange:
    def handler(request: httpx.Request) -> httpx.Response:
        operation = json.loads(request.content)["operationName"]
        return httpx.Response(200, json={"data": responses[operation]})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return AvistaDigitalExchange(TOKEN, endpoint=ENDPOINT, http_client=http, max_retries=0)


def test_the_facade_returns_the_unknown_values_as_strings() -> None:
    dx = _facade(
        {
            "collaborative_listCollaborativeServices": {
                "collaborative_listCollaborativeServices": [_service("SOLAR_FARM", extra=1)]
            },
            "timeSeriesDb_publishToDatabase": {
                "timeSeriesDb_publishToDatabase": [_asset("DECIMAL")]
            },
            "storage_getDataStoreDirectory": _directory(
                _entry("SYMLINK", "link"), _entry("DIRECTORY", "sub")
            ),
        }
    )
    (service,) = dx.listCollaborativeServices("collab.1")
    assert service.serviceType == "SOLAR_FARM"
    record = dx.createTimeSeriesInputRecord("1", "SECONDS", "power", "DOUBLE", "1.5")
    (asset,) = dx.publishToTimeSeriesDatabase("db.1", "asset.1", [record])
    assert asset.attributes[0].attributeType == "DECIMAL"
    directory = dx.getDataStoreDirectory("dir.home")
    assert [d.name for d in directory.directories] == ["sub"]  # the SYMLINK entry is skipped
    assert directory.files == []
