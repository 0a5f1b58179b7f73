import type { ChildProcess } from 'node:child_process';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { CheckError } from '../errors.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { guardProcess, type ProcessGuard } from '../child/guard.js';

/**
 * mongodb-memory-server's default (10 s) is too short for a data directory holding the `article`
 * dataset (~2 GB): the server must open (or recover) it before it accepts connections. A binary
 * that cannot run still fails at once, when its process exits.
 */
const LAUNCH_TIMEOUT_MS = 120_000;
/**
 * How long a stopping mongod may take to flush its data files before it is killed (and the stop
 * reported as unclean). mongodb-memory-server's own stop gives it 10 s, too little for a large
 * data directory: the SIGKILL that follows loses what was not yet written.
 */
const STOP_TIMEOUT_MS = 120_000;
/** When imdiag died: mongod shuts down cleanly on SIGTERM (it flushes the data files); it gets this long before the guard's SIGKILL. */
const MONGOD_GRACE_MS = 60_000;

/** How the embedded server ended: `clean` only for exit code 0 after imdiag asked it to stop. */
export interface EmbeddedExit {
  code: number | null;
  signal: string | null;
  /** True when imdiag stopped it and it exited with code 0. */
  clean: boolean;
  /** Why it is not clean, in words (for a problem line); null when clean. */
  cause: string | null;
}

export interface EmbeddedServer {
  uri: string;
  dataDir: string;
  pid: number;
  /** Set when the server exited on its own while imdiag was still using it. */
  readonly exitedEarly: EmbeddedExit | null;
  stop(): Promise<EmbeddedExit>;
}

/**
 * Starts mongod through mongodb-memory-server on a persistent data directory, so that
 * `imdiag seed` and a later `imdiag compare-unread` see the same data. Honours
 * MONGOMS_SYSTEM_BINARY (and every other MONGOMS_* setting) as mongodb-memory-server does.
 *
 * The server runs in its own session (detached): Ctrl-C in a terminal reaches the whole
 * foreground process group, and mongod must not stop under imdiag's feet; imdiag stops it
 * itself, and a guard process stops it if imdiag dies (src/lib/child/guard-process.ts).
 */
export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
  const lock = lockDataDir(dataDir);
  let server: MongoMemoryServer;
  try {
    server = await keepStdoutClean(() =>
      MongoMemoryServer.create({ spawn: { detached: true }, instance: { dbPath: dataDir, storageEngine: 'wiredTiger', launchTimeout: LAUNCH_TIMEOUT_MS } }),
    );
  } catch (error) {
    lock.release();
    throw embeddedStartError(error, dataDir);
  }
  const mongod = server.instanceInfo?.instance.mongodProcess;
  if (!mongod?.pid) {
    await server.stop({ doCleanup: false }).catch(() => undefined);
    lock.release();
    throw new CheckError('could not start an embedded mongod (no process after start)');
  }
  lock.setServerPid(mongod.pid);
  return supervise(server, mongod as ChildProcess & { pid: number }, dataDir, lock, guardProcess(mongod.pid, { graceMs: MONGOD_GRACE_MS }));
}

function supervise(server: MongoMemoryServer, mongod: ChildProcess & { pid: number }, dataDir: string, lock: DataDirLock, guard: ProcessGuard): EmbeddedServer {
  let stopRequested = false;
  let exitedEarly: EmbeddedExit | null = null;
  const log = logTail(mongod);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    mongod.once('exit', (code, signal) => {
      if (!stopRequested) exitedEarly = describeExit(code, signal, false, log.reason());
      resolve({ code, signal });
    });
  });
  let stopping: Promise<EmbeddedExit> | undefined;
  const stop = async (): Promise<EmbeddedExit> => {
    stopRequested = true;
    if (mongod.exitCode === null && mongod.signalCode === null) mongod.kill('SIGINT');
    const timer = setTimeout(() => mongod.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code, signal } = await exited;
    clearTimeout(timer);
    // The mongod is gone: this stops mongodb-memory-server's mongo_killer and nothing else.
    await server.stop({ doCleanup: false }).catch(() => undefined);
    guard.dismiss();
    lock.release();
    return exitedEarly ?? describeExit(code, signal, true, log.reason());
  };
  return {
    uri: server.getUri(),
    dataDir,
    pid: mongod.pid,
    get exitedEarly() {
      return exitedEarly;
    },
    stop: () => (stopping ??= stop()),
  };
}

const LOG_TAIL_LINES = 40;

/**
 * The server's last log lines, for the cause of an unclean stop: mongod logs JSON lines, errors
 * and fatal errors with severity "E" / "F" (and a full disk as ENOSPC / "No space left on device").
 */
function logTail(mongod: ChildProcess): { reason(): string | null } {
  const lines: string[] = [];
  let partial = '';
  const keep = (chunk: Buffer | string) => {
    const split = (partial + chunk.toString()).split('\n');
    partial = split.pop() ?? '';
    for (const line of split) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > LOG_TAIL_LINES) lines.shift();
    }
  };
  mongod.stdout?.on('data', keep);
  mongod.stderr?.on('data', keep);
  return {
    reason: () => {
      const all = partial.trim() === '' ? lines : [...lines, partial];
      if (all.some((line) => /ENOSPC|no space left on device/i.test(line))) return 'no space left on device';
      const error = [...all].reverse().find((line) => /"s"\s*:\s*"[EF]"/.test(line));
      if (!error) return null;
      try {
        const entry = JSON.parse(error) as { msg?: string; attr?: { error?: unknown } };
        const detail = entry.attr?.error === undefined ? '' : `: ${typeof entry.attr.error === 'string' ? entry.attr.error : JSON.stringify(entry.attr.error)}`;
        return `${entry.msg ?? 'error'}${detail}`.split('\n')[0]!.slice(0, 200);
      } catch {
        return error.slice(0, 200);
      }
    },
  };
}

function describeExit(code: number | null, signal: string | null, requested: boolean, logged: string | null = null): EmbeddedExit {
  const how = (signal ? `killed by ${signal}` : `exit code ${code}`) + (logged ? `: ${logged}` : '');
  if (!requested) return { code, signal, clean: false, cause: `the embedded mongod stopped by itself during the run (${how})` };
  if (code === 0) return { code, signal, clean: true, cause: null };
  return { code, signal, clean: false, cause: `the embedded mongod did not stop cleanly (${how}); what it held in memory may not be on disk` };
}

function embeddedStartError(error: unknown, dataDir: string): CheckError {
  // DownloadError keeps the network cause in `msg`; its `message` spans several lines.
  const detail = error instanceof Error ? ((error as Error & { msg?: string }).msg ?? error.message) : String(error);
  const reason = detail.replace(/\s+/g, ' ').trim();
  if (/lock|already in use|exclusive/i.test(reason)) {
    return new CheckError(`the embedded MongoDB data directory ${dataDir} is in use by another run (${reason}); wait for it or pass --data-dir`);
  }
  return new CheckError(
    `could not start an embedded mongod (${reason}); pass --uri mongodb://host:port to use your own MongoDB, or set MONGOMS_SYSTEM_BINARY to a mongod binary`,
  );
}

/**
 * mongodb-memory-server writes download progress to stdout and dumps a failed start with
 * console.warn. stdout is reserved for results (`--json`), and a failure gets one line from
 * us instead: while it starts, its progress goes to stderr and its failure dump is dropped.
 */
async function keepStdoutClean<T>(start: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => console.error(...args);
  console.warn = (...args: unknown[]) => {
    if (!/Starting the MongoMemoryServer Instance failed/.test(String(args[0]))) console.error(...args);
  };
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await start();
  } finally {
    console.log = log;
    console.warn = warn;
    process.stdout.write = write;
  }
}
