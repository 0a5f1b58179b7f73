import type { ConditionVocabulary } from '../../lib/conditions.js';

/*
 * Apart from the engine so that validating --fail-on (src/commands/flood-target/options.ts) does not
 * load the load generator's HTTP and WebSocket clients.
 */
/** What `--fail-on` can name for `imdiag flood --target`. */
export const TARGET_CONDITIONS: ConditionVocabulary = {
  figures: {
    heap: 'bytes',
    rss: 'bytes',
    external: 'bytes',
    'time-to-oom': 'duration',
    p99: 'duration',
    staleness: 'duration',
    missed: 'count',
    failed: 'count',
    rate: 'count',
  },
  verdicts: ['growing', 'bounded', 'inconclusive', 'died'],
};
