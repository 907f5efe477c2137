"""`dx.iot`'s operations (docs/protocol.md §7): validated arguments, the generated method, the
adaptation to `types_iot`, retry safety. I/O-free, like `_operations`; the caller's dicts and
lists are read, never modified (the wire values are new objects).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from avista_dx_graphql.base_model import UNSET
from avista_dx_graphql.enums import ExportFileFormat, ModelSchemaType

from ._operations import Call, _one, _root
from ._retry import RetrySafety
from ._validation import optional_text, require_id, require_text, shown
from .errors import InvalidInputError, InvalidResponseError
from .types_iot import (
    DigitalTwinModel,
    EndpointLastValue,
    IotEndpoint,
    IotGroup,
    PublishIotDataResult,
)

SCHEMA_TYPES = tuple(t.value for t in ModelSchemaType)
EPOCH_UNITS = ("MILLISECONDS", "SECONDS", "MICROSECONDS", "NANOSECONDS")
TIME_UNITS = (*EPOCH_UNITS, "ISO8601")
_MODEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")


# -- values ---------------------------------------------------------------------------------


def now_millis() -> int:
    return time.time_ns() // 1_000_000


def wire_value(value: object, what: str) -> str:
    """A value as the exchange stores it: a string whatever its schema type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return require_text(what, value, allow_empty=True)
    if isinstance(value, int | float):
        return repr(value)
    raise InvalidInputError(f"{what} must be a string, number or boolean, not {shown(value)}")


def iso_millis(value: str, what: str) -> int:
    """Epoch milliseconds of an ISO-8601 time; a time without a zone is UTC."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(f"{what} is not an ISO-8601 time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return round(moment.timestamp() * 1000)


def time_argument(value: object, what: str) -> str:
    """`startTime`/`endTime`: an ISO-8601 string (1.2.1), an aware datetime or epoch ms."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidInputError(f"{what} must be timezone-aware")
        return str(round(value.timestamp() * 1000))
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return text if text.isdigit() else str(iso_millis(text, what))
    raise InvalidInputError(f"{what} must be an ISO-8601 string, a datetime or epoch ms")


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{what} must be a dict, not {type(value).__name__}")
    return value


def _records(value: object, what: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidInputError(f"{what} must be a list")
    return value


def _check_keys(item: Mapping[str, Any], allowed: Iterable[str], what: str) -> None:
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        raise InvalidInputError(f"{what} has unknown keys {unknown}")


def _optional_text(item: Mapping[str, Any], key: str, what: str) -> str | None:
    return optional_text(f"{what}.{key}", item.get(key), allow_empty=True)


# -- inputs ---------------------------------------------------------------------------------


def _attribute_definition(
    item: object, index: int, what: str, keys: tuple[str, ...]
) -> dict[str, Any]:
    definition = _mapping(item, what)
    _check_keys(definition, keys, what)
    name = require_text(f"{what}.name", definition.get("name"))
    schema_type = definition.get("schemaType")
    if schema_type not in SCHEMA_TYPES:
        raise InvalidInputError(
            f"{what}.schemaType must be one of {', '.join(SCHEMA_TYPES)}; got {schema_type!r}"
        )
    wire: dict[str, Any] = {"name": name, "schemaType": schema_type, "index": index}
    description = _optional_text(definition, "description", what)
    if description is not None:
        wire["description"] = description
    return wire


def model_properties(properties: object) -> list[dict[str, Any]]:
    wire = []
    keys = ("name", "description", "schemaType", "defaultValue", "writable")
    for index, item in enumerate(_records(properties, "properties")):
        what = f"properties[{index}]"
        prop = _attribute_definition(item, index, what, keys)
        default = cast("Mapping[str, Any]", item).get("defaultValue")
        if default is not None:
            prop["defaultValue"] = wire_value(default, f"{what}.defaultValue")
        writable = cast("Mapping[str, Any]", item).get("writable", False)
        if not isinstance(writable, bool):
            raise InvalidInputError(f"{what}.writable must be True or False")
        prop["writable"] = writable
        wire.append(prop)
    return wire


def model_telemetry(telemetry: object) -> list[dict[str, Any]]:
    keys = ("name", "description", "schemaType")
    return [
        _attribute_definition(item, index, f"telemetry[{index}]", keys)
        for index, item in enumerate(_records(telemetry, "telemetry"))
    ]


def publish_records(data: object, now: int) -> list[dict[str, Any]]:
    """1.2.1's records (`timestamp` default now, `timeUnit` default MILLISECONDS or ISO8601,
    `attributes` a dict) as `IotDataRecordInput`s; ISO-8601 times become epoch ms."""
    wire = []
    for index, item in enumerate(_records(data, "data")):
        what = f"data[{index}]"
        record = _mapping(item, what)
        _check_keys(record, ("timestamp", "timeUnit", "attributes"), what)
        unit = record.get("timeUnit", "MILLISECONDS")
        if unit not in TIME_UNITS:
            raise InvalidInputError(f"{what}.timeUnit must be one of {', '.join(TIME_UNITS)}")
        stamp = record.get("timestamp")
        if stamp is None:
            if unit != "MILLISECONDS":
                raise InvalidInputError(f"{what}: a timeUnit without a timestamp")
            stamp = now
        if unit == "ISO8601":
            if not isinstance(stamp, str):
                raise InvalidInputError(f"{what}.timestamp must be an ISO-8601 string")
            stamp, unit = iso_millis(stamp, f"{what}.timestamp"), "MILLISECONDS"
        if isinstance(stamp, bool) or not (
            isinstance(stamp, int) or (isinstance(stamp, str) and stamp.isdigit())
        ):
            raise InvalidInputError(f"{what}.timestamp must be an epoch integer in {unit}")
        attributes = _mapping(record.get("attributes"), f"{what}.attributes")
        if not attributes:
            raise InvalidInputError(f"{what}.attributes is empty")
        wire.append(
            {
                "timestamp": str(stamp),
                "timeUnit": unit,
                "attributes": [
                    {
                        "name": require_text(f"{what}.attributes name", name),
                        "value": wire_value(value, f"{what}.attributes[{shown(name)}]"),
                    }
                    for name, value in attributes.items()
                ],
            }
        )
    if not wire:
        raise InvalidInputError("data is empty")
    return wire


def property_values(properties: object, now: int) -> list[dict[str, str]]:
    values = _mapping(properties, "properties")
    if not values:
        raise InvalidInputError("properties is empty")
    return [
        {
            "name": require_text("properties name", name),
            "value": wire_value(value, f"properties[{shown(name)}]"),
            "timestamp": str(now),
        }
        for name, value in values.items()
    ]


def endpoint_ids(value: object) -> list[str]:
    ids = [value] if isinstance(value, str) else list(_records(value, "iotEndpointIds"))
    if not ids:
        raise InvalidInputError("iotEndpointIds is empty")
    return [require_id("iotEndpointId", i) for i in ids]


def attribute_names(value: object) -> list[str]:
    names = list(_records(value, "attributeNames"))
    if not names:
        raise InvalidInputError("attributeNames must be a non-empty list of names")
    return [require_text(f"attributeNames[{i}]", name) for i, name in enumerate(names)]


# -- calls ----------------------------------------------------------------------------------


def get_endpoint(endpoint_id: str) -> Call[IotEndpoint]:
    op = "iot_getEndpoint"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return Call(
        op,
        lambda client, options: client.iot_get_endpoint(endpoint_id, **options),
        _one(IotEndpoint, op, f"endpoint {endpoint_id!r}"),
    )


def get_group(group_id: str, include_endpoints: bool) -> Call[IotGroup]:
    op = "iot_getGroup"
    group_id = require_id("iotGroupId", group_id)
    if not isinstance(include_endpoints, bool):
        raise InvalidInputError("includeEndpoints must be True or False")
    return Call(
        op,
        lambda client, options: client.iot_get_group(group_id, include_endpoints, **options),
        _one(IotGroup, op, f"group {group_id!r}"),
    )


def create_endpoint(
    hub_id: str, model_id: str, name: str, description: str | None
) -> Call[IotEndpoint]:
    op = "iot_createEndpoint"
    hub_id = require_id("iotHubId", hub_id)
    model_id = require_id("modelId", model_id)
    name = require_text("name", name)
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.iot_create_endpoint(
            hub_id, model_id, name, UNSET if description is None else description, **options
        ),
        _one(IotEndpoint, op, "endpoint"),
        RetrySafety.UNSENT_ONLY,  # each call creates another endpoint
    )


def add_endpoints_to_group(group_id: str, ids: object) -> Call[IotGroup]:
    op = "iot_addEndpointsToGroup"
    group_id = require_id("iotGroupId", group_id)
    wire_ids = endpoint_ids(ids)
    return Call(
        op,
        lambda client, options: client.iot_add_endpoints_to_group(group_id, wire_ids, **options),
        _one(IotGroup, op, f"group {group_id!r}"),
        RetrySafety.UNSENT_ONLY,  # a repeat may report "already in the group"
    )


def create_model(
    name: str, description: str | None, properties: object, telemetry: object
) -> Call[DigitalTwinModel]:
    op = "iot_createModel"
    if not isinstance(name, str) or not _MODEL_NAME.fullmatch(name):
        raise InvalidInputError(
            "name must be alphanumeric (a letter first, at most 64 characters): "
            f"it is also the model's DTMI segment; got {name!r}"
        )
    description = optional_text("description", description, allow_empty=True)
    wire_properties = model_properties(properties)
    wire_telemetry = model_telemetry(telemetry)
    return Call(
        op,
        lambda client, options: client.iot_create_model(
            name,
            name,
            UNSET if description is None else description,
            cast("Any", wire_properties),
            cast("Any", wire_telemetry),
            **options,
        ),
        _one(DigitalTwinModel, op, "model"),
        RetrySafety.UNSENT_ONLY,
    )


def publish(endpoint_id: str, data: object) -> Call[PublishIotDataResult]:
    op = "iot_publish"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    records = publish_records(data, now_millis())
    return Call(
        op,
        lambda client, options: client.iot_publish(endpoint_id, cast("Any", records), **options),
        _one(PublishIotDataResult, op, "publish result"),
        # A repeated record is refused as DUPLICATE_ENTRY: only unsent requests are repeated.
        RetrySafety.UNSENT_ONLY,
    )


def update_endpoint_properties(endpoint_id: str, properties: object) -> Call[IotEndpoint]:
    op = "iot_updateEndpointProperties"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    values = property_values(properties, now_millis())
    return Call(
        op,
        lambda client, options: client.iot_update_endpoint_properties(
            endpoint_id, cast("Any", values), **options
        ),
        _one(IotEndpoint, op, f"endpoint {endpoint_id!r}"),
        RetrySafety.UNSENT_ONLY,
    )


@dataclass(frozen=True, slots=True)
class Paging:
    """What the next page of a server-side query needs passed back (docs/protocol.md §7.2)."""

    next_token: str | None = None
    client_token: str | None = None
    query_id: str | None = None
    query_string: str | None = None


def _optional(value: str | None) -> Any:
    return UNSET if value is None else value


@dataclass(frozen=True, slots=True)
class LastValuesPage:
    paging: Paging
    stored_url: str | None  # resultStoredInS3: the page's `data` is a JSON document there
    data: list[dict[str, Any]]  # EndpointLastValues, as the wire's JSON


def paging_arguments(paging: Paging) -> dict[str, Any]:
    """The keyword arguments of a last-values page's generated method (unset ones left out)."""
    return {
        "next_token": _optional(paging.next_token),
        "client_token": _optional(paging.client_token),
        "query_id": _optional(paging.query_id),
    }


def last_values_page(op: str, attribute: str) -> Callable[[Any], LastValuesPage]:
    """The adaptation of a page of `iot_listEndpointLastValues`, `iot_listGroupsEndpoints
    LastValues` or `iot_listHubsEndpointsLastValues` (one result type)."""

    def adapt(result: Any) -> LastValuesPage:
        raw = _root(result, attribute, op, "last values")
        stored_url = raw.presigned_url if raw.result_stored_in_storage else None
        if raw.result_stored_in_storage and not stored_url:
            raise InvalidResponseError("resultStoredInS3 without a presignedUrl", operation=op)
        return LastValuesPage(
            Paging(raw.next_token or None, raw.client_token, raw.query_id),
            stored_url,
            [item.model_dump(by_alias=True) for item in raw.data if item is not None],
        )

    return adapt


def list_endpoint_last_values(endpoint_id: str, paging: Paging) -> Call[LastValuesPage]:
    op = "iot_listEndpointLastValues"
    endpoint_id = require_id("iotEndpointId", endpoint_id)
    return Call(
        op,
        lambda client, options: client.iot_list_endpoint_last_values(
            endpoint_id, **paging_arguments(paging), **options
        ),
        last_values_page(op, "iot_list_endpoint_last_values"),
    )


def stored_last_values(document: bytes) -> list[dict[str, Any]]:
    """The `data` of a page kept in storage (a JSON list of EndpointLastValues)."""
    try:
        data = json.loads(document)
    except ValueError:
        raise InvalidResponseError("the stored last values are not JSON") from None
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise InvalidResponseError("the stored last values are not a JSON list of objects")
    return data


def last_value_entries(data: Iterable[Mapping[str, Any]]) -> list[EndpointLastValue]:
    """1.2.1's `[{attributeName, lastValue, timestamp}]`, one per telemetry attribute."""
    entries: list[EndpointLastValue] = []
    for endpoint in data:
        for value in endpoint.get("telemetryValues") or []:
            model = (value or {}).get("telemetryModel") or {}
            if not model.get("name"):
                continue  # an attribute without a definition cannot be named
            entries.append(
                {
                    "attributeName": model["name"],
                    "lastValue": value.get("value"),
                    "timestamp": value.get("timestamp"),
                }
            )
    return entries


def query_by_time_range(
    start_time: str, end_time: str, filters: list[dict[str, Any]], paging: Paging
) -> Call[Paging]:
    op = "iot_queryByTimeRange"

    def adapt(result: Any) -> Paging:
        raw = _root(result, "iot_query_by_time_range", op, "query page")
        return Paging(raw.next_token or None, raw.client_token, raw.query_id, raw.query_string)

    return Call(
        op,
        lambda client, options: client.iot_query_by_time_range(
            start_time,
            end_time,
            cast("Any", filters),
            _optional(paging.next_token),
            _optional(paging.client_token),
            _optional(paging.query_id),
            _optional(paging.query_string),
            **options,
        ),
        adapt,
    )


def generate_query_result_export(query_id: str) -> Call[str]:
    op = "iot_generateQueryResultExport"
    query_id = require_id("queryId", query_id)

    def adapt(result: Any) -> str:
        return str(_root(result, "iot_generate_query_result_export", op, "export").query_id)

    return Call(
        op,
        lambda client, options: client.iot_generate_query_result_export(
            query_id, ExportFileFormat.CSV, **options
        ),
        adapt,
        RetrySafety.UNSENT_ONLY,  # starts a background export
    )


def parse_export_csv(content: bytes) -> list[dict[str, str]]:
    """The rows of an export file: a CSV with a header row (quotes and commas in values
    respected, unlike 1.2.1's split on `,`)."""
    text = content.decode("utf-8-sig")
    return [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))]


def _boolean(text: str) -> bool:
    if text.strip().lower() not in ("true", "false"):
        raise ValueError(text)
    return text.strip().lower() == "true"


_TYPED: dict[str, Callable[[str], Any]] = {"integer": int, "double": float, "boolean": _boolean}


def typed_rows(rows: list[dict[str, str]], endpoint: IotEndpoint) -> list[dict[str, Any]]:
    """Export rows with each telemetry value typed by the endpoint's model."""
    kinds = {t.name: str(t.schemaType) for t in endpoint.telemetry}
    typed: list[dict[str, Any]] = []
    for row in rows:
        out: dict[str, Any] = {}
        for column, text in row.items():
            convert = _TYPED.get(kinds.get(column, ""))
            if column not in kinds:
                out[column] = text
            elif text is None or text == "":
                out[column] = None
            else:
                try:
                    out[column] = convert(text) if convert else text
                except ValueError:
                    out[column] = text  # a value the model's type does not read: as sent
        typed.append(out)
    return typed


def one_of(positional: str | None, keyword: str | None) -> str:
    """`iotEndpointId` given positionally, or as 1.2.1's example's `endpointId=`."""
    if positional is not None and keyword is not None and positional != keyword:
        raise InvalidInputError("pass iotEndpointId or endpointId, not both")
    return require_id("iotEndpointId", positional if positional is not None else keyword)
