const MB = 1024 * 1024;

/**
 * The probe run forces full collections at the peak point only when the measured runs peaked
 * below this share of the old-space limit: near the limit, collections in a row that free little
 * make V8 abort the process as out of memory, and the probe must never change a strategy's outcome.
 */
export const PROBE_HEADROOM = 0.8;

/** The old-space limit the process runs under: --max-old-space-size when given, else V8's heap limit. */
export function heapLimitBytes(execArgv: readonly string[], v8HeapSizeLimit: number): number {
  const cap = execArgv.find((arg) => arg.startsWith('--max-old-space-size='));
  const mb = cap ? Number(cap.slice('--max-old-space-size='.length)) : NaN;
  return Number.isFinite(mb) && mb > 0 ? mb * MB : v8HeapSizeLimit;
}

/** Null when the probe may collect at the peak; otherwise the note that says why it did not. */
export function probeRefusal(measuredPeakBytes: number, limitBytes: number): string | null {
  if (measuredPeakBytes <= PROBE_HEADROOM * limitBytes) return null;
  const share = Math.round((measuredPeakBytes / limitBytes) * 100);
  return `live heap at peak not measured: the measured runs peaked at ${share} % of the ${Math.round(limitBytes / MB)} MB heap limit, and forced collections that near it can make V8 abort the process`;
}
