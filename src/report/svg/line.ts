import { CHART_WIDTH, colourClass, svgRoot } from './frame.js';
import { linearScale, tickLabel } from './scale.js';
import { attrs, escapeXml, px } from './xml.js';

export type Point = readonly [x: number, y: number];

export interface LineSeries {
  name: string;
  points: readonly Point[];
  /** Palette slot, so one strategy keeps its colour in every chart of a report. */
  colorIndex: number;
  /** A fitted straight line y = intercept + slope·x, drawn dashed over [from, to] (default: the series' x-range). */
  trend?: { slope: number; intercept: number; from?: number; to?: number };
  /** Printed in the legend after the name, e.g. "growing 2.1 MB/s, heap limit in ~12 min". */
  note?: string;
  /** Points drawn as dots on top (e.g. the samples a trend was fitted to), `data-marker="<name>"`. */
  markers?: readonly Point[];
}

export interface LineChartSpec {
  /** Stable hook: `data-chart` on the svg. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Horizontal markers (e.g. the heap limit); they widen the y-axis to fit. */
  references?: Array<{ value: number; label: string }>;
  /** Shaded spans of x (e.g. when Spider died: 10–30 minutes); they widen the x-axis to fit. */
  bands?: Array<{ from: number; to: number; label: string }>;
}

const PLOT_HEIGHT = 220;
const LEFT = 56;
const RIGHT = 20;
const LEGEND_ROW = 18;
const CHAR_WIDTH = 7;
/** More points than pixels only bloats the file; min/max per bucket keeps the peaks visible. */
const MAX_POINTS = 600;

/**
 * Lines over time with axes, ticks and a legend. Every series' polyline carries
 * `data-series="<name>"`, its trend `data-trend="<name>"`.
 */
export function lineChart(spec: LineChartSpec): string {
  const legend = legendRows(spec.series);
  const top = 8 + legend.rows * LEGEND_ROW + 22;
  const bottom = top + PLOT_HEIGHT;
  const height = bottom + 40;
  const all = spec.series.flatMap((series) => series.points);
  const xs = all.map((point) => point[0]);
  const ys = all.map((point) => point[1]);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(1, ...xs, ...(spec.bands ?? []).map((band) => band.to));
  const trendEnds = spec.series.flatMap((series) => (series.trend ? trendSegment(series).map((point) => point[1]) : []));
  const yMax = Math.max(...ys, ...trendEnds, ...(spec.references ?? []).map((reference) => reference.value), 0);
  const x = linearScale(xMin, xMax, LEFT, CHART_WIDTH - RIGHT, 8);
  const y = linearScale(0, yMax > 0 ? yMax : 1, bottom, top, 5);
  const clipId = `clip-${spec.id}`;
  const parts: string[] = [
    `<defs><clipPath id="${escapeXml(clipId)}"><rect${attrs({ x: LEFT, y: top, width: CHART_WIDTH - RIGHT - LEFT, height: PLOT_HEIGHT })}/></clipPath></defs>`,
  ];

  for (const band of spec.bands ?? []) {
    parts.push(
      `<rect class="band" data-band="${escapeXml(band.label)}"${attrs({ x: x(band.from), y: top, width: Math.max(1, x(band.to) - x(band.from)), height: PLOT_HEIGHT })}/>`,
    );
    parts.push(`<text class="band-label" text-anchor="middle"${attrs({ x: (x(band.from) + x(band.to)) / 2, y: top + 14 })}>${escapeXml(band.label)}</text>`);
  }
  for (const tick of y.ticks) {
    parts.push(`<line class="grid"${attrs({ x1: LEFT, x2: CHART_WIDTH - RIGHT, y1: y(tick), y2: y(tick) })}/>`);
    parts.push(`<text class="tick" text-anchor="end"${attrs({ x: LEFT - 6, y: y(tick) + 4 })}>${escapeXml(tickLabel(tick))}</text>`);
  }
  for (const tick of x.ticks) {
    parts.push(`<line class="tick-mark"${attrs({ x1: x(tick), x2: x(tick), y1: bottom, y2: bottom + 4 })}/>`);
    parts.push(`<text class="tick" text-anchor="middle"${attrs({ x: x(tick), y: bottom + 17 })}>${escapeXml(tickLabel(tick))}</text>`);
  }
  parts.push(`<path class="axis" d="M${LEFT} ${px(top)}V${px(bottom)}H${CHART_WIDTH - RIGHT}"/>`);
  parts.push(`<text class="axis-label" text-anchor="end"${attrs({ x: CHART_WIDTH - RIGHT, y: bottom + 34 })}>${escapeXml(spec.xLabel)}</text>`);
  parts.push(`<text class="axis-label"${attrs({ x: 4, y: top - 6 })}>${escapeXml(spec.yLabel)}</text>`);

  for (const reference of spec.references ?? []) {
    parts.push(
      `<line class="reference" data-reference="${escapeXml(reference.label)}"${attrs({ x1: LEFT, x2: CHART_WIDTH - RIGHT, y1: y(reference.value), y2: y(reference.value) })}/>`,
    );
    parts.push(
      `<text class="reference-label" text-anchor="end"${attrs({ x: CHART_WIDTH - RIGHT - 4, y: y(reference.value) - 4 })}>${escapeXml(reference.label)}</text>`,
    );
  }

  for (const series of spec.series) {
    const colour = colourClass(series.colorIndex);
    const name = escapeXml(series.name);
    const points = downsample(series.points);
    if (points.length === 0) continue;
    const coordinates = points.map(([px_, py]) => `${px(x(px_))},${px(y(py))}`).join(' ');
    parts.push(
      `<polyline class="line ${colour}" data-series="${name}" fill="none" stroke="currentColor" points="${coordinates}"><title>${name}</title></polyline>`,
    );
    if (points.length === 1) parts.push(`<circle class="${colour}" fill="currentColor"${attrs({ cx: x(points[0]![0]), cy: y(points[0]![1]), r: 3 })}/>`);
    for (const [mx, my] of downsample(series.markers ?? [], MAX_POINTS / 4)) {
      parts.push(`<circle class="marker ${colour}" data-marker="${name}" fill="currentColor"${attrs({ cx: x(mx), cy: y(my), r: 2.5 })}/>`);
    }
  }
  // Trends after every line: a flat series must not hide another's fitted line.
  for (const series of spec.series) {
    if (!series.trend || series.points.length === 0) continue;
    const [from, to] = trendSegment(series);
    parts.push(
      `<line class="trend ${colourClass(series.colorIndex)}" data-trend="${escapeXml(series.name)}" stroke="currentColor" clip-path="url(#${escapeXml(clipId)})"${attrs({ x1: x(from[0]), y1: y(from[1]), x2: x(to[0]), y2: y(to[1]) })}/>`,
    );
  }

  parts.push(...legend.items);
  return svgRoot(spec.id, spec.title, CHART_WIDTH, height, parts);
}

function trendSegment(series: LineSeries): [Point, Point] {
  const xs = series.points.map((point) => point[0]);
  const trend = series.trend!;
  const start = trend.from ?? Math.min(...xs);
  const end = trend.to ?? Math.max(...xs);
  const at = (value: number): Point => [value, trend.intercept + trend.slope * value];
  return [at(start), at(end)];
}

/** Legend entries flow left to right; entries with a note get a row each so the note fits. */
function legendRows(series: LineSeries[]): { rows: number; items: string[] } {
  const placed: Array<{ series: LineSeries; x: number; row: number; text: string }> = [];
  let row = 0;
  let cursor = LEFT;
  for (const entry of series) {
    const text = entry.note ? `${entry.name}: ${entry.note}` : entry.name;
    const width = 22 + text.length * CHAR_WIDTH + 18;
    if ((entry.note || cursor + width > CHART_WIDTH) && cursor > LEFT) {
      row += 1;
      cursor = LEFT;
    }
    placed.push({ series: entry, x: cursor, row, text });
    cursor = entry.note ? CHART_WIDTH : cursor + width;
  }
  const rows = placed.length === 0 ? 0 : row + 1;
  return {
    rows,
    items: placed.map(({ series: entry, x, row: r, text }) => {
      const y = 8 + r * LEGEND_ROW;
      const colour = colourClass(entry.colorIndex);
      return (
        `<g class="legend" data-legend="${escapeXml(entry.name)}">` +
        `<rect class="${colour}" fill="currentColor"${attrs({ x, y: y + 2, width: 14, height: 10, rx: 2 })}/>` +
        `<text${attrs({ x: x + 20, y: y + 11 })}>${escapeXml(text)}</text></g>`
      );
    }),
  };
}

export function downsample(points: readonly Point[], max = MAX_POINTS): Point[] {
  if (points.length <= max) return [...points];
  const buckets = Math.floor(max / 2);
  const size = points.length / buckets;
  const kept: Point[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const slice = points.slice(Math.floor(bucket * size), Math.floor((bucket + 1) * size));
    if (slice.length === 0) continue;
    let low = slice[0]!;
    let high = slice[0]!;
    for (const point of slice) {
      if (point[1] < low[1]) low = point;
      if (point[1] > high[1]) high = point;
    }
    kept.push(...(low[0] <= high[0] ? [low, high] : [high, low]));
  }
  return kept;
}
