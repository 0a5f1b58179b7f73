/**
 * `npm run bench:heap-summary`: what summarising a large heap snapshot costs, streamed (what
 * compare-unread --heapdump does) against JSON.parse of the whole file (what it did before,
 * refusing files over 512 MB; V8 cannot hold a longer string anyway, so past that it fails).
 *
 * For each --heap-mb: a fresh `node --max-old-space-size=8192` holds that many MB of small
 * objects (class BenchReceipt, two fields) and writes a snapshot with v8.writeHeapSnapshot; then
 * each summariser runs once in its own fresh process (bench/heap-summary-worker.ts), which reports
 * its wall time (hrtime) and peak RSS (getrusage maxrss, whole process).
 *
 *   npm run bench:heap-summary -- [--heap-mb 150,600] [--dir /tmp] [--keep] [--json]   (--help lists the flags)
 */
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { benchArgs, flag } from './args.js';
import type { Measured, SummaryMode } from './heap-summary-worker.js';
import { eachHeldSnapshot, heldLine, heldSnapshotFlags, machineLine, runWorker } from './held-snapshot.js';

const values = benchArgs(
  { name: 'bench:heap-summary', about: 'summarising a large heap snapshot streamed, against JSON.parse of the whole file.' },
  {
    ...heldSnapshotFlags([150, 600]),
    keep: flag.switch('keep the snapshots'),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);

const FILL = `
  class BenchReceipt { constructor(i) { this.msgId = i; this.userId = 'user-001'; } }
  const held = [];
  while (process.memoryUsage().heapUsed < limit) for (let k = 0; k < 100000; k++) held.push(new BenchReceipt(held.length));
  const objects = held.length;`;

/** A summariser that dies (out of memory past what JSON.parse can hold) is a failed row, not the end of the run. */
function measureIn(mode: SummaryMode, path: string): Measured {
  try {
    return runWorker<Measured>(new URL('./heap-summary-worker.js', import.meta.url), ['--mode', mode, '--snapshot', path], ['--max-old-space-size=8192']);
  } catch (error) {
    return { mode, ok: false, error: (error as Error).message, ms: NaN, peakRssBytes: NaN };
  }
}

const cases = eachHeldSnapshot({ heapMb: values['heap-mb'], dir: values.dir, keep: values.keep, fill: FILL }, (path) => ({
  results: [measureIn('stream', path), measureIn('json-parse', path)],
}));
const environment = collectEnvironment();
if (values.json) process.stdout.write(`${JSON.stringify({ environment, runsEach: 1, cases }, null, 2)}\n`);
else {
  const lines = [machineLine('bench:heap-summary', environment, 'each summariser')];
  for (const c of cases) {
    lines.push(heldLine(c));
    for (const r of c.results) {
      const what = r.ok ? `top ${r.top?.constructor} ×${r.top?.count.toLocaleString('en-US')}` : `failed: ${r.error}`;
      lines.push(`  ${r.mode.padEnd(10)} ${(r.ms / 1000).toFixed(1).padStart(6)} s  peak RSS ${bytes(r.peakRssBytes).padStart(9)}  ${what}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
