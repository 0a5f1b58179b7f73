import { getHeapStatistics } from 'node:v8';
import type { Db, MongoClient } from 'mongodb';
import type { ReplyAccounting } from '../../core/measure/accounting.js';
import { writeSnapshot } from '../../core/heapsnapshot/write.js';
import { heapLimitBytes, probeRefusal } from '../../core/measure/headroom.js';
import { settle, settledReadings } from '../../core/measure/settle.js';
import type { ChildConfig, ChildResultMessage, ChildRun } from './protocol.js';
import type { HeapSampler } from '../../core/measure/sampler.js';
import type { StrategyContext, UnreadStrategy } from './strategies/types.js';

/**
 * The three phases of a strategy child (child.ts): warm-up, timed runs, probe run. Each runs the
 * strategy and returns what it measured; none reads another's state.
 */
export interface Session {
  config: ChildConfig;
  strategy: UnreadStrategy;
  sampler: HeapSampler;
  accounting: ReplyAccounting;
  notes: Set<string>;
  /** A StrategyContext on `db`; `accounting` for the reply-counting run, `atPeak` for the probe run. */
  context(db: Db, run?: { accounting?: boolean; atPeak?: () => Promise<void> }): StrategyContext;
}

/** Heap used once nothing is pending: the lowest of `readingCount` settled readings (settle.ts). */
export async function settledHeapUsed(readingCount = 2): Promise<number> {
  return Math.min(...(await settledReadings(readingCount)).map((usage) => usage.heapUsed));
}

/** Warm-up: the first run counts the server's replies (command monitoring on), later ones just warm the JIT. */
export async function warmUp(
  session: Session,
  db: Db,
  accountingClient: MongoClient,
): Promise<{ docsReceived: number; bytesReceived: number; largestBatchDocs: number }> {
  const { config, sampler, accounting } = session;
  for (let i = 0; i < config.warmupRuns; i++) {
    sampler.reset();
    const accountingRun = i === 0;
    if (accountingRun) accounting.watch(accountingClient);
    await session.strategy.run(session.context(accountingRun ? accountingClient.db(config.dbName) : db, { accounting: accountingRun }));
    accounting.unwatchAll();
  }
  return { docsReceived: accounting.docs, bytesReceived: accounting.bytes, largestBatchDocs: accounting.largestBatchDocs };
}

export interface TimedRuns {
  /** Settled heap before the first timed run. */
  heapBeforeBytes: number;
  runs: ChildRun[];
  /** The answer of the last run. */
  unreadIds: string[];
  heapSamples: number;
  /** Settled heap after the last run, its answer dropped. */
  heapAfterBytes: number;
  /** Spread (max − min) of settled readings with nothing run between them: the noise of a retained figure. */
  settledNoiseBytes: number;
}

const NOISE_READINGS = 5;

/**
 * How much settled heap readings differ when nothing is retained between them: each reading lets
 * pending callbacks run and forces a full GC, as the before and after readings do.
 */
export async function settledNoiseBytes(readings = NOISE_READINGS): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < readings; i++) values.push(await settledHeapUsed(1));
  return Math.max(...values) - Math.min(...values);
}

/** The timed runs: a full GC before each, the sampler's peak and the duration of each. */
export async function timedRuns(session: Session, db: Db): Promise<TimedRuns> {
  const { config, sampler, notes } = session;
  const noiseBytes = await settledNoiseBytes();
  const heapBeforeBytes = await settledHeapUsed();
  const runs: ChildRun[] = [];
  let unreadIds: string[] = [];
  let heapSamples = 0;
  for (let i = 0; i < config.runs; i++) {
    // Drops the previous run's answer before the heap is settled, so this run is not measured holding it.
    unreadIds = [];
    settle();
    sampler.reset();
    const samplesBefore = sampler.samples;
    const started = process.hrtime.bigint();
    unreadIds = await session.strategy.run(session.context(db));
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    sampler.sample();
    heapSamples += sampler.samples - samplesBefore;
    if (durationMs <= 0) notes.add(`run ${i + 1} took no measurable time and was dropped`);
    else runs.push({ durationMs, peakHeapBytes: sampler.peakBytes, unreadCount: unreadIds.length });
  }
  const heapAfterBytes = await settledHeapUsed();
  // After the runs too: the JIT and the driver's pools have grown, and the spread with them.
  return { heapBeforeBytes, runs, unreadIds, heapSamples, heapAfterBytes, settledNoiseBytes: Math.max(noiseBytes, await settledNoiseBytes()) };
}

/**
 * The probe run: unmeasured, it stops at the peak point for a full GC (the live heap) and, with
 * --heapdump, a snapshot; neither may touch the timed runs. Its baseline is the settled heap the
 * timed runs ended on: more forced collections in a row, near a tight --max-old-space-size, make
 * V8 declare them ineffective and abort the process as OOM.
 */
export async function probeRun(
  session: Session,
  db: Db,
  { baseBytes, measuredPeakBytes, snapshot: takeSnapshot = true }: { baseBytes: number; measuredPeakBytes: number; snapshot?: boolean },
): Promise<{ liveAtPeakBytes: number | null; refused: boolean; snapshot?: ChildResultMessage['heapSnapshot'] }> {
  const { config, notes } = session;
  const refusal = probeRefusal(measuredPeakBytes, heapLimitBytes(process.execArgv, getHeapStatistics().heap_size_limit));
  if (refusal) notes.add(refusal);
  let reached = false;
  let liveAtPeakBytes: number | null = null;
  let snapshot: ChildResultMessage['heapSnapshot'];
  const atPeak = async () => {
    if (reached) return;
    reached = true;
    // The lowest of three settled readings, pending callbacks run before each: a drained cursor's
    // last batch (lazily parsed, ~1.2 KB a document: 60–130 MB for naive's and window's last
    // batch on demo) is sometimes still referenced at the first one. With one reading, 2 of 6
    // probe runs of naive and window on demo read it (127 → 187 MB, 95 → 222 MB); with three, 0 of 12.
    if (refusal === null) liveAtPeakBytes = Math.max(0, (await settledHeapUsed(3)) - baseBytes);
    if (takeSnapshot && config.heapSnapshotPath) snapshot = { path: config.heapSnapshotPath, writer: writeSnapshot(config.heapSnapshotPath) };
  };
  await session.strategy.run(session.context(db, { atPeak }));
  if (!reached) notes.add('the strategy reached no peak point; its live heap at peak is unknown and no heap snapshot was written');
  return { liveAtPeakBytes, refused: refusal !== null, ...(snapshot && { snapshot }) };
}
