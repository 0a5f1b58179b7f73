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

  it('each kind keeps its own units: sizes in B/KB/MB/GB (any case), durations in ms/s/m/h, counts bare', () => {
    const parsed = parseConditions('--fail-on', 'live>100B,live>1.5kb,live>2GB,p50<250ms,p50<1m,p50<1h,docs>1_000', vocabulary);
    expect(parsed.map((condition) => (condition.kind === 'compare' ? condition.value : null))).toEqual([
      100,
      1536,
      2 * 1024 ** 3,
      250,
      60_000,
      3_600_000,
      1000,
    ]);
  });

  it('verdict words stand alone, in any case', () => {
    expect(parseConditions('--fail-on', 'Died', vocabulary)).toEqual([{ kind: 'verdict', verdict: 'died', text: 'died' }]);
  });

  it.each([
    ['', /at least one condition/],
    ['heap>1MB', /unknown figure 'heap'; allowed: live>…, p50>…, docs>…, growing, died/],
    ['live=1MB', /not a condition/],
    ['live>lots', /--fail-on live must be a size/],
    ['bounded', /not a condition/],
    ['live>512', /^--fail-on live>512: live is a size and needs a unit, one of B, KB, MB, GB \(e\.g\. live>512MB\)$/],
    ['live>0.5', /^--fail-on live>0\.5: live is a size and needs a unit, one of B, KB, MB, GB/],
    ['p50<2', /^--fail-on p50<2: p50 is a duration and needs a unit, one of ms, s, m, h \(e\.g\. p50<2s\)$/],
    ['live>512m', /^--fail-on live must be a size with one of the units B, KB, MB, GB \(e\.g\. 512MB\), got '512m'$/],
    ['p50<2sec', /^--fail-on p50 must be a duration with one of the units ms, s, m, h \(e\.g\. 2s\), got '2sec'$/],
    ['docs>1MB', /^--fail-on docs must be a number, got '1MB'$/],
    ['docs>', /not a condition/],
    ['size>1MB', /unknown figure 'size'/],
    ['shrinking', /'shrinking' is not a condition; use FIGURE>VALUE, FIGURE<VALUE or a verdict word \(live>…, p50>…, docs>…, growing, died\)/],
  ])('%j is a usage error naming the flag', (raw, message) => {
    expect(() => parseConditions('--fail-on', raw, vocabulary)).toThrow(UsageError);
    expect(() => parseConditions('--fail-on', raw, vocabulary)).toThrow(message);
  });

  it('holds only when the measured figure crosses the threshold; an unmeasured figure never holds', () => {
    const conditions = parseConditions('--fail-on', 'live>100B,p50<5ms,docs>1,died', vocabulary);
    const outcomes = evaluateConditions(conditions, { figures: { live: 101, p50: 5, docs: null }, verdicts: ['growing'] }, describeFigure);
    expect(outcomes.map((outcome) => outcome.held)).toEqual([true, false, false, false]);
    expect(outcomes[0]!.detail).toBe('live 101 > 100');
    expect(outcomes[1]!.detail).toBe('p50 5 ≥ 5');
    expect(outcomes[2]!.detail).toBe('docs was not measured');
    expect(outcomes[3]!.detail).toBe('verdict is growing, not died');
  });
});
