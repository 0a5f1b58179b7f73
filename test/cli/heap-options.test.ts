import { describe, expect, it } from 'vitest';
import { validateHeapDiffOptions, validateHeapOptions } from '../../src/commands/heap/options.js';

describe('heap options (argv → options)', () => {
  it.each([
    [{}, { top: 10, retainers: false, strings: false }],
    [
      { top: '25', retainers: true, strings: true },
      { top: 25, retainers: true, strings: true },
    ],
  ])('%j', (raw, expected) => expect(validateHeapOptions('x.heapsnapshot', raw)).toEqual({ file: 'x.heapsnapshot', ...expected }));

  it.each([
    [() => validateHeapOptions('x', { top: '0' }), '--top must be a whole number from 1 to 1000, got 0'],
    [() => validateHeapDiffOptions(['a'], {}), 'heap diff takes 2 or 3 snapshots (before after [later]), got 1'],
    [
      () => validateHeapDiffOptions(['a', 'b'], { failOn: 'grow>1MB' }),
      "--fail-on: unknown figure 'grow'; allowed: growth>…, total-growth>…, new-objects>…, still-alive>…, not-comparable",
    ],
  ])('rejects %#', (run, message) => expect(run).toThrow(message));

  it('parses --fail-on with the shared condition syntax', () => {
    expect(validateHeapDiffOptions(['a', 'b', 'c'], { failOn: 'growth>50MB' }).failOn).toEqual([
      { kind: 'compare', figure: 'growth', op: '>', value: 50 * 1024 * 1024, text: 'growth>50MB' },
    ]);
  });
});
