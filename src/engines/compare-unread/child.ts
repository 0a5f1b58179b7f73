import { existsSync } from 'node:fs';
import type { Db } from 'mongodb';
import { receiveConfig, sendFinal } from '../../lib/child/in-child.js';
import { measuringClients } from '../../core/measure/clients.js';
import { ReplyAccounting } from '../../core/measure/accounting.js';
import { probeRun, timedRuns, warmUp, type Session } from './child-runs.js';
import type { ChildConfig, ChildMessage } from './protocol.js';
import { HeapSampler } from '../../core/measure/sampler.js';
import { strategyNamed } from './strategies/index.js';
import { StrategySkipped, type StrategyDetails } from './strategies/types.js';

/**
 * Child entry of compare-unread (protocol: protocol.ts, ../lib/child/protocol.ts). Runs under
 * `node --expose-gc`: warm-up, timed runs, probe run (child-runs.ts), then one message; closes
 * everything and lets the process end on its own (only src/main.ts calls process.exit).
 */
const startedNs = process.hrtime.bigint();
const config = await receiveConfig<ChildConfig>();
const spawnMs = Number(startedNs - BigInt(config.forkedAtNs)) / 1e6;

type Resource = { value: unknown; close: (value: unknown) => Promise<void> };

function openSession(resources: Map<string, Resource>, details: StrategyDetails): Session {
  const sampler = new HeapSampler(config.samplerIntervalMs);
  const accounting = new ReplyAccounting();
  const notes = new Set<string>();
  return {
    config,
    strategy: strategyNamed(config.strategy),
    sampler,
    accounting,
    notes,
    context: (db: Db, run = {}) => ({
      db,
      uri: config.uri,
      dbName: config.dbName,
      userId: config.userId,
      windowStart: new Date(config.windowStart),
      bloomFalsePositiveRate: config.bloomFalsePositiveRate,
      probe: sampler,
      details,
      accounting: run.accounting ?? false,
      note: (text) => notes.add(text),
      watch: (watched) => {
        if (run.accounting) accounting.watch(watched);
      },
      atPeak: run.atPeak ?? (async () => undefined),
      shared: async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>) => {
        let resource = resources.get(key);
        if (!resource) {
          resource = { value: await open(), close: close as (value: unknown) => Promise<void> };
          resources.set(key, resource);
        }
        return resource.value as T;
      },
    }),
  };
}

async function measure(): Promise<ChildMessage> {
  const resources = new Map<string, Resource>();
  const details: StrategyDetails = {};
  const session = openSession(resources, details);
  const { client, accountingClient, connect } = measuringClients(config.uri, `imdiag-unread-${config.strategy}`);
  try {
    const connectMs = await connect();
    const db = client.db(config.dbName);
    session.sampler.start();

    const replies = await warmUp(session, db, accountingClient);
    await accountingClient.close();
    const timed = await timedRuns(session, db);
    const measuredPeakBytes = Math.max(0, ...timed.runs.map((run) => run.peakHeapBytes));
    // Several probe runs: one reading of the live heap at peak is not stable (see protocol.ts liveAtPeakRunsBytes).
    const probe = await probeRun(session, db, { baseBytes: timed.heapAfterBytes, measuredPeakBytes });
    const liveAtPeakRunsBytes = probe.liveAtPeakBytes === null ? [] : [probe.liveAtPeakBytes];
    for (let i = 1; i < config.probeRuns && !probe.refused && probe.liveAtPeakBytes !== null; i++) {
      const again = await probeRun(session, db, { baseBytes: timed.heapAfterBytes, measuredPeakBytes, snapshot: false });
      if (again.liveAtPeakBytes !== null) liveAtPeakRunsBytes.push(again.liveAtPeakBytes);
    }
    session.sampler.stop();

    return {
      type: 'result',
      strategy: config.strategy,
      runs: timed.runs,
      warmupRuns: config.warmupRuns,
      heapBeforeBytes: timed.heapBeforeBytes,
      retainedBytes: timed.heapAfterBytes - timed.heapBeforeBytes,
      retainedNoiseBytes: timed.settledNoiseBytes,
      liveAtPeakBytes: probe.liveAtPeakBytes,
      liveAtPeakRunsBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      ...replies,
      heapSamples: timed.heapSamples,
      spawnMs,
      connectMs,
      unreadIds: timed.unreadIds,
      notes: [...session.notes],
      ...details,
      ...(probe.snapshot && existsSync(probe.snapshot.path) && { heapSnapshot: probe.snapshot }),
    };
  } catch (error) {
    if (error instanceof StrategySkipped) return { type: 'skipped', strategy: config.strategy, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', strategy: config.strategy, message: message.split('\n')[0] ?? message, docsBeforeError: session.sampler.docsSeen };
  } finally {
    session.sampler.stop();
    for (const { value, close } of resources.values()) await close(value).catch(() => undefined);
    await accountingClient.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

await sendFinal(await measure());
