import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFloodTarget } from '../../src/report/flood-target/terminal.js';
import { renderMarkdown } from '../../src/report/render.js';
import { plainStyle } from '../../src/lib/style.js';
import { compileBody, DEFAULT_BODY, placeholdersIn } from '../../src/engines/flood-target/body.js';
import type { FloodTargetResult } from '../../src/results/flood-target.js';
import { newestTimestamp } from '../../src/engines/flood-target/timestamp.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';

describe('request body templates', () => {
  it('fills {{now}}, {{seq}} and {{rand}} per send and leaves the rest alone', () => {
    const body = compileBody('{"t":{{now}},"n":{{seq}},"r":{{rand}},"s":"{{other}}"}');
    const parsed = JSON.parse(body({ now: 1_700_000_000_123, seq: 7 })) as { t: number; n: number; r: number; s: string };
    expect(parsed.t).toBe(1_700_000_000_123);
    expect(parsed.n).toBe(7);
    expect(parsed.r).toBeGreaterThanOrEqual(0);
    expect(parsed.r).toBeLessThan(1000);
    expect(parsed.s).toBe('{{other}}');
    expect(compileBody('{"fixed":1}')({ now: 1, seq: 1 })).toBe('{"fixed":1}');
    expect(placeholdersIn(DEFAULT_BODY)).toEqual(['now', 'seq', 'rand']);
  });
});

describe('timestamps in what the monitors receive', () => {
  const now = 1_700_000_000_000;
  it('finds the newest epoch-ms time of this run at either end of a message', () => {
    expect(newestTimestamp(`{"newest":${now + 5},"points":[{"t":${now + 1}}]}`, now, now + 10)).toBe(now + 5);
    const long = `{"points":[${'{"t":1},'.repeat(500)}{"t":${now + 3}}]}`;
    expect(newestTimestamp(long, now, now + 10)).toBe(now + 3);
  });
  it('ignores times outside the run, other numbers and the middle of long messages', () => {
    expect(newestTimestamp(`{"t":${now - 1},"id":12345678901234}`, now, now + 10)).toBeNull();
    const middle = `${'x'.repeat(600)}"t":${now + 1}${'x'.repeat(600)}`;
    expect(newestTimestamp(middle, now, now + 10)).toBeNull();
  });
});

describe('flood --target renderers (real-run fixture)', () => {
  const result = JSON.parse(readFileSync(new URL('../../fixtures/flood-target.json', import.meta.url), 'utf8')) as FloodTargetResult;
  it('terminal: the load, every series, the verdict', () => {
    const text = renderFloodTarget(result, plainStyle, UNWRAPPED);
    expect(text).toContain('imdiag flood --target http://127.0.0.1:');
    expect(text).toContain('socket.io monitors');
    expect(text).toMatch(/heap \(old generation\) trend\s+│ growing/);
    expect(text).toContain('RSS trend');
    expect(text).toMatch(/verdict: growing — /);
  });
  it('a dead target is told with its time and last heap reading', () => {
    const died: FloodTargetResult = {
      ...result,
      outcome: 'died',
      verdict: 'died',
      death: { afterMs: 192_000, detectedBy: 'the inspector connection closed', lastHeapUsedBytes: 95 * 2 ** 20, lastRssBytes: null },
    };
    expect(renderFloodTarget(died, plainStyle, UNWRAPPED)).toContain(
      'the target died after 3 min 12 s (the inspector connection closed); last heap reading 95 MB',
    );
  });
  it('markdown report: header values are left out', () => {
    const withSecret: FloodTargetResult = { ...result, params: { ...result.params, headers: [['Authorization', 'Bearer s3cret']] } };
    const md = renderMarkdown(withSecret, { redact: true });
    expect(md).toContain('| **Headers** | Authorization |');
    expect(md).not.toContain('s3cret');
  });
});
