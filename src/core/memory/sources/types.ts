import type { MemorySample, SourceKind, TargetFacts } from '../../../results/memory.js';

export type { MemorySample, SourceKind, SourceSpec, TargetFacts } from '../../../results/memory.js';

/**
 * Where a live process's memory is read from. One file per source in this folder, one shape:
 * `open…(spec, signal)` resolves once the first reading could be taken (so a bad target is an
 * error before any watching starts), then `sample()` as often as the caller likes. The specs,
 * readings and facts are result types (src/results/memory.ts).
 */
export interface MemorySource {
  readonly kind: SourceKind;
  readonly facts: TargetFacts;
  /** One reading. Rejects with TargetGone when the process has gone away (an outcome, not an error). */
  sample(): Promise<MemorySample>;
  close(): Promise<void>;
}

/** The process stopped answering for good: it exited, or its inspector/metrics endpoint closed. */
export class TargetGone extends Error {
  override readonly name = 'TargetGone';
}
