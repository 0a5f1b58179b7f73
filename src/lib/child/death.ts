import { STOPPED_BY_A_SIGNAL } from '../stop.js';

/**
 * How a child ended, from what the parent saw: its exit code or signal, its last stderr lines,
 * and whether the parent killed it (timeout, Ctrl-C). One function for every command, so a flood
 * server that dies of OOM is recognised exactly like a compare-unread strategy child.
 */
export type Death =
  | { kind: 'ok' }
  | { kind: 'oom' }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted' }
  | { kind: 'signal'; signal: NodeJS.Signals }
  | { kind: 'exit'; code: number };

export interface ExitFacts {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The child's last stderr lines. */
  stderrTail: readonly string[];
  timedOut: boolean;
  aborted: boolean;
  timeoutMs?: number;
}

/**
 * V8's OOM report, as each tested Node major prints it (docs/node-versions.md has a sample of each):
 * a "FATAL ERROR: … JavaScript heap out of memory" line whose first words change ("Reached heap
 * limit" on 20–24, "Ineffective mark-compacts near heap limit" on 26), then the native stack. That
 * first line may have scrolled out of the tail; the stack stays, but only Node 20 and 22 name V8's
 * `FatalProcessOutOfMemory` frame there — 24 and 26 print most frames as bare addresses and name
 * only Node's own `node::OOMErrorHandler`, which every version prints. Node 24 also drops the
 * `<--- JS stacktrace --->` header, so no marker relies on it.
 */
const OOM_TEXT =
  /heap out of memory|Reached heap limit|Ineffective mark-compacts|Allocation failed - process out of memory|CALL_AND_RETRY_LAST|FatalProcessOutOfMemory|node::OOMErrorHandler/i;
/**
 * V8's "<--- Last few GCs --->" lines: `Mark-Compact 30.1 (33.5) -> 29.9 (33.7) MB` (Node 20),
 * `…, pooled: 0 MB` (22, 24) and `Mark-Compact (reduce) 30.7 (32.9) -> 30.6 (32.4) MB, pooled: 0.0 MB`
 * (26: a "last resort" collection).
 */
const GC_LINE = /(?:Mark-Compact|Mark-sweep|Scavenge)[^\d]*(\d+(?:\.\d+)?) \(\d+(?:\.\d+)?\) -> (\d+(?:\.\d+)?)/;

/** An OOM wins over the parent's own kill: V8 aborts (SIGABRT) or the timeout fired while it was dying. */
export function describeDeath(facts: ExitFacts): Death {
  if (isOutOfMemory(facts.stderrTail)) return { kind: 'oom' };
  if (facts.timedOut) return { kind: 'timeout', timeoutMs: facts.timeoutMs ?? 0 };
  if (facts.aborted) return { kind: 'aborted' };
  if (facts.signal) return { kind: 'signal', signal: facts.signal };
  if (facts.exitCode !== null && facts.exitCode !== 0) return { kind: 'exit', code: facts.exitCode };
  return { kind: 'ok' };
}

export function isOutOfMemory(stderrTail: readonly string[]): boolean {
  return stderrTail.some((line) => OOM_TEXT.test(line));
}

/** "OOM", "timed out after 600 s", "killed by SIGKILL", "exited with code 3" … */
export function deathText(death: Death): string {
  switch (death.kind) {
    case 'ok':
      return 'exited with code 0';
    case 'oom':
      return 'OOM';
    case 'timeout':
      return `timed out after ${Math.round(death.timeoutMs / 1000)} s`;
    case 'aborted':
      return STOPPED_BY_A_SIGNAL;
    case 'signal':
      return `killed by ${death.signal}`;
    case 'exit':
      return `exited with code ${death.code}`;
  }
}

/** The heap before V8's last collection, from its "Last few GCs" lines; null when it printed none. */
export function heapAtLastGcBytes(stderrTail: readonly string[]): number | null {
  const lastGc = stderrTail
    .map((line) => GC_LINE.exec(line))
    .filter((match) => match !== null)
    .at(-1);
  return lastGc ? Math.round(Number(lastGc[1]) * 1024 * 1024) : null;
}
