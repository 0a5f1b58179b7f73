import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DB } from '../common-options.js';
import { UsageError } from '../errors.js';
import { LOCK_FILE } from './data-dir-lock.js';
import { defaultDataDir } from './data-dir.js';
import type { TargetOptions } from './target.js';

/**
 * A read-only command on the embedded mongod (no --uri) needs a data directory that already holds
 * data: started on a missing or empty one, mongod would create it (and its files) and the command
 * would then report a missing collection, leaving an empty dataset behind a typo in --data-dir.
 * Only an existing directory with something in it (besides imdiag's own lock) is opened; a real
 * mongod's dbPath always has files (WiredTiger, storage.bson…).
 */
export function requireSeededDataDir(target: TargetOptions): void {
  if (target.uri !== undefined) return;
  const dir = target.dataDir;
  let entries: string[] | null;
  try {
    entries = readdirSync(dir).filter((name) => name !== LOCK_FILE && !name.startsWith('.imdiag-write-check-'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`--data-dir ${dir} is a file, not a directory; pass the directory \`imdiag seed --data-dir\` loaded`);
    // Unreadable (EACCES…): starting the server says why, with the flag named.
    if (code !== 'ENOENT') return;
    entries = null;
  }
  if (entries !== null && entries.length > 0) return;
  const isDefault = dir === resolve(defaultDataDir());
  const seed = ['imdiag seed', ...(isDefault ? [] : ['--data-dir', shellWord(dir)]), ...(target.db !== DEFAULT_DB ? ['--db', shellWord(target.db)] : [])].join(
    ' ',
  );
  const state = entries === null ? 'the directory does not exist' : 'the directory is empty';
  throw new UsageError(
    isDefault
      ? `no imdiag dataset in the embedded MongoDB's data directory ${dir} (${state}); load one with \`${seed}\`, or pass --data-dir or --uri`
      : `--data-dir ${dir}: no imdiag dataset there (${state}); load one with \`${seed}\`, or check the path (default ${defaultDataDir()})`,
  );
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
