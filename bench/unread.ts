/**
 * `npm run bench:unread`: what compare-unread's harness costs, in one run, side by side.
 *
 * 1. Harness: fork → the child's first line (spawnMs), MongoClient.connect in the child
 *    (connectMs), and the whole child round trip for the cheapest strategy (cursor, one run),
 *    next to a bare `node -e ''` fork → exit on the same machine.
 * 2. Sampler: the same strategy (default projection) in fresh children with the heap sampler
 *    on (2 ms timer + batch-boundary samples, what compare-unread uses), with batch-boundary
 *    samples only, and with no sampling at all; modes alternate round by round and the median
 *    of each is compared: p50 latency, peak heap growth, retained heap.
 *
 *   npm run bench:unread -- [--uri mongodb://…] [--db name] [--profile demo] [--strategy projection] [--rounds 5] [--json]   (--help lists the flags)
 * Without --uri it starts a throw-away mongod through mongodb-memory-server (MONGOMS_SYSTEM_BINARY
 * honoured) and seeds the profile with a fixed anchor.
 */
import { benchArgs, flag } from './args.js';
import { openDemoDatabase } from './demo-db.js';
import { median } from './stats.js';
import { bareForkMs } from '../src/lib/child/fork.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { windowStart } from '../src/core/webim/profiles.js';
import type { ChildConfig, ChildResultMessage } from '../src/engines/compare-unread/protocol.js';
import { STRATEGY_NAMES, type StrategyName } from '../src/results/compare-unread.js';
import { PROFILE_NAMES } from '../src/results/seed.js';
import { runChild } from '../src/engines/compare-unread/run-child.js';
import { NO_VALUE } from '../src/lib/format.js';

const values = benchArgs(
  { name: 'bench:unread', about: "what compare-unread's harness costs (fork, connect, a whole child) and what its heap sampler costs a strategy." },
  {
    uri: flag.uri(),
    db: flag.db('bench_unread'),
    profile: flag.choice('dataset profile seeded when --db holds none', 'demo', PROFILE_NAMES),
    strategy: flag.choice('strategy the sampler modes run', 'projection', STRATEGY_NAMES),
    rounds: flag.integer('rounds; medians reported', 5, 1, 100),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);
const { rounds, strategy } = values;

const startedAt = new Date();
const { uri, dataset, close } = await openDemoDatabase(values.uri, values.db, 'bench:unread', values.profile);
const userId = String(dataset?.heavyUserId ?? 'user-001');
const anchor = new Date(String(dataset?.anchor ?? startedAt.toISOString()));

const baseConfig = (name: StrategyName, samplerIntervalMs: number, runs: number): Omit<ChildConfig, 'forkedAtNs'> => ({
  strategy: name,
  uri,
  dbName: values.db,
  userId,
  windowStart: windowStart(anchor, 6).toISOString(),
  runs,
  warmupRuns: 1,
  probeRuns: 1,
  samplerIntervalMs,
  bloomFalsePositiveRate: 0.01,
});

async function child(config: Omit<ChildConfig, 'forkedAtNs'>): Promise<{ message: ChildResultMessage; wallMs: number }> {
  const started = process.hrtime.bigint();
  const outcome = await runChild(config, { maxOldSpaceSizeMB: null, timeoutMs: 10 * 60_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (outcome.kind !== 'message' || outcome.message.type !== 'result') throw new Error(`bench child failed: ${JSON.stringify(outcome)}`);
  return { message: outcome.message, wallMs };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

// 1. Harness cost.
const harness = { bareNodeMs: [] as number[], spawnMs: [] as number[], connectMs: [] as number[], cursorRoundTripMs: [] as number[] };
for (let i = 0; i < rounds; i++) {
  harness.bareNodeMs.push(await bareForkMs());
  const { message, wallMs } = await child(baseConfig('cursor', 2, 1));
  harness.spawnMs.push(message.spawnMs);
  harness.connectMs.push(message.connectMs);
  harness.cursorRoundTripMs.push(wallMs);
}

// 2. Sampler on / boundary-only / off, alternating.
const MODES = { on: 2, boundaryOnly: 0, off: -1 } as const;
type Mode = keyof typeof MODES;
const sampler: Record<Mode, { p50Ms: number[]; peakGrowthBytes: number[]; retainedBytes: number[]; samples: number[] }> = {
  on: { p50Ms: [], peakGrowthBytes: [], retainedBytes: [], samples: [] },
  boundaryOnly: { p50Ms: [], peakGrowthBytes: [], retainedBytes: [], samples: [] },
  off: { p50Ms: [], peakGrowthBytes: [], retainedBytes: [], samples: [] },
};
for (let i = 0; i < rounds; i++) {
  for (const mode of Object.keys(MODES) as Mode[]) {
    const { message } = await child(baseConfig(strategy, MODES[mode], 3));
    const durations = message.runs.map((run) => run.durationMs);
    sampler[mode].p50Ms.push(median(durations));
    sampler[mode].peakGrowthBytes.push(Math.max(...message.runs.map((run) => run.peakHeapBytes)) - message.heapBeforeBytes);
    sampler[mode].retainedBytes.push(message.retainedBytes);
    sampler[mode].samples.push(message.heapSamples);
  }
}

const summary = {
  what: 'compare-unread harness cost and heap-sampler effect (medians over rounds)',
  startedAt: startedAt.toISOString(),
  environment: collectEnvironment(),
  server: uri.replace(/\/\/[^@/]*@/, '//***@'),
  dataset: { profile: dataset?.profile ?? null, user: userId, anchor: anchor.toISOString() },
  rounds,
  harness: {
    bareNodeForkToExitMs: round2(median(harness.bareNodeMs)),
    childSpawnToFirstLineMs: round2(median(harness.spawnMs)),
    childConnectMs: round2(median(harness.connectMs)),
    cursorChildRoundTripMs: round2(median(harness.cursorRoundTripMs)),
  },
  sampler: {
    strategy,
    runsPerChild: 3,
    ...Object.fromEntries(
      (Object.keys(MODES) as Mode[]).map((mode) => [
        mode,
        {
          intervalMs: MODES[mode],
          p50Ms: round2(median(sampler[mode].p50Ms)),
          peakHeapGrowthMB: mode === 'off' ? null : round2(median(sampler[mode].peakGrowthBytes) / 1024 / 1024),
          retainedKB: round2(median(sampler[mode].retainedBytes) / 1024),
          heapSamplesPerChild: median(sampler[mode].samples),
        },
      ]),
    ),
    latencyRatioOnVsOff: round2(median(sampler.on.p50Ms) / median(sampler.off.p50Ms)),
    latencyRatioBoundaryOnlyVsOff: round2(median(sampler.boundaryOnly.p50Ms) / median(sampler.off.p50Ms)),
    peakRatioOnVsBoundaryOnly: round2(median(sampler.on.peakGrowthBytes) / median(sampler.boundaryOnly.peakGrowthBytes)),
  },
};

if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else {
  const h = summary.harness;
  const s = summary.sampler as typeof summary.sampler &
    Record<Mode, { p50Ms: number; peakHeapGrowthMB: number | null; retainedKB: number; heapSamplesPerChild: number }>;
  process.stdout.write(
    [
      `bench:unread · ${summary.dataset.profile ?? 'unrecorded'} dataset, ${userId} · Node ${process.version}, ${summary.environment.cpus} CPUs · medians of ${rounds} rounds`,
      `harness: bare node fork→exit ${h.bareNodeForkToExitMs} ms · child fork→first line ${h.childSpawnToFirstLineMs} ms · connect ${h.childConnectMs} ms · whole cursor child ${h.cursorChildRoundTripMs} ms`,
      `sampler (${strategy}, 3 runs a child):`,
      ...(['on', 'boundaryOnly', 'off'] as Mode[]).map(
        (mode) =>
          `  ${mode.padEnd(12)} p50 ${s[mode].p50Ms} ms · peak heap +${s[mode].peakHeapGrowthMB ?? NO_VALUE} MB · retained ${s[mode].retainedKB} KB · ${s[mode].heapSamplesPerChild} samples`,
      ),
      `  latency on/off ×${s.latencyRatioOnVsOff} · boundary-only/off ×${s.latencyRatioBoundaryOnlyVsOff} · peak on/boundary-only ×${s.peakRatioOnVsBoundaryOnly}`,
      '',
    ].join('\n'),
  );
}

await close();
