import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Paths a run will write to, checked (or created) before any work, so a long measurement is
 * never lost to a place it cannot write. Each failure is one UsageError naming the flag.
 */

/**
 * Creates `dir` one component at a time. Not `mkdir -p`: Node's recursive mkdir spins forever
 * under /proc (it keeps retrying the parent), and a step-by-step walk fails at once, naming the
 * component that cannot be made. Then proves the directory writable by creating a file in it.
 */
export function ensureWritableDirectory(flag: string, dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) throw new UsageError(`${flag} ${dir}: ${existing} is a file, not a directory; pass a directory`);
  for (const component of missing) {
    try {
      mkdirSync(component);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw unwritable(flag, dir, error);
    }
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a directory; pass a directory`);
  const probe = join(dir, `.imdiag-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (error) {
    throw unwritable(flag, dir, error);
  }
}

/**
 * A file the run will write at its end (--report): its directory must exist and be writable, and
 * an existing file must be a writable regular file (it is overwritten, as the README says).
 */
export function ensureWritableFile(flag: string, path: string): void {
  const directory = dirname(path);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`${flag}: the directory ${directory} does not exist`);
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new UsageError(`${flag} ${path} exists and is not a regular file`);
    try {
      accessSync(path, constants.W_OK);
      // access() says yes to root on a read-only file system; opening for append (no truncation) does not.
      closeSync(openSync(path, 'a'));
    } catch (error) {
      throw unwritable(flag, path, error);
    }
    return;
  }
  try {
    closeSync(openSync(path, 'wx'));
    rmSync(path, { force: true });
  } catch (error) {
    throw unwritable(flag, path, error);
  }
}

function unwritable(flag: string, path: string, error: unknown): UsageError {
  const reasons: Record<string, string> = {
    EROFS: 'is on a read-only file system',
    EACCES: 'is not writable by this user',
    EPERM: 'is not writable by this user',
    ENOSPC: 'is on a full device (no space left)',
    ENOENT: 'cannot be created there',
    ENOTDIR: 'has a file where a directory should be',
  };
  const reason = reasons[code(error) ?? ''] ?? `cannot be written (${error instanceof Error ? error.message : String(error)})`;
  return new UsageError(`${flag} ${path} ${reason}; pass a writable place`);
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
