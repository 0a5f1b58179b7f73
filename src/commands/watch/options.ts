import { parseConditions, type Condition, type ConditionVocabulary } from '../../lib/conditions.js';
import { parseDuration } from '../../lib/validate.js';
import type { FlagSpec } from '../../lib/flags.js';
import { MEMORY_SOURCE_FLAGS, validateMemorySourceOptions, type MemorySourceOptions, type RawMemorySourceOptions } from '../common/memory-source-options.js';

/** Raw strings from commander for `imdiag watch`. */
export interface RawWatchOptions extends RawMemorySourceOptions {
  duration?: string;
  interval?: string;
  untilVerdict?: boolean;
  failOn?: string;
}

export interface WatchOptions {
  source: MemorySourceOptions;
  intervalMs: number;
  durationMs: number;
  untilVerdict: boolean;
  failOn: Condition[];
}

export const WATCH_DEFAULTS = {
  /** "Run it for two minutes and get the slope". */
  duration: '2m',
  /** 4 Hz: enough readings for a trend in seconds, < 5 % of the target's time (npm run bench:watch). */
  interval: '250ms',
} as const;

/** What `--fail-on` may name: the last readings, the projected time to out-of-memory, the verdict. */
export const WATCH_CONDITIONS: ConditionVocabulary = {
  figures: { heap: 'bytes', external: 'bytes', rss: 'bytes', 'time-to-oom': 'duration' },
  verdicts: ['growing', 'bounded', 'inconclusive', 'died'],
};

/** Pure: raw flags → WatchOptions, or a one-line UsageError naming the flag and what is allowed. */
export function validateWatchOptions(raw: RawWatchOptions): WatchOptions {
  return {
    source: validateMemorySourceOptions(raw, true)!,
    durationMs: parseDuration('--duration', raw.duration ?? WATCH_DEFAULTS.duration, 1_000, 24 * 3_600_000),
    intervalMs: parseDuration('--interval', raw.interval ?? WATCH_DEFAULTS.interval, 50, 60_000),
    untilVerdict: raw.untilVerdict === true,
    failOn: raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, WATCH_CONDITIONS),
  };
}

/** `imdiag watch`'s flags for cli.ts and --help: the memory source, then how long and how often. */
export const WATCH_FLAGS: FlagSpec[] = [
  ...MEMORY_SOURCE_FLAGS.map(([flags, description]) => ({ flags, description })),
  { flags: '--duration <time>', description: 'how long to watch', default: WATCH_DEFAULTS.duration, allowed: '1s-24h' },
  { flags: '--interval <time>', description: 'time between readings', default: WATCH_DEFAULTS.interval, allowed: '50ms-60s' },
  {
    flags: '--until-verdict',
    description: 'stop once the verdict settles on bounded, or on growing with a narrow projection, never before a minute (--duration still bounds the watch)',
  },
  {
    flags: '--fail-on <conditions>',
    description: 'exit 1 when any holds',
    allowed: 'growing, bounded, inconclusive, died, heap>SIZE, external>SIZE, rss>SIZE, time-to-oom<TIME',
  },
];
