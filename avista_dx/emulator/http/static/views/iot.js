// IoT: hubs, their endpoints, last values and live telemetry (onIotPublish over the real-time
// socket). Fields the emulator does not serve yet answer NotImplemented: said, not hidden.

import { GRAPHQL_URL, GraphQLError, gql, session } from "../api.js";
import { lineChart } from "../chart.js";
import { fill, h, put, table } from "../dom.js";
import { subscribe } from "../realtime.js";

const LIVE = `subscription ConsoleIotLive($id: ID!) {
  onIotPublish(iotEndpointId: $id) {
    iotEndpointId
    recordsWritten { timestamp attributes { name value schemaType } }
  }
}`;
const PUBLISH = `mutation ConsoleIotPublish($id: ID!, $data: [IotDataRecordInput]!) {
  iot_publish(iotEndpointId: $id, data: $data) { failedRecords { errors { errorType errorMessage } } }
}`;
const MAX_LIVE_ROWS = 500;

function notServed(error) {
  return error instanceof GraphQLError && error.errorType === "NotImplemented";
}

// Guards one section: a NotImplemented field becomes a notice, other errors an error box.
async function section(container, ctx, build) {
  try {
    await build();
  } catch (error) {
    if (!notServed(error)) throw error;
    put(container, 
      h("div", { class: "notice" }, `This emulator does not serve that yet: ${error.message}.`),
    );
  }
}

// An IoT timestamp: epoch milliseconds (or seconds) as digits, or ISO-8601 text.
function timeOf(text) {
  if (/^\d+$/.test(text ?? "")) {
    const number = Number(text);
    return number < 1e11 ? number * 1000 : number;
  }
  return Date.parse(text);
}

function timeText(text) {
  const time = timeOf(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : (text ?? "");
}

async function renderHubs(container, ctx) {
  put(container, h("h2", {}, "IoT hubs"));
  await section(container, ctx, async () => {
    const data = await gql("query ConsoleHubs { iot_listHubs { iotHubId name description } }");
    const hubs = (data.iot_listHubs ?? []).filter(Boolean);
    put(container, 
      hubs.length
        ? table(["Hub", "Description", "Id"], hubs.map((hub) => [
            h("a", { href: `#/iot/${encodeURIComponent(hub.iotHubId)}` }, hub.name), hub.description ?? "", h("code", {}, hub.iotHubId),
          ]))
        : h("p", {}, "No IoT hub is visible to this user."),
    );
  });
}

async function renderHub(container, hubId, ctx) {
  put(container, h("p", { class: "breadcrumbs" }, h("a", { href: "#/iot" }, "IoT hubs")), h("h2", {}, "Endpoints"));
  await section(container, ctx, async () => {
    const data = await gql("query ConsoleEndpoints($id: ID!) { iot_listEndpointsInHub(iotHubId: $id) { iotEndpointId name description modelId } }", { id: hubId });
    const endpoints = (data.iot_listEndpointsInHub ?? []).filter(Boolean);
    put(container, 
      endpoints.length
        ? table(["Endpoint", "Description", "Model", "Id"], endpoints.map((endpoint) => [
            h("a", { href: `#/iot/${encodeURIComponent(hubId)}/${encodeURIComponent(endpoint.iotEndpointId)}` }, endpoint.name),
            endpoint.description ?? "", h("code", {}, endpoint.modelId), h("code", {}, endpoint.iotEndpointId),
          ]))
        : h("p", {}, "This hub has no endpoints."),
    );
  });
}

function liveView(endpointId, ctx) {
  const rows = [];
  const series = new Map();
  const chart = h("div");
  const body = h("tbody");
  const state = h("span", { class: "muted" }, "connecting…");
  const redraw = () => fill(chart, lineChart([...series].map(([name, points]) => ({ name, points }))));
  const stop = subscribe(GRAPHQL_URL, session.token, { query: LIVE, variables: { id: endpointId } }, {
    started: () => fill(state, "live: waiting for iot_publish…"),
    next: (payload) => {
      for (const record of payload.data?.onIotPublish?.recordsWritten ?? []) {
        for (const attribute of record?.attributes ?? []) {
          rows.unshift([timeText(record.timestamp), attribute.name ?? "", attribute.value ?? ""]);
          const [time, value] = [timeOf(record.timestamp), Number.parseFloat(attribute.value)];
          if (Number.isFinite(time) && Number.isFinite(value)) {
            if (!series.has(attribute.name)) series.set(attribute.name, []);
            series.get(attribute.name).push([time, value]);
          }
        }
      }
      rows.length = Math.min(rows.length, MAX_LIVE_ROWS);
      fill(body, ...rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell)))));
      fill(state, `live: ${rows.length} values`);
      redraw();
    },
    error: (errors) => fill(state, ctx.errorBox(new GraphQLError(errors, 200))),
    complete: () => fill(state, "stopped"),
  });
  const view = h("div", { class: "live" }, h("h3", {}, "Live telemetry"), h("div", { class: "muted" }, state), chart,
    h("table", {}, h("thead", {}, h("tr", {}, ["Timestamp", "Telemetry", "Value"].map((name) => h("th", {}, name)))), body));
  return { view, stop };
}

// Publishes one value now, as a device would (the caller needs write access to the endpoint).
function publishForm(endpointId, telemetry, ctx) {
  const name = h("select", {}, telemetry.map((item) => h("option", { value: item.name }, item.name)));
  const value = h("input", { type: "text", size: 10, placeholder: "Value" });
  const status = h("span");
  const send = async () => {
    fill(status);
    try {
      const record = { timestamp: String(Date.now()), timeUnit: "MILLISECONDS", attributes: [{ name: name.value, value: value.value }] };
      const data = await gql(PUBLISH, { id: endpointId, data: [record] });
      const failed = data.iot_publish?.failedRecords ?? [];
      if (failed.length) fill(status, ctx.errorBox(new Error(failed[0].errors.map((error) => error.errorMessage).join("; "))));
    } catch (error) {
      fill(status, ctx.errorBox(error));
    }
  };
  return h("div", { class: "toolbar" }, "Publish a value: ", name, value, h("button", { type: "button", onclick: send }, "Publish"), status);
}

async function renderEndpoint(container, hubId, endpointId, ctx) {
  let telemetry = [];
  put(container, h("p", { class: "breadcrumbs" }, h("a", { href: "#/iot" }, "IoT hubs"), " / ", h("a", { href: `#/iot/${encodeURIComponent(hubId)}` }, "Endpoints")));
  await section(container, ctx, async () => {
    const data = await gql(
      "query ConsoleEndpoint($id: ID!) { iot_getEndpoint(iotEndpointId: $id) { name description modelId telemetry { name schemaType description } properties { name value schemaType writable } } }",
      { id: endpointId },
    );
    const endpoint = data.iot_getEndpoint;
    telemetry = (endpoint.telemetry ?? []).filter(Boolean);
    put(container, 
      h("h2", {}, endpoint.name),
      endpoint.description ? h("p", {}, endpoint.description) : null,
      h("h3", {}, "Telemetry"),
      table(["Name", "Schema", "Description"], (endpoint.telemetry ?? []).filter(Boolean).map((item) => [item.name, item.schemaType, item.description ?? ""])),
      h("h3", {}, "Properties"),
      table(["Name", "Value", "Schema", "Writable"], (endpoint.properties ?? []).filter(Boolean).map((item) => [item.name, item.value ?? "", item.schemaType, item.writable ? "yes" : "no"])),
    );
  });
  await section(container, ctx, async () => {
    const data = await gql(
      "query ConsoleLastValues($id: ID!) { iot_listEndpointLastValues(iotEndpointId: $id) { data { telemetryValues { timestamp value telemetryModel { name } } } } }",
      { id: endpointId },
    );
    const values = (data.iot_listEndpointLastValues?.data ?? []).flatMap((entry) => (entry?.telemetryValues ?? []).filter(Boolean));
    put(container, h("h3", {}, "Last values"),
      table(["Telemetry", "Value", "Timestamp"], values.map((value) => [value.telemetryModel?.name ?? "", value.value ?? "", timeText(value.timestamp)])));
  });
  const live = liveView(endpointId, ctx);
  put(container, live.view, telemetry.length ? publishForm(endpointId, telemetry, ctx) : null);
  return live.stop;
}

export async function render(container, [hubId, endpointId], ctx) {
  if (hubId && endpointId) return renderEndpoint(container, hubId, endpointId, ctx);
  if (hubId) return renderHub(container, hubId, ctx);
  return renderHubs(container, ctx);
}
