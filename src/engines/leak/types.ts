import type { CaptureFrom } from '../../core/heapsnapshot/capture.js';
import type { LeakedTotals } from '../../core/leak/growth.js';
import type { LeakGroup } from '../../results/heap.js';
import type { LeakHeapReading, LeakSite, WorkloadRun } from '../../results/leak.js';
import type { Workload } from './workload.js';

export interface LeakParams {
  from: CaptureFrom;
  mode: 'tracking' | 'sampling';
  workload: Workload;
  repeat: number;
  settleMs: number;
  force: boolean;
  top: number;
  /** Keep the final snapshot here (absolute, must not exist); null: a temporary file, removed after the analysis. */
  keepSnapshot: string | null;
}

export interface LeakRun {
  status: 'ok' | 'stopped';
  target: { pid: number; via: string };
  workloads: WorkloadRun[];
  heap: LeakHeapReading[];
  snapshot: { ms: number; bytes: number } | null;
  /** The pause of starting allocation tracking (tracking mode). */
  trackingStartMs: number | null;
  analysisMs: number | null;
  survivors: { count: number; bytes: number } | null;
  sites: LeakSite[];
  /** Every site counted as leaking, not only the --top listed; null without an analysis. */
  leaked: LeakedTotals | null;
  paths: LeakGroup[];
  notes: string[];
}
