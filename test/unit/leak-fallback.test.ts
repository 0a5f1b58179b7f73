import { describe, expect, it } from 'vitest';
import { preferSampled } from '../../src/core/leak/fallback.js';
import { NOISE_FLOOR_BYTES } from '../../src/core/leak/growth.js';
import type { LeakGroup } from '../../src/results/heap.js';
import type { LeakSite } from '../../src/results/leak.js';

const KB = 1024;
const site = (functionName: string, bytes: number): LeakSite => ({
  site: { functionName, script: '/app/server.js', line: 10, column: 1 },
  allocatedIn: null,
  foldedFrames: 0,
  callers: [],
  count: 1,
  selfSizeBytes: bytes,
  retainedSizeBytes: null,
  perRepetitionBytes: [bytes],
  settleBytes: 0,
  growing: null,
  pattern: null,
  bytesPerRepetition: null,
  heldBy: null,
  example: null,
  leaking: bytes >= NOISE_FLOOR_BYTES,
});
const tracked = (bytes: number, unknownBytes: number) => ({
  survivors: { count: 10, bytes },
  unknownBytes,
  sites: [site('tracked', bytes - unknownBytes)],
  leaked: { sites: 1, bytes: bytes - unknownBytes, perRepetitionBytes: null },
  paths: [],
  notes: [],
});

const sampled = (bytes: number) => ({ sites: [site('sampled', bytes)], leaked: { sites: 1, bytes, perRepetitionBytes: null } });
const group = (path: string) => ({ path, count: 10, bytes: 4 * NOISE_FLOOR_BYTES }) as unknown as LeakGroup;

describe("preferSampled: the sampler's sites only when the stackless survivors matter", () => {
  it("tiny survivors stay the tracker's: one 32 KB sample must not outweigh 10.7 KB of survivors", () => {
    const result = preferSampled(tracked(10_956, 8 * KB), sampled(32 * KB));
    expect(result.sites.map((found) => found.site.functionName)).toEqual(['tracked']);
    expect(result.notes).toEqual([]);
  });

  it('most of the survivors stackless, above the noise floor: the sampled sites, with a note', () => {
    const result = preferSampled(tracked(4 * NOISE_FLOOR_BYTES, 3 * NOISE_FLOOR_BYTES), sampled(3 * NOISE_FLOOR_BYTES));
    expect(result.sites.map((found) => found.site.functionName)).toEqual(['sampled']);
    // What leaked comes with the sites it is counted from.
    expect(result.leaked).toEqual({ sites: 1, bytes: 3 * NOISE_FLOOR_BYTES, perRepetitionBytes: null });
    expect(result.notes.join('\n')).toMatch(/dropped the allocation stacks of 75 %/);
  });

  it('"held by" (the largest group of survivors) goes on the site the verdict names: the first leaking one', () => {
    const withPaths = { ...tracked(4 * NOISE_FLOOR_BYTES, 3 * NOISE_FLOOR_BYTES), paths: [group('items in Array ← queue in Server')] };
    const sites = [site('small', 8 * KB), site('big', 3 * NOISE_FLOOR_BYTES)];
    const result = preferSampled(withPaths, { sites, leaked: { sites: 1, bytes: 3 * NOISE_FLOOR_BYTES, perRepetitionBytes: null } });
    expect(result.sites.map((found) => [found.site.functionName, found.heldBy])).toEqual([
      ['small', null],
      ['big', 'items in Array ← queue in Server'],
    ]);
  });

  it('"held by" goes on a site judged leaking before a larger suspect (its growth unjudged on too few samples), as the verdict names it', () => {
    const withPaths = { ...tracked(8 * NOISE_FLOOR_BYTES, 7 * NOISE_FLOOR_BYTES), paths: [group('leaked in Object ← holder in global')] };
    const suspect = { ...site('suspect', 4 * NOISE_FLOOR_BYTES), growing: null };
    const judged = { ...site('judged', 2 * NOISE_FLOOR_BYTES), growing: true };
    const result = preferSampled(withPaths, { sites: [suspect, judged], leaked: { sites: 2, bytes: 6 * NOISE_FLOOR_BYTES, perRepetitionBytes: null } });
    expect(result.sites.map((found) => [found.site.functionName, found.heldBy])).toEqual([
      ['suspect', null],
      ['judged', 'leaked in Object ← holder in global'],
    ]);
  });
});
