/**
 * Result types of generating load (producers, monitors, staleness), shared by flood and flood
 * --target (the load generators: src/core/load/).
 */

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
