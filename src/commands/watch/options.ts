import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CaptureAt } from '../../engines/watch/capture-at.js';
import { UsageError } from '../../lib/errors.js';
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
  captureAt?: string;
  captureFile?: string;
}

export interface WatchOptions {
  source: MemorySourceOptions;
  intervalMs: number;
  durationMs: number;
  untilVerdict: boolean;
  failOn: Condition[];
  capture: CaptureAt | null;
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
  const source = validateMemorySourceOptions(raw, true)!;
  return {
    source,
    durationMs: parseDuration('--duration', raw.duration ?? WATCH_DEFAULTS.duration, 1_000, 24 * 3_600_000),
    intervalMs: parseDuration('--interval', raw.interval ?? WATCH_DEFAULTS.interval, 50, 60_000),
    untilVerdict: raw.untilVerdict === true,
    failOn: raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, WATCH_CONDITIONS),
    capture: captureAt(raw, source),
  };
}

/** --capture-at 80% [--capture-file FILE]: the share (1-99 %), the inspector to take it through, a file that does not exist yet. */
function captureAt(raw: RawWatchOptions, source: MemorySourceOptions): CaptureAt | null {
  if (raw.captureAt === undefined) {
    if (raw.captureFile !== undefined) throw new UsageError('--capture-file needs --capture-at PERCENT: when to take the snapshot');
    return null;
  }
  const match = /^(\d{1,2}(?:\.\d+)?)\s*%?$/.exec(raw.captureAt.trim());
  const percent = match ? Number(match[1]) : NaN;
  if (!(percent >= 1 && percent <= 99)) throw new UsageError(`--capture-at must be a share of the heap limit from 1% to 99%, e.g. 80%, got '${raw.captureAt}'`);
  const { spec } = source;
  if (spec.kind === 'metrics' || (spec.kind === 'pid' && !spec.openInspector))
    throw new UsageError("--capture-at needs the target's inspector to take the snapshot: --inspect HOST:PORT, or --pid N with --open-inspector");
  let file: string | null = null;
  if (raw.captureFile !== undefined) {
    file = resolve(raw.captureFile);
    if (existsSync(file)) throw new UsageError(`--capture-file ${raw.captureFile} exists; imdiag never writes over a file: choose a new name`);
  }
  return { atShare: percent / 100, from: spec.kind === 'inspector' ? { kind: 'inspector', address: spec.address } : { kind: 'pid', pid: spec.pid }, file };
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
    flags: '--capture-at <percent>',
    description:
      'one heap snapshot (fit check first) when the heap first crosses this share of its limit, so the evidence exists before an OOM destroys it (needs the inspector); read it with imdiag heap',
    allowed: '1%-99%',
  },
  { flags: '--capture-file <file>', description: 'with --capture-at: where to write it (a new file)', default: 'imdiag-watch-PID-TIME.heapsnapshot' },
  {
    flags: '--fail-on <conditions>',
    description: 'exit 1 when any holds',
    allowed: 'growing, bounded, inconclusive, died, heap>SIZE, external>SIZE, rss>SIZE, time-to-oom<TIME',
  },
];
