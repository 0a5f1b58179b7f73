import type { LatencySummary } from './result.js';

/** Small number formats shared by the renderer. */
export function mb(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} MB`;
}

export function bytes(value: number): string {
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${value} B`;
}

export function ms(value: number | null): string {
  if (value === null) return '—';
  if (value >= 60_000) return `${(value / 60_000).toFixed(1)} min`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)} s`;
  return `${value.toFixed(value >= 10 ? 0 : 1)} ms`;
}

export function latency(summary: LatencySummary | null): string {
  if (!summary) return '—';
  return `${ms(summary.p50Ms)} / ${ms(summary.p95Ms)} / ${ms(summary.p99Ms)}`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
