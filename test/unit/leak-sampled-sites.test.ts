import { describe, expect, it } from 'vitest';
import { liveSitesOf, SAMPLING_START, sitesFromSamples, type ProfileNode, type ProfileSample } from '../../src/core/leak/sampled-sites.js';
import { DECIDING_SAMPLES } from '../../src/core/leak/sampled-growth.js';
import { leakVerdict, verdictNotes } from '../../src/core/leak/verdict.js';
import { NOISE_FLOOR_BYTES } from '../../src/core/leak/growth.js';
import { leakMark, SITE_COLUMNS, siteRow } from '../../src/report/leak/rows.js';

const INTERVAL = 1024;
const SCRIPT = 'file:///app/server.js';

/** What the inspector reports for a sampled allocation of `raw` bytes: raw × round(1 / (1 − e^(−raw/interval))) (V8's ScaleSample). */
const reported = (raw: number) => raw * Math.round(1 / -Math.expm1(-raw / INTERVAL));

/** A sampling profile as HeapProfiler.getSamplingProfile gives it: one user function's node under the root, and its samples. */
function profile(functionName: string, samples: Array<{ raw: number; ordinal: number }>): { head: ProfileNode; samples: ProfileSample[] } {
  const node: ProfileNode = {
    callFrame: { functionName, url: SCRIPT, lineNumber: 9, columnNumber: 0 },
    selfSize: samples.reduce((sum, sample) => sum + reported(sample.raw), 0),
    id: 2,
    children: [],
  };
  const head: ProfileNode = { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [node] };
  return { head, samples: samples.map((sample) => ({ nodeId: 2, size: reported(sample.raw), ordinal: sample.ordinal })) };
}

/** `n` samples of allocations of `raw` bytes with ordinals from `first` on. */
const run = (first: number, n: number, raw = 4000) => Array.from({ length: n }, (_, i) => ({ raw, ordinal: first + i }));

/** Three repetitions' marks and the final profile of one site whose live samples are `final`. */
function sites(final: Array<{ raw: number; ordinal: number }>, lastOrdinals: number[]) {
  const marks = [SAMPLING_START, ...lastOrdinals.map((last) => ({ ...liveSitesOf(profile('cacheIt', []).head, [], INTERVAL), lastOrdinal: last }))];
  const { head, samples } = profile('cacheIt', final);
  return sitesFromSamples(marks, liveSitesOf(head, samples, INTERVAL), 10).sites;
}

describe('sampled leak sites: each repetition dated by the samples’ ordinals, judged only on enough samples', () => {
  it('an LRU of 100 entries, 40 a repetition: the final samples dated by ordinal keep 20, 40 and 40 entries (as the tracker counts them), not the rise of 40, 40, 20', () => {
    // Each entry one sample (4,000 bytes at a 1 KB interval): 40 a repetition, ordinals 1–40, 41–80, 81–120; the first 20 evicted.
    const [site] = sites([...run(21, 20), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    expect(site!.perRepetitionSamples).toEqual([20, 40, 40]);
    expect(site!.perRepetitionBytes).toEqual([20 * 4000, 40 * 4000, 40 * 4000]);
    expect(site!.count).toBe(100);
    expect(site!.settleBytes).toBe(0);
    // 40 samples in the typical repetition are few, but 20 is more than three standard deviations (19) short of 40: not a leak.
    expect(site).toMatchObject({ growing: false, pattern: 'latest', leaking: false, sampled: true });
    // 30, 40, 40 reads as alike: on so few samples that may be a cache, so it is left unjudged, its typical repetition's bytes its figure.
    const [close] = sites([...run(11, 30), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    expect(close).toMatchObject({ growing: null, pattern: null, bytesPerRepetition: 40 * 4000, leaking: true });
  });

  it('small allocations: the bytes a sample stands for are taken as the inspector reports them, so the repetitions add up to the site', () => {
    // 100-byte objects at a 1 KB interval: each sample stands for 1,100 bytes (11 objects); scaling again would make it ~1,670.
    const [site] = sites([...run(1, 150, 100), ...run(151, 150, 100), ...run(301, 150, 100), ...run(451, 10, 100)], [150, 300, 450]);
    expect(site!.perRepetitionBytes).toEqual([150 * 1100, 150 * 1100, 150 * 1100]);
    expect(site!.settleBytes).toBe(10 * 1100);
    expect(site!.perRepetitionBytes.reduce((sum, bytes) => sum + bytes, site!.settleBytes)).toBe(site!.selfSizeBytes);
    expect(site).toMatchObject({ growing: true, leaking: true, bytesPerRepetition: 150 * 1100 });
  });

  it("objects near the interval: the node's selfSize rounds its samples' scale together, and the repetitions share it", () => {
    // 18 samples of 20 KB at 32 KB: each reported as 2 × 20 KB (round(2.15)), the node as 39 × 20 KB (round(18 × 2.15)).
    const KB20 = 20 * 1024;
    const node: ProfileNode = {
      callFrame: { functionName: 'remember', url: SCRIPT, lineNumber: 9, columnNumber: 0 },
      selfSize: 39 * KB20,
      id: 2,
      children: [],
    };
    const head: ProfileNode = { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [node] };
    const samples = Array.from({ length: 18 }, (_, i) => ({ nodeId: 2, size: 2 * KB20, ordinal: i + 1 }));
    const marks = [SAMPLING_START, { ...SAMPLING_START, lastOrdinal: 6 }, { ...SAMPLING_START, lastOrdinal: 12 }, { ...SAMPLING_START, lastOrdinal: 18 }];
    const [site] = sitesFromSamples(marks, liveSitesOf(head, samples, 32 * 1024), 10).sites;
    expect(site!.perRepetitionBytes).toEqual([13 * KB20, 13 * KB20, 13 * KB20]);
    expect(site!.selfSizeBytes).toBe(39 * KB20);
  });

  it('few samples that rule a leak out stay judged: filled on the first repetition, or kept only by the latest', () => {
    const [first] = sites(run(1, 30), [30, 60, 90]);
    expect(first!.perRepetitionSamples).toEqual([30, 0, 0]);
    expect(first).toMatchObject({ growing: false, pattern: 'first', leaking: false });
    const [latest] = sites(run(61, 30), [30, 60, 90]);
    expect(latest).toMatchObject({ growing: false, leaking: false });
    // 12, 20, 20 reads as not growing, but 12 is short of 20 by less than three standard deviations (13.4): unjudged.
    const [close] = sites([...run(1, 12), ...run(31, 20), ...run(61, 20)], [30, 60, 90]);
    expect(close).toMatchObject({ growing: null, leaking: true });
    // A first repetition's warm-up (126 samples, then 5 and 5) is unjudged, but its typical repetition × 3 (60 KB) is
    // under the floor: not a suspect, whatever the warm-up's own bytes (504 KB).
    const [warmup] = sites([...run(1, 126), ...run(131, 5), ...run(141, 5)], [130, 140, 150]);
    expect(warmup).toMatchObject({ growing: null, leaking: false });
    // Kept only by the latest repetition, on too few samples to rule a leak out by count ([0, 0, 8] of 10 KB, 80 KB
    // in all): its typical repetition is none, so not a suspect.
    const [latestFew] = sites(run(21, 8, 10_000), [10, 20, 30]);
    expect(latestFew!.perRepetitionSamples).toEqual([0, 0, 8]);
    expect(latestFew).toMatchObject({ growing: null, leaking: false });
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
    expect(site!.settleBytes).toBe(5 * 4000);
    // No samples list (an older V8): counts from the bytes, per repetition the rise between marks.
    const { head } = profile('cacheIt', run(1, 30));
    const noList = liveSitesOf(head, undefined, INTERVAL);
    expect(noList.lastOrdinal).toBeNull();
    const [rise] = sitesFromSamples([SAMPLING_START, noList], noList, 10).sites;
    expect(rise!.perRepetitionBytes).toEqual([noList.bytes.get([...noList.bytes.keys()][0]!)]);
  });

  it("the tables and the terminal mark an unjudged site as such: '? (N samples a repetition)', LEAK?; a judged one LEAK or flat", () => {
    const growing = SITE_COLUMNS.indexOf('growing');
    const [unjudged] = sites([...run(11, 30), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    expect(siteRow(unjudged!)[growing]).toBe('? (30–40 samples a repetition)');
    expect(leakMark(unjudged!)).toBe('LEAK?');
    const [leak] = sites([...run(1, 120), ...run(121, 120), ...run(241, 120)], [120, 240, 360]);
    expect([siteRow(leak!)[growing], leakMark(leak!)]).toEqual(['yes', 'LEAK']);
    const [lru] = sites([...run(1, 60), ...run(121, 120), ...run(241, 120)], [120, 240, 360]);
    expect([siteRow(lru!)[growing], leakMark(lru!)]).toEqual(['no (less from the earlier)', 'flat']);
  });

  it('the verdict calls an unjudged site a suspect and says how many samples it had and what gives more', () => {
    const found = sites([...run(11, 30), ...run(41, 40), ...run(81, 40)], [40, 80, 120]);
    expect(found[0]!.selfSizeBytes).toBeGreaterThan(NOISE_FLOOR_BYTES);
    const run3 = { status: 'ok' as const, repeat: 3, noiseFloorBytes: NOISE_FLOOR_BYTES, mode: 'sampling' as const };
    const verdict = leakVerdict(found, run3);
    expect(verdict.leaking).toBe(true);
    expect(verdict.lines[0]).toBe(
      'suspect (too few samples to tell a leak from a cache): 110 samples (~429.7 KB, +156.3 KB per repetition) still alive from one allocation site',
    );
    // The verdict stays three lines; its samples and what gives more are a note.
    expect(verdict.lines).toHaveLength(3);
    expect(verdictNotes(found, run3)).toEqual([
      `the suspect had 30–40 samples a repetition, where ${DECIDING_SAMPLES} tell a leak from a cache: a longer workload, or tracking mode (without --sampling), gives more`,
    ]);
    // A smaller site judged leaking is named before the suspect.
    const [leak] = sites([...run(1, 100, 400), ...run(101, 100, 400), ...run(201, 100, 400)], [100, 200, 300]);
    const judged = { ...leak!, site: { ...leak!.site, functionName: 'remember' } };
    expect(judged.selfSizeBytes).toBeLessThan(found[0]!.selfSizeBytes);
    const both = leakVerdict([found[0]!, judged], run3);
    expect(both.lines[0]).toMatch(/^leaking: 300 samples/);
    expect(both.lines[1]).toMatch(/^allocated in remember /);
    expect([both.lines.length, verdictNotes([found[0]!, judged], run3)]).toEqual([3, []]);
    // With one repetition every site is a suspect, and the first line already says what gives more.
    expect(verdictNotes(found, { ...run3, repeat: 1 })).toEqual([]);
  });
});
