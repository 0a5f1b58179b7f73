import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_CONFIG_ENV, PROGRESS_PREFIX, type ChildConfig, type ChildMessage, type ChildProgress } from './protocol.js';
import { stopCause } from '../lib/stop.js';
import type { DeathReport } from './result.js';

/** Compiled child entry, next to this file in dist/unread/. */
export const CHILD_PATH = fileURLToPath(new URL('./child.js', import.meta.url));

const STDERR_TAIL_LINES = 12;

export interface ChildOptions {
  /** --max-old-space-size in MB, or null for Node's default. */
  maxOldSpaceSizeMB: number | null;
  /** Killed (and reported as crashed) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export type ChildOutcome = { kind: 'message'; message: ChildMessage; exitCode: number | null } | { kind: 'death'; oom: boolean; death: DeathReport };

/**
 * Runs one strategy in a fresh `node --expose-gc` child and waits for its one message.
 * Never throws for anything the child does: a death (OOM, signal, non-zero exit, timeout)
 * comes back as an outcome with what was known when it happened.
 */
export function runChild(config: Omit<ChildConfig, 'forkedAtNs'>, options: ChildOptions): Promise<ChildOutcome> {
  const execArgv = ['--expose-gc', ...(options.maxOldSpaceSizeMB ? [`--max-old-space-size=${options.maxOldSpaceSizeMB}`] : [])];
  return new Promise((resolve) => {
    const forkedAtNs = process.hrtime.bigint().toString();
    // The config travels in the environment, not argv: its URI may hold credentials, and argv is world-readable (ps).
    const env = { ...process.env, [CHILD_CONFIG_ENV]: JSON.stringify({ ...config, forkedAtNs }) };
    const child = fork(CHILD_PATH, [], { env, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let message: ChildMessage | undefined;
    let lastProgress: ChildProgress | undefined;
    let timedOut = false;
    const tail: string[] = [];
    let partial = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(PROGRESS_PREFIX)) lastProgress = parseProgress(line) ?? lastProgress;
        else if (line.trim() !== '') tail.push(line) > STDERR_TAIL_LINES && tail.shift();
      }
    });
    child.on('message', (received) => {
      message ??= received as ChildMessage;
    });
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error) => tail.push(`spawn failed: ${error.message}`));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      if (partial.trim() !== '' && !partial.startsWith(PROGRESS_PREFIX)) tail.push(partial);
      if (message) return resolve({ kind: 'message', message, exitCode });
      resolve({ kind: 'death', ...describeDeath({ exitCode, signal, tail, lastProgress, timedOut, aborted: options.signal?.aborted ?? false, stopCause: stopCause(options.signal), timeoutMs: options.timeoutMs }) });
    });
  });
}

function parseProgress(line: string): ChildProgress | undefined {
  try {
    return JSON.parse(line.slice(PROGRESS_PREFIX.length)) as ChildProgress;
  } catch {
    return undefined;
  }
}

interface DeathFacts {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  tail: string[];
  lastProgress: ChildProgress | undefined;
  timedOut: boolean;
  aborted: boolean;
  /** What stopped the run when aborted: Ctrl-C, SIGTERM or SIGHUP. */
  stopCause?: string;
  timeoutMs: number;
}

/** V8's OOM report; the stack frames (FatalProcessOutOfMemory) stay in the tail when its first line has scrolled out. */
const OOM_TEXT = /heap out of memory|Reached heap limit|Allocation failed - process out of memory|CALL_AND_RETRY_LAST|FatalProcessOutOfMemory/i;
/** V8's "<--- Last few GCs --->" lines: `Mark-Compact 30.1 (33.5) -> 29.9 (33.7) MB`. */
const GC_LINE = /(?:Mark-Compact|Mark-sweep|Scavenge)[^\d]*(\d+(?:\.\d+)?) \(\d+(?:\.\d+)?\) -> (\d+(?:\.\d+)?)/;

export function describeDeath(facts: DeathFacts): { oom: boolean; death: DeathReport } {
  const oom = facts.tail.some((line) => OOM_TEXT.test(line));
  const gcLines = facts.tail.map((line) => GC_LINE.exec(line)).filter((match) => match !== null);
  const lastGc = gcLines.at(-1);
  const heapAtDeathBytes = lastGc ? Math.round(Number(lastGc[1]) * 1024 * 1024) : (facts.lastProgress?.heapUsedBytes ?? null);
  const docsBeforeDeath = facts.lastProgress?.docs ?? null;
  const docsText = docsBeforeDeath === null ? 'before any document arrived' : `after ~${docsBeforeDeath.toLocaleString('en-US')} documents`;
  const heapText = heapAtDeathBytes === null ? '' : `, heap ${Math.round(heapAtDeathBytes / 1024 / 1024)} MB at death`;
  const how = oom
    ? 'OOM'
    : facts.timedOut
      ? `timed out after ${Math.round(facts.timeoutMs / 1000)} s`
      : facts.aborted
        ? `stopped (${facts.stopCause ?? 'a signal'})`
        : facts.signal
          ? `killed by ${facts.signal}`
          : `exited with code ${facts.exitCode} without a result`;
  return {
    oom,
    death: {
      summary: `${how} ${docsText}${heapText}`,
      exitCode: facts.exitCode,
      signal: facts.signal,
      docsBeforeDeath,
      heapAtDeathBytes,
      stderrTail: facts.tail,
    },
  };
}
