"""The IoT examples of the published 1.2.1 SDK's README (avista-digital-exchange-sdk),
verbatim but for trailing spaces at line ends; the tests fill in their placeholders (ids,
token) and fix, where the README says nothing that works, what is broken as published."""

from __future__ import annotations

# In an order they can run in: the publish before the reads of what it wrote.
IOT_EXAMPLES = {
    "getEndpoint": """\
iotEndpointId = "iotEndpointId.1234"
endpoint = digitalExchange.iot.getEndpoint(
     iotEndpointId)

for property in endpoint.properties:
    print(f"Property {property.name} has type {property.schemaType}.")
for telemetry in endpoint.telemetry:
    print(f"Telemetry attribute {telemetry.name} has type {telemetry.schemaType}.")
""",
    "getGroup": """\
iotGroupId = "iotGroupId.1234"
includeEndpoints = True
group = digitalExchange.iot.getGroup(
     iotEndpointId
     includeEndpoints)

for endpoint in group.endpoints:
    print(f"Endpoint {endpoint.name} has id {endpoint.iotEndpointId}.")
""",
    "createEndpoint": """\
iotHubId = "iotHubId.1234"
modelId = "modelId.4321"
name = "Temperature Sensor"
description = "The sensor on top of the house"


endpoint = digitalExchange.iot.createEndpoint(
    iotHubId,
    modelId,
    name,
    description)
""",
    "addEndpointsToGroup": """\
iotGroupId = "iotGroupId.1234"
iotEndpointIds = ["iotEndpointId.4321", "iotEndpointId.5678"]


group = digitalExchange.iot.addEndpointsToGroup(
    iotGroupId,
    iotEndpointIds)
""",
    "createModel": """\
properties = [
    {
        "name": "Longitude",
        "description": "the last known longitude of the device",
        "schemaType": "double",
        "defaultValue": "-117.426048",
        "writable": True
    },
    {
        "name": "Latitude",
        "description": "the last known latitude of the device",
        "schemaType": "double",
        "defaultValue": "47.658779",
        "writable": True
    }
]

telemetry = [
    {
        "name": "Temperature",
        "description": "Temp from the sensor in celsius",
        "schemaType": "double"
    },
    {
        "name": "Humidity",
        "description": "Humidity from the sensor",
        "schemaType": "double"
    }
]

model = digitalExchange.iot.createModel(
    "MyFirstModel",
    "A simple example digital twin model",
    properties,
    telemetry)
""",
    "publish": """\
# Create the input data array
inputData = [
    {
        "timestamp": 1670008999,
        "timeUnit": "MILLISECONDS", # Optional - "MILLISECONDS" by default
        "attributes": {
            "speed": "40.2",
            "altitude": "2413.0"
        }
    }, {
        "timestamp": "2022-12-15T12:45:31.055Z",
        "timeUnit": "ISO8601",
        "attributes": {
            "speed": "40.2",
            "altitude": "2413.0"
        }
    }
]

# Write the records
result = digitalExchange.iot.publish('iotEndpointId.1234', inputData)

recordsWritten = result.recordsWritten
failedRecords = result.failedRecords
""",
    "listEndpointLastValues": """\
iotEndpointId = "iotEndpointId.1234"
result = digitalExchange.iot.listEndpointLastValues(
     iotEndpointId)

# Example iteration through result
for entry in result:
    attributeName = entry["attributeName"]
    lastValue = entry["lastValue"]
    timestamp = entry["timestamp"]
""",
    "queryByTimeRange": """\
result = digitalExchange.iot.queryByTimeRange(
    "iotEndpointId.1234",
    ["SOC", "V", "V - Setpoint"],
    "2022-09-25T20:13:04.465Z",
    "2022-09-26T20:58:04.465Z",
    "./")
""",
    "queryDataByTimeRange": """\
result = digitalExchange.iot.queryDataByTimeRange(
    "iotEndpointId.1234",
    ["SOC", "V", "V - Setpoint"],
    "2022-09-25T20:13:04.465Z",
    "2022-09-26T20:58:04.465Z")
""",
    "updateEndpointProperties": """\
properties = {
    'moving': False
}

digitalExchange.iot.updateEndpointProperties(
     "iotEndpointId.1234",
     properties)
""",
    "subscribeToEndpoint": """\
import tracemalloc
import asyncio
from avista_digital_exchange_sdk import AvistaDigitalExchange

# Specify the endpoint you are subscribing to
iotEndpointId = ENDPOINT_ID
authenticationToken = AUTHENTICATION_TOKEN
dxInstance = AvistaDigitalExchange(
    authenticationToken, True)

async def subscriptionTest():
    try:
        async for result in dxInstance.iot.subscribeToEndpoint(
                endpointId=iotEndpointId):
            # This code block runs each time a subscription event is received.
            print(result)

    except Exception as error:
        print(f"iot.subscribeToEndpoint failed with error: {error}")
        raise error


asyncio.run(subscriptionTest())
""",
}
