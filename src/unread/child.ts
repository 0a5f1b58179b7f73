import { existsSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { MongoClient, type Db } from 'mongodb';
import { receiveConfig, sendFinal } from '../lib/child/in-child.js';
import { LONG_QUERY_CONNECT_TIMEOUT_MS } from '../lib/mongo/target.js';
import { ReplyAccounting } from './accounting.js';
import { writeSnapshot } from './heap-snapshot.js';
import { heapLimitBytes, probeRefusal } from './headroom.js';
import type { ChildConfig, ChildMessage, ChildResultMessage, ChildRun } from './protocol.js';
import { HeapSampler } from './sampler.js';
import { strategyNamed } from './strategies/index.js';
import { StrategySkipped, type StrategyContext, type StrategyDetails } from './strategies/types.js';

/**
 * Child entry of compare-unread (protocol: protocol.ts, ../lib/child/protocol.ts). Runs under
 * `node --expose-gc`. Sends one message, closes everything and lets the process end on its own
 * (only src/main.ts calls process.exit).
 */
const startedNs = process.hrtime.bigint();
const config = await receiveConfig<ChildConfig>();
const spawnMs = Number(startedNs - BigInt(config.forkedAtNs)) / 1e6;

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => process.memoryUsage().heapUsed;
/** Two passes: the first can leave objects that only a second collects (weak refs, finalizers). */
const settle = () => {
  gc?.();
  gc?.();
};

/**
 * Heap used once nothing is pending: pending socket callbacks (a cursor's last killCursors, pool
 * events) run first, and the lowest of `readingCount` settled readings is kept, so that a collection
 * still finishing its sweep is not counted as retained.
 */
async function settledHeapUsed(readingCount = 2): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < readingCount; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    settle();
    readings.push(heapUsed());
  }
  return Math.min(...readings);
}

async function measure(): Promise<ChildMessage> {
  const strategy = strategyNamed(config.strategy);
  const sampler = new HeapSampler(config.samplerIntervalMs);
  const accounting = new ReplyAccounting();
  const resources = new Map<string, { value: unknown; close: (value: unknown) => Promise<void> }>();
  const clientOptions = { serverSelectionTimeoutMS: 5000, connectTimeoutMS: LONG_QUERY_CONNECT_TIMEOUT_MS, appName: `imdiag-unread-${config.strategy}` };
  const client = new MongoClient(config.uri, clientOptions);
  const accountingClient = new MongoClient(config.uri, { ...clientOptions, monitorCommands: true });
  const notes = new Set<string>();
  const details: StrategyDetails = {};
  let snapshot: ChildResultMessage['heapSnapshot'];
  /** Set for the probe run only: the settled heap before it; atPeak measures against it. */
  let probeBaseBytes: number | null = null;
  let liveAtPeakBytes: number | null = null;
  let probeMayCollect = true;

  const context = (db: Db, isAccounting: boolean): StrategyContext => ({
    db,
    uri: config.uri,
    dbName: config.dbName,
    userId: config.userId,
    windowStart: new Date(config.windowStart),
    bloomFalsePositiveRate: config.bloomFalsePositiveRate,
    probe: sampler,
    details,
    accounting: isAccounting,
    note: (text) => notes.add(text),
    watch: (watched) => {
      if (isAccounting) accounting.watch(watched);
    },
    atPeak: async () => {
      const base = probeBaseBytes;
      if (base === null) return;
      probeBaseBytes = null;
      // One settled reading (callbacks already due run first: a drained cursor keeps its last
      // batch, lazily parsed, hundreds of MB for one big batch, only until its cleanup runs).
      if (probeMayCollect) liveAtPeakBytes = Math.max(0, (await settledHeapUsed(1)) - base);
      if (config.heapSnapshotPath) snapshot = { path: config.heapSnapshotPath, writer: writeSnapshot(config.heapSnapshotPath) };
    },
    shared: async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>) => {
      if (!resources.has(key)) resources.set(key, { value: await open(), close: close as (value: unknown) => Promise<void> });
      return resources.get(key)!.value as T;
    },
  });

  try {
    const connectStarted = process.hrtime.bigint();
    await client.connect();
    const connectMs = Number(process.hrtime.bigint() - connectStarted) / 1e6;
    await accountingClient.connect();
    const db = client.db(config.dbName);
    sampler.start();

    // Warm-up: the first run counts replies (monitoring on), later ones just warm the JIT.
    for (let i = 0; i < config.warmupRuns; i++) {
      sampler.reset();
      const accountingRun = i === 0;
      if (accountingRun) accounting.watch(accountingClient);
      await strategy.run(context(accountingRun ? accountingClient.db(config.dbName) : db, accountingRun));
      accounting.unwatchAll();
    }
    await accountingClient.close();

    const heapBeforeBytes = await settledHeapUsed();
    const runs: ChildRun[] = [];
    let unreadIds: string[] = [];
    let heapSamples = 0;
    for (let i = 0; i < config.runs; i++) {
      unreadIds = [];
      settle();
      sampler.reset();
      const samplesBefore = sampler.samples;
      const started = process.hrtime.bigint();
      unreadIds = await strategy.run(context(db, false));
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      sampler.sample();
      heapSamples += sampler.samples - samplesBefore;
      if (durationMs <= 0) notes.add(`run ${i + 1} took no measurable time and was dropped`);
      else runs.push({ durationMs, peakHeapBytes: sampler.peakBytes, unreadCount: unreadIds.length });
    }
    const settledAfterRunsBytes = await settledHeapUsed();
    const retainedBytes = settledAfterRunsBytes - heapBeforeBytes;

    // The probe run: unmeasured, it stops at the peak point for a full GC (the live heap) and,
    // with --heapdump, a snapshot; neither may touch the timed runs above.
    // Its baseline is the reading just taken: more forced collections in a row, near a tight
    // --max-old-space-size, make V8 declare them ineffective and abort the process as OOM.
    const measuredPeakBytes = Math.max(0, ...runs.map((run) => run.peakHeapBytes));
    const refusal = probeRefusal(measuredPeakBytes, heapLimitBytes(process.execArgv, getHeapStatistics().heap_size_limit));
    probeMayCollect = refusal === null;
    if (refusal) notes.add(refusal);
    probeBaseBytes = settledAfterRunsBytes;
    await strategy.run(context(db, false));
    if (probeBaseBytes !== null) notes.add('the strategy reached no peak point; its live heap at peak is unknown and no heap snapshot was written');
    probeBaseBytes = null;
    sampler.stop();

    return {
      type: 'result',
      strategy: config.strategy,
      runs,
      warmupRuns: config.warmupRuns,
      heapBeforeBytes,
      retainedBytes,
      liveAtPeakBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      docsReceived: accounting.docs,
      bytesReceived: accounting.bytes,
      heapSamples,
      spawnMs,
      connectMs,
      unreadIds,
      notes: [...notes],
      ...details,
      ...(snapshot && existsSync(snapshot.path) && { heapSnapshot: snapshot }),
    };
  } catch (error) {
    if (error instanceof StrategySkipped) return { type: 'skipped', strategy: config.strategy, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', strategy: config.strategy, message: message.split('\n')[0] ?? message, docsBeforeError: sampler.docsSeen };
  } finally {
    sampler.stop();
    for (const { value, close } of resources.values()) await close(value).catch(() => undefined);
    await accountingClient.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

await sendFinal(await measure());
