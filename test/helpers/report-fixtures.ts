import { readFileSync } from 'node:fs';
import type { FloodResult } from '../../src/flood/result.js';
import type { SeedResult } from '../../src/seed/result.js';
import type { CompareUnreadResult } from '../../src/unread/result.js';

/** The saved results reports are rendered from in tests (fixtures/*-result.json). */
export const FIXTURES = {
  seed: new URL('../../fixtures/seed-result.json', import.meta.url),
  'compare-unread': new URL('../../fixtures/compare-unread-result.json', import.meta.url),
  flood: new URL('../../fixtures/flood-result.json', import.meta.url),
} as const;

export interface FixtureResults {
  seed: SeedResult;
  'compare-unread': CompareUnreadResult;
  flood: FloodResult;
}

/** A fresh copy each call, so a test may change it. */
export function fixture<C extends keyof FixtureResults>(command: C): FixtureResults[C] {
  return JSON.parse(readFileSync(FIXTURES[command], 'utf8')) as FixtureResults[C];
}
