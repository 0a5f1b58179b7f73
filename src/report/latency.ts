import { milliseconds, NO_VALUE } from '../lib/format.js';
import type { LatencySummary } from '../results/load.js';

/** "p50 / p95 / p99" of a latency summary (flood, flood --target: requests, deliveries); NO_VALUE without one. */
export function latencyText(summary: LatencySummary | null): string {
  return summary ? `${milliseconds(summary.p50Ms)} / ${milliseconds(summary.p95Ms)} / ${milliseconds(summary.p99Ms)}` : NO_VALUE;
}
