import { readFile } from 'node:fs/promises';
import { collectEnvironment } from '../../lib/environment.js';
import { requireSeededDataDir } from '../../lib/mongo/dataset-dir.js';
import { openTarget } from '../../lib/mongo/target.js';
import { baseResult } from '../../lib/result.js';
import type { QueryResult } from '../../results/query.js';
import { queryOnTarget, type QuerySource } from '../../engines/query/run.js';
import { describeFigure, failOnFigures } from '../../engines/query/verdict.js';
import type { RunContext } from '../../lib/run-context.js';
import { judgeFailOn } from '../common/fail-on.js';
import type { QueryCommandOptions } from './options.js';
import { namingFlags } from '../common/input-errors.js';

export { validateQueryOptions, type QueryCommandOptions } from './options.js';

/** `imdiag query`: opens the target (embedded by default), measures the query's Node heap cost per variant, judges --fail-on, closes it. */
export async function query(opts: QueryCommandOptions, ctx: RunContext): Promise<QueryResult> {
  // Read-only: a mistyped --data-dir is said before mongod would create it.
  requireSeededDataDir(opts.target);
  const source: QuerySource = opts.source.kind === 'log' ? { ...opts.source, text: await readFile(opts.source.file, 'utf8') } : opts.source;
  const target = await openTarget(opts.target);
  try {
    const run = await namingFlags(() => queryOnTarget(target, { ...opts, source }, ctx));
    const figures = failOnFigures(run.body.queries, opts.failOnVariant);
    const recorded = run.body.queries.some((q) => q.atRecorded?.differs);
    const failOn = judgeFailOn(opts.failOn, figures, describeFigure, opts.failOnVariant, recorded ? figures.basis : undefined);
    return {
      ...baseResult('query', ctx, collectEnvironment(target), [...failOn.problems, ...run.problems]),
      ...run.body,
      failOn: failOn.outcomes,
    };
  } finally {
    await target.close();
  }
}
