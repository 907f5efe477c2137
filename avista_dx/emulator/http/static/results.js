// Timestream query results (the JSON in resultJSONString): cells as text, chart series, CSV.

const NUMERIC = new Set(["DOUBLE", "BIGINT", "INTEGER"]);

// A Datum as text: scalars as they are, NULL as empty, nested values in a compact form.
export function datumText(datum) {
  if (datum == null || datum.NullValue) return "";
  if ("ScalarValue" in datum) return datum.ScalarValue;
  if (datum.ArrayValue) return `[${datum.ArrayValue.map(datumText).join(", ")}]`;
  if (datum.RowValue) return `(${datum.RowValue.Data.map(datumText).join(", ")})`;
  if (datum.TimeSeriesValue) {
    return `[${datum.TimeSeriesValue.map((point) => `${point.Time}: ${datumText(point.Value)}`).join(", ")}]`;
  }
  return JSON.stringify(datum);
}

// "2024-01-01 00:00:00.000000000" (Timestream's TIMESTAMP text, UTC) → epoch milliseconds.
export function timestampMs(text) {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(text);
  if (!match) return NaN;
  const fraction = (match[3] ?? ".0").slice(0, 4).padEnd(4, "0");
  return Date.parse(`${match[1]}T${match[2]}${fraction}Z`);
}

// { columns: [{name, type}], rows: [[text...]] } from result pages.
export function tableOf(pages) {
  const columnInfo = pages.find((page) => page.ColumnInfo?.length)?.ColumnInfo ?? [];
  const columns = columnInfo.map((column) => ({
    name: column.Name ?? "",
    type: column.Type?.ScalarType ?? Object.keys(column.Type ?? {})[0] ?? "",
  }));
  const rows = pages.flatMap((page) => (page.Rows ?? []).map((row) => row.Data.map(datumText)));
  return { columns, rows };
}

// One series per numeric column against the first TIMESTAMP column; none without one.
export function chartSeries({ columns, rows }) {
  const timeIndex = columns.findIndex((column) => column.type === "TIMESTAMP");
  if (timeIndex < 0) return [];
  return columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => NUMERIC.has(column.type))
    .map(({ column, index }) => ({
      name: column.name,
      points: rows
        .map((row) => [timestampMs(row[timeIndex]), Number.parseFloat(row[index])])
        .filter(([time, value]) => Number.isFinite(time) && Number.isFinite(value)),
    }))
    .filter((series) => series.points.length > 0);
}

function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// RFC 4180 text: a header line, then one line per row.
export function toCsv({ columns, rows }) {
  const lines = [columns.map((column) => column.name), ...rows].map((fields) =>
    fields.map(csvField).join(","),
  );
  return `${lines.join("\r\n")}\r\n`;
}
