import { escapeXml } from './xml.js';

/** What every chart of a report shares: its width, its palette and its <svg> element. */

/** One width for every chart, so they line up in the report's column. */
export const CHART_WIDTH = 720;

/** Series colours in the report's palette (--s0…--s8, src/report/html/css.ts): one per compare-unread strategy. */
export const PALETTE_SIZE = 9;

/** The class that gives a series its palette colour; a strategy keeps its slot in every chart. */
export function colourClass(colorIndex: number): string {
  return `c${colorIndex % PALETTE_SIZE}`;
}

/** The chart's <svg>: `data-chart` for tests, its title as the accessible name. */
export function svgRoot(id: string, title: string, width: number, height: number, parts: string[]): string {
  const titleId = `chart-${id}-title`;
  return (
    `<svg class="chart" data-chart="${escapeXml(id)}" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${escapeXml(titleId)}"` +
    ` viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${escapeXml(titleId)}">${escapeXml(title)}</title>${parts.join('')}</svg>`
  );
}
