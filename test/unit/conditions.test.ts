import { describe, expect, it } from 'vitest';
import { evaluateConditions, parseConditions, type ConditionVocabulary } from '../../src/lib/conditions.js';
import { UsageError } from '../../src/lib/errors.js';

const vocabulary: ConditionVocabulary = { figures: { live: 'bytes', p50: 'duration', docs: 'count' }, verdicts: ['growing', 'died'] };
const describeFigure = (_figure: string, value: number): string => String(value);

describe('--fail-on conditions', () => {
  it('parses sizes, durations, counts and verdict words, comma-separated', () => {
    expect(parseConditions('--fail-on', 'live>512MB, p50<2s,docs>1000,GROWING', vocabulary)).toEqual([
      { kind: 'compare', figure: 'live', op: '>', value: 512 * 1024 * 1024, text: 'live>512MB' },
      { kind: 'compare', figure: 'p50', op: '<', value: 2000, text: 'p50<2s' },
      { kind: 'compare', figure: 'docs', op: '>', value: 1000, text: 'docs>1000' },
      { kind: 'verdict', verdict: 'growing', text: 'growing' },
    ]);
  });

  it.each([
    ['', /at least one condition/],
    ['heap>1MB', /unknown figure 'heap'; allowed: live>…, p50>…, docs>…, growing, died/],
    ['live=1MB', /not a condition/],
    ['live>lots', /--fail-on live must be a size/],
    ['bounded', /not a condition/],
  ])('%j is a usage error naming the flag', (raw, message) => {
    expect(() => parseConditions('--fail-on', raw, vocabulary)).toThrow(UsageError);
    expect(() => parseConditions('--fail-on', raw, vocabulary)).toThrow(message);
  });

  it('holds only when the measured figure crosses the threshold; an unmeasured figure never holds', () => {
    const conditions = parseConditions('--fail-on', 'live>100,p50<5ms,docs>1,died', vocabulary);
    const outcomes = evaluateConditions(conditions, { figures: { live: 101, p50: 5, docs: null }, verdicts: ['growing'] }, describeFigure);
    expect(outcomes.map((outcome) => outcome.held)).toEqual([true, false, false, false]);
    expect(outcomes[0]!.detail).toBe('live 101 > 100');
    expect(outcomes[1]!.detail).toBe('p50 5 ≥ 5');
    expect(outcomes[2]!.detail).toBe('docs was not measured');
    expect(outcomes[3]!.detail).toBe('verdict is growing, not died');
  });
});
