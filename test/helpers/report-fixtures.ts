import { readFileSync } from 'node:fs';
import type { FloodResult } from '../../src/results/flood.js';
import type { HeapDiffResult, HeapResult } from '../../src/results/heap.js';
import type { SeedResult } from '../../src/results/seed.js';
import type { FloodTargetResult } from '../../src/results/flood-target.js';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';
import type { WatchResult } from '../../src/results/watch.js';
import type { QueryResult } from '../../src/results/query.js';

/**
 * The saved results reports are rendered from in tests. seed, compare-unread and flood are the real runs
 * their commands' own tests use (tiny dataset; `flood --compare`);
 * compare-unread-oom is the article-scale picture under a 1536 MB cap (an OOM, a heap snapshot,
 * a process death), written to match the CompareUnreadResult type. heap and heap-diff are real
 * runs on snapshots of a small process (a Map of 20,000 Receipts; 5,000 more dropped before the third).
 */
export const FIXTURES = {
  seed: new URL('../../fixtures/seed-result.json', import.meta.url),
  'compare-unread': new URL('../../fixtures/compare-unread.json', import.meta.url),
  'compare-unread-oom': new URL('../../fixtures/compare-unread-article-oom.json', import.meta.url),
  flood: new URL('../../fixtures/flood-compare.json', import.meta.url),
  // A real `flood --target` run against examples/spider (per-message, socket.io monitors, --inspect).
  'flood-target': new URL('../../fixtures/flood-target.json', import.meta.url),
  // A real 10 s `imdiag watch --inspect` of a small leak (test/helpers/node-target.ts) under --max-old-space-size=96 (--fail-on growing).
  watch: new URL('../../fixtures/watch.json', import.meta.url),
  heap: new URL('../../fixtures/heap.json', import.meta.url),
  'heap-diff': new URL('../../fixtures/heap-diff.json', import.meta.url),
  // A real `imdiag query` of a heavy user's receipts on the tiny dataset.
  query: new URL('../../fixtures/query.json', import.meta.url),
} as const;

export interface FixtureResults {
  seed: SeedResult;
  'compare-unread': CompareUnreadResult;
  'compare-unread-oom': CompareUnreadResult;
  flood: FloodResult;
  'flood-target': FloodTargetResult;
  watch: WatchResult;
  heap: HeapResult;
  'heap-diff': HeapDiffResult;
  query: QueryResult;
}

/** A terminal layout that neither wraps nor drops a column: for tests of what a renderer says, not of how it fits (test/cli/terminal-width.test.ts). */
export const UNWRAPPED = { width: 100_000, wide: true } as const;

/** A fresh copy each call, so a test may change it. */
export function fixture<C extends keyof FixtureResults>(command: C): FixtureResults[C] {
  return JSON.parse(readFileSync(FIXTURES[command], 'utf8')) as FixtureResults[C];
}
