import type { MonitorGroupSummary, ProducerSummary, StalenessSample } from './load.js';
import type { BaseResult, ConditionOutcome } from '../lib/result.js';
import type { MemoryAnalysis, WatchSample } from './watch.js';
import type { SourceSpec, TargetFacts, TrendVerdict } from './memory.js';
import type { LeakGroup } from './heap.js';
import type { LeakHeapReading, LeakResult, LeakSite } from './leak.js';

/** Where the monitors connect: plain WebSocket (--ws) or socket.io (--socket-io, counting --event). */
export type MonitorSpec = { kind: 'ws'; url: string } | { kind: 'socket.io'; url: string; event: string };

/** The producers' figures against a real target: the simulator's ProducerSummary, plus what a real server answers. */
export interface TargetProducerSummary extends Omit<ProducerSummary, 'askedRate'> {
  /** Requests per second asked for; null: as fast as the connections allow (benchmark only). */
  askedRate: number | null;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Requests that got no response, by error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …). */
  errors: Record<string, number>;
}

export interface TargetMemory {
  source: SourceSpec['kind'];
  facts: TargetFacts;
  /** Several readings a second (every SAMPLE_EVERY_MS) while the load ran. */
  sampleEveryMs: number;
  /** Forced full collections change the target (they pause it); null: none were forced. */
  forceGcEveryMs: number | null;
  /** ms since the load started. */
  samples: WatchSample[];
  /** The same analysis as `imdiag watch`: trend per series (heap, external, RSS), the worst one, time to its limit. */
  analysis: MemoryAnalysis;
}

export type TargetOutcome = 'completed' | 'stopped' | 'died';

export interface FloodTargetParams {
  target: string;
  method: 'POST' | 'PUT';
  /** Header names and values sent with every request (values of authorization-like headers are redacted in reports). */
  headers: Array<[string, string]>;
  body: { from: 'default' | 'inline' | 'file'; file: string | null; template: string; placeholders: string[] };
  rate: number;
  producers: number;
  /** Keep-alive connections per producer. */
  connections: number;
  monitor: MonitorSpec | null;
  clients: number;
  slowClients: number;
  slowReadBytesPerSec: number;
  durationMs: number;
  memory: SourceSpec | null;
  /** --heap-limit / --memory-limit given by the user: they override what the process says. */
  heapLimitBytes: number | null;
  memoryLimitBytes: number | null;
  allowRemote: boolean;
  /** --leak: allocation tracking around the load (needs the inspector). */
  leak: boolean;
  failOn: string[];
}

/**
 * `--leak`: `imdiag leak`'s analysis around the load, in one inspector session: the baseline before
 * the producers start, a mark when they stop, the final snapshot after the cooldown.
 */
export interface FloodLeak {
  /** 'skipped': no analysis (the target died, the run was stopped, tracking failed); `reason` says why. */
  status: 'ok' | 'skipped';
  reason: string | null;
  via: string;
  cooldownMs: number;
  heap: LeakHeapReading[];
  cost: LeakResult['cost'];
  noiseFloorBytes: number;
  survivors: { count: number; bytes: number } | null;
  /** As `imdiag leak`'s, with the load as its one repetition (`perRepetitionBytes` has one entry; the cooldown's in `settleBytes`). */
  sites: LeakSite[];
  paths: LeakGroup[];
  leakedBytes: number;
  verdict: { leaking: boolean; lines: string[] };
  notes: string[];
}

export interface FloodTargetResult extends BaseResult<'flood-target'> {
  params: FloodTargetParams;
  outcome: TargetOutcome;
  /** Time under load. */
  durationMs: number;
  /** The target died under load: when, how it was noticed, and its last memory reading. */
  death: { afterMs: number; detectedBy: string; lastHeapUsedBytes: number | null; lastRssBytes: number | null } | null;
  producers: TargetProducerSummary;
  monitors: { fast: MonitorGroupSummary; slow: MonitorGroupSummary | null } | null;
  staleness: StalenessSample[];
  /** Null: no memory source was given. */
  memory: TargetMemory | null;
  verdict: TrendVerdict | 'died';
  /** Null without --leak. */
  leak: FloodLeak | null;
  failOn: ConditionOutcome[];
  warnings: string[];
}
