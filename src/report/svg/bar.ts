import { CHART_WIDTH, colourClass, svgRoot } from './frame.js';
import { linearScale, tickLabel } from './scale.js';
import { attrs, escapeXml, px } from './xml.js';

/** One category (a strategy): a bar, or a note when there is nothing to draw. */
export interface Bar {
  label: string;
  /** null: nothing measured (skipped, failed before measuring); `note` says why. */
  value: number | null;
  /** Printed after the bar; defaults to the value and unit. */
  valueLabel?: string;
  /** Drawn as a thin line from the bar's end to here, e.g. p95 over a p50 bar. */
  whisker?: number;
  /** A bar whose run died (OOM): drawn faint with a dashed outline. */
  failed?: boolean;
  note?: string;
  /** Palette slot, so one strategy keeps its colour in every chart of a report. */
  colorIndex: number;
}

export interface BarChartSpec {
  /** Stable hook: `data-chart` on the svg. */
  id: string;
  /** Accessible name and the figure's caption. */
  title: string;
  unit: string;
  bars: Bar[];
  /** A vertical marker such as the heap limit. */
  reference?: { value: number; label: string };
}

const ROW = 28;
const BAR = 16;
const TOP = 22;
const AXIS = 30;
const VALUE_SPACE = 150;
const CHAR_WIDTH = 7.4;

/**
 * Horizontal bars, one row per category: long strategy names stay readable and the rows line up
 * with the table below the chart. Every bar carries `data-series="<label>"`.
 */
export function barChart(spec: BarChartSpec): string {
  const labelWidth = Math.min(190, Math.max(80, Math.max(...spec.bars.map((bar) => bar.label.length)) * CHAR_WIDTH + 16));
  const height = TOP + spec.bars.length * ROW + AXIS;
  const values = spec.bars.flatMap((bar) => [bar.value ?? 0, bar.whisker ?? 0]);
  const max = Math.max(...values, spec.reference?.value ?? 0, 0);
  const x = linearScale(0, max > 0 ? max : 1, labelWidth, CHART_WIDTH - VALUE_SPACE);
  const plotBottom = TOP + spec.bars.length * ROW;
  const parts: string[] = [];

  for (const tick of x.ticks) {
    parts.push(`<line class="grid"${attrs({ x1: x(tick), x2: x(tick), y1: TOP - 4, y2: plotBottom })}/>`);
    parts.push(`<text class="tick" text-anchor="middle"${attrs({ x: x(tick), y: plotBottom + 16 })}>${escapeXml(tickLabel(tick))}</text>`);
  }
  parts.push(`<text class="axis-label" text-anchor="end"${attrs({ x: x(x.domain[1]), y: plotBottom + 28 })}>${escapeXml(spec.unit)}</text>`);

  spec.bars.forEach((bar, row) => {
    const y = TOP + row * ROW + (ROW - BAR) / 2;
    const mid = y + BAR / 2 + 4;
    parts.push(`<text class="label" text-anchor="end"${attrs({ x: labelWidth - 8, y: mid })}>${escapeXml(bar.label)}</text>`);
    if (bar.value === null) {
      parts.push(
        `<text class="note" data-missing="${escapeXml(bar.label)}"${attrs({ x: labelWidth + 4, y: mid })}>${escapeXml(bar.note ?? 'not measured')}</text>`,
      );
      return;
    }
    // At least 2 px: a strategy a hundred times smaller than the largest is still a visible mark.
    const width = Math.max(2, x(bar.value) - labelWidth);
    const colour = colourClass(bar.colorIndex);
    const title = `${bar.label}: ${bar.valueLabel ?? `${tickLabel(bar.value)} ${spec.unit}`}${bar.note ? ` (${bar.note})` : ''}`;
    parts.push(
      `<rect class="bar ${colour}${bar.failed ? ' failed' : ''}" data-series="${escapeXml(bar.label)}" fill="currentColor"${attrs({ x: labelWidth, y, width, height: BAR })}><title>${escapeXml(title)}</title></rect>`,
    );
    let end = labelWidth + width;
    if (bar.whisker !== undefined && bar.whisker > bar.value) {
      const tip = x(bar.whisker);
      parts.push(
        `<path class="whisker ${colour}" data-whisker="${escapeXml(bar.label)}" stroke="currentColor" d="M${px(end)} ${px(mid - 4)}H${px(tip)}M${px(tip)} ${px(y + 3)}V${px(y + BAR - 3)}"/>`,
      );
      end = tip;
    }
    const text = (bar.valueLabel ?? `${tickLabel(bar.value)} ${spec.unit}`) + (bar.note ? ` · ${bar.note}` : '');
    parts.push(`<text class="value"${attrs({ x: end + 6, y: mid })}>${escapeXml(text)}</text>`);
  });

  if (spec.reference && spec.reference.value > 0) {
    const rx = x(spec.reference.value);
    parts.push(`<line class="reference" data-reference="${escapeXml(spec.reference.label)}"${attrs({ x1: rx, x2: rx, y1: TOP - 8, y2: plotBottom })}/>`);
    parts.push(`<text class="reference-label" text-anchor="middle"${attrs({ x: rx, y: TOP - 11 })}>${escapeXml(spec.reference.label)}</text>`);
  }
  parts.push(`<line class="axis"${attrs({ x1: labelWidth, x2: labelWidth, y1: TOP - 4, y2: plotBottom })}/>`);

  return svgRoot(spec.id, spec.title, CHART_WIDTH, height, parts);
}
