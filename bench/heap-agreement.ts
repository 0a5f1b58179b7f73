import { bytes } from '../src/lib/format.js';
import type { DevtoolsRow } from './heap-devtools.js';
import type { ToolRun } from './heap-workers.js';

/** Within this relative difference two figures agree (the issue's 1 %). */
export const TOLERANCE = 0.01;
export const TOP = 20;

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1));
const close = (a: DevtoolsRow | undefined, b: DevtoolsRow) =>
  a !== undefined &&
  a.name === b.name &&
  rel(a.count, b.count) <= TOLERANCE &&
  rel(a.shallow, b.shallow) <= TOLERANCE &&
  rel(a.retained, b.retained) <= TOLERANCE;
const exact = (a: DevtoolsRow | undefined, b: DevtoolsRow) =>
  a !== undefined && a.name === b.name && a.count === b.count && a.shallow === b.shallow && a.retained === b.retained;

export interface Agreement {
  /** DevTools' top rows by retained size that imdiag has under the same key, count, shallow and retained within TOLERANCE. */
  topAgreeing: number;
  top: number;
  /** Of all rows either tool lists, how many are identical to the byte. */
  exactRows: number;
  rows: number;
  /** Rows of the top that do not agree, as lines. */
  differences: string[];
}

export function rowAgreement(imdiag: ToolRun, devtools: ToolRun): Agreement | null {
  if (!imdiag.rows || !devtools.rows) return null;
  const mine = imdiag.rows;
  const theirs = devtools.rows;
  const top = Object.entries(theirs)
    .sort((a, b) => b[1].retained - a[1].retained)
    .slice(0, TOP);
  const differences = top
    .filter(([key, row]) => !close(mine[key], row))
    .map(([key, row]) => `    ${key}: DevTools ${JSON.stringify(row)}, imdiag ${JSON.stringify(mine[key] ?? null)}`);
  const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  const exactRows = [...keys].filter((key) => theirs[key] && exact(mine[key], theirs[key])).length;
  return { topAgreeing: top.length - differences.length, top: top.length, exactRows, rows: keys.size, differences };
}

/** memlab's retained sizes for imdiag's largest objects, id by id, both under memlab's page rule. */
export function objectAgreement(imdiag: ToolRun, memlab: ToolRun): { agreeing: number; of: number } | null {
  if (!imdiag.objects || !memlab.objects) return null;
  const ids = Object.keys(imdiag.objects);
  const agreeing = ids.filter((id) => rel(imdiag.objects![Number(id)]!, memlab.objects![Number(id)] ?? NaN) <= TOLERANCE).length;
  return { agreeing, of: ids.length };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Time, peak RSS and agreement for one snapshot, as printed lines. */
export function agreementLines(runs: ToolRun[], snapshotBytes: number): string[] {
  const lines: string[] = [];
  const imdiag = runs.find((run) => run.tool === 'imdiag')!;
  for (const run of runs) {
    if (run.error) {
      lines.push(`  ${run.tool.padEnd(9)} failed: ${run.error}`);
      continue;
    }
    const faster =
      run === imdiag || imdiag.error
        ? ''
        : `  — imdiag ${(run.ms / imdiag.ms).toFixed(1)}× faster, ${(imdiag.peakRssBytes / run.peakRssBytes).toFixed(2)}× its RSS`;
    lines.push(
      `  ${run.tool.padEnd(9)} ${seconds(run.ms).padStart(8)}  peak RSS ${bytes(run.peakRssBytes).padStart(9)} (${(run.peakRssBytes / snapshotBytes).toFixed(2)}× the file)${faster}`,
    );
  }
  if (imdiag.phases)
    lines.push(
      `  imdiag's time: ${Object.entries(imdiag.phases)
        .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
        .join(', ')}`,
    );
  const devtools = runs.find((run) => run.tool === 'devtools');
  const rows = devtools && rowAgreement(imdiag, devtools);
  if (rows) {
    lines.push(
      `  rows: ${rows.topAgreeing} of DevTools' top ${rows.top} within ${TOLERANCE * 100} % (count, shallow, retained); ${rows.exactRows} of ${rows.rows} rows identical to the byte`,
      ...rows.differences,
    );
  }
  const memlab = runs.find((run) => run.tool === 'memlab');
  const objects = memlab && objectAgreement(imdiag, memlab);
  if (objects) lines.push(`  largest objects, id by id, under memlab's page rule: ${objects.agreeing} of ${objects.of} within ${TOLERANCE * 100} % of memlab`);
  return lines;
}
