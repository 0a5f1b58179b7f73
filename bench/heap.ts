/**
 * `npm run bench:heap`: `imdiag heap` against memlab (Meta's heap analysis, @memlab/heap-analysis,
 * a devDependency for this benchmark only) on the same snapshots, side by side in one run.
 *
 * For each --heap-mb: a fresh `node --max-old-space-size=8192` holds that many MB of objects (a
 * Map of arrays of BenchReceipt, each with a small topic string) and writes a snapshot. Then each
 * tool analyses it once in its own fresh process (bench/heap-worker.ts), which reports its wall
 * time (hrtime, from file to dominators, retained sizes and the per-class table) and its peak RSS
 * (getrusage maxrss of the whole process). Agreement, after the timing: the top-20 classes by
 * retained size (DevTools' rule, applied to each tool's own dominator tree) and the 20 largest
 * objects, id by id — with imdiag under DevTools' page-object rule (what the command reports) and
 * under memlab's (see PageRule in src/core/heapsnapshot/dominators.ts), so a difference is either
 * that rule or a bug.
 *
 *   npm run bench:heap -- [--heap-mb 100,600,1500] [--dir /tmp] [--keep] [--json] [--skip-memlab]   (--help lists the flags)
 */
import { collectEnvironment } from '../src/lib/environment.js';
import { benchArgs, flag } from './args.js';
import { agreementLines, TOP, type ToolRun } from './heap-agreement.js';
import { eachHeldSnapshot, heldLine, heldSnapshotFlags, machineLine, runWorker } from './held-snapshot.js';

const values = benchArgs(
  { name: 'bench:heap', about: 'imdiag heap against memlab on the same snapshots: time, peak RSS, and whether their retained sizes agree.' },
  {
    ...heldSnapshotFlags([100, 600, 1500]),
    keep: flag.switch('keep the snapshots'),
    json: flag.switch('print the figures as JSON on stdout'),
    'skip-memlab': flag.switch('run imdiag only'),
  },
);

const FILL = `
  class BenchReceipt { constructor(i) { this.msgId = i; this.topic = 'topic-' + (i % 5000); } }
  const held = new Map();
  let objects = 0;
  (() => {
    while (process.memoryUsage().heapUsed < limit) {
      const batch = [];
      for (let k = 0; k < 1000; k++) batch.push(new BenchReceipt(objects++));
      held.set('user-' + held.size, batch);
    }
  })();`;

/** A tool that fails (memlab out of memory) is a failed row, not the end of the run. */
function measureIn(tool: ToolRun['tool'], path: string, ids: number[] = []): ToolRun {
  try {
    // memlab holds the graph in the JS heap and needs room; imdiag runs as users run it, with Node's defaults.
    const flags = tool === 'memlab' ? ['--max-old-space-size=16384'] : [];
    const args = ['--tool', tool, '--snapshot', path, ...(ids.length > 0 ? ['--ids', ids.join(',')] : [])];
    return runWorker<ToolRun>(new URL('./heap-worker.js', import.meta.url), args, flags);
  } catch (error) {
    return { tool, ms: NaN, peakRssBytes: NaN, classes: {}, objects: [], error: (error as Error).message };
  }
}

const cases = eachHeldSnapshot({ heapMb: values['heap-mb'], dir: values.dir, keep: values.keep, fill: FILL }, (path) => {
  const imdiag = measureIn('imdiag', path);
  const ids = imdiag.objects.map((object) => object.id);
  return { imdiag, memlab: values['skip-memlab'] ? null : measureIn('memlab', path, ids) };
});
const environment = collectEnvironment();
if (values.json) process.stdout.write(`${JSON.stringify({ environment, runsEach: 1, cases }, null, 2)}\n`);
else {
  const lines = [machineLine('bench:heap', environment, 'each tool')];
  for (const c of cases) lines.push('', heldLine(c), ...agreementLines(c.imdiag, c.memlab, c.snapshotBytes, TOP));
  process.stdout.write(`${lines.join('\n')}\n`);
}
