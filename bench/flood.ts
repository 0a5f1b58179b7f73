/**
 * `npm run bench:flood`: the flood simulator's two targets, measured in one run.
 *
 * 1. Throughput: the simulator is not the bottleneck — producers, server (ingest + sampling) and
 *    10 monitors sustain ≥ 5,000 POSTs/s on this machine (interval strategy, so pushes are not
 *    the work measured), and it says so when it cannot keep the asked rate (a second run at 2×).
 * 2. Spider-like load with one slow monitor, --compare: per-message detected growing within 30 s;
 *    interval and backpressure bounded, the live heap within ±20 % of its steady level.
 *
 *   npm run bench:flood -- [--rate 5000] [--duration 30s] [--throughput-duration 15s] [--json]   (--help lists the flags)
 */
import Table from 'cli-table3';
import { FLOOD_LIMITS, validateFloodOptions } from '../src/commands/flood/options.js';
import { runFlood } from '../src/engines/flood/run.js';
import type { StrategyRun } from '../src/results/flood.js';
import { BAND, MIN_RISE_MB, fitTrend } from '../src/core/memory/trend.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { silentReporter } from '../src/lib/progress.js';
import { NO_VALUE } from '../src/lib/format.js';
import { formatDuration } from '../src/lib/validate.js';
import { benchArgs, flag } from './args.js';

const { min: MIN_MS, max: MAX_MS } = FLOOD_LIMITS.durationMs;
const values = benchArgs(
  { name: 'bench:flood', about: "the flood simulator's throughput, then Spider-like load with one slow monitor under every push strategy." },
  {
    // The second throughput run asks twice this rate: at most half of flood's own maximum.
    rate: flag.number('POSTs per second the throughput run asks (the second run asks twice as many)', 5000, FLOOD_LIMITS.rate.min, FLOOD_LIMITS.rate.max / 2),
    duration: flag.duration('each strategy of the Spider-like run', '30s', MIN_MS, MAX_MS),
    'throughput-duration': flag.duration('each throughput run', '15s', MIN_MS, MAX_MS),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);
const context = { signal: new AbortController().signal, reporter: silentReporter };
const environment = collectEnvironment();
const log = (line: string) => process.stderr.write(`${line}\n`);

// 1. Throughput.
const askedRate = values.rate;
const throughput: StrategyRun[] = [];
for (const rate of [askedRate, 2 * askedRate]) {
  log(`throughput: ${rate} POST/s, 10 monitors, ${formatDuration(values['throughput-duration'])}`);
  const params = validateFloodOptions({
    rate: String(rate),
    producers: '10',
    payload: '256',
    clients: '10',
    slowClients: '0',
    duration: `${values['throughput-duration']}ms`,
    strategy: 'interval',
  });
  const { runs } = await runFlood(params, context);
  throughput.push(runs[0]!);
}

// 2. Spider-like load, every strategy.
log(`spider-like load, --compare, ${formatDuration(values.duration)} each`);
const spiderParams = validateFloodOptions({ duration: `${values.duration}ms`, compare: true });
const spider = await runFlood(spiderParams, context);

/** Every sample after the fit's start, live or not: how far the heap as the process saw it swings. */
function rawDeviationPct(run: StrategyRun): number {
  const heaps = run.samples
    .filter((sample) => sample.tMs >= run.trend.fromMs)
    .map((sample) => sample.heapUsedBytes / 2 ** 20)
    .sort((a, b) => a - b);
  const level = heaps[heaps.length >> 1] ?? 0;
  return level > 0 ? Math.max(...heaps.map((heap) => (Math.abs(heap - level) / level) * 100)) : 0;
}

/** The earliest time a fit over the samples so far would have called the run growing. */
function detectedGrowingAtS(run: StrategyRun): number | null {
  for (let n = 10; n <= run.samples.length; n += 1) {
    if (fitTrend(run.samples.slice(0, n)).verdict === 'growing') return run.samples[n - 1]!.tMs / 1000;
  }
  return null;
}

const spiderRows = spider.runs.map((run) => ({
  strategy: run.strategy,
  verdict: run.verdict,
  detectedGrowingAtS: detectedGrowingAtS(run),
  metric: run.trend.metric,
  slopeMBPerSec: run.trend.slopeMBPerSec,
  slopeCi95MBPerSec: run.trend.slopeCi95MBPerSec,
  rSquared: run.trend.rSquared,
  heapMinMB: run.heap.minMB,
  heapMaxMB: run.heap.maxMB,
  floorLevelMB: run.trend.floorLevelMB,
  floorMaxDeviationPct: run.trend.floorMaxDeviationPct,
  floorMaxDeviationMB: run.trend.floorMaxDeviationMB,
  rawMaxDeviationPct: rawDeviationPct(run),
  secondsToLimit: run.projection?.secondsToLimit ?? null,
  heapLimitMB: run.projection?.heapLimitMB ?? null,
  achievedRate: run.producers.achievedRate,
  bufferedMaxMB: run.bufferedMaxMB,
}));
/** ±20 % of the level, or ±MIN_RISE_MB for small heaps, where GC alone moves the floor that much. */
function withinBand(row: (typeof spiderRows)[number] | undefined): boolean {
  return row !== undefined && row.floorMaxDeviationMB <= Math.max(BAND * row.floorLevelMB, MIN_RISE_MB);
}
const byName = new Map(spiderRows.map((row) => [row.strategy, row]));
const perMessage = byName.get('per-message');
const checks = [
  ...throughput.slice(0, 1).map((run) => ({
    check: `simulator sustains ${askedRate} POST/s with 10 monitors`,
    pass: run.producers.keptRate && run.producers.achievedRate >= 0.95 * askedRate,
  })),
  { check: `the ${2 * askedRate} POST/s run reports whether it kept the rate`, pass: typeof throughput[1]?.producers.keptRate === 'boolean' },
  { check: 'per-message detected growing within 30 s', pass: perMessage?.detectedGrowingAtS != null && perMessage.detectedGrowingAtS <= 30 },
  ...['interval', 'backpressure'].map((name) => ({
    check: `${name} bounded, live heap within ±20 % of its steady level (or ±${MIN_RISE_MB} MB, whichever is larger)`,
    pass: byName.get(name)?.verdict === 'bounded' && withinBand(byName.get(name)),
  })),
];

if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ environment, throughput: throughput.map((run) => ({ ...run.producers, eventLoopDelayMaxMs: run.server.eventLoopDelayMaxMs })), spider: spiderRows, checks }, null, 2)}\n`,
  );
} else {
  const f = (value: number | null, digits = 1) => (value === null ? NO_VALUE : value.toFixed(digits));
  const out: string[] = [`imdiag bench:flood — Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}`, ''];
  const t = new Table({
    head: [
      'throughput (interval, 10 monitors)',
      'asked POST/s',
      'achieved POST/s',
      'kept',
      'missed',
      'failed',
      'late',
      'POST p50/p99 ms',
      'server loop delay max ms',
    ],
    style: { head: [], border: [] },
  });
  for (const run of throughput) {
    const p = run.producers;
    t.push([
      `${(run.durationMs / 1000) | 0} s`,
      p.askedRate,
      Math.round(p.achievedRate),
      p.keptRate ? 'yes' : 'NO',
      p.missed,
      p.failed,
      p.late,
      `${f(p.postLatency?.p50Ms ?? null)} / ${f(p.postLatency?.p99Ms ?? null)}`,
      f(run.server.eventLoopDelayMaxMs, 0),
    ]);
  }
  out.push(t.toString(), '');
  const s = new Table({ head: ['spider-like, 1 slow monitor', ...spiderRows.map((row) => row.strategy)], style: { head: [], border: [] } });
  const row = (label: string, cell: (r: (typeof spiderRows)[number]) => string) => s.push([label, ...spiderRows.map(cell)]);
  row('verdict', (r) => r.verdict);
  row('detected growing at', (r) => (r.detectedGrowingAtS === null ? NO_VALUE : `${r.detectedGrowingAtS.toFixed(1)} s`));
  row('slope MB/s (95% CI)', (r) => `${f(r.slopeMBPerSec, 2)} (${f(r.slopeCi95MBPerSec[0], 2)}…${f(r.slopeCi95MBPerSec[1], 2)})`);
  row('fitted on', (r) => r.metric);
  row('R²', (r) => f(r.rSquared, 2));
  row('heap min – max MB', (r) => `${f(r.heapMinMB)} – ${f(r.heapMaxMB)}`);
  row('live heap level / max dev', (r) => `${f(r.floorLevelMB)} MB / ±${f(r.floorMaxDeviationMB)} MB (${f(r.floorMaxDeviationPct, 0)} %)`);
  row('all samples max dev % (GC sawtooth)', (r) => `${f(r.rawMaxDeviationPct, 0)} %`);
  row('projected time to limit', (r) => (r.secondsToLimit === null ? NO_VALUE : `${f(r.secondsToLimit / 60)} min to ${f(r.heapLimitMB, 0)} MB`));
  row('bufferedAmount max MB', (r) => f(r.bufferedMaxMB));
  row('POST/s achieved', (r) => f(r.achievedRate, 0));
  out.push(s.toString(), '');
  for (const c of checks) out.push(`${c.pass ? 'PASS' : 'FAIL'}  ${c.check}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exitCode = checks.every((c) => c.pass) ? 0 : 1;
