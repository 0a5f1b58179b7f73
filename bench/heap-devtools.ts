/**
 * Chrome DevTools' own heap-snapshot code, as the `heap-snapshot-toolkit` package (1.1.3, a
 * devDependency) bundles it: devtools-frontend's HeapSnapshot worker at commit 138048f, run in
 * one thread. The benchmark and the tests hold `imdiag heap` to its Summary rows.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'heap-snapshot-toolkit';

/** One Summary row ("All objects"): what DevTools shows in the Constructor / Distance / Shallow / Retained columns. */
export interface DevtoolsRow {
  name: string;
  count: number;
  shallow: number;
  retained: number;
}

/** Summary rows by DevTools' class key (`,Name` or `scriptId,line,column,Name`). */
export async function devtoolsSummary(path: string): Promise<{ rows: Map<string, DevtoolsRow>; shapes: string }> {
  const snapshot = await parse(createReadStream(path, 'utf-8'));
  // A filter with no fields is the Summary's "All objects" (the model's NodeFilter, whose methods it does not call).
  const aggregates = snapshot.aggregatesWithFilter({} as Parameters<typeof snapshot.aggregatesWithFilter>[0]);
  const rows = new Map<string, DevtoolsRow>();
  for (const [key, aggregate] of Object.entries(aggregates)) {
    rows.set(key, { name: aggregate.name, count: aggregate.count, shallow: aggregate.self, retained: aggregate.maxRet });
  }
  return { rows, shapes: snapshot.interfaceDefinitions() };
}

/** One Comparison-view row: objects of the class added and removed between the base and the later snapshot. */
export interface DevtoolsDiffRow {
  name: string;
  added: number;
  removed: number;
  addedSize: number;
  removedSize: number;
}

/**
 * The Comparison view as DevTools computes it (HeapSnapshotDiffDataGrid.populateChildren): the
 * base is classified with the later snapshot's shapes (`aggregatesForDiff`), then the later one
 * diffs against it. The toolkit's own `diff()` gives the base its own shapes, unlike DevTools.
 */
export async function devtoolsDiff(basePath: string, laterPath: string): Promise<Map<string, DevtoolsDiffRow>> {
  const later = await parse(createReadStream(laterPath, 'utf-8'));
  const base = await parse(createReadStream(basePath, 'utf-8'));
  const baseAggregates = base.aggregatesForDiff(later.interfaceDefinitions());
  const diff = later.calculateSnapshotDiff('base', baseAggregates);
  const rows = new Map<string, DevtoolsDiffRow>();
  for (const [key, row] of Object.entries(diff)) {
    rows.set(key, { name: row.name, added: row.addedCount, removed: row.removedCount, addedSize: row.addedSize, removedSize: row.removedSize });
  }
  return rows;
}
