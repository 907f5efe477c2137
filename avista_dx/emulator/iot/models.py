"""Digital-twin models: attribute validation, typed values, DTMIs and the DTDL v2 export.

Names follow DTDL v2 (the format the models are exported in), so every stored model exports as
a valid DTDL v2 Interface, which DTDL v3 parsers read too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from ..errors import InvalidRequestError
from .records import Attribute, IotModelRecord

SCHEMA_TYPES: Final = ("boolean", "dateTime", "double", "duration", "integer", "string")
DTDL_CONTEXT: Final = "dtmi:dtdl:context;2"
# DTDL v2: names and DTMI segments, and their limits.
DTDL_NAME: Final = re.compile(r"[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?")
MAX_DTDL_NAME: Final = 64
MAX_DISPLAY_NAME: Final = 64
MAX_DTDL_DESCRIPTION: Final = 512
MAX_VERSION: Final = 999_999_999
MAX_ATTRIBUTES: Final = 300
MAX_VALUE_CHARS: Final = 1024
DTMI_PREFIX: Final = "dtmi:avistadx"
# Columns the telemetry table already has, or Timestream reserves (compared case-insensitively).
RESERVED_ATTRIBUTE_NAMES: Final = frozenset(
    {"iotendpointid", "time", "measure_name", "measure_value"}
)
RESERVED_ATTRIBUTE_PREFIXES: Final = ("ts_", "measure_name")

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DURATION = re.compile(
    r"P(?!$)(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)
INT32: Final = 2**31


def shown(value: object, limit: int = 64) -> str:
    """A value for an error message: its repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def typed_value(schema_type: str, value: object) -> str | None:
    """``value`` in its canonical text form for ``schema_type``, or None when it is not one."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
        return None
    text = value.strip()
    if schema_type == "string":
        return value
    if schema_type == "integer":
        if _INTEGER.fullmatch(text) and -INT32 <= int(text) < INT32:
            return str(int(text))
        return None
    if schema_type == "double":
        return text if _DOUBLE.fullmatch(text) and math.isfinite(float(text)) else None
    if schema_type == "boolean":
        lowered = text.lower()
        return lowered if lowered in ("true", "false") else None
    if schema_type == "dateTime":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return text if moment.tzinfo is not None else None
    if schema_type == "duration":
        return text if _DURATION.fullmatch(text) else None
    return None


def _text(value: object, what: str, limit: int, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidRequestError(f"{what} must be a non-empty string")
    if len(value) > limit:
        raise InvalidRequestError(f"{what} is longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise InvalidRequestError(f"{what} must not contain control characters")
    return value


def display_name(value: object) -> str:
    text = _text(value, "displayName", MAX_DISPLAY_NAME, required=True)
    assert text is not None
    return text


def model_description(value: object) -> str | None:
    return _text(value, "description", MAX_DTDL_DESCRIPTION, required=False)


def dtmi_segment(value: object) -> str:
    if not isinstance(value, str) or not DTDL_NAME.fullmatch(value) or len(value) > MAX_DTDL_NAME:
        raise InvalidRequestError(
            "dtmiSegment must be 1 to 64 letters, digits or underscores, starting with a letter"
            " and not ending with an underscore"
        )
    return value


def version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        raise InvalidRequestError(f"version must be an integer from 1 to {MAX_VERSION}")
    return value


def dtmi_scope(owner_user_id: str) -> str:
    """The DTMI segment naming a model's creator (a DTMI segment starts with a letter)."""
    return "u" + "".join(c for c in owner_user_id.rsplit(".", 1)[-1] if c.isalnum())[:32]


def dtmi(record: IotModelRecord) -> str:
    """``dtmi:avistadx:<creator>:<dtmiSegment>;<version>``: unique per creator, segment and
    version."""
    scope = record.dtmi_scope or dtmi_scope(record.owner_user_id)
    return f"{DTMI_PREFIX}:{scope}:{record.dtmi_segment};{record.version}"


def _attribute_name(value: object, what: str) -> str:
    if not isinstance(value, str) or not DTDL_NAME.fullmatch(value) or len(value) > MAX_DTDL_NAME:
        raise InvalidRequestError(
            f"{what} name {value!r} must be 1 to 64 letters, digits or underscores, starting with"
            " a letter and not ending with an underscore"
        )
    folded = value.casefold()
    if folded in RESERVED_ATTRIBUTE_NAMES or folded.startswith(RESERVED_ATTRIBUTE_PREFIXES):
        raise InvalidRequestError(f"{what} name {value!r} is reserved")
    return value


def attributes(
    properties: object, telemetry: object
) -> tuple[tuple[Attribute, ...], tuple[Attribute, ...]]:
    """Validated ``ModelPropertyInput`` and ``ModelTelemetryInput`` lists, ordered by index.

    A missing index is the attribute's position in its list; indexes are unique per list.
    Names are unique across properties and telemetry (one DTDL ``contents`` list).
    """
    checked_properties = _attribute_list(properties, "property")
    checked_telemetry = _attribute_list(telemetry, "telemetry")
    if len(checked_properties) + len(checked_telemetry) > MAX_ATTRIBUTES:
        raise InvalidRequestError(f"a model has at most {MAX_ATTRIBUTES} properties and telemetry")
    seen: set[str] = set()
    for attribute in (*checked_properties, *checked_telemetry):
        folded = attribute["name"].casefold()
        if folded in seen:
            raise InvalidRequestError(f"the name {attribute['name']!r} is used twice in the model")
        seen.add(folded)
    return checked_properties, checked_telemetry


def _attribute_list(items: object, what: str) -> tuple[Attribute, ...]:
    if items is None:
        return ()
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise InvalidRequestError(f"{what} must be a list")
    result: list[Attribute] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidRequestError(f"{what} entries must not be null")
        schema_type = item.get("schemaType")
        if schema_type not in SCHEMA_TYPES:
            raise InvalidRequestError(f"{what} schemaType must be one of {', '.join(SCHEMA_TYPES)}")
        index = item.get("index")
        if index is None:
            index = position
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise InvalidRequestError(f"{what} index must be a non-negative integer")
        attribute: Attribute = {
            "name": _attribute_name(item.get("name"), what),
            "schemaType": schema_type,
            "description": _text(
                item.get("description"), f"{what} description", MAX_DTDL_DESCRIPTION, required=False
            ),
            "index": index,
        }
        if what == "property":
            default = item.get("defaultValue")
            if default is not None and typed_value(schema_type, default) is None:
                raise InvalidRequestError(
                    f"defaultValue {shown(default)} of property {attribute['name']!r} is not"
                    f" a {schema_type}"
                )
            attribute["defaultValue"] = (
                None if default is None else typed_value(schema_type, default)
            )
            writable = item.get("writable")
            attribute["writable"] = bool(writable) if writable is not None else False
        result.append(attribute)
    if len({a["index"] for a in result}) != len(result):
        raise InvalidRequestError(f"{what} indexes must be unique")
    return tuple(sorted(result, key=lambda a: a["index"]))


def attribute_view(attribute: Attribute, attribute_type: str) -> dict[str, Any]:
    """A ``ModelProperty`` or ``ModelTelemetry``."""
    view = {
        "name": attribute["name"],
        "attributeType": attribute_type,
        "schemaType": attribute["schemaType"],
        "description": attribute.get("description"),
        "index": attribute["index"],
    }
    if attribute_type == "Property":
        view["defaultValue"] = attribute.get("defaultValue")
        view["writable"] = attribute.get("writable", False)
    return view


def model_view(record: IotModelRecord) -> dict[str, Any]:
    return {
        "modelId": record.model_id,
        "dtmi": dtmi(record),
        "ownerUserId": record.owner_user_id,
        "displayName": record.display_name,
        "description": record.description,
        "properties": [attribute_view(a, "Property") for a in record.properties],
        "telemetry": [attribute_view(a, "Telemetry") for a in record.telemetry],
    }


def dtdl_document(record: IotModelRecord) -> str:
    """The model as one DTDL v2 Interface (JSON-LD): properties, then telemetry, by index."""
    contents: list[dict[str, Any]] = []
    for attribute_type, items in (("Property", record.properties), ("Telemetry", record.telemetry)):
        for attribute in items:
            entry: dict[str, Any] = {
                "@type": attribute_type,
                "name": attribute["name"],
                "schema": attribute["schemaType"],
            }
            if attribute.get("description"):
                entry["description"] = attribute["description"]
            if attribute_type == "Property":
                entry["writable"] = bool(attribute.get("writable"))
            contents.append(entry)
    document: dict[str, Any] = {
        "@context": DTDL_CONTEXT,
        "@id": dtmi(record),
        "@type": "Interface",
        "displayName": record.display_name,
    }
    if record.description:
        document["description"] = record.description
    document["contents"] = contents
    return json.dumps(document, ensure_ascii=False)
