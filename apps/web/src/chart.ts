// A price-history line chart in plain SVG (one series per model).

import type { PricePoint } from "@gridshare/client";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];
const SVG = "http://www.w3.org/2000/svg";

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Prices per GPU-hour over time; `format` turns a price into a label. */
export function priceChart(points: PricePoint[], format: (price: bigint) => string): SVGSVGElement {
  const width = 640;
  const height = 220;
  const pad = { left: 90, right: 20, top: 16, bottom: 28 };
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "data-testid": "price-chart" }) as SVGSVGElement;
  if (points.length === 0) {
    svg.append(el("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "No matches yet"));
    return svg;
  }
  const times = points.map((p) => p.time);
  const prices = points.map((p) => Number(p.price));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [p0, p1] = [0, Math.max(...prices) * 1.1 || 1];
  const x = (t: number) => pad.left + ((t - t0) / Math.max(t1 - t0, 1)) * (width - pad.left - pad.right);
  const y = (p: number) => height - pad.bottom - ((p - p0) / (p1 - p0)) * (height - pad.top - pad.bottom);
  svg.append(el("line", { x1: pad.left, y1: y(0), x2: width - pad.right, y2: y(0), stroke: "#999" }));
  svg.append(el("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: y(0), stroke: "#999" }));
  for (const tick of [p1 / 1.1, p1 / 2.2]) {
    svg.append(el("text", { x: pad.left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11 }, format(BigInt(Math.round(tick)))));
  }
  svg.append(el("text", { x: pad.left, y: height - 8, "font-size": 11 }, new Date(t0 * 1000).toLocaleTimeString()));
  svg.append(el("text", { x: width - pad.right, y: height - 8, "font-size": 11, "text-anchor": "end" }, new Date(t1 * 1000).toLocaleTimeString()));
  const models = [...new Set(points.map((p) => p.model))];
  models.forEach((model, i) => {
    const series = points.filter((p) => p.model === model);
    const color = COLORS[i % COLORS.length];
    const path = series.map((p, j) => `${j === 0 ? "M" : "L"}${x(p.time).toFixed(1)},${y(Number(p.price)).toFixed(1)}`).join(" ");
    svg.append(el("path", { d: path, fill: "none", stroke: color, "stroke-width": 2 }));
    for (const p of series) svg.append(el("circle", { cx: x(p.time), cy: y(Number(p.price)), r: 3, fill: color }));
    svg.append(el("text", { x: width - pad.right, y: pad.top + 12 * i, "text-anchor": "end", fill: color, "font-size": 11 }, model));
  });
  return svg;
}
