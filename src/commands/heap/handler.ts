import { collectEnvironment } from '../../lib/environment.js';
import type { MeasuredFigures } from '../../lib/conditions.js';
import { baseResult } from '../../lib/result.js';
import { bytesHuman } from '../../lib/format.js';
import { diffSnapshots } from '../../core/heapsnapshot/diff.js';
import { loadSnapshot } from '../../core/heapsnapshot/load.js';
import type { HeapDiffResult, HeapResult } from '../../results/heap.js';
import { snapshotSummary } from '../../core/heapsnapshot/summarise.js';
import type { RunContext } from '../../lib/run-context.js';
import { judgeFailOn } from '../common/fail-on.js';
import type { HeapDiffOptions, HeapOptions } from './options.js';
import { namingFlags } from '../common/input-errors.js';

/** `imdiag heap FILE`: summary, largest objects with their retainer paths, duplicated strings. */
export async function heap(options: HeapOptions, context: RunContext): Promise<HeapResult> {
  const started = performance.now();
  const loaded = await namingFlags(() =>
    loadSnapshot(options.file, (bytes) => context.reporter.progress(`reading ${options.file}`, Math.ceil(bytes / 2 ** 20), 'MB'), context.signal),
  );
  const snapshot = snapshotSummary(loaded, options.top, started);
  return {
    ...baseResult('heap', context, collectEnvironment()),
    options: { top: options.top, retainers: options.retainers, strings: options.strings },
    snapshot,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** `imdiag heap diff A B [C]`: per-class change, new objects still alive, the --fail-on gate. */
export async function heapDiff(options: HeapDiffOptions, context: RunContext): Promise<HeapDiffResult> {
  const figures = await namingFlags(() =>
    diffSnapshots(
      options.files,
      options.top,
      (path) => (bytes) => context.reporter.progress(`reading ${path}`, Math.ceil(bytes / 2 ** 20), 'MB'),
      context.signal,
    ),
  );
  const newObjects = figures.sameProcess.sameProcess ? figures.classes.reduce((sum, row) => sum + row.newObjects, 0) : null;
  const measured: MeasuredFigures = {
    figures: {
      growth: figures.maxClassGrowthBytes,
      'total-growth': figures.totalGrowthBytes,
      'new-objects': newObjects,
      'still-alive': figures.leaks?.status === 'ok' ? figures.leaks.stillAlive : null,
    },
    verdicts: figures.leaks?.status === 'not-comparable' || !figures.sameProcess.sameProcess ? ['not-comparable'] : [],
  };
  const failOn = judgeFailOn(options.failOn, measured, (figure, value) => (figure.includes('growth') ? bytesHuman(value) : value.toLocaleString('en-US')));
  return {
    ...baseResult('heap-diff', context, collectEnvironment(), failOn.problems),
    options: { top: options.top, failOn: options.failOn.map((condition) => condition.text) },
    ...figures,
    classes: figures.classes.slice(0, Math.max(options.top, 20)),
    conditions: failOn.outcomes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
