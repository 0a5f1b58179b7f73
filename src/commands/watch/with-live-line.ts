import { liveWriter } from '../../report/watch/live.js';
import type { RunContext } from '../../lib/run-context.js';
import type { WatchResult } from '../../results/watch.js';
import { watch } from './handler.js';
import type { WatchOptions } from './options.js';

/** `imdiag watch` as the command line runs it: the handler, with its live line on stderr (a terminal only). */
export async function watchWithLiveLine(options: WatchOptions, context: RunContext): Promise<WatchResult> {
  const live = liveWriter(process.stderr);
  return watch(options, context, live.update).finally(live.done);
}
