import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { phaseOf } from '../../src/core/measure/phase.js';
import { queueProgress, secondsLeft } from '../../src/core/measure/queue-progress.js';
import { clock } from '../../src/lib/format.js';
import { silentReporter, streamReporter } from '../../src/lib/progress.js';

/** A stream that says it is (or is not) a terminal of `columns`, keeping what is written to it. */
function terminal(isTTY: boolean, columns = 100): { stream: NodeJS.WriteStream; written: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns }) as unknown as NodeJS.WriteStream;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, written: () => text };
}

describe('the run under way in a measuring child', () => {
  const plan = { warmupRuns: 1, runs: 3, probeRuns: 3 };
  it('names the run and its place in the plan', () => {
    expect(phaseOf('warm-up', 1, plan)).toEqual({ kind: 'warm-up', label: 'warm-up', step: 1, steps: 7 });
    expect(phaseOf('run', 2, plan)).toEqual({ kind: 'run', label: 'run 2/3', step: 3, steps: 7 });
    expect(phaseOf('probe', 3, plan)).toEqual({ kind: 'probe', label: 'probe 3/3', step: 7, steps: 7 });
    expect(phaseOf('run', 1, { warmupRuns: 0, runs: 1, probeRuns: 1 })).toEqual({ kind: 'run', label: 'run', step: 1, steps: 2 });
  });
  it('a probe past an upper-bound plan keeps counting, without a total', () => {
    expect(phaseOf('probe', 2, { warmupRuns: 1, runs: 1, probeRuns: 1 })).toEqual({ kind: 'probe', label: 'probe 2', step: 3, steps: 3 });
  });
});

describe('what is left of a queue of children', () => {
  it('nothing timed yet: unknown', () => {
    const warmUp = { kind: 'warm-up', label: 'warm-up', step: 1, steps: 7 } as const;
    expect(secondsLeft({ finished: [], waiting: 3, current: { elapsed: 2, phaseElapsed: 1, phase: warmUp, pace: { step: 1, at: 1 } } })).toBeNull();
  });
  it('from the pace of the entry under way once one of its runs has ended, its start left out', () => {
    // Started 2 s in; 3 runs took 12 s (4 s each), the 4th began 1 s ago: 4 × 4 − 1 = 15 s left here, then 2 entries of 30 s.
    const phase = { kind: 'run', label: 'run 3/3', step: 4, steps: 7 } as const;
    const left = secondsLeft({ finished: [], waiting: 2, current: { elapsed: 15, phaseElapsed: 1, phase, pace: { step: 1, at: 2 } } });
    expect(left).toEqual({ low: 15 + 2 * 30, high: 15 + 2 * 30 });
  });
  it('as a range between the shortest and the longest entry seen', () => {
    const left = secondsLeft({ finished: [40, 4], waiting: 3, current: { elapsed: 1, phaseElapsed: 1 } });
    expect(left).toEqual({ low: 3 + 3 * 4, high: 39 + 3 * 40 });
  });
  it('the last entry, after its child: nothing waiting', () => {
    expect(secondsLeft({ finished: [10], waiting: 0, current: { elapsed: 12, phaseElapsed: 1 } })).toEqual({ low: 0, high: 0 });
  });
});

describe('clock', () => {
  it('minutes and seconds, hours when there are some', () => {
    expect([clock(7.9), clock(245), clock(3723), clock(null)]).toEqual(['0:07', '4:05', '1:02:03', '–']);
  });
});

describe('the status line', () => {
  it('on a terminal: redrawn in place, cut to the width, notes written above it, gone at the end', () => {
    const { stream, written } = terminal(true, 40);
    const reporter = streamReporter(stream);
    let now = 100;
    const progress = queueProgress(reporter, { title: 'compare-unread', total: 2, now: () => now });
    progress.start('naive');
    now += 3;
    progress.onProgress({ docs: 0, heapUsedBytes: 0, phase: { kind: 'run', label: 'run 1/1', step: 2, steps: 3 } });
    reporter.note('a note');
    progress.end();
    const text = written();
    expect(text).toContain('\r\x1b[2Kcompare-unread 1/2 naive: starting · 0…');
    expect(text).toContain('\r\x1b[2Ka note\n\r\x1b[2Kcompare-unread 1/2 naive: run 1/1 · 0:…');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
    for (const line of text.split(/\r\x1b\[2K|\n/)) expect([...line].length).toBeLessThanOrEqual(39);
  });
  it('the estimate once a run has ended', () => {
    const { stream, written } = terminal(true, 200);
    let now = 0;
    const progress = queueProgress(streamReporter(stream), { title: 'query', total: 1, now: () => now });
    progress.start('driver');
    now = 2;
    progress.onProgress({ docs: 0, heapUsedBytes: 0, phase: { kind: 'warm-up', label: 'warm-up', step: 1, steps: 5 } });
    now = 8;
    progress.onProgress({ docs: 0, heapUsedBytes: 0, phase: { kind: 'run', label: 'run 1/2', step: 2, steps: 5 } });
    now = 10;
    progress.onProgress({ docs: 0, heapUsedBytes: 0, phase: { kind: 'run', label: 'run 2/2', step: 3, steps: 5 } });
    progress.end();
    // The pace of the first run after the warm-up once it has ended: 2 s a run, 3 runs left.
    expect(written()).toContain('query 1/1 driver: run 1/2 · 0:08 elapsed · ~0:24 left');
    expect(written()).toContain('query 1/1 driver: run 2/2 · 0:10 elapsed · ~0:06 left');
  });
  it('a terminal that does not say its width: $COLUMNS, as the tables', () => {
    vi.stubEnv('COLUMNS', '30');
    try {
      const { stream, written } = terminal(true, 0);
      streamReporter(stream).status?.('x'.repeat(80));
      expect(written()).toBe(`\r\x1b[2K${'x'.repeat(28)}…`);
    } finally {
      vi.unstubAllEnvs();
    }
  });
  it('not a terminal: nothing at all, notes as before', () => {
    const { stream, written } = terminal(false);
    const reporter = streamReporter(stream);
    const progress = queueProgress(reporter, { title: 'query', total: 1 });
    progress.start('driver');
    progress.onProgress({ docs: 0, heapUsedBytes: 0, phase: { kind: 'warm-up', label: 'warm-up', step: 1, steps: 4 } });
    reporter.note('query: driver (1/1)…');
    progress.end();
    expect(written()).toBe('query: driver (1/1)…\n');
  });
  it('a reporter without a status line (tests, --json helpers) is left alone', () => {
    const progress = queueProgress(silentReporter, { title: 'query', total: 1 });
    progress.start('driver');
    progress.end();
  });
});
