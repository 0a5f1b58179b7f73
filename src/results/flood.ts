import type { BaseResult } from '../lib/result.js';
import type { MonitorGroupSummary, ProducerSummary, StalenessSample } from './load.js';
import type { Projection, TrendFit, TrendVerdict } from './memory.js';

export type * from './load.js';
export type { Projection, TrendFit, TrendVerdict } from './memory.js';

/**
 * What `imdiag flood` returns (and `--json` prints, and reports render). Stable: reports read it;
 * add fields, do not rename or remove them. Sizes are bytes, times milliseconds unless the name
 * says otherwise (…MB, …PerSec, secondsTo…). The load's figures (producers, monitors, staleness)
 * are in load.ts, the trend and projection in memory.ts, shared with flood --target and watch.
 */

/** The user's flags after validation (the same for every strategy of a --compare run). */
export interface FloodOptions {
  /** POSTs per second in total, over all producers. */
  rate: number;
  producers: number;
  /** Bytes of each POST body. */
  payloadBytes: number;
  clients: number;
  slowClients: number;
  /** How fast each slow monitor reads, bytes per second. */
  slowReadBytesPerSec: number;
  durationMs: number;
  /** Push period of the `interval` strategy. */
  intervalMs: number;
  /** `backpressure` skips a monitor whose bufferedAmount is above this. */
  highWaterBytes: number;
  /** Strategies run one after another, each in a fresh server process. */
  strategies: string[];
  /** Passed to the server child; null: Node's default heap limit. */
  maxOldSpaceSizeMB: number | null;
}

/** The run's parameters: the options and the server's fixed window (server/store.ts). */
export interface FloodParams extends FloodOptions {
  /** The recent window the server keeps (Spider: 30 minutes) and the newest POSTs one push carries. */
  windowMs: number;
  chartPoints: number;
}

export interface ServerExit {
  code: number | null;
  signal: string | null;
  stderrTail: string;
  /** V8 ran out of heap: the same test as compare-unread's strategy children (src/lib/child/death.ts). Absent in results saved before it existed. */
  oom?: boolean;
}

export type RunOutcome = 'completed' | 'stopped' | 'died' | 'error';

export interface StrategyRun {
  strategy: string;
  description: string;
  /** completed: ran its duration; stopped: a signal (Ctrl-C, SIGTERM, SIGHUP); died: the server child exited by itself (e.g. out of memory); error: could not run. */
  outcome: RunOutcome;
  /** For died/error: how the child ended and the last lines of its stderr. */
  exit: ServerExit | null;
  error: string | null;
  /** Time under load. */
  durationMs: number;
  server: {
    pid: number | null;
    /** The loopback port it listened on (closed at the end). */
    port: number | null;
    heapLimitBytes: number | null;
    postsReceived: number;
    pushesSent: number;
    pushBytes: number;
    pushesSkipped: number;
    /** Mean size of one push message. */
    meanPushBytes: number;
    eventLoopDelayMaxMs: number;
  };
  producers: ProducerSummary;
  monitors: { fast: MonitorGroupSummary; slow: MonitorGroupSummary | null };
  heap: { firstMB: number; minMB: number; maxMB: number; lastMB: number };
  rssMaxMB: number;
  bufferedMaxMB: number;
  trend: TrendFit;
  /** Null when there is no heap limit known (the server never reported ready). */
  projection: Projection | null;
  /** The trend's verdict, or died when the server child died under load. */
  verdict: TrendVerdict | 'died';
  samples: FloodSample[];
  staleness: StalenessSample[];
}

export interface FloodResult extends BaseResult<'flood'> {
  params: FloodParams;
  runs: StrategyRun[];
  /** A signal (Ctrl-C, SIGTERM, SIGHUP) stopped the run early; the figures cover what ran. */
  stoppedEarly: boolean;
  /** Facts worth a look that are not failures (e.g. the producers could not keep the asked rate). */
  warnings: string[];
}

/** One reading taken inside the server child, several times a second. */
export interface FloodSample {
  /** Since the load started (server clock). */
  tMs: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  rssBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** Sum and maximum of WebSocket bufferedAmount over the connected monitors. */
  bufferedSumBytes: number;
  bufferedMaxBytes: number;
  monitors: number;
  /** Cumulative counters since the load started. */
  postsReceived: number;
  pushesSent: number;
  pushBytes: number;
  pushesSkipped: number;
  /** Event-loop delay since the previous sample (perf_hooks.monitorEventLoopDelay). */
  eventLoopDelayMeanMs: number;
  eventLoopDelayMaxMs: number;
  /**
   * Taken right after a forced full collection (the server runs with --expose-gc and collects
   * every FULL_GC_EVERY_MS): heapUsed is then what is live, without the GC sawtooth. The trend
   * is fitted on these samples; the others show the heap as the process saw it. Slow collections
   * (big heaps) are spaced further apart, to at most ~5 % of the server's time. Absent in results
   * saved before the server forced collections.
   */
  afterFullGc?: boolean;
}
