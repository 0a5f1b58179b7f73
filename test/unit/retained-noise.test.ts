import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { megabytes, retainedHeap } from '../../src/lib/format.js';
import { plainStyle } from '../../src/lib/style.js';
import { renderCompareUnread } from '../../src/report/compare-unread/terminal.js';
import { renderHtml, renderMarkdown } from '../../src/report/render.js';
import { settledNoiseBytes } from '../../src/core/measure/settle.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/compare-unread.json', import.meta.url), 'utf8')) as CompareUnreadResult;

/** A result whose first strategy "retained" −0.02 MB, the reading that used to be printed as is. */
function withNegativeRetained(noise: number | undefined): CompareUnreadResult {
  const copy = structuredClone(fixture);
  const first = copy.strategies[0]!;
  if (first.status !== 'ok' && first.status !== 'disagrees') throw new Error('fixture: first strategy not measured');
  first.measurement.retainedBytes = -20_972;
  if (noise === undefined) delete first.measurement.retainedNoiseBytes;
  else first.measurement.retainedNoiseBytes = noise;
  return copy;
}

describe('retained heap beside its noise', () => {
  it('inside the noise or below zero: "≈ 0 (± …)" wide enough to hold the reading; above it: the figure', () => {
    expect(retainedHeap(-20_972, 4_096)).toBe('≈ 0 (± 20 KB)');
    expect(retainedHeap(3_000, 4_096)).toBe('≈ 0 (± 4.0 KB)');
    expect(retainedHeap(0, 0)).toBe('≈ 0');
    expect(retainedHeap(900_000, 4_096)).toBe('879 KB');
    expect(retainedHeap(-20_972, undefined, megabytes)).toBe('≈ 0 (± 0.02 MB)');
    expect(retainedHeap(null, 4_096)).toBe('–');
  });

  it('no renderer prints a negative retained heap (terminal, Markdown, HTML chart)', () => {
    for (const noise of [4_096, undefined]) {
      const result = withNegativeRetained(noise);
      const terminal = renderCompareUnread(result, plainStyle, UNWRAPPED);
      expect(terminal).toMatch(/≈ 0 \(± 20 KB\)/);
      expect(terminal).not.toMatch(/-20 KB|-0\.02/);
      const markdown = renderMarkdown(result, { redact: true });
      expect(markdown).toContain('≈ 0 (± 0.02 MB)');
      expect(markdown).not.toMatch(/-0\.02 MB/);
      const html = renderHtml(result, { redact: true });
      expect(html).not.toMatch(/-0\.02 MB/);
      expect(html).toContain('≈ 0 (± 0.02 MB)');
    }
  });

  it('the noise itself is measured: settled readings with nothing retained between them', async () => {
    const noise = await settledNoiseBytes(3);
    expect(noise).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(noise)).toBe(true);
  });
});
