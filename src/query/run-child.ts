import { forkChild } from '../lib/child/fork.js';
import type { ChildProgress } from '../unread/protocol.js';
import type { DeathReport } from '../unread/result.js';
import { deathReport } from '../unread/run-child.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';
export interface QueryChildOptions {
  maxOldSpaceSizeMB: number | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type QueryChildOutcome = { kind: 'message'; message: QueryChildMessage } | { kind: 'death'; oom: boolean; death: DeathReport };

/**
 * One variant in a fresh `node --expose-gc` child through the shared harness (src/lib/child); never
 * throws for anything the child does: an OOM, a signal or a timeout comes back as a death with the
 * documents seen before it.
 */
export async function runQueryChild(config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> {
  const forkedAtNs = process.hrtime.bigint().toString();
  const child = forkChild<QueryChildConfig, never, never, QueryChildMessage, ChildProgress>({
    entry: new URL('./child.js', import.meta.url),
    config: { ...config, forkedAtNs },
    exposeGc: true,
    maxOldSpaceSizeMB: options.maxOldSpaceSizeMB,
    timeoutMs: options.timeoutMs,
    // V8's OOM report ends with its native stack (20+ frames when it dies inside a map transition):
    // the default 12-line tail can lose every line that says "out of memory".
    ...(options.signal && { signal: options.signal }),
  });
  const end = await child.end;
  if (end.final) return { kind: 'message', message: end.final };
  return { kind: 'death', ...deathReport(end) };
}
