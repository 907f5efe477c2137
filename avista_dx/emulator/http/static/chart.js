// A small SVG line chart: one line per numeric series over a time axis.

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function ticks(min, max, count) {
  if (min === max) return [min];
  return Array.from({ length: count + 1 }, (_, index) => min + ((max - min) * index) / count);
}

function formatNumber(value) {
  return Math.abs(value) >= 1000 || Number.isInteger(value)
    ? Math.round(value).toLocaleString()
    : value.toPrecision(3);
}

function formatTime(ms, spanMs) {
  const iso = new Date(ms).toISOString();
  return spanMs < 2 * 86400000 ? iso.slice(11, 16) : iso.slice(5, 10);
}

// series: [{ name, points: [[timeMs, value], ...] }]; returns an <svg>.
export function lineChart(series, { width = 760, height = 280 } = {}) {
  const margin = { top: 16, right: 16, bottom: 36, left: 56 };
  const all = series.flatMap((line) => line.points);
  const svg = element("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": `Line chart of ${series.map((line) => line.name).join(", ")}`,
  });
  if (all.length === 0) return svg;
  const times = all.map(([time]) => time);
  const values = all.map(([, value]) => value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  let [v0, v1] = [Math.min(...values), Math.max(...values)];
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (time) => margin.left + (t1 === t0 ? plotWidth / 2 : ((time - t0) / (t1 - t0)) * plotWidth);
  const y = (value) => margin.top + plotHeight - ((value - v0) / (v1 - v0)) * plotHeight;

  for (const value of ticks(v0, v1, 4)) {
    svg.append(
      element("line", { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value), class: "grid" }),
      element("text", { x: margin.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatNumber(value)),
    );
  }
  for (const time of ticks(t0, t1, 6)) {
    svg.append(
      element("text", { x: x(time), y: height - margin.bottom + 18, "text-anchor": "middle" }, formatTime(time, t1 - t0)),
    );
  }
  series.forEach((line, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const points = [...line.points].sort((a, b) => a[0] - b[0]);
    svg.append(
      element("polyline", {
        points: points.map(([time, value]) => `${x(time).toFixed(1)},${y(value).toFixed(1)}`).join(" "),
        fill: "none",
        stroke: colour,
        "stroke-width": 2,
        class: "series",
      }),
    );
    svg.append(element("text", { x: margin.left + 8 + index * 160, y: margin.top + 2, fill: colour, class: "legend" }, line.name));
  });
  return svg;
}
