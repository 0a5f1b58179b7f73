import { readFile } from 'node:fs/promises';
import { requireSeededDataDir } from '../../lib/mongo/dataset-dir.js';
import { openTarget } from '../../lib/mongo/target.js';
import type { QueryResult } from '../../results/query.js';
import { queryOnTarget, type QuerySource } from '../../engines/query/run.js';
import type { RunContext } from '../../lib/run-context.js';
import type { QueryCommandOptions } from './options.js';

export { validateQueryOptions, type QueryCommandOptions } from './options.js';

/** `imdiag query`: opens the target (embedded by default), measures the query's Node heap cost per variant, closes it. */
export async function query(opts: QueryCommandOptions, ctx: RunContext): Promise<QueryResult> {
  // Read-only: a mistyped --data-dir is said before mongod would create it.
  requireSeededDataDir(opts.target);
  const source: QuerySource = opts.source.kind === 'log' ? { ...opts.source, text: await readFile(opts.source.file, 'utf8') } : opts.source;
  const target = await openTarget(opts.target);
  try {
    return await queryOnTarget(target, { ...opts, source }, ctx);
  } finally {
    await target.close();
  }
}
