import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the embedded default keeps its data: the XDG cache directory, as other tools cache downloads. */
export function defaultDataDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'imdiag', 'mongodb');
}
