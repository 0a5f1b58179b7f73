import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROGRESS_PREFIX, type ChildProgress } from '../unread/protocol.js';
import type { DeathReport } from '../unread/result.js';
import { describeDeath } from '../unread/run-child.js';
import { QUERY_CHILD_CONFIG_ENV, type QueryChildConfig, type QueryChildMessage } from './protocol.js';

/** Compiled child entry, next to this file in dist/query/. */
export const QUERY_CHILD_PATH = fileURLToPath(new URL('./child.js', import.meta.url));

const STDERR_TAIL_LINES = 12;

export interface QueryChildOptions {
  maxOldSpaceSizeMB: number | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type QueryChildOutcome = { kind: 'message'; message: QueryChildMessage } | { kind: 'death'; oom: boolean; death: DeathReport };

/**
 * One variant in a fresh `node --expose-gc` child; never throws for anything the child does (an OOM,
 * a signal, a timeout come back as a death with the documents seen before it).
 * TODO(arch): replaced by the shared harness in src/lib/ once it lands.
 */
export function runQueryChild(config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> {
  const execArgv = ['--expose-gc', ...(options.maxOldSpaceSizeMB ? [`--max-old-space-size=${options.maxOldSpaceSizeMB}`] : [])];
  return new Promise((resolve) => {
    const forkedAtNs = process.hrtime.bigint().toString();
    const env = { ...process.env, [QUERY_CHILD_CONFIG_ENV]: JSON.stringify({ ...config, forkedAtNs }) };
    const child = fork(QUERY_CHILD_PATH, [], { env, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let message: QueryChildMessage | undefined;
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
      message ??= received as QueryChildMessage;
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
      if (message) return resolve({ kind: 'message', message });
      resolve({ kind: 'death', ...describeDeath({ exitCode, signal, tail, lastProgress, timedOut, aborted: options.signal?.aborted ?? false, timeoutMs: options.timeoutMs }) });
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
