import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFlood } from '../../src/report/flood/terminal.js';
import type { FloodResult } from '../../src/results/flood.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import { plainStyle } from '../../src/lib/style.js';

// A real `imdiag flood --compare --duration 5s --json` run, trimmed to nothing: see fixtures/.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/flood-compare.json', import.meta.url), 'utf8')) as FloodResult;

describe('renderFlood', () => {
  it('puts the strategies side by side with verdicts, charts and the Spider comparison', () => {
    const text = renderFlood(fixture, plainStyle, UNWRAPPED);
    expect(text).toMatch(/│\s+per-message\s+│\s+interval\s+│\s+backpressure\s+│/);
    expect(text).toContain('heap used over time');
    expect(text).toContain('bufferedAmount (sum over monitors) over time');
    expect(text).toMatch(/per-message: growing — .*\(Spider: 10–30 min\)/);
    expect(text).toMatch(/interval: bounded/);
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('reports a died server and a run that could not start without throwing', () => {
    const [first] = fixture.runs;
    const died = {
      ...first!,
      outcome: 'died' as const,
      verdict: 'died' as const,
      exit: {
        code: null,
        signal: 'SIGABRT',
        stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb8 node::Abort()',
      },
    };
    const failed = { ...first!, outcome: 'error' as const, error: 'server child not ready after 15 s', samples: [] };
    const text = renderFlood({ ...fixture, runs: [died, failed], warnings: ['per-message: the server died under load (SIGABRT)'] }, plainStyle, UNWRAPPED);
    expect(text).toContain('DIED');
    expect(text).toContain('FATAL ERROR: Reached heap limit');
    expect(text).toContain('could not run');
    expect(text).toContain('warning: per-message: the server died');
  });

  it('never prints raw V8 frames when the FATAL ERROR line has scrolled out of the stderr tail (they stay in the JSON)', () => {
    const [first] = fixture.runs;
    const frames = ['<--- JS stacktrace --->', '', ' 7: 0x7f1d2c node::Start(int, char**)', ' 8: 0x7f1d2d v8::internal::Heap::CollectGarbage()'].join('\n');
    const died = { ...first!, outcome: 'died' as const, verdict: 'died' as const, exit: { code: null, signal: 'SIGABRT', stderrTail: frames, oom: true } };
    const text = renderFlood({ ...fixture, runs: [died], warnings: [] }, plainStyle, UNWRAPPED);
    expect(text).toContain('DIED');
    expect(text).not.toMatch(/0x7f1d2|node::Start|v8::internal|JS stacktrace/);
  });
});
