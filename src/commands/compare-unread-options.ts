import { tmpdir } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateTargetOptions, type RawTargetOptions } from '../lib/common-options.js';
import { UsageError } from '../lib/errors.js';
import type { TargetOptions } from '../lib/mongo/target.js';
import { parseInteger, parseList, parseNumber } from '../lib/validate.js';
import type { CompareUnreadOptions } from '../unread/options.js';
import { STRATEGY_NAMES } from '../unread/result.js';

export const DEFAULT_RUNS = 3;
export const DEFAULT_WINDOW_MONTHS = 6;
export const DEFAULT_BLOOM_FP_RATE = 0.01;

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
export function validateCompareUnreadOptions(raw: RawCompareUnreadOptions, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): CompareUnreadCommandOptions {
  const user = (raw.user ?? 'heaviest').trim();
  if (user === '' || user.length > 200) throw new UsageError(`--user must be a user id or heaviest, got '${raw.user}'`);
  const quick = raw.quick === true;
  if (quick && raw.runs !== undefined && String(raw.runs).trim() !== '1') throw new UsageError(`--quick runs once; drop --runs ${raw.runs} or --quick`);
  return {
    target: validateTargetOptions(raw, env),
    user,
    strategies: raw.strategies === undefined ? [...STRATEGY_NAMES] : parseList('--strategies', raw.strategies, STRATEGY_NAMES),
    runs: quick ? 1 : raw.runs === undefined ? DEFAULT_RUNS : parseInteger('--runs', raw.runs, 1, 1000),
    warmupRuns: 1,
    windowMonths: raw.window === undefined ? DEFAULT_WINDOW_MONTHS : parseWindow(raw.window),
    maxOldSpaceSizeMB: raw.maxOldSpaceSize === undefined ? null : parseInteger('--max-old-space-size', raw.maxOldSpaceSize, 16, 65_536),
    heapdumpDir: heapdumpDir(raw.heapdump, now),
    quick,
    bloomFalsePositiveRate: raw.bloomFpRate === undefined ? DEFAULT_BLOOM_FP_RATE : parseNumber('--bloom-fp-rate', raw.bloomFpRate, 0.000001, 0.5),
  };
}

/** `6`, `6mo`, `6months` → months (a bare `m` would read as minutes). */
function parseWindow(raw: string | number): number {
  const match = /^(\d+)\s*(mo|months?)?$/i.exec(String(raw).trim());
  if (!match) throw new UsageError(`--window must be a number of months from 1 to 120 such as 6 or 6months, got '${raw}'`);
  return parseInteger('--window', match[1], 1, 120);
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
