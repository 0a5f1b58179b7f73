/** The measured parts of one flood strategy run (result.ts has the run and the result around them). */

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
   * (big heaps) are spaced further apart, to at most ~5 % of the server's time.
   */
  afterFullGc: boolean;
}

/** Staleness of the newest data each monitor group holds, sampled by the parent. */
export interface StalenessSample {
  tMs: number;
  /** Worst monitor of the group: now − producer timestamp of the newest data it received. Null: nothing received yet. */
  fastMs: number | null;
  slowMs: number | null;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export type TrendVerdict = 'bounded' | 'growing' | 'inconclusive';

/** Least-squares line through heap used over time, after the warm-up. */
export interface TrendFit {
  /** liveHeap: the samples taken after a full collection; heapUsed: all samples (too few of those). */
  metric: 'heapUsed' | 'liveHeap';
  /** Samples used and the time span they cover. */
  samples: number;
  fromMs: number;
  toMs: number;
  slopeMBPerSec: number;
  /** 95 % confidence interval of the slope (t distribution, n − 2 degrees of freedom). */
  slopeCi95MBPerSec: [number, number];
  interceptMB: number;
  rSquared: number;
  /** Median heap used over the fitted span: the level "±20 %" refers to. */
  steadyLevelMB: number;
  /** Largest distance of a fitted-span sample from the steady level, in % of it. */
  maxDeviationPct: number;
  /**
   * The same for the heap floor: the live heap samples themselves (metric liveHeap), or else the
   * lowest sample of each second, i.e. what is still live just after young-generation collections. Raw samples swing with the GC sawtooth (easily ±50 % of
   * a 10 MB heap); the floor shows whether what stays live moves.
   */
  floorLevelMB: number;
  floorMaxDeviationPct: number;
  /** The same in MB: below a ~20 MB level the young generation alone moves the floor a few MB. */
  floorMaxDeviationMB: number;
  verdict: TrendVerdict;
  /** One sentence: why this verdict. */
  reason: string;
}

export interface Projection {
  heapLimitMB: number;
  limitSource: 'heap_size_limit' | '--max-old-space-size';
  /** Fitted heap at the end of the run. */
  currentMB: number;
  /** Null when memory is not growing. */
  secondsToLimit: number | null;
  /** What Spider saw in production, for comparison. */
  spiderMinutes: [10, 30];
}

export interface ProducerSummary {
  askedRate: number;
  /** Sends the fixed-rate schedule called for during the run. */
  scheduled: number;
  /** Requests actually started, and how they ended. */
  sent: number;
  ok: number;
  failed: number;
  /** Scheduled sends that could not be made: the producer already had MAX_IN_FLIGHT requests open. */
  missed: number;
  /** Sends that started more than LATE_MS after their scheduled time. */
  late: number;
  lateThresholdMs: number;
  /** ok / duration. */
  achievedRate: number;
  /** True when at least 99 % of the scheduled sends were made and succeeded (KEPT_SHARE). */
  keptRate: boolean;
  postLatency: LatencySummary | null;
  /** How far behind schedule sends started. */
  startLag: LatencySummary | null;
}

export interface MonitorGroupSummary {
  clients: number;
  /** Clients whose connection closed or failed before the end. */
  disconnected: number;
  messages: number;
  bytes: number;
  /** Producer timestamp of the newest data in a push → receipt by the monitor. */
  deliveryLatency: LatencySummary | null;
  /** At the end of the run, the worst monitor of the group. Null: never received anything. */
  finalStalenessMs: number | null;
  maxStalenessMs: number | null;
}
