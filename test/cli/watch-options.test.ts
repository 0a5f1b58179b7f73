import { describe, expect, it } from 'vitest';
import { validateWatchOptions } from '../../src/commands/watch/options.js';

const MB = 1024 * 1024;

describe('watch options', () => {
  it.each([
    [
      { inspect: '9229' },
      {
        source: { spec: { kind: 'inspector', address: { host: '127.0.0.1', port: 9229 }, forceGcEveryMs: null } },
        durationMs: 120_000,
        intervalMs: 250,
        untilVerdict: false,
      },
    ],
    [
      { pid: '42', openInspector: true, forceGcEvery: '2s', untilVerdict: true },
      { source: { spec: { kind: 'pid', pid: 42, openInspector: true, forceGcEveryMs: 2000 } }, untilVerdict: true },
    ],
    [
      { metrics: 'http://localhost:3000/metrics', duration: '10m', heapLimit: '1536mb' },
      { source: { spec: { kind: 'metrics', url: 'http://localhost:3000/metrics' }, heapLimitBytes: 1536 * MB }, durationMs: 600_000, capture: null },
    ],
    [{ inspect: '9229', captureAt: '80%' }, { capture: { atShare: 0.8, from: { kind: 'inspector', address: { host: '127.0.0.1', port: 9229 } }, file: null } }],
    [{ pid: '42', openInspector: true, captureAt: '75' }, { capture: { atShare: 0.75, from: { kind: 'pid', pid: 42 }, file: null } }],
  ])('%j', (raw, expected) => expect(validateWatchOptions(raw)).toMatchObject(expected));

  it.each([
    [{ inspect: '9229', metrics: 'http://127.0.0.1/m' }, /exclude each other/],
    [{ openInspector: true, inspect: '9229' }, /--open-inspector needs --pid/],
    [{ metrics: 'ftp://127.0.0.1/m' }, /--metrics must be an http/],
    [{ pid: '0' }, /--pid must be a whole number from 1/],
    [{ inspect: '9229', interval: '10ms' }, /--interval must be/],
    [{ inspect: '9229', heapLimit: '1kb' }, /--heap-limit must be/],
    [{ inspect: '9229', failOn: 'p99>2s' }, /unknown figure 'p99'/],
    [{ inspect: '9229', captureAt: '100%' }, /--capture-at must be a share of the heap limit from 1% to 99%/],
    [{ inspect: '9229', captureAt: 'most' }, /--capture-at must be/],
    [{ metrics: 'http://127.0.0.1/m', captureAt: '80%' }, /--capture-at needs the target's inspector/],
    [{ pid: '42', captureAt: '80%' }, /--capture-at needs the target's inspector/],
    [{ inspect: '9229', captureFile: 'x.heapsnapshot' }, /--capture-file needs --capture-at/],
    [{ inspect: '9229', captureAt: '80%', captureFile: 'package.json' }, /--capture-file package.json exists/],
  ])('refuses %j', (raw, message) => expect(() => validateWatchOptions(raw)).toThrow(message));
});
