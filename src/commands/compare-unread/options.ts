import { tmpdir } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateTargetOptions, type RawTargetOptions } from '../../lib/common-options.js';
import { UsageError } from '../../lib/errors.js';
import type { TargetOptions } from '../../lib/mongo/target.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { parseInteger, parseList, parseNumber } from '../../lib/validate.js';
import type { CompareUnreadOptions } from '../../engines/compare-unread/options.js';
import { STRATEGY_NAMES } from '../../results/compare-unread.js';

/** Live heap at peak varies from run to run (the driver frees a drained cursor's last batch only when its cleanup runs): read it this many times. */
const DEFAULT_PROBE_RUNS = 3;

export const DEFAULT_RUNS = 3;
export const DEFAULT_WINDOW_MONTHS = 6;
export const DEFAULT_BLOOM_FP_RATE = 0.01;

/** What the validator accepts; --help shows the same ranges. */
export const COMPARE_UNREAD_LIMITS = {
  runs: { min: 1, max: 1000 },
  windowMonths: { min: 1, max: 120 },
  maxOldSpaceSizeMB: { min: 16, max: 65_536 },
  bloomFpRate: { min: 0.000001, max: 0.5 },
} as const;

export const COMPARE_UNREAD_FLAGS: FlagSpec[] = [
  { flags: '--user <id|heaviest>', description: 'the user whose unread messages are computed; heaviest: most read receipts', default: 'heaviest' },
  { flags: '--strategies <list>', description: 'comma-separated strategies', default: 'all', allowed: STRATEGY_NAMES.join(',') },
  { flags: '--runs <n>', description: 'measured runs per strategy after one warm-up', default: DEFAULT_RUNS, allowed: rangeText(COMPARE_UNREAD_LIMITS.runs) },
  {
    flags: '--window <months>',
    description: 'the time window of the windowed strategies, in months (6, 6mo, 6months)',
    default: DEFAULT_WINDOW_MONTHS,
    allowed: rangeText(COMPARE_UNREAD_LIMITS.windowMonths),
  },
  {
    flags: '--max-old-space-size <MB>',
    description: "heap cap of each strategy's process, e.g. 1536 (Node's default when the post-mortem happened)",
    default: "Node's own limit",
    allowed: rangeText(COMPARE_UNREAD_LIMITS.maxOldSpaceSizeMB),
  },
  {
    flags: '--heapdump [dir]',
    description: "write a heap snapshot at each strategy's peak and list the top constructors",
    default: 'off; a bare --heapdump: a new directory in the temp dir',
  },
  {
    flags: '--bloom-fp-rate <p>',
    description: 'false-positive rate the bloom strategy is sized for',
    default: DEFAULT_BLOOM_FP_RATE,
    allowed: rangeText(COMPARE_UNREAD_LIMITS.bloomFpRate, String),
  },
  { flags: '--quick', description: 'one measured run and one live-heap probe run per strategy (the live-heap ranking is then unverified)' },
];

/** Raw strings from commander. */
export interface RawCompareUnreadOptions extends RawTargetOptions {
  user?: string;
  strategies?: string;
  runs?: string | number;
  window?: string | number;
  maxOldSpaceSize?: string | number;
  /** true for a bare --heapdump, a directory otherwise. */
  heapdump?: boolean | string;
  quick?: boolean;
  bloomFpRate?: string | number;
}

export interface CompareUnreadCommandOptions extends CompareUnreadOptions {
  target: TargetOptions;
}

/** Pure: raw flags → typed options, or a one-line UsageError naming the flag and what is allowed. */
export function validateCompareUnreadOptions(
  raw: RawCompareUnreadOptions,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): CompareUnreadCommandOptions {
  const user = (raw.user ?? 'heaviest').trim();
  if (user === '' || user.length > 200) throw new UsageError(`--user must be a user id or heaviest, got '${raw.user}'`);
  const quick = raw.quick === true;
  if (quick && raw.runs !== undefined && String(raw.runs).trim() !== '1') throw new UsageError(`--quick runs once; drop --runs ${raw.runs} or --quick`);
  return {
    target: validateTargetOptions(raw, env),
    user,
    strategies: raw.strategies === undefined ? [...STRATEGY_NAMES] : parseList('--strategies', raw.strategies, STRATEGY_NAMES),
    runs: quick ? 1 : raw.runs === undefined ? DEFAULT_RUNS : parseInteger('--runs', raw.runs, COMPARE_UNREAD_LIMITS.runs.min, COMPARE_UNREAD_LIMITS.runs.max),
    warmupRuns: 1,
    probeRuns: quick ? 1 : DEFAULT_PROBE_RUNS,
    windowMonths: raw.window === undefined ? DEFAULT_WINDOW_MONTHS : parseWindow(raw.window),
    maxOldSpaceSizeMB:
      raw.maxOldSpaceSize === undefined
        ? null
        : parseInteger('--max-old-space-size', raw.maxOldSpaceSize, COMPARE_UNREAD_LIMITS.maxOldSpaceSizeMB.min, COMPARE_UNREAD_LIMITS.maxOldSpaceSizeMB.max),
    heapdumpDir: heapdumpDir(raw.heapdump, now),
    quick,
    bloomFalsePositiveRate:
      raw.bloomFpRate === undefined
        ? DEFAULT_BLOOM_FP_RATE
        : parseNumber('--bloom-fp-rate', raw.bloomFpRate, COMPARE_UNREAD_LIMITS.bloomFpRate.min, COMPARE_UNREAD_LIMITS.bloomFpRate.max),
  };
}

/** `6`, `6mo`, `6months` → months (a bare `m` would read as minutes). */
function parseWindow(raw: string | number): number {
  const match = /^(\d+)\s*(mo|months?)?$/i.exec(String(raw).trim());
  if (!match)
    throw new UsageError(
      `--window must be a number of months from ${COMPARE_UNREAD_LIMITS.windowMonths.min} to ${COMPARE_UNREAD_LIMITS.windowMonths.max} such as 6 or 6months, got '${raw}'`,
    );
  return parseInteger('--window', match[1], COMPARE_UNREAD_LIMITS.windowMonths.min, COMPARE_UNREAD_LIMITS.windowMonths.max);
}

function heapdumpDir(raw: boolean | string | undefined, now: Date): string | null {
  if (raw === undefined || raw === false) return null;
  if (raw === true) return join(tmpdir(), `imdiag-heap-${now.toISOString().replace(/[:.]/g, '-')}`);
  if (raw.trim() === '') throw new UsageError(`--heapdump takes an optional directory, got ''`);
  const dir = resolve(raw);
  // Checked before the run, not at its first snapshot: the nearest existing part of the path must be a directory
  // (commands/compare-unread.ts then creates it and proves it writable, before the server starts).
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw new UsageError(`--heapdump must name a directory, but ${existing} is a file`);
  return dir;
}
