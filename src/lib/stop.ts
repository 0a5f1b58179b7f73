/**
 * A run stopped by a signal: main.ts aborts the run's AbortSignal with the signal's name as its
 * reason, and every message about the early stop names it the same way.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Exit code of a run stopped early by any signal, whatever else it found (128 + SIGINT, as shells report Ctrl-C). */
export const STOPPED_EXIT_CODE = 130;

/** "Ctrl-C", "SIGTERM" or "SIGHUP" for an aborted signal; "a signal" when the reason is something else. */
export function stopCause(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason === 'SIGINT') return 'Ctrl-C';
  if (typeof reason === 'string' && (STOP_SIGNALS as readonly string[]).includes(reason)) return reason;
  return 'a signal';
}

/** What a result says of a stop when the run's signal is not at hand (a renderer, a child's death): one wording for all three signals. */
export const STOPPED_BY_A_SIGNAL = 'stopped by a signal (Ctrl-C, SIGTERM or SIGHUP)';

/** Waits `ms`, or less when `signal` aborts first; never rejects (the caller checks `signal.aborted`). */
export function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
