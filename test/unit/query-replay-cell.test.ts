import { describe, expect, it } from 'vitest';
import { replayCell } from '../../src/report/query/cells.js';
import type { FullReplay } from '../../src/results/query.js';

const MB = 1024 * 1024;

describe("--full live: what each variant's replay measured", () => {
  it('a replay without a live reading (stream, raw near the cap) shows the peak it measured, never as if it was not replayed', () => {
    const read: FullReplay = { status: 'ok', docs: 1000, liveBytes: 12 * MB, live: null, peakHeapGrowthBytes: 20 * MB, durationMs: 5, loop: null, notes: [] };
    const unread: FullReplay = { ...read, liveBytes: null, notes: ['too near the heap limit'] };
    expect(replayCell(read)).toBe('12 MB');
    expect(replayCell(unread)).toBe('peak +20 MB (live not read)');
    expect(replayCell({ status: 'oom', reason: 'out of memory', docsBeforeDeath: 10 }, true)).toBe('oom: out of memory');
    expect(replayCell(null)).toBe('–');
  });
});
