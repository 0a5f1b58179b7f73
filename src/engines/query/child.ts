import { getHeapStatistics } from 'node:v8';
import type { Db } from 'mongodb';
import { receiveConfig, sendFinal } from '../../lib/child/in-child.js';
import { measuringClients } from '../../core/measure/clients.js';
import { settle, settledReadings } from '../../core/measure/settle.js';
import { ReplyAccounting } from '../../core/measure/accounting.js';
import { heapLimitBytes, probeRefusal } from '../../core/measure/headroom.js';
import { HeapSampler } from '../../core/measure/sampler.js';
import { liveOf, probeCopies, type LiveReading } from './predict.js';
import { type QueryChildConfig, type QueryChildMessage, type QueryChildResult } from './protocol.js';
import { sampled, specFromText, type QuerySpec } from './spec.js';
import { variantNamed } from './variants/index.js';
import { VariantSkipped, type VariantContext } from './variants/types.js';

/**
 * Child entry of `imdiag query` (protocol: protocol.ts), under `node --expose-gc`: one variant,
 * the compare-unread measurement (an accounting warm-up, a GC-settled baseline, measured runs with
 * a sampled peak), then unmeasured probe runs that stop at the variant's peak point for a full GC:
 * the live memory, V8 heap and `external` (Buffers) both. Sends one message and lets the process end.
 */
const startedNs = process.hrtime.bigint();
const config = await receiveConfig<QueryChildConfig>();
const spawnMs = Number(startedNs - BigInt(config.forkedAtNs)) / 1e6;

interface MemoryReading {
  heap: number;
  external: number;
  arrayBuffers: number;
}

/** Memory once nothing is pending: the settled reading (settle.ts) with the least heap + external of `count`. */
async function settledMemory(count = 2): Promise<MemoryReading> {
  const readings = await settledReadings(count);
  const best = readings.reduce((a, b) => (b.heapUsed + b.external < a.heapUsed + a.external ? b : a));
  return { heap: best.heapUsed, external: best.external, arrayBuffers: best.arrayBuffers };
}

async function measure(): Promise<QueryChildMessage> {
  const variant = variantNamed(config.variant);
  const spec = specFromText(config.spec);
  const sampler = new HeapSampler(config.samplerIntervalMs);
  const accounting = new ReplyAccounting();
  const resources = new Map<string, { value: unknown; close: (value: unknown) => Promise<void> }>();
  const { client, accountingClient, connect } = measuringClients(config.uri, `imdiag-query-${config.variant}`, { readPreference: config.readPreference });
  const notes = new Set<string>();
  const details: VariantContext['details'] = {};
  let docsThisRun = 0;

  const context = (db: Db, runSpec: QuerySpec, isAccounting: boolean, atPeak: () => Promise<void> = async () => undefined): VariantContext => ({
    db,
    uri: config.uri,
    dbName: config.dbName,
    spec: runSpec,
    maxTimeMS: config.maxTimeMS,
    readPreference: config.readPreference,
    modelPath: config.modelPath,
    probe: sampler,
    details,
    accounting: isAccounting,
    note: (text) => notes.add(text),
    watch: (watched) => {
      if (isAccounting) accounting.watch(watched);
    },
    atPeak,
    shared: async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>) => {
      if (!resources.has(key)) resources.set(key, { value: await open(), close: close as (value: unknown) => Promise<void> });
      return resources.get(key)!.value as T;
    },
  });

  /**
   * Unmeasured runs that stop at the peak point: `copies` runs nested in each other's peak point,
   * so that all their results are held at once when the innermost one takes the reading (a full
   * GC). The reading is divided by `copies`: one sample of a few MB is close to the settled heap's
   * noise, the same sample held several times is not. Null when the variant reached no peak point.
   */
  const probe = async (db: Db, runSpec: QuerySpec, copies = 1): Promise<LiveReading | null> => {
    const base = await settledMemory();
    sampler.reset();
    let reading: Omit<LiveReading, 'docs'> | null = null;
    let docs = 0;
    const level = async (depth: number): Promise<void> => {
      let reached = false;
      const atPeak = async () => {
        if (reached) return;
        reached = true;
        if (depth < copies) return level(depth + 1);
        const now = await settledMemory(2);
        reading = {
          heapBytes: (now.heap - base.heap) / copies,
          externalBytes: (now.external - base.external) / copies,
          arrayBuffersBytes: (now.arrayBuffers - base.arrayBuffers) / copies,
          ...(copies > 1 && { copies }),
        };
      };
      const held = await variant.run(context(db, runSpec, false, atPeak));
      if (depth === 1) docs = held;
    };
    await level(1);
    const measured = reading as Omit<LiveReading, 'docs'> | null;
    return measured ? { ...measured, docs } : null;
  };

  try {
    const connectMs = await connect();
    const db = client.db(config.dbName);
    sampler.start();

    for (let i = 0; i < config.warmupRuns; i++) {
      sampler.reset();
      const accountingRun = i === 0;
      if (accountingRun) accounting.watch(accountingClient);
      docsThisRun = await variant.run(context(accountingRun ? accountingClient.db(config.dbName) : db, spec, accountingRun));
      accounting.unwatchAll();
    }
    await accountingClient.close();

    const before = await settledMemory();
    const runs: QueryChildResult['runs'] = [];
    for (let i = 0; i < config.runs; i++) {
      settle();
      sampler.reset();
      const started = process.hrtime.bigint();
      docsThisRun = await variant.run(context(db, spec, false));
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      sampler.sample();
      if (durationMs <= 0) notes.add(`run ${i + 1} took no measurable time and was dropped`);
      else runs.push({ durationMs, peakHeapBytes: sampler.peakBytes, docs: docsThisRun });
    }

    const limit = heapLimitBytes(process.execArgv, getHeapStatistics().heap_size_limit);
    const refusal = probeRefusal(Math.max(0, ...runs.map((run) => run.peakHeapBytes)), limit);
    const probeMayCollect = refusal === null;
    if (refusal) notes.add(refusal);
    const halfDocs = Math.floor(docsThisRun / 2);
    let live: LiveReading | null = null;
    let liveHalf: LiveReading | null = null;
    if (probeMayCollect) {
      live = await probe(db, spec);
      const peakGrowthBytes = Math.max(0, ...runs.map((run) => run.peakHeapBytes - before.heap));
      const copies = config.probeHalf && variant.scaling === 'per-document' && live ? probeCopies(liveOf(live), peakGrowthBytes, limit - before.heap) : 1;
      if (copies > 1) live = (await probe(db, spec, copies)) ?? live;
      // A per-batch variant holds one batch, not the sample: no marginal cost per document to fit.
      if (config.probeHalf && halfDocs > 0 && variant.scaling === 'per-document') liveHalf = await probe(db, sampled(spec, halfDocs), copies);
      if (live === null) notes.add('the variant reached no peak point; its live memory is unknown');
    }
    sampler.stop();

    return {
      type: 'result',
      variant: config.variant,
      runs,
      warmupRuns: config.warmupRuns,
      heapBeforeBytes: before.heap,
      live,
      liveHalf,
      heapLimitBytes: limit,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      docsReceived: accounting.docs,
      bytesReceived: accounting.bytes,
      spawnMs,
      connectMs,
      notes: [...notes],
      ...(details.schema && { schema: details.schema }),
      ...(details.batchDocs !== undefined && { batchDocs: details.batchDocs }),
    };
  } catch (error) {
    if (error instanceof VariantSkipped) return { type: 'skipped', variant: config.variant, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', variant: config.variant, message: message.split('\n')[0] ?? message, docsBeforeError: sampler.docsSeen };
  } finally {
    sampler.stop();
    for (const { value, close } of resources.values()) await close(value).catch(() => undefined);
    await accountingClient.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

await sendFinal(await measure());
