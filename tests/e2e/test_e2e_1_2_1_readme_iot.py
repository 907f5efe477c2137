"""The 1.2.1 README's IoT examples run against the emulator with only the import changed, and
their placeholders filled in. Three are broken as published; each gets the smallest fix that
makes it do what its text says, and the test checks that the fix still applies."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from avista_dx import AvistaDigitalExchange
from avista_dx.emulator.runner import EmulatorHandle

from .conftest import unique
from .readme_1_2_1_iot_examples import IOT_EXAMPLES
from .test_e2e_1_2_1_readme import run_example
from .test_e2e_iot import wait_for_subscriptions

pytest.importorskip("websockets", reason="the realtime extra is not installed")

# The model of the examples' endpoint: the attributes they publish, query and set.
TELEMETRY = [
    {"name": name, "schemaType": "double"}
    for name in ("speed", "altitude", "SOC", "V", "V_Setpoint")
]
PROPERTIES = [{"name": "moving", "schemaType": "boolean", "defaultValue": True, "writable": True}]


def fixed(source: str, broken: str, fix: str) -> str:
    assert broken in source, "the published example changed: review its fix"
    return source.replace(broken, fix)


def published_fixes(name: str, source: str) -> str:
    if name == "getGroup":
        # As published, a SyntaxError (no comma between the arguments), and the argument is
        # the undefined `iotEndpointId` where the group id just assigned is meant.
        return fixed(source, "     iotEndpointId\n     includeEndpoints)",
                     "     iotGroupId,\n     includeEndpoints)")  # fmt: skip
    if name in ("queryByTimeRange", "queryDataByTimeRange"):
        # "V - Setpoint" cannot name an attribute (DTDL names are letters, digits and
        # underscores), so no model can have it: the endpoint's attribute is V_Setpoint.
        return fixed(source, '"V - Setpoint"', '"V_Setpoint"')
    if name == "subscribeToEndpoint":
        # As published the loop never ends (it waits for events forever): stop after the
        # first one, which is what the example shows receiving.
        return fixed(source, "            print(result)\n",
                     "            print(result)\n            break\n")  # fmt: skip
    return source


def test_the_iot_examples_run_with_only_the_import_changed(
    dx_emulator: EmulatorHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AVISTA_DX_ENDPOINT", dx_emulator.url)
    monkeypatch.chdir(tmp_path)  # queryByTimeRange writes ./result.csv
    token = dx_emulator.tokens["owner"]
    with AvistaDigitalExchange(token) as owner:
        hub = owner.iot.createHub(unique("readme hub"))
        model = owner.iot.createModel(
            unique("ReadmeModel").replace("-", ""), None, PROPERTIES, TELEMETRY
        )
        endpoint, second, third = (
            owner.iot.createEndpoint(hub.iotHubId, model.modelId, name) for name in "ABC"
        )
        group = owner.iot.createGroup(hub.iotHubId, "g", iotEndpointIds=endpoint.iotEndpointId)
        endpoint_id = endpoint.iotEndpointId
        placeholders = {
            "tokenvalue": token,
            "AUTHENTICATION_TOKEN": repr(token),
            "ENDPOINT_ID": repr(endpoint_id),
            "iotEndpointId.1234": endpoint_id,
            "iotEndpointId.4321": second.iotEndpointId,
            "iotEndpointId.5678": third.iotEndpointId,
            "iotGroupId.1234": group.iotGroupId,
            "iotHubId.1234": hub.iotHubId,
            "modelId.4321": model.modelId,
        }
        subscribed = dx_emulator.emulator.events.subscription_count() + 1

        def publish_once_subscribed() -> None:
            wait_for_subscriptions(dx_emulator, subscribed)
            owner.iot.publish(endpoint_id, [{"attributes": {"speed": 7.5}}])

        results: dict[str, dict[str, Any]] = {}
        for name, source in IOT_EXAMPLES.items():
            if name != "subscribeToEndpoint":
                results[name] = run_example(published_fixes(name, source), placeholders)
                continue
            publisher = threading.Thread(target=publish_once_subscribed)
            publisher.start()  # publishes once the example's subscription is registered
            try:
                results[name] = run_example(published_fixes(name, source), placeholders)
            finally:
                publisher.join()
            results[name]["dxInstance"].close()

        printed = capsys.readouterr().out
        assert "Telemetry attribute V_Setpoint has type double." in printed
        assert f"Endpoint A has id {endpoint_id}." in printed  # getGroup, with its endpoints
        created = results["createEndpoint"]["endpoint"]
        assert (created.name, created.description) == (
            "Temperature Sensor",
            "The sensor on top of the house",
        )
        assert set(results["addEndpointsToGroup"]["group"].iotEndpointIds) == {
            endpoint_id,
            second.iotEndpointId,
            third.iotEndpointId,
        }
        assert results["createModel"]["model"].displayName == "MyFirstModel"
        published = results["publish"]["result"]
        # The 2022 record is written; the 1970 one (1670008999 ms) is outside the exchange's
        # ingestion window, so it is reported in failedRecords (not raised).
        assert [r.timestamp for r in published.recordsWritten] == ["1671108331055"]
        assert [f.record.timestamp for f in published.failedRecords] == ["1670008999"]
        last = {
            e["attributeName"]: e["lastValue"] for e in results["listEndpointLastValues"]["result"]
        }
        assert (last["speed"], last["altitude"]) == ("40.2", "2413.0")
        assert results["queryByTimeRange"]["result"] is True
        header = (tmp_path / "result.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header == "iotEndpointId,name,timestamp,SOC,V,V_Setpoint"
        assert results["queryDataByTimeRange"]["result"] == []  # nothing in September 2022
        assert owner.iot.getEndpoint(endpoint_id).properties[0].value == "false"
        assert printed.count("recordsWritten") >= 1  # the subscription printed its event
        assert "7.5" in printed

        owner.iot.deleteModel(results["createModel"]["model"].modelId)
        for made in (created, endpoint, second, third):
            owner.iot.deleteEndpoint(made.iotEndpointId)
        owner.iot.deleteHub(hub.iotHubId)
