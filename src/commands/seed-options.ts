import { validateTargetOptions, type RawTargetOptions } from '../lib/common-options.js';
import { UsageError } from '../lib/errors.js';
import type { TargetOptions } from '../lib/mongo/target.js';
import { parseChoice, parseInteger, parseNumber } from '../lib/validate.js';
import { PROFILES, scaleProfile, startOfTodayUtc } from '../seed/profiles.js';
import { PROFILE_NAMES } from '../seed/result.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_SEED, type SeedPlan } from '../seed/run.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_SEED } from '../seed/run.js';

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
  const scale = raw.scale === undefined ? 1 : parseNumber('--scale', raw.scale, 0.01, 100);
  const params = scaleProfile(PROFILES[profile], scale);
  if (raw.users !== undefined) params.users = parseInteger('--users', raw.users, 2, 10_000);
  if (raw.days !== undefined) params.days = parseInteger('--days', raw.days, 1, 3650);
  if (raw.msgsPerDay !== undefined) params.msgsPerDay = parseNumber('--msgs-per-day', raw.msgsPerDay, 0.1, 100_000);
  if (raw.opensPerDay !== undefined) params.opensPerDay = parseNumber('--opens-per-day', raw.opensPerDay, 0, 1000);
  if (raw.heavyOpensPerDay !== undefined) params.heavyOpensPerDay = parseNumber('--heavy-opens-per-day', raw.heavyOpensPerDay, 0, 1000);
  if (params.users < params.participantsMax) params.participantsMax = Math.max(params.participantsMin, params.users);
  if (params.users < params.participantsMin) throw new UsageError(`--users must be at least ${params.participantsMin} for the ${profile} profile, got ${params.users}`);
  return {
    target: validateTargetOptions(raw, env),
    profile,
    scale,
    params,
    seed: raw.seed === undefined ? DEFAULT_SEED : parseInteger('--seed', raw.seed, 0, 4_294_967_295),
    anchor: raw.anchor === undefined ? startOfTodayUtc(now) : parseAnchor(raw.anchor),
    batchSize: raw.batchSize === undefined ? DEFAULT_BATCH_SIZE : parseInteger('--batch-size', raw.batchSize, 1, 100_000),
    drop: raw.drop === true,
  };
}

function parseAnchor(raw: string): Date {
  const text = raw.trim();
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(anchor.getTime()) || !isCalendarDate(text)) throw new UsageError(`--anchor must be a date such as 2018-08-10 or an ISO time such as 2018-08-10T06:00:00Z, got '${raw}'`);
  return anchor;
}

/** `2018-02-30` is no date (JavaScript's Date would roll it over to March 2nd): month 1-12, day within that month. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
