import type { StalenessSample } from '../../results/load.js';

/** How often the monitors' staleness is sampled (and the progress line moved on). */
export const STALENESS_EVERY_MS = 250;

/** Worst staleness per monitor group now (ms); null when the group is empty or has received nothing. */
export interface StalenessReading {
  fastMs: number | null;
  slowMs: number | null;
}

export interface StalenessSampler {
  /** One sample a tick, tMs since `startedAt`, figures rounded to whole milliseconds. */
  readonly samples: StalenessSample[];
  stop(): void;
}

/**
 * Every STALENESS_EVERY_MS while the load runs: reads the monitors' staleness (when there are
 * monitors), then calls `onTick` with the time since `startedAt` (the progress line, a check on
 * the target). Timed on performance.now(), monotonic: a wall-clock step during the run does not
 * bend the time axis. `startedAt` is on that clock (default: now).
 */
export function sampleStaleness(options: {
  read: (() => StalenessReading) | null;
  onTick?: (elapsedMs: number) => void;
  startedAt?: number;
}): StalenessSampler {
  const startedAt = options.startedAt ?? performance.now();
  const samples: StalenessSample[] = [];
  const timer = setInterval(() => {
    const elapsedMs = performance.now() - startedAt;
    if (options.read) {
      const now = options.read();
      samples.push({ tMs: Math.round(elapsedMs), fastMs: round(now.fastMs), slowMs: round(now.slowMs) });
    }
    options.onTick?.(elapsedMs);
  }, STALENESS_EVERY_MS);
  return { samples, stop: () => clearInterval(timer) };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
