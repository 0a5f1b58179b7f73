import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CheckError, UsageError } from '../errors.js';
import { ensureWritableDirectory } from '../fs-checks.js';
import { isAlive } from '../process-alive.js';

/**
 * imdiag's own lock on an embedded data directory, taken before the server starts: two runs on
 * one --data-dir must not both reach mongod (its own lock answers the second run too late, and
 * mongodb-memory-server can then fail with a raw parse error instead of a clear message).
 * The file names the imdiag process and, once started, its mongod: the lock is held while either
 * is alive, so a run killed with SIGKILL holds it until its guard has stopped the server.
 */
export const LOCK_FILE = 'imdiag.lock';

interface LockHolder {
  pid: number;
  serverPid: number | null;
  startedAt: string;
}

export interface DataDirLock {
  /** Records the server's pid, so the lock stays held while that server is alive. */
  setServerPid(pid: number): void;
  release(): void;
}

/** Creates the directory if needed and locks it; one clear line when it cannot be used. */
export function lockDataDir(dataDir: string): DataDirLock {
  prepareDataDir(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, serverPid: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(holder));
      } finally {
        closeSync(fd);
      }
      return heldLock(path, holder);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw dataDirError(dataDir, error);
      const current = readHolder(path);
      const living = current ? [current.pid, current.serverPid].filter((pid): pid is number => pid !== null && pid !== process.pid && isAlive(pid)) : [];
      if (current === null && justWritten(path)) {
        throw new CheckError(`the embedded MongoDB data directory ${dataDir} is in use by another run (starting now); wait for it or pass another --data-dir`);
      }
      if (living.length > 0) {
        const who =
          current!.serverPid !== null && isAlive(current!.serverPid)
            ? `imdiag pid ${current!.pid}, mongod pid ${current!.serverPid}`
            : `imdiag pid ${current!.pid}`;
        throw new CheckError(`the embedded MongoDB data directory ${dataDir} is in use by another run (${who}); wait for it or pass another --data-dir`);
      }
      // Left by a run that is gone (killed): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new CheckError(
    `the embedded MongoDB data directory ${dataDir} is in use by another run (its lock ${path} was taken while this run started); wait for it or pass another --data-dir`,
  );
}

function heldLock(path: string, holder: LockHolder): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const current = readHolder(path);
    if (current?.pid === process.pid) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return {
    setServerPid: (pid) => writeFileSync(path, JSON.stringify({ ...holder, serverPid: pid })),
    release,
  };
}

function prepareDataDir(dataDir: string): void {
  ensureWritableDirectory('--data-dir', dataDir);
}

/** A data directory imdiag cannot use is bad input: one line naming --data-dir (exit 2). */
function dataDirError(dataDir: string, error: unknown): UsageError {
  switch (code(error)) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new UsageError(`--data-dir ${dataDir}: it (or a parent) is a file, not a directory; pass a directory`);
    case 'EROFS':
      return new UsageError(`--data-dir ${dataDir} is on a read-only file system; pass a writable directory`);
    case 'EACCES':
    case 'EPERM':
      return new UsageError(`--data-dir ${dataDir} is not writable by this user (${code(error)}); pass a writable directory`);
    case 'ENOSPC':
      return new UsageError(`--data-dir ${dataDir}: no space left on device`);
    default:
      return new UsageError(`--data-dir ${dataDir} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, serverPid: parsed.serverPid ?? null, startedAt: String(parsed.startedAt) } : null;
  } catch {
    // Unreadable or half-written: the holder is unknown, treat it as stale only if it stays so.
    return null;
  }
}

/** A lock file another run is writing at this moment is unreadable for a few milliseconds. */
function justWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
