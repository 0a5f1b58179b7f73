import { ensureWritableDirectory } from '../lib/fs-checks.js';
import { openTarget } from '../lib/mongo/target.js';
import { compareOnTarget } from '../unread/compare.js';
import type { CompareUnreadResult } from '../unread/result.js';
import type { CompareUnreadCommandOptions } from './compare-unread-options.js';
import type { RunContext } from '../lib/run-context.js';

export type { CompareUnreadCommandOptions } from './compare-unread-options.js';
export { validateCompareUnreadOptions } from './compare-unread-options.js';

/** `imdiag compare-unread`: opens the target (embedded by default), measures every strategy, closes it. */
export async function compareUnread(opts: CompareUnreadCommandOptions, ctx: RunContext): Promise<CompareUnreadResult> {
  if (opts.heapdumpDir) ensureWritableDirectory('--heapdump', opts.heapdumpDir);
  const target = await openTarget(opts.target);
  try {
    return await compareOnTarget(target, opts, ctx);
  } finally {
    await target.close();
  }
}
