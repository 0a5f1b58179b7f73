/**
 * Result types shared by the commands that measure in a child process (compare-unread, query):
 * how latency is summarised and how a child's death is reported.
 */
export interface LatencySummary {
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Every measured run, in order. */
  samplesMs: number[];
}

export interface DeathReport {
  /** e.g. "OOM after ~412,000 documents, heap 29 MB at death". */
  summary: string;
  exitCode: number | null;
  signal: string | null;
  /** Documents received before death, from the child's last progress line. */
  docsBeforeDeath: number | null;
  /** heapUsed at the last progress line, or V8's last GC line when it printed one. */
  heapAtDeathBytes: number | null;
  /** The last lines the child wrote to stderr (V8's fatal error, for example). */
  stderrTail: string[];
}

/**
 * What one measured run cost the event loop and the CPU, from inside its child
 * (src/core/measure/loop.ts): the longest stretch without a loop turn, CPU time, utilisation and GC.
 */
export interface LoopRun {
  /** Longest single block, corrected for the timer's resolution (its raw gap − one resolution, at least 0). */
  blockedMs: number;
  /** The timer's longest gap between two turns: the block plus up to one resolution. */
  blockedRawMs: number;
  /**
   * CPU time (user + system, all threads: GC helpers included) the process had during that gap. Well
   * below blockedMs: the machine was busy and the gap includes time the OS ran something else.
   */
  blockedCpuMs: number;
  /** The loop timer's period: a block is known to ± this. */
  resolutionMs: number;
  /** process.cpuUsage() over the run, user + system, less `fillerCpuMs`. */
  cpuMs: number;
  /**
   * The CPU a sample's run spent copying the young-generation filler it held at its first two scavenges
   * (src/core/measure/filler-cost.ts), taken out of `cpuMs` and of the phase each fell in; absent when nothing was
   * taken out. The longest block keeps it, so `blockedCpuMs` may exceed `cpuMs`.
   */
  fillerCpuMs?: number;
  /** performance.eventLoopUtilization() over the run, 0..1. */
  elu: number;
  /** Garbage collection (PerformanceObserver 'gc' entries) during the run. */
  gcMs: number;
  /** Scavenges (minor collections) during the run; absent in results saved before it was counted. */
  scavenges?: number;
  /** How much the young generation's used bytes grew over the run: its allocation there when no scavenge ran. */
  youngGrowthBytes?: number;
  /**
   * The longest block split by where its time went: GC pauses inside it, the hydration pass after the
   * driver's toArray() (Mongoose), and the rest: BSON deserialisation and the driver's cursor work.
   */
  split: {
    gcMs: number;
    hydrationMs: number;
    bsonMs: number;
    /** Of gcMs, the pauses inside the hydration pass (after toArray() resolved); absent in results saved before it was split. */
    hydrationGcMs?: number;
  };
  /**
   * The CPU (user + system, ms) from each phase mark of the run to the next, or to its end: for a
   * Mongoose variant a 'read' at each toArray() call and a 'hydration' at its resolution, so a
   * populate run's follow-up queries are the phases from its second 'read' on. At most eight: past
   * seven marks the rest is one 'later' entry. Absent without marks. `gcMs`: the GC pauses inside the
   * phase's window (wall ms; the 'later' entry's up to the run's end); absent in results saved before it.
   */
  phases?: Array<{ phase: string; cpuMs: number; gcMs?: number }>;
}

/** The event loop and CPU over a child's timed runs: medians, and every run. */
export interface LoopSummary {
  /** Median of the runs' longest blocks, corrected for the resolution (± resolutionMs). */
  blockedMs: number;
  resolutionMs: number;
  cpuMs: number;
  elu: number;
  gcMs: number;
  /** The split of the run whose block is the median (LoopRun.split). */
  split: LoopRun['split'];
  runs: LoopRun[];
}
