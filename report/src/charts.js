// Small SVG charts drawn by hand: column charts with up to two value axes (bars, lines, areas), used for the
// cluster timelines, the delay histograms and the cluster-size distribution. Values come from the data and are
// only ever numbers here; category labels and tooltips are text (SVG <title> elements with textContent).
import { el, svg } from "./dom.js";
import { num, ratio } from "./format.js";

const W = 640;
const PAD = { top: 14, bottom: 46, left: 58 };

function niceStep(max, count) {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

function ticks(max, integer = false) {
  if (!(max > 0)) return { top: 1, values: [0, 1] };
  const step = integer ? Math.max(1, niceStep(max, 4)) : niceStep(max, 4);
  const top = Math.ceil(max / step - 1e-9) * step;
  const values = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(Number(v.toPrecision(12)));
  return { top, values };
}

// Axis ticks as the page spells every number (format.js): "1,500", "2,000,000", "0.25".
function tickLabel(v) {
  return ratio(v);
}

// opts: {categories: [string], series: [{name, values, color, type: "bar" | "line" | "area", axis: "left" |
// "right"}], xTitle, leftTitle, rightTitle, height, describe(i) → tooltip text for category i, ariaLabel,
// integer (default true: the values are counts)}
export function columnChart(opts) {
  const height = opts.height ?? 230;
  const categories = opts.categories;
  const n = Math.max(categories.length, 1);
  const hasRight = opts.series.some((s) => s.axis === "right");
  const pad = { ...PAD, right: hasRight ? 58 : 16 };
  const plotW = W - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const band = plotW / n;
  const values = (s) => categories.map((_, i) => Math.max(0, num(s.values?.[i]) ?? 0));
  const axisMax = (axis) =>
    Math.max(0, ...opts.series.filter((s) => (s.axis ?? "left") === axis).flatMap(values));
  // counts (the default) get whole-number ticks
  const scales = { left: ticks(axisMax("left"), opts.integer !== false), right: ticks(axisMax("right"), opts.integer !== false) };
  const y = (v, axis) => pad.top + plotH - (v / scales[axis].top) * plotH;

  const root = svg("svg", {
    viewBox: `0 0 ${W} ${height}`, class: "chart", role: "img", preserveAspectRatio: "xMidYMid meet",
    "aria-label": opts.ariaLabel ?? "",
  });
  // grid and left axis
  for (const v of scales.left.values) {
    root.append(svg("line", { x1: pad.left, x2: W - pad.right, y1: y(v, "left"), y2: y(v, "left"), class: "grid" }));
    root.append(svg("text", { x: pad.left - 6, y: y(v, "left") + 4, class: "tick", "text-anchor": "end" }, tickLabel(v)));
  }
  if (hasRight) {
    for (const v of scales.right.values) {
      root.append(svg("text", { x: W - pad.right + 6, y: y(v, "right") + 4, class: "tick right" }, tickLabel(v)));
    }
  }
  root.append(svg("line", { x1: pad.left, x2: W - pad.right, y1: pad.top + plotH, y2: pad.top + plotH, class: "axis" }));

  const barSeries = opts.series.filter((s) => (s.type ?? "bar") === "bar");
  const inner = band * (n > 60 ? 1 : 0.8);
  const barW = inner / Math.max(1, barSeries.length);
  for (const s of opts.series) {
    const axis = s.axis ?? "left";
    const vals = values(s);
    const type = s.type ?? "bar";
    if (type === "bar") {
      const k = barSeries.indexOf(s);
      vals.forEach((v, i) => {
        if (v <= 0) return;
        const x = pad.left + i * band + (band - inner) / 2 + k * barW;
        root.append(svg("rect", { x, y: y(v, axis), width: Math.max(barW - (n > 60 ? 0 : 1), 0.6),
                                  height: pad.top + plotH - y(v, axis), fill: s.color }));
      });
    } else {
      const pts = vals.map((v, i) => [pad.left + (i + 0.5) * band, y(v, axis)]);
      const line = pts.map(([px, py]) => `${px.toFixed(2)},${py.toFixed(2)}`).join(" ");
      if (type === "area") {
        const base = pad.top + plotH;
        root.append(svg("polygon", { points: `${pad.left + 0.5 * band},${base} ${line} ${pad.left + (n - 0.5) * band},${base}`,
                                     fill: s.color, "fill-opacity": 0.35, stroke: "none" }));
      }
      root.append(svg("polyline", { points: line, fill: "none", stroke: s.color, "stroke-width": 2 }));
      if (type === "line" && n <= 40) {
        for (const [px, py] of pts) root.append(svg("circle", { cx: px, cy: py, r: 3, fill: s.color }));
      }
    }
  }
  // category labels, evenly spaced, as many as fit without overlapping
  const longest = Math.max(1, ...categories.map((c) => String(c).length));
  const fit = Math.max(1, Math.floor(plotW / (longest * 6.2 + 14)));
  const every = Math.max(1, Math.ceil(n / fit));
  categories.forEach((label, i) => {
    if (i % every !== 0) return;
    root.append(svg("text", { x: pad.left + (i + 0.5) * band, y: pad.top + plotH + 16, class: "tick", "text-anchor": "middle" },
                    String(label)));
  });
  if (opts.xTitle) root.append(svg("text", { x: pad.left + plotW / 2, y: height - 6, class: "title", "text-anchor": "middle" }, opts.xTitle));
  if (opts.leftTitle) {
    root.append(svg("text", { x: 12, y: pad.top + plotH / 2, class: "title", "text-anchor": "middle",
                              transform: `rotate(-90 12 ${pad.top + plotH / 2})` }, opts.leftTitle));
  }
  if (hasRight && opts.rightTitle) {
    root.append(svg("text", { x: W - 10, y: pad.top + plotH / 2, class: "title", "text-anchor": "middle",
                              transform: `rotate(90 ${W - 10} ${pad.top + plotH / 2})` }, opts.rightTitle));
  }
  // one transparent hover band per category, with the exact values as a tooltip
  categories.forEach((label, i) => {
    const tip = opts.describe ? opts.describe(i) : `${label}: ` + opts.series.map((s) => `${s.name} ${values(s)[i]}`).join(", ");
    root.append(svg("rect", { x: pad.left + i * band, y: pad.top, width: band, height: plotH, class: "hover" },
                    svg("title", {}, tip)));
  });

  const legend = el("div", { class: "legend" },
    opts.series.map((s) => {
      const swatch = el("span", { class: `swatch ${s.type ?? "bar"}` });
      swatch.style.backgroundColor = s.color;
      return el("span", { class: "key" }, swatch, s.name + (hasRight ? (s.axis === "right" ? " (right axis)" : " (left axis)") : ""));
    }));
  return el("figure", { class: "chart-box" }, root, legend, opts.caption ? el("figcaption", {}, opts.caption) : null);
}

// Horizontal bars for a few named quantities (stage times): name, bar, value.
export function barList(items, format) {
  const max = Math.max(0, ...items.map((it) => num(it.value) ?? 0));
  return el("div", { class: "bar-list" }, items.map((it) => {
    const bar = el("span", { class: "bar" });
    bar.style.width = `${max > 0 ? (100 * (num(it.value) ?? 0)) / max : 0}%`;
    return el("div", { class: "bar-row" }, el("span", { class: "bar-name" }, it.label), el("span", { class: "bar-track" }, bar),
              el("span", { class: "bar-value" }, format(it.value)));
  }));
}
