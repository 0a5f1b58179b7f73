import type { BarChartSpec } from './svg/bar.js';
import type { LineChartSpec } from './svg/line.js';

/**
 * A report as data: each command turns its result into one ReportDoc, and the Markdown and HTML
 * writers turn any ReportDoc into text. Charts are drawn in HTML only; the tables beside them carry
 * the same figures for Markdown.
 */
export interface ReportDoc {
  title: string;
  /** The verdict in at most three short lines (what happened, what it means, what to do), as the terminal prints it: first thing a reader sees. */
  summary?: string[];
  /** One paragraph: the verdict whole (after the summary when there is one). */
  verdict: Inline[];
  sections: Section[];
}

export interface Section {
  title: string;
  /** Stable hook for tests and anchors: `id` on the HTML section. */
  id: string;
  blocks: Block[];
}

/** Plain text, **bold** or `code`. */
export type Inline = string | { strong: string } | { code: string };

export type Block =
  | { kind: 'paragraph'; text: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; columns: Column[]; rows: string[][]; caption?: string }
  | { kind: 'facts'; rows: Array<[label: string, value: Inline]> }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'chart'; chart: ChartSpec; caption?: string };

export interface Column {
  title: string;
  /** Numbers align right. */
  align?: 'left' | 'right';
}

export type ChartSpec = ({ type: 'bar' } & BarChartSpec) | ({ type: 'line' } & LineChartSpec);

/** A section of a report; `id` is its anchor. */
export function section(title: string, id: string, ...blocks: Block[]): Section {
  return { title, id, blocks };
}

/** The sections that have something to say (the others are undefined), in order. */
export function present(sections: Array<Section | undefined>): Section[] {
  return sections.filter((item): item is Section => item !== undefined);
}

/** A column of figures: aligned right. */
export function right(title: string): Column {
  return { title, align: 'right' };
}

export function paragraph(...text: Inline[]): Block {
  return { kind: 'paragraph', text };
}

/** A list of plain lines, one item each. */
export function bullets(lines: readonly string[]): Block {
  return { kind: 'list', items: lines.map((line) => [line]) };
}

export function table(columns: Array<string | Column>, rows: string[][], caption?: string): Block {
  return { kind: 'table', columns: columns.map((column) => (typeof column === 'string' ? { title: column } : column)), rows, ...(caption && { caption }) };
}

type FactValue = string | number | boolean | { code: string } | undefined | null;

/** Label–value rows; rows without a value are left out. */
export function facts(rows: Array<[string, FactValue]>): Block {
  const present = rows.filter((row): row is [string, Exclude<FactValue, undefined | null>] => row[1] !== undefined && row[1] !== null && row[1] !== '');
  return { kind: 'facts', rows: present.map(([label, value]) => [label, typeof value === 'object' ? value : String(value)]) };
}

/** A value shown as code, or nothing when it is absent. */
export function code(text: string | undefined | null): { code: string } | undefined {
  return text === undefined || text === null ? undefined : { code: text };
}

export function inlineText(parts: Inline[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : 'strong' in part ? part.strong : part.code)).join('');
}
