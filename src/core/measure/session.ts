import type { Db, MongoClient, MongoClientOptions } from 'mongodb';
import { receiveConfig } from '../../lib/child/in-child.js';
import { ReplyAccounting } from './accounting.js';
import { measuringClients } from './clients.js';
import { MeasureSkipped, type MeasureContext } from './context.js';
import { phaseOf, type RunPhase } from './phase.js';
import { LoopMeter } from './loop.js';
import { HeapSampler } from './sampler.js';

/**
 * One measuring child's session, whichever command forked it (compare-unread's strategy child,
 * `imdiag query`'s variant child): its two connections, heap sampler, reply accounting, notes and
 * shared resources, the MeasureContext every run gets, and the end of the child (a skip or an
 * error becomes its one message; everything it opened is closed). The runs themselves: runs.ts.
 */

/** What every measuring child's config carries (src/engines/compare-unread/protocol.ts, src/engines/query/protocol.ts). */
export interface SessionConfig {
  /** Unredacted; only ever passed to the child. */
  uri: string;
  dbName: string;
  runs: number;
  warmupRuns: number;
  /** Heap sampler period. 0: no timer (batch-boundary samples remain); < 0: no sampling at all. */
  samplerIntervalMs: number;
  /** process.hrtime.bigint() of the parent right before fork (CLOCK_MONOTONIC is system-wide). */
  forkedAtNs: string;
}

/** The child's config, and how long the fork took to reach it (its parent's clock and ours are the same). */
export async function receiveSessionConfig<C extends SessionConfig>(): Promise<{ config: C; spawnMs: number }> {
  const startedNs = process.hrtime.bigint();
  const config = await receiveConfig<C>();
  return { config, spawnMs: Number(startedNs - BigInt(config.forkedAtNs)) / 1e6 };
}

/** How one run differs from a measured one: the accounting warm-up, or a probe run that stops at the peak. */
export interface RunKind {
  accounting?: boolean;
  atPeak?: () => Promise<void>;
}

/** One run of the thing measured: the engine's strategy or variant, given what the session shares. */
export type MeasuredRun<A> = (context: MeasureContext) => Promise<A>;

export interface MeasureSession {
  readonly config: SessionConfig;
  readonly sampler: HeapSampler;
  /** The event loop's blocks, CPU and GC per timed run (loop.ts). */
  readonly loop: LoopMeter;
  readonly accounting: ReplyAccounting;
  /** Notes for the result, each once. */
  readonly notes: Set<string>;
  readonly accountingClient: MongoClient;
  /** Opens both connections and starts the sampler: the measured connection's database, and how long it took to open. */
  connect(): Promise<{ db: Db; connectMs: number }>;
  context(db: Db, kind?: RunKind): MeasureContext;
  /** A run of the plan begins (the `index`th of its kind, from 1): the parent's status line shows it. */
  enter(kind: RunPhase, index: number): void;
  /** Stops the sampler, closes the shared resources and both connections; never throws. */
  close(): Promise<void>;
}

interface Resource {
  value: unknown;
  close: (value: unknown) => Promise<void>;
}

export interface SessionOptions {
  /** The measuring connections' appName (it names the child in the server's logs and currentOp). */
  appName: string;
  clientOptions?: Pick<MongoClientOptions, 'readPreference'>;
  /** Where the sampler's progress lines go (stderr, read by the parent); tests keep them. */
  writeProgress?: (line: string) => void;
  /** The probe runs the engine plans after the timed runs (at most: some may not happen), for the progress plan. */
  probeRuns?: number;
}

export function openSession(config: SessionConfig, { appName, clientOptions, writeProgress, probeRuns = 1 }: SessionOptions): MeasureSession {
  const sampler = new HeapSampler(config.samplerIntervalMs, writeProgress);
  const loop = new LoopMeter();
  const accounting = new ReplyAccounting();
  const notes = new Set<string>();
  const resources = new Map<string, Resource>();
  const { client, accountingClient, connect } = measuringClients(config.uri, appName, clientOptions);
  return {
    config,
    sampler,
    loop,
    accounting,
    notes,
    accountingClient,
    async connect() {
      const connectMs = await connect();
      sampler.start();
      loop.start();
      return { db: client.db(config.dbName), connectMs };
    },
    enter: (kind, index) => sampler.enter(phaseOf(kind, index, { warmupRuns: config.warmupRuns, runs: config.runs, probeRuns })),
    context: (db, kind = {}) => ({
      db,
      uri: config.uri,
      dbName: config.dbName,
      probe: sampler,
      accounting: kind.accounting ?? false,
      note: (text) => notes.add(text),
      mark: (phase) => loop.mark(phase),
      watch: (watched) => {
        if (kind.accounting) accounting.watch(watched);
      },
      atPeak: kind.atPeak ?? (async () => undefined),
      shared: async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>) => {
        let resource = resources.get(key);
        if (!resource) {
          resource = { value: await open(), close: close as (value: unknown) => Promise<void> };
          resources.set(key, resource);
        }
        return resource.value as T;
      },
    }),
    async close() {
      sampler.stop();
      loop.stop();
      for (const { value, close } of resources.values()) await close(value).catch(() => undefined);
      resources.clear();
      await accountingClient.close().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** How a child that measured nothing ends, tagged with what it was to measure (`{ strategy }`, `{ variant }`). */
export type MeasureFailure<Who> = ({ type: 'skipped'; reason: string } | { type: 'error'; message: string; docsBeforeError: number }) & Who;

/**
 * Runs a child's measurement in its session and ends the session whatever happens: a run that
 * cannot happen here (MeasureSkipped) ends as skipped; any other error as its first line (the rest
 * can be a driver's stack) with the documents seen before it.
 */
export async function endOfChild<M, Who extends object>(session: MeasureSession, who: Who, measure: () => Promise<M>): Promise<M | MeasureFailure<Who>> {
  try {
    return await measure();
  } catch (error) {
    if (error instanceof MeasureSkipped) return { type: 'skipped', ...who, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'error', ...who, message: message.split('\n')[0] ?? message, docsBeforeError: session.sampler.docsSeen };
  } finally {
    await session.close();
  }
}
