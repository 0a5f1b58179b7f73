import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file of the repository (bin/imdiag.js, examples/spider/server.js) from a benchmark, wherever it
 * runs: compiled in dist-bench/bench/ (npm run bench:*) or as source in bench/ (tests import it).
 * The root is the nearest folder above with a package.json.
 */
export function repoPath(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, relative);
}
