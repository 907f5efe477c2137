"""The fake exchange's IoT and data capture fields (docs/protocol.md §7), over a few dicts.

Small on purpose, like fake_exchange.py: enough rules to test the SDK's side (arguments sent,
paging followed, stored pages and exports fetched, per-record failures reported, events
pushed), not the exchange's access model.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake_exchange import FakeExchange

S3 = "https://s3.test"


def telemetry(name: str, schema_type: str, index: int) -> dict[str, Any]:
    return {
        "name": name,
        "description": None,
        "schemaType": schema_type,
        "index": index,
        "attributeType": "Telemetry",
    }


def model_property(name: str, schema_type: str, writable: bool, default: str | None) -> dict:
    return {
        "name": name,
        "description": None,
        "schemaType": schema_type,
        "defaultValue": default,
        "writable": writable,
        "index": 0,
        "attributeType": "Property",
    }


class FakeIot:
    def __init__(self, fake: FakeExchange) -> None:
        self.fake = fake
        self._ids = itertools.count(1)
        self.models: dict[str, dict[str, Any]] = {}
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.telemetry: dict[str, list[dict[str, Any]]] = {}  # endpoint -> published records
        self.last_values_page_size = 100  # attributes per last-values page
        self.store_last_values_pages: set[int] = set()  # page indexes kept in "S3"
        self.query_page_rows = 2
        self.queries: dict[str, dict[str, Any]] = {}
        self.captures: dict[str, dict[str, Any]] = {}
        self.seed()

    def seed(self) -> None:
        self.models["modelId.1"] = {
            "modelId": "modelId.1",
            "dtmi": "dtmi:test:Meter;1",
            "displayName": "Meter",
            "description": None,
            "ownerUserId": "userId.1",
            "properties": [
                model_property("moving", "boolean", True, "false"),
                model_property("serial", "string", False, "S-1"),
            ],
            "telemetry": [
                telemetry("speed", "double", 0),
                telemetry("count", "integer", 1),
                telemetry("note", "string", 2),
            ],
        }
        self.add_endpoint("iotEndpointId.1", "Sensor")
        self.groups["iotGroupId.1"] = {
            "iotGroupId": "iotGroupId.1",
            "iotHubId": "iotHubId.1",
            "name": "Group",
            "description": None,
            "ownerUserId": "userId.1",
            "iotEndpointIds": ["iotEndpointId.1"],
        }
        self.captures["captureId.1"] = self.capture("captureId.1", "READY")

    def capture(self, capture_id: str, state: str) -> dict[str, Any]:
        return {
            "captureId": capture_id,
            "captureType": "STANDARD",
            "displayName": "Capture",
            "description": None,
            "ownerUserId": "userId.1",
            "state": state,
            "dateCreated": "2026-01-01T00:00:00.000Z",
            "dateUpdated": "2026-01-01T00:00:00.000Z",
            "timeSettings": {
                "actualStartTime": None,
                "actualStopTime": None,
                "scheduledStartTime": None,
                "scheduledStopTime": None,
                "startTimeType": "MANUAL",
                "stopTimeType": "MANUAL",
            },
            "attributeIds": ["temperature", "running"],
        }

    def add_endpoint(self, endpoint_id: str, name: str, model_id: str = "modelId.1") -> dict:
        model = self.models[model_id]
        endpoint = {
            "iotEndpointId": endpoint_id,
            "iotHubId": "iotHubId.1",
            "modelId": model_id,
            "name": name,
            "description": None,
            "ownerUserId": "userId.1",
            "properties": [
                dict(p, value=p["defaultValue"], timestamp=None) for p in model["properties"]
            ],
            "telemetry": model["telemetry"],
        }
        self.endpoints[endpoint_id] = endpoint
        self.telemetry[endpoint_id] = []
        return endpoint

    # -- resolvers -----------------------------------------------------------------------------

    def resolvers(self) -> dict[str, Any]:
        get = self.fake._get
        return {
            "iot_getEndpoint": lambda info, iotEndpointId: get(self.endpoints, iotEndpointId),
            "iot_getGroup": self._group,
            "iot_createEndpoint": self._create_endpoint,
            "iot_addEndpointsToGroup": self._add_to_group,
            "iot_createModel": self._create_model,
            "iot_publish": self._publish,
            "iot_updateEndpointProperties": self._update_properties,
            "iot_listEndpointLastValues": self._last_values,
            "iot_queryByTimeRange": self._query,
            "iot_generateQueryResultExport": self._export,
            "dataCapture_startCapture": self._start_capture,
            "dataCapture_stopCapture": self._stop_capture,
            "dataCapture_publishData": self._publish_capture,
        }

    def _group(self, info: Any, iotGroupId: str, includeEndpoints: bool | None = None) -> dict:
        group = dict(self.fake._get(self.groups, iotGroupId))
        group["endpoints"] = (
            [self.endpoints[i] for i in group["iotEndpointIds"]] if includeEndpoints else None
        )
        return group

    def _create_endpoint(
        self, info: Any, iotHubId: str, modelId: str, name: str, description: str | None = None
    ) -> dict:
        self.fake._get(self.models, modelId)
        endpoint = self.add_endpoint(f"iotEndpointId.new{next(self._ids)}", name, modelId)
        endpoint.update(iotHubId=iotHubId, description=description)
        return endpoint

    def _add_to_group(self, info: Any, iotGroupId: str, iotEndpointIds: list[str]) -> dict:
        group = self.fake._get(self.groups, iotGroupId)
        for endpoint_id in iotEndpointIds:
            self.fake._get(self.endpoints, endpoint_id)
            group["iotEndpointIds"].append(endpoint_id)
        return group

    def _create_model(self, info: Any, **arguments: Any) -> dict:
        from .fake_exchange import FaultError

        if arguments["dtmiSegment"] != arguments["displayName"]:
            raise FaultError("test: 1.2.1 sends the name as both", "BadRequestException")
        model_id = f"modelId.new{next(self._ids)}"
        model = {
            "modelId": model_id,
            "dtmi": f"dtmi:test:{arguments['dtmiSegment']};1",
            "displayName": arguments["displayName"],
            "description": arguments.get("description"),
            "ownerUserId": "userId.1",
            "properties": [
                dict(p, attributeType="Property") for p in arguments.get("properties") or []
            ],
            "telemetry": [
                dict(t, attributeType="Telemetry") for t in arguments.get("telemetry") or []
            ],
        }
        self.models[model_id] = model
        return model

    def _publish(self, info: Any, iotEndpointId: str, data: list[dict[str, Any]]) -> dict:
        endpoint = self.fake._get(self.endpoints, iotEndpointId)
        names = {t["name"] for t in endpoint["telemetry"]}
        written, failed = [], []
        stored = self.telemetry[iotEndpointId]
        for record in data:
            out = {
                "iotEndpointId": iotEndpointId,
                "timestamp": record["timestamp"],
                "attributes": [dict(a, schemaType=None) for a in record["attributes"]],
            }
            unknown = [a["name"] for a in record["attributes"] if a["name"] not in names]
            if unknown:
                error = {"errorType": "UNEXPECTED_ATTRIBUTE", "errorMessage": f"{unknown}"}
                failed.append({"record": out, "errors": [error]})
            elif any(r["timestamp"] == record["timestamp"] for r in stored):
                error = {"errorType": "DUPLICATE_ENTRY", "errorMessage": "exists"}
                failed.append({"record": out, "errors": [error]})
            else:
                stored.append(dict(record, timeUnitSent=record.get("timeUnit")))
                written.append(out)
        result = {
            "iotEndpointId": iotEndpointId,
            "recordsWritten": written,
            "failedRecords": failed,
        }
        self.fake.emit("onIotPublish", {"iotEndpointId": iotEndpointId}, result)
        return result

    def _update_properties(
        self, info: Any, iotEndpointId: str, properties: list[dict[str, Any]]
    ) -> dict:
        from .fake_exchange import FaultError

        endpoint = self.fake._get(self.endpoints, iotEndpointId)
        by_name = {p["name"]: p for p in endpoint["properties"]}
        for update in properties:
            prop = by_name.get(update["name"])
            if prop is None or not prop["writable"]:
                raise FaultError(f"{update['name']} is not writable", "BadRequestException")
        for update in properties:
            by_name[update["name"]].update(value=update["value"], timestamp=update["timestamp"])
        return endpoint

    def _last_values(self, info: Any, iotEndpointId: str, **paging: Any) -> dict:
        endpoint = self.fake._get(self.endpoints, iotEndpointId)
        stored = self.telemetry[iotEndpointId]
        values = []
        for model in endpoint["telemetry"]:
            last = [r for r in stored if any(a["name"] == model["name"] for a in r["attributes"])]
            newest = max(last, key=lambda r: int(r["timestamp"])) if last else None
            value = (
                next(a["value"] for a in newest["attributes"] if a["name"] == model["name"])
                if newest
                else None
            )
            values.append(
                {
                    "telemetryModel": model,
                    "value": value,
                    "timestamp": newest["timestamp"] if newest else None,
                }
            )
        start = 0
        if paging.get("nextToken"):
            assert paging.get("clientToken") == "ct-last", "clientToken not passed back"
            assert paging.get("queryId") == "q-last", "queryId not passed back"
            start = int(paging["nextToken"].removeprefix("page-"))
        size = self.last_values_page_size
        chunk = [{"iotEndpointId": iotEndpointId, "telemetryValues": values[start : start + size]}]
        page_index = start // size
        result: dict[str, Any] = {
            "clientToken": "ct-last",
            "queryId": "q-last",
            "nextToken": f"page-{start + size}" if start + size < len(values) else None,
            "resultChunkIndex": str(page_index),
            "resultStoredInS3": False,
            "presignedUrl": None,
            "data": chunk,
        }
        if page_index in self.store_last_values_pages:
            key = f"lastvalues-{page_index}"
            self.fake.blobs[key] = json.dumps(chunk).encode()
            result.update(resultStoredInS3=True, presignedUrl=f"{S3}/get?key={key}", data=[])
        return result

    def _query(self, info: Any, startTime: str, endTime: str, endpointQueryFilters: list, **paging):
        from .fake_exchange import FaultError

        if not (startTime.isdigit() and endTime.isdigit()):
            raise FaultError("times must be epoch ms strings", "BadRequestException")
        if paging.get("nextToken") is None:
            query_id = f"queryId.{next(self._ids)}"
            (flt,) = endpointQueryFilters
            rows = [
                r
                for r in self.telemetry[flt["iotEndpointId"]]
                if int(startTime) <= int(r["timestamp"]) <= int(endTime)
                and any(a["name"] in flt["attributeNames"] for a in r["attributes"])
            ]
            self.queries[query_id] = {
                "filter": flt,
                "rows": sorted(rows, key=lambda r: int(r["timestamp"])),
                "queryString": f"SELECT ... {query_id}",
                "pages": 0,
            }
            offset = 0
        else:
            query_id = paging["queryId"]
            query = self.queries[query_id]
            if (
                paging.get("clientToken") != "ct-" + query_id
                or paging.get("queryString") != query["queryString"]
            ):
                raise FaultError("pass back clientToken and queryString", "BadRequestException")
            offset = int(paging["nextToken"].removeprefix("rows-"))
        query = self.queries[query_id]
        query["pages"] += 1
        end = offset + self.query_page_rows
        return {
            "clientToken": "ct-" + query_id,
            "queryId": query_id,
            "queryString": query["queryString"],
            "nextToken": f"rows-{end}" if end < len(query["rows"]) else None,
            "startTime": startTime,
            "endTime": endTime,
            "presignedUrl": None,
            "resultChunkIndex": None,
        }

    def _export(self, info: Any, queryId: str, fileFormat: str | None = None) -> dict:
        query = self.fake._get(self.queries, queryId)
        endpoint = self.endpoints[query["filter"]["iotEndpointId"]]
        names = query["filter"]["attributeNames"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["iotEndpointId", "name", "timestamp", *names])
        for record in query["rows"]:
            values = {a["name"]: a["value"] for a in record["attributes"]}
            writer.writerow(
                [endpoint["iotEndpointId"], endpoint["name"], record["timestamp"]]
                + [values.get(n, "") for n in names]
            )
        key = f"export-{queryId}"
        self.fake.blobs[key] = out.getvalue().encode()
        export = {
            "queryId": queryId,
            "fileFormat": "CSV",
            "fileSizeBytes": None,
            "url": f"{S3}/get?key={key}",
        }
        self.fake.emit("onNotifyIotQueryExportComplete", {"queryId": queryId}, export)
        return {"queryId": queryId, "fileFormat": "CSV"}

    # -- data capture --------------------------------------------------------------------------

    def _transition(self, capture_id: str, before: str, after: str, stamp: str) -> dict:
        from .fake_exchange import FaultError

        capture = self.fake._get(self.captures, capture_id)
        if capture["state"] != before:
            raise FaultError(
                f"the capture is {capture['state']}, not {before}", "BadRequestException"
            )
        capture["state"] = after
        capture["timeSettings"][stamp] = "2026-02-01T10:00:00.000Z"
        return capture

    def _start_capture(self, info: Any, captureId: str) -> dict:
        return self._transition(captureId, "READY", "CAPTURING", "actualStartTime")

    def _stop_capture(self, info: Any, captureId: str) -> dict:
        return self._transition(captureId, "CAPTURING", "FINISHING", "actualStopTime")

    def _publish_capture(self, info: Any, captureId: str, data: list[dict[str, Any]]) -> dict:
        from .fake_exchange import FaultError

        capture = self.fake._get(self.captures, captureId)
        if capture["state"] != "CAPTURING":
            raise FaultError("the capture is not CAPTURING", "BadRequestException")
        written, failed = [], []
        for record_index, record in enumerate(data):
            for attribute_index, value in enumerate(record["attributeValues"]):
                if value["userDefinedId"] not in capture["attributeIds"]:
                    failed.append(
                        {
                            "recordIndex": record_index,
                            "attributeIndex": attribute_index,
                            "errorType": "InvalidAttributeId",
                            "message": f"no attribute {value['userDefinedId']}",
                        }
                    )
                else:
                    written.append(dict(value, timestamp=record["timestamp"]))
        result = {
            "captureId": captureId,
            "dataWritten": written,
            "failedRecords": failed,
            "logs": None,
        }
        self.fake.emit("onCapturePublishData", {"captureId": captureId}, result)
        return result
