import { describe, expect, it } from 'vitest';
import { validateMemorySourceOptions, type RawMemorySourceOptions } from '../../src/commands/common/memory-source-options.js';
import { usageMessage as usage } from '../helpers/usage-error.js';

const MB = 1024 * 1024;

describe('validateMemorySourceOptions (watch and flood --target)', () => {
  it('--inspect: the inspector, limits parsed, no forced collections by default', () => {
    const options = validateMemorySourceOptions({ inspect: '127.0.0.1:9229', heapLimit: '96mb', memoryLimit: '1gb' })!;
    expect(options.spec).toEqual({ kind: 'inspector', address: { host: '127.0.0.1', port: 9229 }, forceGcEveryMs: null });
    expect(options.target).toBe('127.0.0.1:9229');
    expect(options.heapLimitBytes).toBe(96 * MB);
    expect(options.memoryLimitBytes).toBe(1024 * MB);
    expect(options.forceGcEveryMs).toBeNull();
  });

  it('--pid alone reads RSS; with --open-inspector the heap, and --force-gc-every is allowed', () => {
    expect(validateMemorySourceOptions({ pid: '4242' })!.spec).toEqual({ kind: 'pid', pid: 4242, openInspector: false, forceGcEveryMs: null });
    const options = validateMemorySourceOptions({ pid: '4242', openInspector: true, forceGcEvery: '2s' })!;
    expect(options.spec).toEqual({ kind: 'pid', pid: 4242, openInspector: true, forceGcEveryMs: 2000 });
    expect(options.forceGcEveryMs).toBe(2000);
  });

  it('--metrics: a loopback URL, normalised', () => {
    const options = validateMemorySourceOptions({ metrics: 'http://127.0.0.1:3000/metrics' })!;
    expect(options.spec).toEqual({ kind: 'metrics', url: 'http://127.0.0.1:3000/metrics' });
    expect(options.target).toBe('http://127.0.0.1:3000/metrics');
  });

  it('optional (flood --target without a source): null, unless a flag needs one', () => {
    expect(validateMemorySourceOptions({}, false)).toBeNull();
    expect(() => validateMemorySourceOptions({ forceGcEvery: '2s' }, false)).toThrow(/--force-gc-every needs a memory source/);
  });

  it.each<[RawMemorySourceOptions, RegExp]>([
    [{}, /give a memory source: --inspect HOST:PORT, --pid N/],
    [{ inspect: '127.0.0.1:9229', pid: '5' }, /exclude each other: give one memory source, got --inspect and --pid/],
    [{ pid: '5', metrics: 'http://127.0.0.1/metrics' }, /exclude each other/],
    [{ openInspector: true, inspect: '127.0.0.1:9229' }, /--open-inspector needs --pid/],
    [{ pid: '5', forceGcEvery: '2s' }, /--force-gc-every needs the inspector/],
    [{ metrics: 'http://127.0.0.1/metrics', forceGcEvery: '2s' }, /--force-gc-every needs the inspector/],
    [{ inspect: '127.0.0.1:9229', forceGcEvery: '10ms' }, /--force-gc-every/],
    [{ inspect: '127.0.0.1:9229', heapLimit: '1mb' }, /--heap-limit/],
    [{ inspect: '127.0.0.1:9229', memoryLimit: 'lots' }, /--memory-limit/],
    [{ inspect: '10.1.2.3:9229' }, /--inspect 10\.1\.2\.3 is not a loopback address; add --allow-remote/],
    [{ pid: '0' }, /--pid/],
    [{ pid: '4194305' }, /--pid/],
    [{ metrics: 'not a url' }, /--metrics must be an http:\/\/ or https:\/\/ URL/],
    [{ metrics: 'ftp://127.0.0.1/metrics' }, /--metrics must be an http:\/\/ or https:\/\/ URL/],
    [{ metrics: 'http://192.168.1.9/metrics' }, /--metrics 192\.168\.1\.9 is not a loopback address; add --allow-remote/],
  ])('refuses %j with one line naming the flag', (raw, message) => {
    const text = usage(() => validateMemorySourceOptions(raw));
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('--allow-remote lets another machine through, for the inspector and the metrics page', () => {
    expect(validateMemorySourceOptions({ inspect: '10.1.2.3:9229', allowRemote: true })!.spec.kind).toBe('inspector');
    expect(validateMemorySourceOptions({ metrics: 'http://192.168.1.9/metrics', allowRemote: true })!.spec.kind).toBe('metrics');
  });
});
