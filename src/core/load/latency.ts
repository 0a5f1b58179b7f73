import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { LatencySummary } from '../../results/flood.js';

/**
 * Latencies in a bounded HDR histogram (perf_hooks), recorded in microseconds: memory stays the
 * same however many messages a run delivers.
 */
export class LatencyRecorder {
  private readonly histogram: RecordableHistogram = createHistogram();

  recordMs(ms: number): void {
    // The histogram takes integers ≥ 1; sub-microsecond figures are recorded as 1 µs.
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.count;
  }

  summary(): LatencySummary | null {
    const h = this.histogram;
    if (h.count === 0) return null;
    const ms = (us: number) => Math.round(us) / 1000;
    return { count: h.count, meanMs: ms(h.mean), p50Ms: ms(h.percentile(50)), p95Ms: ms(h.percentile(95)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
  }
}
