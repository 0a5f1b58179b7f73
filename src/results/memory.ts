/**
 * Result types of reading a live process's memory and fitting its trend, shared by watch,
 * flood and flood --target (the readers: src/core/memory/).
 */
/** Where a live process's memory is read from (the sources: src/core/memory/sources/). */
export type SourceSpec =
  | { kind: 'inspector'; address: { host: string; port: number }; forceGcEveryMs: number | null }
  | { kind: 'pid'; pid: number; openInspector: boolean; forceGcEveryMs: number | null }
  | { kind: 'metrics'; url: string };

export type SourceKind = SourceSpec['kind'];

/** One reading. Null: this source cannot read that figure. Bytes; time in ms since the epoch. */
export interface MemorySample {
  time: number;
  heapUsed: number | null;
  heapTotal: number | null;
  /** V8's heap_size_limit (old space cap + young generation), when the source can read it. */
  heapLimit: number | null;
  /**
   * The old generation's use (every V8 space but the young generation's and the read-only one):
   * what --max-old-space-size caps, without the young generation's sawtooth and its growth while
   * the semi-spaces size up. Absent or null: the source cannot read it.
   */
  oldGenerationUsed?: number | null;
  /**
   * The young generation's use (new space and new large-object space): what was allocated since
   * the last scavenge plus what survived it. Absent or null: the source cannot read it.
   */
  youngGenerationUsed?: number | null;
  /**
   * The young generation's use fell since the previous reading: a scavenge (or a full collection)
   * ran, so it holds little but the survivors (and what was allocated since). Null: cannot tell.
   */
  afterScavenge?: boolean | null;
  /** Includes arrayBuffers (Node's process.memoryUsage() counts Buffers in both). */
  external: number | null;
  arrayBuffers: number | null;
  rss: number | null;
  /** Taken right after HeapProfiler.collectGarbage (--force-gc-every): heapUsed is what is live. */
  afterForcedGc: boolean;
  /**
   * A major (mark-compact) collection ran since the previous sample: old-space use fell. heapUsed
   * is then near a trough of the sawtooth; the heap trend is fitted on these when not forcing GC.
   * Null: the source cannot tell.
   */
  afterMajorGc: boolean | null;
}

/** What the source learnt about the process once, at the start. */
export interface TargetFacts {
  pid: number | null;
  /** `node[4242]` or the metrics URL: how the process is named in the result. */
  label: string;
  nodeVersion: string | null;
  /** --max-old-space-size the process runs with (from process.execArgv, then NODE_OPTIONS), MB. */
  maxOldSpaceSizeMB: number | null;
  maxOldSpaceSizeFrom: 'execArgv' | 'NODE_OPTIONS' | null;
  /** V8's heap_size_limit. */
  heapSizeLimit: number | null;
  /**
   * The target's young generation at its largest (V8's heap_size_limit less the old-generation
   * cap), and how it was learnt. Absent or null: unknown (no inspector, or no way to tell).
   */
  youngGeneration?: { bytes: number; from: YoungGenerationFrom } | null;
  /** The memory limit of the process's cgroup (memory.max / memory.limit_in_bytes), when one is set. */
  cgroupMemoryLimit: number | null;
  /** How the source reaches the process, e.g. `inspector 127.0.0.1:9229 (opened with SIGUSR1)`. */
  via: string;
}

export type YoungGenerationFrom =
  /** The target's heap_size_limit less its own --max-old-space-size. */
  | 'heap_size_limit less --max-old-space-size'
  /** The target's Node binary, run once with the target's young-generation flags and a known cap. */
  | "the target's Node binary under a known cap";

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

/** How a trend's metric is named in verdicts and tables. */
export function metricLabel(metric: TrendFit['metric']): string {
  return metric === 'liveHeap' ? 'live heap' : 'heap used';
}
