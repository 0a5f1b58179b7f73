/**
 * One summariser of bench:heap-summary on one snapshot, in this fresh process: its wall time
 * (hrtime) and peak RSS (getrusage maxrss, the whole process), printed as one JSON line.
 *
 *   node --max-old-space-size=8192 dist-bench/bench/heap-summary-worker.js --mode stream|json-parse --snapshot FILE
 */
import { groupSnapshotFile } from '../src/core/heapsnapshot/self-sizes.js';
import { benchArgs, flag } from './args.js';
import { snapshotFileFlag } from './held-snapshot.js';
import { groupWholeSnapshot } from './whole-snapshot.js';

const SUMMARY_MODES = ['stream', 'json-parse'] as const;
export type SummaryMode = (typeof SUMMARY_MODES)[number];

export interface Measured {
  mode: SummaryMode;
  ok: boolean;
  error?: string;
  ms: number;
  peakRssBytes: number;
  top?: { constructor: string; count: number; selfSizeBytes: number };
}

async function measure(mode: SummaryMode, path: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  let rows: Map<string, { count: number; selfSizeBytes: number }> | undefined;
  let error: string | undefined;
  try {
    rows = mode === 'stream' ? (await groupSnapshotFile(path)).rows : groupWholeSnapshot(path);
  } catch (caught) {
    error = (caught as Error).message;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rows?.delete('(native)');
  const top = rows && [...rows].map(([constructor, row]) => ({ constructor, ...row })).sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)[0];
  return { mode, ok: !error, ...(error && { error }), ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, ...(top && { top }) };
}

const values = benchArgs(
  {
    name: 'bench:heap-summary worker',
    about: 'one summariser on one snapshot, reported as one JSON line.',
    usage: 'node dist-bench/bench/heap-summary-worker.js [flags]',
  },
  { mode: flag.choice('the summariser', 'stream', SUMMARY_MODES), snapshot: snapshotFileFlag() },
);
process.stdout.write(`${JSON.stringify(await measure(values.mode, values.snapshot))}\n`);
