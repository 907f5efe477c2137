"""The ``assetId`` dimension every published record is stored with (time_series_assets)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from avista_dx.emulator.errors import InvalidTimestreamRequestError
from avista_dx.emulator.services.time_series_assets import with_asset_dimension

OWN = {"Name": "assetId", "Value": "m-1", "DimensionValueType": "VARCHAR"}
NAME = {"Name": "name", "Value": "Meter 1"}


class _Record(dict[str, Any]):
    """A dict subclass: stamped like a plain dict."""


@pytest.mark.parametrize(
    ("record", "dimensions"),
    [
        ({"Time": "1", "Dimensions": [NAME]}, [NAME, OWN]),
        ({"Time": "1", "Dimensions": []}, [OWN]),
        ({"Time": "1"}, [OWN]),
        ({"Time": "1", "Dimensions": None}, [OWN]),
        ({"Time": "1", "Dimensions": [NAME, {"Name": "assetId", "Value": "m-1"}]},
         [NAME, {"Name": "assetId", "Value": "m-1"}]),
        (_Record(Time="1", Dimensions=[NAME]), [NAME, OWN]),
        ({"Time": "1", "Dimensions": [NAME, "not an object"]}, [NAME, "not an object", OWN]),
    ],
)  # fmt: skip
def test_each_record_gets_the_asset_once(record: dict[str, Any], dimensions: list[Any]) -> None:
    before = copy.deepcopy(record)
    (stamped,) = with_asset_dimension([record], "m-1")
    assert stamped["Dimensions"] == dimensions
    assert {k: v for k, v in stamped.items() if k != "Dimensions"} == {
        k: v for k, v in before.items() if k != "Dimensions"
    }
    assert record == before  # the input is left unchanged


@pytest.mark.parametrize("malformed", ["text", 5, None, {"Dimensions": "text"}, {"Dimensions": {}}])
def test_malformed_records_pass_through_for_the_engine_to_reject(malformed: Any) -> None:
    assert with_asset_dimension([malformed], "m-1") == [malformed]


def test_a_record_naming_another_asset_is_refused_with_its_index() -> None:
    records = [
        {"Dimensions": [NAME]},
        {"Dimensions": [NAME, {"Name": "assetId", "Value": "other"}]},
    ]
    with pytest.raises(InvalidTimestreamRequestError, match="Record 1 names another asset"):
        with_asset_dimension(records, "m-1")
