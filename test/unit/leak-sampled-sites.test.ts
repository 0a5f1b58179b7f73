import { describe, expect, it } from 'vitest';
import { DECIDING_SAMPLES, liveSitesOf, SAMPLING_START, sitesFromSamples, type ProfileNode, type ProfileSample } from '../../src/core/leak/sampled-sites.js';
import { leakVerdict } from '../../src/core/leak/verdict.js';
import { NOISE_FLOOR_BYTES } from '../../src/core/leak/growth.js';

const INTERVAL = 1024;
const SCRIPT = 'file:///app/server.js';

/** A sampling profile as HeapProfiler.getSamplingProfile gives it: one user function's node under the root, and its samples. */
function profile(functionName: string, samples: Array<{ size: number; ordinal: number }>): { head: ProfileNode; samples: ProfileSample[] } {
  const scaled = (size: number) => size / -Math.expm1(-size / INTERVAL);
  const node: ProfileNode = {
    callFrame: { functionName, url: SCRIPT, lineNumber: 9, columnNumber: 0 },
    selfSize: samples.reduce((sum, sample) => sum + scaled(sample.size), 0),
    id: 2,
    children: [],
  };
  const head: ProfileNode = { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [node] };
  return { head, samples: samples.map((sample) => ({ nodeId: 2, ...sample })) };
}

/** `n` samples of `size` bytes with ordinals from `first` on. */
const run = (first: number, n: number, size = 4000) => Array.from({ length: n }, (_, i) => ({ size, ordinal: first + i }));

/** Three repetitions' marks and the final profile of one site whose live samples are `final`. */
function sites(final: Array<{ size: number; ordinal: number }>, lastOrdinals: number[]) {
  const marks = [SAMPLING_START, ...lastOrdinals.map((last) => ({ ...liveSitesOf(profile('cacheIt', []).head, [], INTERVAL), lastOrdinal: last }))];
  const { head, samples } = profile('cacheIt', final);
  return sitesFromSamples(marks, liveSitesOf(head, samples, INTERVAL), 10).sites;
}

describe('sampled leak sites: each repetition dated by the samples’ ordinals, judged only on enough samples', () => {
  it('an LRU of 100 entries, 40 a repetition: the final samples dated by ordinal keep 20, 40 and 40 entries (as the tracker counts them), not the rise of 40, 40, 20', () => {
    // Each entry one sample (4,000 bytes at a 1 KB interval): 40 a repetition, ordinals 1–40, 41–80, 81–120; the first 20 evicted.
    const [site] = sites([...run(21, 20), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    const entry = 4000 / -Math.expm1(-4000 / INTERVAL);
    expect(site!.perRepetitionSamples).toEqual([20, 40, 40]);
    expect(site!.perRepetitionBytes.map((bytes) => Math.round(bytes / entry))).toEqual([20, 40, 40]);
    expect(site!.count).toBe(100);
    expect(site!.settleBytes).toBe(0);
    // 40 samples in the typical repetition: too few to tell a leak from this cache.
    expect(site).toMatchObject({ growing: null, pattern: null, leaking: true, sampled: true });
  });

  it(`from ${DECIDING_SAMPLES} samples a repetition the growth is judged: the LRU is not growing, a leak is`, () => {
    const [lru] = sites([...run(1, 60), ...run(121, 120), ...run(241, 120)], [120, 240, 360]);
    expect(lru!.perRepetitionSamples).toEqual([60, 120, 120]);
    expect(lru).toMatchObject({ growing: false, pattern: 'latest', leaking: false });
    const [leak] = sites([...run(1, 120), ...run(121, 120), ...run(241, 120)], [120, 240, 360]);
    expect(leak).toMatchObject({ growing: true, leaking: true });
  });

  it('samples after the last mark are the settle period’s; without ordinals the rise of live bytes stands in', () => {
    const [site] = sites([...run(1, 120), ...run(121, 120), ...run(241, 120), ...run(400, 5)], [120, 240, 360]);
    expect(site!.perRepetitionSamples).toEqual([120, 120, 120]);
    expect(site!.settleBytes).toBeGreaterThan(5 * 4000);
    // No samples list (an older V8): counts from the bytes, per repetition the rise between marks.
    const { head } = profile('cacheIt', run(1, 30));
    const noList = liveSitesOf(head, undefined, INTERVAL);
    expect(noList.lastOrdinal).toBeNull();
    const [rise] = sitesFromSamples([SAMPLING_START, noList], noList, 10).sites;
    expect(rise!.perRepetitionBytes).toEqual([noList.bytes.get([...noList.bytes.keys()][0]!)]);
  });

  it('the verdict calls an unjudged site a suspect and says how many samples it had and what gives more', () => {
    const found = sites([...run(21, 20), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    expect(found[0]!.selfSizeBytes).toBeGreaterThan(NOISE_FLOOR_BYTES);
    const verdict = leakVerdict(found, { status: 'ok', repeat: 3, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: 'sampling' });
    expect(verdict.leaking).toBe(true);
    expect(verdict.lines[0]).toBe(
      `suspect (20–40 samples a repetition are too few to tell a leak from a cache: ${DECIDING_SAMPLES} can; a longer workload, or tracking mode (without --sampling), gives more): 100 samples (~${(found[0]!.selfSizeBytes / 1024).toFixed(1)} KB) still alive from one allocation site`,
    );
  });
});
