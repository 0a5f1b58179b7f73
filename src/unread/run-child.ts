import { deathText, heapAtLastGcBytes, type Death } from '../lib/child/death.js';
import { forkChild, type ChildEnd } from '../lib/child/fork.js';
import type { ChildConfig, ChildMessage, ChildProgress } from './protocol.js';
import type { DeathReport } from './result.js';

/**
 * A strategy's child is killed and reported after this long: a safety net against a hung child,
 * not a budget (naive-mongoose over the article dataset's 1.7M receipts takes minutes a run).
 */
export const CHILD_TIMEOUT_MS = 60 * 60_000;

export interface ChildOptions {
  /** --max-old-space-size in MB, or null for Node's default. */
  maxOldSpaceSizeMB: number | null;
  /** Killed (and reported as crashed) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export type ChildOutcome = { kind: 'message'; message: ChildMessage; exitCode: number | null } | { kind: 'death'; oom: boolean; death: DeathReport };

/**
 * Runs one strategy in a fresh `node --expose-gc` child (src/lib/child) and waits for its one
 * message. Never throws for anything the child does: a death (OOM, signal, non-zero exit,
 * timeout) comes back as an outcome with what was known when it happened.
 */
export async function runChild(config: Omit<ChildConfig, 'forkedAtNs'>, options: ChildOptions): Promise<ChildOutcome> {
  const forkedAtNs = process.hrtime.bigint().toString();
  const child = forkChild<ChildConfig, never, never, ChildMessage, ChildProgress>({
    entry: new URL('./child.js', import.meta.url),
    config: { ...config, forkedAtNs },
    exposeGc: true,
    maxOldSpaceSizeMB: options.maxOldSpaceSizeMB,
    timeoutMs: options.timeoutMs,
    ...(options.signal && { signal: options.signal }),
  });
  const end = await child.end;
  if (end.final) return { kind: 'message', message: end.final, exitCode: end.exitCode };
  return { kind: 'death', ...deathReport(end) };
}

/** A strategy child's death as the result reports it: how, after how many documents, at what heap. */
export function deathReport(end: Omit<ChildEnd<ChildMessage, ChildProgress>, 'final'>): { oom: boolean; death: DeathReport } {
  const heapAtDeathBytes = heapAtLastGcBytes(end.stderrTail) ?? end.lastProgress?.heapUsedBytes ?? null;
  const docsBeforeDeath = end.lastProgress?.docs ?? null;
  const docsText = docsBeforeDeath === null ? 'before any document arrived' : `after ~${docsBeforeDeath.toLocaleString('en-US')} documents`;
  const heapText = heapAtDeathBytes === null ? '' : `, heap ${Math.round(heapAtDeathBytes / 1024 / 1024)} MB at death`;
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
