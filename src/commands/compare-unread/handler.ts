import { collectEnvironment } from '../../lib/environment.js';
import { ensureWritableDirectory } from '../../lib/fs-checks.js';
import { openTarget } from '../../lib/mongo/target.js';
import { compareOnTarget } from '../../engines/compare-unread/compare.js';
import { defaultSeedPlan, seedInto } from '../../engines/seed/run.js';
import { CheckError } from '../../lib/errors.js';
import { baseResult } from '../../lib/result.js';
import type { CompareUnreadResult } from '../../results/compare-unread.js';
import type { CompareUnreadCommandOptions } from './options.js';
import type { RunContext } from '../../lib/run-context.js';
import { namingFlags } from '../common/input-errors.js';

export type { CompareUnreadCommandOptions } from './options.js';
export { validateCompareUnreadOptions } from './options.js';

/** `imdiag compare-unread`: opens the target (embedded by default), measures every strategy, closes it. */
export async function compareUnread(opts: CompareUnreadCommandOptions, ctx: RunContext): Promise<CompareUnreadResult> {
  if (opts.heapdumpDir) ensureWritableDirectory('--heapdump', opts.heapdumpDir);
  const target = await openTarget(opts.target);
  try {
    // compare-unread on an empty embedded default seeds the demo profile first, through the seed engine.
    const seedDemo = async () => {
      const seeded = await seedInto(target, defaultSeedPlan('demo'), ctx);
      if (seeded.problems.length > 0) throw new CheckError(`seeding the demo dataset failed: ${seeded.problems.join('; ')}`);
    };
    const run = await namingFlags(() => compareOnTarget(target, opts, ctx, seedDemo));
    return { ...baseResult('compare-unread', ctx, collectEnvironment(target), run.problems), ...run.body };
  } finally {
    await target.close();
  }
}
