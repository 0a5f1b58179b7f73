import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, validateSeedOptions, type RawSeedOptions } from '../../src/commands/seed/options.js';
import { UsageError } from '../../src/lib/errors.js';
import { PROFILES } from '../../src/core/webim/profiles.js';

const NOW = new Date('2026-03-04T15:16:17Z');
const validate = (raw: RawSeedOptions) => validateSeedOptions(raw, {}, NOW);

describe('validateSeedOptions', () => {
  it('defaults to the demo profile, the post-mortem seed and the start of today (UTC) as anchor', () => {
    const options = validate({});
    expect(options.profile).toBe('demo');
    expect(options.params).toEqual(PROFILES.demo);
    expect(options.seed).toBe(DEFAULT_SEED);
    expect(options.anchor.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(options.drop).toBe(false);
    expect(options.target.db).toBe('imdiag');
  });

  it.each<[RawSeedOptions, (options: ReturnType<typeof validate>) => unknown, unknown]>([
    [{ profile: 'article' }, (o) => o.params.days, 730],
    [{ profile: 'article', scale: '0.5' }, (o) => o.params.msgsPerDay, 50],
    [{ profile: 'article', scale: '0.5', msgsPerDay: '80' }, (o) => o.params.msgsPerDay, 80],
    [{ users: '30' }, (o) => o.params.users, 30],
    [{ days: '90' }, (o) => o.params.days, 90],
    [{ opensPerDay: '1.5' }, (o) => o.params.opensPerDay, 1.5],
    [{ heavyOpensPerDay: '20' }, (o) => o.params.heavyOpensPerDay, 20],
    [{ seed: '42' }, (o) => o.seed, 42],
    [{ anchor: '2018-08-10' }, (o) => o.anchor.toISOString(), '2018-08-10T00:00:00.000Z'],
    [{ anchor: '2018-08-10T06:30:00Z' }, (o) => o.anchor.toISOString(), '2018-08-10T06:30:00.000Z'],
    [{ batchSize: '250' }, (o) => o.batchSize, 250],
    [{ drop: true }, (o) => o.drop, true],
    [{ uri: 'mongodb://h:1', db: 'lab' }, (o) => [o.target.uri, o.target.db], ['mongodb://h:1', 'lab']],
  ])('%j', (raw, pick, expected) => {
    expect(pick(validate(raw))).toEqual(expected);
  });

  it.each<[RawSeedOptions, RegExp]>([
    [{ profile: 'huge' }, /^--profile must be one of tiny, demo, article, got 'huge'$/],
    [{ scale: '0' }, /^--scale must be a number from 0.01 to 100/],
    [{ scale: 'big' }, /^--scale /],
    [{ users: '1' }, /^--users must be a whole number from 2/],
    [{ days: '0' }, /^--days /],
    [{ msgsPerDay: '-3' }, /^--msgs-per-day /],
    [{ opensPerDay: 'x' }, /^--opens-per-day /],
    [{ heavyOpensPerDay: '-1' }, /^--heavy-opens-per-day /],
    [{ seed: '1.5' }, /^--seed must be a whole number/],
    [{ anchor: 'yesterday' }, /^--anchor must be a date such as 2018-08-10/],
    [{ anchor: '2018-13-45' }, /^--anchor /],
    [{ batchSize: '0' }, /^--batch-size /],
    [{ db: 'a.b' }, /^--db /],
  ])('refuses %j', (raw, message) => {
    expect(() => validate(raw)).toThrow(UsageError);
    expect(() => validate(raw)).toThrow(message);
  });
});
