import { validateTargetOptions, type RawTargetOptions } from '../../lib/common-options.js';
import { UsageError } from '../../lib/errors.js';
import type { TargetOptions } from '../../lib/mongo/target.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { parseChoice, parseInteger, parseNumber } from '../../lib/validate.js';
import { PROFILES, scaleProfile, startOfTodayUtc } from '../../core/webim/profiles.js';
import { PROFILE_NAMES } from '../../results/seed.js';
import type { SeedPlan } from '../../engines/seed/run.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_SEED } from '../../engines/seed/defaults.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_SEED } from '../../engines/seed/defaults.js';

/** What the validator accepts; --help shows the same ranges. */
export const SEED_LIMITS = {
  scale: { min: 0.01, max: 100 },
  users: { min: 2, max: 10_000 },
  days: { min: 1, max: 3650 },
  msgsPerDay: { min: 0.1, max: 100_000 },
  opensPerDay: { min: 0, max: 1000 },
  seed: { min: 0, max: 4_294_967_295 },
  batchSize: { min: 1, max: 100_000 },
} as const;

export const SEED_FLAGS: FlagSpec[] = [
  {
    flags: '--profile <name>',
    description: 'tiny (tests), demo (seconds) or article (the post-mortem: 2 years, 1M+ receipts for one user)',
    default: 'demo',
    allowed: PROFILE_NAMES.join(', '),
  },
  {
    flags: '--scale <factor>',
    description: "multiply the profile's volume (messages a day, hence topics and receipts)",
    default: 1,
    allowed: rangeText(SEED_LIMITS.scale),
  },
  { flags: '--users <n>', description: 'number of users (override the profile)', allowed: rangeText(SEED_LIMITS.users) },
  { flags: '--days <n>', description: 'days of history ending at the anchor (override the profile)', allowed: rangeText(SEED_LIMITS.days) },
  {
    flags: '--msgs-per-day <n>',
    description: 'messages a day across all topics (override the profile, after --scale)',
    allowed: rangeText(SEED_LIMITS.msgsPerDay),
  },
  {
    flags: '--opens-per-day <n>',
    description: 'times a user reopens each active topic a day; each open re-inserts a receipt per message',
    allowed: rangeText(SEED_LIMITS.opensPerDay),
  },
  { flags: '--heavy-opens-per-day <n>', description: 'the same for the heavy user (user-001)', allowed: rangeText(SEED_LIMITS.opensPerDay) },
  { flags: '--seed <n>', description: 'random seed: same seed and anchor, same data', default: DEFAULT_SEED, allowed: rangeText(SEED_LIMITS.seed) },
  { flags: '--anchor <date>', description: 'end of the generated history, e.g. 2018-08-10 or 2018-08-10T06:00:00Z', default: 'start of today, UTC' },
  { flags: '--batch-size <n>', description: 'documents per bulk insert', default: DEFAULT_BATCH_SIZE, allowed: rangeText(SEED_LIMITS.batchSize) },
  { flags: '--drop', description: 'replace the dataset of an existing imdiag database' },
];

/** Raw strings from commander (numbers arrive as strings, or numbers from callers in code). */
export interface RawSeedOptions extends RawTargetOptions {
  profile?: string;
  scale?: string | number;
  users?: string | number;
  days?: string | number;
  msgsPerDay?: string | number;
  opensPerDay?: string | number;
  heavyOpensPerDay?: string | number;
  seed?: string | number;
  anchor?: string;
  batchSize?: string | number;
  drop?: boolean;
}

export interface SeedOptions extends SeedPlan {
  target: TargetOptions;
}

/** Pure: raw flags → typed options, or a one-line UsageError naming the flag and what is allowed. */
export function validateSeedOptions(raw: RawSeedOptions, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): SeedOptions {
  const profile = parseChoice('--profile', raw.profile ?? 'demo', PROFILE_NAMES);
  const scale = raw.scale === undefined ? 1 : parseNumber('--scale', raw.scale, SEED_LIMITS.scale.min, SEED_LIMITS.scale.max);
  const params = scaleProfile(PROFILES[profile], scale);
  if (raw.users !== undefined) params.users = parseInteger('--users', raw.users, SEED_LIMITS.users.min, SEED_LIMITS.users.max);
  if (raw.days !== undefined) params.days = parseInteger('--days', raw.days, SEED_LIMITS.days.min, SEED_LIMITS.days.max);
  if (raw.msgsPerDay !== undefined) params.msgsPerDay = parseNumber('--msgs-per-day', raw.msgsPerDay, SEED_LIMITS.msgsPerDay.min, SEED_LIMITS.msgsPerDay.max);
  if (raw.opensPerDay !== undefined)
    params.opensPerDay = parseNumber('--opens-per-day', raw.opensPerDay, SEED_LIMITS.opensPerDay.min, SEED_LIMITS.opensPerDay.max);
  if (raw.heavyOpensPerDay !== undefined)
    params.heavyOpensPerDay = parseNumber('--heavy-opens-per-day', raw.heavyOpensPerDay, SEED_LIMITS.opensPerDay.min, SEED_LIMITS.opensPerDay.max);
  if (params.users < params.participantsMax) params.participantsMax = Math.max(params.participantsMin, params.users);
  if (params.users < params.participantsMin)
    throw new UsageError(`--users must be at least ${params.participantsMin} for the ${profile} profile, got ${params.users}`);
  return {
    target: validateTargetOptions(raw, env),
    profile,
    scale,
    params,
    seed: raw.seed === undefined ? DEFAULT_SEED : parseInteger('--seed', raw.seed, SEED_LIMITS.seed.min, SEED_LIMITS.seed.max),
    anchor: raw.anchor === undefined ? startOfTodayUtc(now) : parseAnchor(raw.anchor),
    batchSize:
      raw.batchSize === undefined ? DEFAULT_BATCH_SIZE : parseInteger('--batch-size', raw.batchSize, SEED_LIMITS.batchSize.min, SEED_LIMITS.batchSize.max),
    drop: raw.drop === true,
  };
}

function parseAnchor(raw: string): Date {
  const text = raw.trim();
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(anchor.getTime()) || !isCalendarDate(text))
    throw new UsageError(`--anchor must be a date such as 2018-08-10 or an ISO time such as 2018-08-10T06:00:00Z, got '${raw}'`);
  return anchor;
}

/** `2018-02-30` is no date (JavaScript's Date would roll it over to March 2nd): month 1-12, day within that month. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
