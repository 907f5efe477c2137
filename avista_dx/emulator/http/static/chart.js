// A small SVG line chart: one line per numeric series over a time axis.

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const TIME_STEPS_MS = [1, 5, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200].map((minutes) => minutes * 60000);

// The axis widened to round bounds, with ticks every 1, 2, 2.5 or 5 × 10ⁿ (about `count` steps).
function niceAxis(min, max, count) {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw);
  const low = Math.floor(min / step + 1e-9) * step;
  const high = Math.ceil(max / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.round((high - low) / step) + 1 }, (_, index) => low + index * step);
  return { low, high, ticks };
}

// Times on whole minutes, hours or days (UTC), at most about `count` of them.
function timeTicks(min, max, count) {
  if (min === max) return [min];
  const step = TIME_STEPS_MS.find((candidate) => (max - min) / candidate <= count) ?? TIME_STEPS_MS.at(-1);
  const first = Math.ceil(min / step) * step;
  return Array.from({ length: Math.floor((max - first) / step) + 1 }, (_, index) => first + index * step);
}

function formatNumber(value) {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString() : String(Number(value.toPrecision(6)));
}

function formatTime(ms, spanMs) {
  const iso = new Date(ms).toISOString();
  if (spanMs >= 2 * 86400000) return iso.slice(5, 10);
  return iso.slice(11, 16) === "00:00" ? iso.slice(5, 10) : iso.slice(11, 16);
}

// series: [{ name, points: [[timeMs, value], ...] }]; returns an <svg>.
export function lineChart(series, { width = 760, height = 280 } = {}) {
  const margin = { top: 36, right: 24, bottom: 36, left: 56 };
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
  const axis = niceAxis(v0, v1, 5);
  [v0, v1] = [axis.low, axis.high];
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (time) => margin.left + (t1 === t0 ? plotWidth / 2 : ((time - t0) / (t1 - t0)) * plotWidth);
  const y = (value) => margin.top + plotHeight - ((value - v0) / (v1 - v0)) * plotHeight;

  for (const value of axis.ticks) {
    svg.append(
      element("line", { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value), class: "grid" }),
      element("text", { x: margin.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatNumber(value)),
    );
  }
  for (const time of timeTicks(t0, t1, 8)) {
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
    svg.append(element("text", { x: margin.left + index * 180, y: 18, fill: colour, class: "legend" }, line.name));
  });
  return svg;
}
