import type { Reporter } from './progress.js';

/** What main.ts hands every handler besides its options. */
export interface RunContext {
  reporter: Reporter;
  /** The command line, credentials redacted, for results and reports. */
  argv: string[];
  startedAt: Date;
  /** Aborted on Ctrl-C: long runs stop early and still return their result. */
  signal: AbortSignal;
}
