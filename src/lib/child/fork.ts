import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeDeath, type Death } from './death.js';
import { CONFIG_ENV, CONFIG_OVER_IPC, ENV_CONFIG_MAX_BYTES, PROGRESS_PREFIX, type ChildToParent, type FinalMessage, type ParentToChild } from './protocol.js';
import { StderrTail } from './stderr-tail.js';

/**
 * The one place a child process is forked (protocol: protocol.ts). Never throws for anything the
 * child does: a death (OOM, signal, non-zero exit, timeout, Ctrl-C) comes back in `end` with what
 * was known when it happened.
 */
export interface ForkOptions<Config, Stream, Progress> {
  /** The child module, `new URL('./child.js', import.meta.url)` next to its engine. */
  entry: URL;
  config: Config;
  /** --max-old-space-size in MB; null or absent: Node's default. */
  maxOldSpaceSizeMB?: number | null;
  /** --expose-gc, for children that settle the heap before they read it. */
  exposeGc?: boolean;
  /** Further V8 flags the child measures under (e.g. its young generation's size), after the others. */
  v8Flags?: readonly string[];
  /** Killed (SIGKILL) and reported as timed out after this long. */
  timeoutMs?: number;
  /** Killed (SIGKILL) and reported as aborted when this aborts. */
  signal?: AbortSignal;
  /** How many of the child's last stderr lines are kept (default 12). */
  stderrTailLines?: number;
  onStream?: (message: Stream) => void;
  onProgress?: (progress: Progress) => void;
}

export interface ChildEnd<Final, Progress> {
  /** The child's one final message, or null when it died without sending it. */
  final: Final | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
  lastProgress: Progress | undefined;
  death: Death;
}

export interface ChildHandle<Control, Final, Progress> {
  pid: number | null;
  /** True once the process has exited (its stderr may still be draining). */
  readonly exited: boolean;
  send(message: Control): void;
  kill(): void;
  /** Resolves once the child has exited and its stderr is drained. */
  end: Promise<ChildEnd<Final, Progress>>;
}

/**
 * Lines of stderr kept: V8's fatal out-of-memory report with its native stack runs to 20–40 lines,
 * and describeDeath must still see its first line (12 lost it: an OOM then read as SIGABRT).
 */
const DEFAULT_TAIL_LINES = 48;

export function forkChild<Config, Control = never, Stream = never, Final extends FinalMessage = FinalMessage, Progress = unknown>(
  options: ForkOptions<Config, Stream, Progress>,
): ChildHandle<Control, Final, Progress> {
  const execArgv = [
    ...(options.exposeGc ? ['--expose-gc'] : []),
    ...(options.maxOldSpaceSizeMB ? [`--max-old-space-size=${options.maxOldSpaceSizeMB}`] : []),
    ...(options.v8Flags ?? []),
  ];
  const configJson = JSON.stringify(options.config);
  const overIpc = Buffer.byteLength(configJson) > ENV_CONFIG_MAX_BYTES;
  const env = { ...process.env, [CONFIG_ENV]: overIpc ? CONFIG_OVER_IPC : configJson };
  const child: ChildProcess = fork(childEntry(options.entry), [], { env, execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const tail = new StderrTail(options.stderrTailLines ?? DEFAULT_TAIL_LINES, (line) => line.startsWith(PROGRESS_PREFIX));
  let lastProgress: Progress | undefined;
  let final: Final | null = null;
  let exited = false;
  let timedOut = false;
  const send = (message: ParentToChild<Config, Control>) => {
    if (child.connected) child.send(message);
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of tail.push(chunk)) {
      const progress = parseProgress<Progress>(line);
      if (progress === undefined) continue;
      lastProgress = progress;
      options.onProgress?.(progress);
    }
  });
  child.on('message', (received: ChildToParent<Stream, Final>) => {
    if (received.kind === 'need-config') send({ kind: 'config', config: options.config });
    else if (received.kind === 'stream') options.onStream?.(received.message);
    else if (received.kind === 'final') final ??= received.message;
  });
  const kill = () => child.kill('SIGKILL');
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), kill()), options.timeoutMs);
  options.signal?.addEventListener('abort', kill, { once: true });
  child.on('error', (error) => tail.note(`spawn failed: ${error.message}`));
  child.once('exit', () => (exited = true));
  const end = new Promise<ChildEnd<Final, Progress>>((resolve) => {
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      const stderrTail = tail.finish();
      const aborted = options.signal?.aborted ?? false;
      const death = describeDeath({
        exitCode,
        signal,
        stderrTail,
        timedOut,
        aborted,
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      });
      resolve({ final, exitCode, signal, stderrTail, lastProgress, death });
    });
  });
  return {
    pid: child.pid ?? null,
    get exited() {
      return exited;
    },
    send: (message) => send({ kind: 'control', message }),
    kill,
    end,
  };
}

function parseProgress<Progress>(line: string): Progress | undefined {
  if (!line.startsWith(PROGRESS_PREFIX)) return undefined;
  try {
    return JSON.parse(line.slice(PROGRESS_PREFIX.length)) as Progress;
  } catch {
    return undefined;
  }
}

/** The compiled child: under vitest the engine is TypeScript source in src/ and its child comes from dist/. */
export function childEntry(entry: URL): string {
  const path = fileURLToPath(entry);
  if (existsSync(path)) return path;
  return path.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
}

/** A bare `node -e ''` fork → exit, in ms: the floor any child's spawn cost is compared with. */
export function bareForkMs(): Promise<number> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    fork('-e', [''], { execArgv: [], stdio: 'ignore' }).on('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}
