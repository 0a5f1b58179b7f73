import { describe, expect, it } from 'vitest';
import { rejectTargetFlags, validateFloodTargetOptions } from '../../src/commands/flood-target/options.js';
import { UsageError } from '../../src/lib/errors.js';

const TARGET = 'http://127.0.0.1:3000/api/data';

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
    [{ leak: true }, "--leak needs the target's inspector: --inspect HOST:PORT, or --pid N with --open-inspector"],
    [{ leak: true, metrics: 'http://127.0.0.1/metrics' }, "--leak needs the target's inspector"],
    [{ leak: true, pid: '4242' }, "--leak needs the target's inspector"],
    [{ leak: true, inspect: '127.0.0.1:9229', forceGcEvery: '2s' }, '--leak and --force-gc-every exclude each other'],
  ])('%j is a usage error', (raw, message) => {
    expect(() => validateFloodTargetOptions({ target: TARGET, ...raw })).toThrow(UsageError);
    expect(() => validateFloodTargetOptions({ target: TARGET, ...raw })).toThrow(message);
  });

  it("run by imdiag leak (its handoff variable set): flood's own inspector session on the target is refused, --pid alone is not", () => {
    const env = { IMDIAG_LEAK_HANDOFF: '/tmp/imdiag-leak-handoff-x' };
    expect(() => validateFloodTargetOptions({ target: TARGET, inspect: '127.0.0.1:9229' }, env)).toThrow(/^--inspect under imdiag leak --during: /);
    expect(() => validateFloodTargetOptions({ target: TARGET, pid: '4242', openInspector: true }, env)).toThrow(/^--open-inspector under imdiag leak/);
    expect(validateFloodTargetOptions({ target: TARGET, pid: '4242' }, env).params.memory).toMatchObject({ kind: 'pid', openInspector: false });
  });

  it('--leak with the inspector', () => {
    expect(validateFloodTargetOptions({ target: TARGET, leak: true, inspect: '127.0.0.1:9229' }).params.leak).toBe(true);
    expect(validateFloodTargetOptions({ target: TARGET, leak: true, pid: '4242', openInspector: true }).params.leak).toBe(true);
    expect(validateFloodTargetOptions({ target: TARGET }).params.leak).toBe(false);
    expect(() => rejectTargetFlags({ leak: true })).toThrow('--leak needs --target URL');
  });

  it('--allow-remote lets load go to another machine', () => {
    expect(validateFloodTargetOptions({ target: 'http://example.com/api', allowRemote: true }).params.target).toBe('http://example.com/api');
  });

  it('target flags without --target are usage errors', () => {
    expect(() => rejectTargetFlags({ metrics: 'http://127.0.0.1/metrics' })).toThrow('--metrics needs --target URL');
    expect(() => rejectTargetFlags({ rate: '10' })).not.toThrow();
  });
});
