// Time-series databases: run Timestream SQL, see the rows as a table and a line chart, export CSV.

import { gql } from "../api.js";
import { lineChart } from "../chart.js";
import { fill, h, put, saveBlob, table } from "../dom.js";
import { sharedServices } from "../collaborative_services.js";
import { chartSeries, tableOf, toCsv } from "../results.js";

const QUERY = `query ConsoleSql($id: ID!, $sql: String!, $next: String) {
  timeSeriesDb_queryDatabaseWithTimestreamQuery(timeSeriesDbId: $id, queryString: $sql, nextToken: $next) {
    resultJSONString
  }
}`;
const MAX_ROWS = 10000; // the console stops following pages past this

// Follows NextToken until the result ends (Timestream may answer pages without rows).
async function runQuery(databaseId, sql) {
  const pages = [];
  let next = null;
  let rows = 0;
  do {
    const data = await gql(QUERY, { id: databaseId, sql, next });
    const page = JSON.parse(data.timeSeriesDb_queryDatabaseWithTimestreamQuery.resultJSONString);
    pages.push(page);
    rows += page.Rows?.length ?? 0;
    next = page.NextToken ?? null;
  } while (next && rows < MAX_ROWS);
  return { result: tableOf(pages), truncated: Boolean(next) };
}

async function renderList(container) {
  const [data, shared] = await Promise.all([
    gql("query ConsoleDatabases { timeSeriesDb_listDatabases { timeSeriesDbId name description } }"),
    sharedServices("TIME_SERIES_DB"),
  ]);
  const own = (data.timeSeriesDb_listDatabases ?? []).filter(Boolean);
  const ownIds = new Set(own.map((db) => db.timeSeriesDbId));
  const viaCollaboratives = shared.filter(({ service }) => service.timeSeriesDb && !ownIds.has(service.timeSeriesDb.timeSeriesDbId));
  const row = (db, access) => [
    h("a", { href: `#/databases/${encodeURIComponent(db.timeSeriesDbId)}` }, db.name),
    db.description ?? "",
    access,
    h("code", {}, db.timeSeriesDbId),
  ];
  const rows = [
    ...own.map((db) => row(db, "yours")),
    ...viaCollaboratives.map(({ collaborative, service }) => row(service.timeSeriesDb, `shared in ${collaborative.name}`)),
  ];
  put(
    container,
    h("h2", {}, "Time-series databases"),
    rows.length
      ? table(["Name", "Description", "Access", "Id"], rows, { class: "databases" })
      : h("p", {}, "No time-series database is visible to this user."),
  );
}

async function renderDatabase(container, databaseId, ctx) {
  const data = await gql(
    "query ConsoleDatabase($id: ID!) { timeSeriesDb_getDatabase(timeSeriesDbId: $id) { name description databaseName tableName } }",
    { id: databaseId },
  );
  const db = data.timeSeriesDb_getDatabase;
  const editor = h("textarea", { id: "sql", rows: 4, spellcheck: "false" },
    `SELECT time, measure_name, measure_value::double\nFROM "${db.databaseName}"."${db.tableName}"\nORDER BY time`);
  const output = h("div", { class: "results" });
  const run = async () => {
    fill(output, h("p", { class: "muted" }, "Running…"));
    try {
      const started = performance.now();
      const { result, truncated } = await runQuery(databaseId, editor.value);
      const elapsed = Math.round(performance.now() - started);
      const series = chartSeries(result);
      fill(output, 
        h("div", { class: "toolbar" },
          h("span", { class: "muted" }, `${result.rows.length} rows in ${elapsed} ms${truncated ? ` (stopped after ${MAX_ROWS})` : ""}`),
          h("button", { type: "button", onclick: () => saveBlob(new Blob([toCsv(result)], { type: "text/csv" }), `${db.name}.csv`) }, "Export CSV")),
        series.length ? lineChart(series) : null,
        table(result.columns.map((column) => `${column.name} (${column.type})`), result.rows, { class: "result-table" }),
      );
    } catch (error) {
      fill(output, ctx.errorBox(error));
    }
  };
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  put(container, 
    h("p", { class: "breadcrumbs" }, h("a", { href: "#/databases" }, "Time-series databases"), " / ", db.name),
    h("h2", {}, db.name),
    db.description ? h("p", {}, db.description) : null,
    h("p", { class: "muted" }, "Table: ", h("code", {}, `"${db.databaseName}"."${db.tableName}"`)),
    editor,
    h("div", { class: "toolbar" }, h("button", { type: "button", class: "primary", id: "run-sql", onclick: run }, "Run query"),
      h("span", { class: "muted" }, "Ctrl+Enter")),
    output,
  );
}

export async function render(container, [databaseId], ctx) {
  if (databaseId) await renderDatabase(container, databaseId, ctx);
  else await renderList(container);
}
