import { deathText, heapAtLastGcBytes, type Death } from '../../lib/child/death.js';
import { forkChild, type ChildEnd } from '../../lib/child/fork.js';
import type { FinalMessage } from '../../lib/child/protocol.js';
import type { MeasureProgress } from './context.js';
import type { DeathReport } from '../../results/measure.js';

/**
 * A measuring child is killed and reported after this long: a safety net against a hung child,
 * not a budget (naive-mongoose over the article dataset's 1.7M receipts takes minutes a run).
 */
export const CHILD_TIMEOUT_MS = 60 * 60_000;

export interface ChildOptions {
  /** --max-old-space-size in MB, or null for Node's default. */
  maxOldSpaceSizeMB: number | null;
  /** Killed (and reported as crashed) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each progress line of the child (its run under way: queue-progress.ts). */
  onProgress?: (progress: MeasureProgress) => void;
  /** Further V8 flags for the child (src/lib/child/fork.ts). */
  v8Flags?: readonly string[];
}

/** A measuring child's outcome: its one message, or its death with what was known when it happened. */
export type MeasuredChildOutcome<M> = { kind: 'message'; message: M; exitCode: number | null } | { kind: 'death'; oom: boolean; death: DeathReport };

/**
 * Runs a measuring child (`entry`: a compare-unread strategy's or an `imdiag query` variant's) in a
 * fresh `node --expose-gc` process (src/lib/child) and waits for its one message. Never throws for
 * anything the child does: a death (OOM, signal, non-zero exit, timeout) comes back as an outcome
 * with what was known when it happened.
 */
export async function runMeasuredChild<C extends { forkedAtNs: string }, M extends FinalMessage>(
  entry: URL,
  config: Omit<C, 'forkedAtNs'>,
  options: ChildOptions,
): Promise<MeasuredChildOutcome<M>> {
  const forkedAtNs = process.hrtime.bigint().toString();
  const child = forkChild<C, never, never, M, MeasureProgress>({
    entry,
    config: { ...config, forkedAtNs } as C,
    exposeGc: true,
    maxOldSpaceSizeMB: options.maxOldSpaceSizeMB,
    timeoutMs: options.timeoutMs,
    ...(options.v8Flags && { v8Flags: options.v8Flags }),
    ...(options.signal && { signal: options.signal }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const end = await child.end;
  if (end.final) return { kind: 'message', message: end.final, exitCode: end.exitCode };
  return { kind: 'death', ...deathReport(end) };
}

/** A strategy child's death as the result reports it: how, after how many documents, at what heap. */
export function deathReport(end: Omit<ChildEnd<unknown, MeasureProgress>, 'final'>): { oom: boolean; death: DeathReport } {
  const heapAtDeathBytes = heapAtLastGcBytes(end.stderrTail) ?? end.lastProgress?.heapUsedBytes ?? null;
  const docsBeforeDeath = end.lastProgress?.docs ?? null;
  // Stopped by the user is not a death; and the child's counter adds up every run (warm-up, timed,
  // probe), so it is not "how far into the result" the stop came.
  const stopped = end.death.kind === 'aborted';
  const docsText =
    docsBeforeDeath === null
      ? 'before any document arrived'
      : stopped
        ? `after ${docsBeforeDeath.toLocaleString('en-US')} documents read over its runs`
        : `after ~${docsBeforeDeath.toLocaleString('en-US')} documents`;
  const heapMB = heapAtDeathBytes === null ? null : Math.round(heapAtDeathBytes / 1024 / 1024);
  const heapText = heapMB === null ? '' : stopped ? `, heap ${heapMB} MB when stopped` : `, heap ${heapMB} MB at death`;
  return {
    oom: end.death.kind === 'oom',
    death: {
      summary: `${howItEnded(end)} ${docsText}${heapText}`,
      exitCode: end.exitCode,
      signal: end.signal,
      docsBeforeDeath,
      heapAtDeathBytes,
      stderrTail: end.stderrTail,
    },
  };
}

function howItEnded({ death, exitCode }: { death: Death; exitCode: number | null }): string {
  return death.kind === 'ok' || death.kind === 'exit' ? `exited with code ${exitCode} without a result` : deathText(death);
}
