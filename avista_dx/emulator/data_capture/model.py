"""Data models: validating a ``DataCaptureDataModelInput`` and checking values against it.

Invalid text (an empty name, control characters, over-long strings) is bad input and raises
``BadRequestException``. A model that is well-formed but unusable (no assets, an asset without
attributes, a ``userDefinedId`` used twice) is stored with its ``errors`` and state ERROR, and
keeps its capture in CONFIGURATION_ERROR until it is fixed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..errors import InvalidRequestError
from ..services import validation

SCHEMA_TYPES: Final = ("boolean", "double", "integer", "string")
MAX_ASSETS: Final = 1000
MAX_ATTRIBUTES: Final = 10_000
MAX_VALUE_CHARACTERS: Final = 2048  # Timestream's limit on a measure value
MIN_BIGINT: Final = -(2**63)
MAX_BIGINT: Final = 2**63 - 1
# Java's Long.parseLong / Double.parseDouble grammars (finite values only), as Timestream reads.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BOOLEANS: Final = {"true": "true", "false": "false"}


@dataclass(frozen=True, slots=True)
class Attribute:
    asset_id: str
    attribute_id: str
    schema_type: str


def _optional_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    return validation.name(value, what)


def _attribute(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidRequestError("each attribute must be an object")
    schema_type = raw.get("schemaType")
    if schema_type not in SCHEMA_TYPES:
        raise InvalidRequestError(f"schemaType must be one of {', '.join(SCHEMA_TYPES)}")
    if raw.get("attributeType") != "TELEMETRY":
        raise InvalidRequestError("attributeType must be TELEMETRY")
    return {
        "userDefinedId": validation.identifier(raw.get("userDefinedId"), "userDefinedId"),
        "displayName": validation.name(raw.get("displayName"), "displayName"),
        "description": validation.description(raw.get("description")),
        "attributeType": "TELEMETRY",
        "schemaType": schema_type,
        "unit": _optional_text(raw.get("unit"), "unit"),
    }


def parse_model(data_model: Any) -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
    """The model's assets as stored (``DataCaptureAsset`` dicts) and its problems.

    Records name attributes by ``userDefinedId`` alone, so attribute ids are unique across the
    whole model, as asset ids are among assets.
    """
    raw_assets = data_model.get("assets") if isinstance(data_model, dict) else None
    if not isinstance(raw_assets, list):
        raise InvalidRequestError("dataModel.assets must be a list")
    if len(raw_assets) > MAX_ASSETS:
        raise InvalidRequestError(f"a data model has at most {MAX_ASSETS} assets")
    assets = []
    errors: list[str] = []
    asset_ids: set[str] = set()
    attribute_ids: set[str] = set()
    total_attributes = 0
    for index, raw in enumerate(raw_assets):
        if not isinstance(raw, dict) or not isinstance(raw.get("attributes"), list):
            raise InvalidRequestError("each asset must be an object with a list of attributes")
        attributes = [_attribute(item) for item in raw["attributes"]]
        total_attributes += len(attributes)
        if total_attributes > MAX_ATTRIBUTES:
            raise InvalidRequestError(f"a data model has at most {MAX_ATTRIBUTES} attributes")
        asset_id = validation.identifier(raw.get("userDefinedId"), "userDefinedId")
        asset = {
            "userDefinedId": asset_id,
            "displayName": validation.name(raw.get("displayName"), "displayName"),
            "description": validation.description(raw.get("description")),
            "attributes": attributes,
        }
        if asset_id in asset_ids:
            errors.append(f"assets[{index}]: asset id {asset_id!r} is used twice")
        asset_ids.add(asset_id)
        if not attributes:
            errors.append(f"assets[{index}]: asset {asset_id!r} has no attributes")
        for attribute in attributes:
            if attribute["userDefinedId"] in attribute_ids:
                errors.append(
                    f"assets[{index}]: attribute id {attribute['userDefinedId']!r} is used twice"
                )
            attribute_ids.add(attribute["userDefinedId"])
        assets.append(asset)
    if not assets:
        errors.append("the data model has no assets")
    return tuple(assets), tuple(errors)


def attributes_by_id(assets: Sequence[dict[str, Any]]) -> dict[str, Attribute]:
    """Every attribute of the model by its ``userDefinedId`` (the first, if one is repeated)."""
    found: dict[str, Attribute] = {}
    for asset in assets:
        for attribute in asset["attributes"]:
            found.setdefault(
                attribute["userDefinedId"],
                Attribute(
                    asset["userDefinedId"], attribute["userDefinedId"], attribute["schemaType"]
                ),
            )
    return found


def canonical_value(value: object, schema_type: str) -> str | None:
    """The value's canonical text for its attribute's type, or None when it is not one."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_CHARACTERS:
        return None
    text = value.strip()
    if schema_type == "string":
        return value
    if schema_type == "boolean":
        return _BOOLEANS.get(text.lower())
    if schema_type == "integer":
        if not _INTEGER.fullmatch(text) or not MIN_BIGINT <= int(text) <= MAX_BIGINT:
            return None
        return str(int(text))
    if not _DOUBLE.fullmatch(text) or not math.isfinite(float(text)):
        return None
    return repr(float(text))
