import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rejectTargetFlags, validateFloodTargetOptions } from '../../src/commands/flood-target/options.js';
import { renderFloodTarget } from '../../src/report/flood-target/terminal.js';
import { renderMarkdown } from '../../src/report/render.js';
import { plainStyle } from '../../src/lib/style.js';
import { compileBody, DEFAULT_BODY, placeholdersIn } from '../../src/engines/flood-target/body.js';
import type { FloodTargetResult } from '../../src/results/flood-target.js';
import { newestTimestamp } from '../../src/engines/flood-target/timestamp.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import { UsageError } from '../../src/lib/errors.js';

const TARGET = 'http://127.0.0.1:3000/api/data';

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

describe('validateFloodTargetOptions', () => {
  it('defaults: the Spider-like load, no monitors, no memory source', () => {
    const { params, conditions } = validateFloodTargetOptions({ target: TARGET });
    expect(params).toMatchObject({
      target: TARGET,
      method: 'POST',
      rate: 50,
      producers: 10,
      connections: 1,
      monitor: null,
      clients: 0,
      slowClients: 0,
      durationMs: 30_000,
      memory: null,
      allowRemote: false,
      failOn: [],
    });
    expect(params.body.from).toBe('default');
    expect(conditions).toEqual([]);
  });

  it('monitors, a memory source, headers, a body and --fail-on', () => {
    const { params, conditions } = validateFloodTargetOptions({
      target: TARGET,
      method: 'put',
      socketIo: 'http://localhost:3000',
      event: 'chart',
      slowClients: '2',
      inspect: '127.0.0.1:9229',
      forceGcEvery: '2s',
      header: ['X-Trace: 1', 'Authorization: Bearer t'],
      body: '[{"t":{{now}}}]',
      failOn: 'growing,p99>200ms',
    });
    expect(params.method).toBe('PUT');
    expect(params.monitor).toEqual({ kind: 'socket.io', url: 'http://localhost:3000/', event: 'chart' });
    expect(params.clients).toBe(5);
    expect(params.slowClients).toBe(2);
    expect(params.memory).toEqual({ kind: 'inspector', address: { host: '127.0.0.1', port: 9229 }, forceGcEveryMs: 2000 });
    expect(params.headers).toEqual([
      ['X-Trace', '1'],
      ['Authorization', 'Bearer t'],
    ]);
    expect(params.body).toMatchObject({ from: 'inline', placeholders: ['now'] });
    expect(conditions.map((c) => c.text)).toEqual(['growing', 'p99>200ms']);
  });

  it('--body FILE is read', () => {
    const { params } = validateFloodTargetOptions({ target: TARGET, body: new URL('../../fixtures/flood-target.json', import.meta.url).pathname });
    expect(params.body.from).toBe('file');
  });

  it.each([
    [{ strategy: 'interval' }, '--strategy does not apply with --target'],
    [{ target: 'ftp://127.0.0.1/x' }, '--target must be a http or https URL'],
    [{ target: 'not a url' }, '--target must be a URL'],
    [{ target: 'http://example.com/api' }, '--target example.com is not a loopback address'],
    [{ ws: 'ws://127.0.0.1/live', socketIo: 'http://127.0.0.1' }, '--ws and --socket-io exclude each other'],
    [{ event: 'chart' }, '--event names the socket.io event'],
    [{ ws: 'http://127.0.0.1/live' }, '--ws must be a ws or wss URL'],
    [{ ws: 'ws://127.0.0.1/live', clients: '2', slowClients: '3' }, '--slow-clients must not exceed --clients (2)'],
    [{ inspect: '127.0.0.1:9229', metrics: 'http://127.0.0.1/metrics' }, '--inspect, --pid and --metrics exclude each other'],
    [{ connections: '0' }, '--connections must be a whole number from 1 to 64'],
    [{ duration: '3h' }, '--duration must be'],
    [{ failOn: 'heap>lots' }, '--fail-on heap'],
    [{ failOn: 'shrinking' }, "--fail-on: 'shrinking' is not a condition"],
    [{ clients: '2' }, '--clients and --slow-clients need --ws URL or --socket-io URL'],
    [{ ws: 'ws://10.1.2.3:80/live' }, '--ws 10.1.2.3 is not a loopback address; add --allow-remote'],
    [{ method: 'GET' }, '--method must be one of POST, PUT'],
    [{ body: '{"t":{{now}' }, 'is not valid JSON once {{now}}, {{seq}} and {{rand}} are filled in'],
    [{ header: ['no colon'] }, "--header must be 'Name: value'"],
  ])('%j is a usage error', (raw, message) => {
    expect(() => validateFloodTargetOptions({ target: TARGET, ...raw })).toThrow(UsageError);
    expect(() => validateFloodTargetOptions({ target: TARGET, ...raw })).toThrow(message);
  });

  it('--allow-remote lets load go to another machine', () => {
    expect(validateFloodTargetOptions({ target: 'http://example.com/api', allowRemote: true }).params.target).toBe('http://example.com/api');
  });

  it('target flags without --target are usage errors', () => {
    expect(() => rejectTargetFlags({ metrics: 'http://127.0.0.1/metrics' })).toThrow('--metrics needs --target URL');
    expect(() => rejectTargetFlags({ rate: '10' })).not.toThrow();
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
