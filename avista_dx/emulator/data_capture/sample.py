"""``dataCapture_getPythonSDKSample``: a runnable script that publishes to one capture."""

from __future__ import annotations

from typing import Any

from .records import CaptureRecord, DataModelRecord

# A value of each schema type, valid for the data model.
SAMPLE_VALUES = {"boolean": "true", "double": "21.5", "integer": "42", "string": "sample text"}

TEMPLATE = """\
# Publishes one record to the data capture {display_name} with avista-dx.
#
# Set AVISTA_DX_TOKEN to the capture's token (dataCapture_getCaptureAuthenticationToken) or
# to your own, and AVISTA_DX_ENDPOINT to the exchange's GraphQL URL. The capture must be
# CAPTURING (dataCapture_startCapture) to accept data.
import time

from avista_dx import AvistaDigitalExchange

CAPTURE_ID = {capture_id}


def main() -> None:
    data = [
        {{
            "timestamp": str(time.time_ns() // 1_000_000),  # epoch milliseconds
            "attributeValues": [
{values}
            ],
        }}
    ]
    with AvistaDigitalExchange() as dx:
        result = dx.dataCapture.publishData(CAPTURE_ID, data)
    print(result)


if __name__ == "__main__":
    main()
"""


def _value_lines(assets: tuple[dict[str, Any], ...]) -> list[str]:
    lines = []
    for asset in assets:
        for attribute in asset["attributes"]:
            value = SAMPLE_VALUES[attribute["schemaType"]]
            entry = {"userDefinedId": attribute["userDefinedId"], "value": value}
            # Names hold no line breaks (validated), so a comment cannot end early.
            comment = (
                f"{asset['displayName']} / {attribute['displayName']} ({attribute['schemaType']})"
            )
            lines.append(f"                {entry!r},  # {comment}")
    return lines


def python_sample(record: CaptureRecord, model: DataModelRecord) -> str:
    return TEMPLATE.format(
        display_name=repr(record.display_name),
        capture_id=repr(record.capture_id),
        values="\n".join(_value_lines(model.assets)),
    )
