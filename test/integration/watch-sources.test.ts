import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openMemorySource, TargetGone, type MemorySource } from '../../src/core/memory/sources/index.js';
import { parseExposition } from '../../src/core/memory/sources/metrics.js';
import { maxOldSpaceSizeMB, oldSpaceCap, splitNodeOptions } from '../../src/core/memory/sources/node-flags.js';
import { startTarget, type Target } from '../helpers/node-target.js';

describe('node flags', () => {
  it('reads --max-old-space-size the ways Node accepts it, the last one winning', () => {
    expect(maxOldSpaceSizeMB(['--max-old-space-size=96'])).toBe(96);
    expect(maxOldSpaceSizeMB(['--max_old_space_size=2048', '--inspect'])).toBe(2048);
    expect(maxOldSpaceSizeMB(['--max-old-space-size', '512'])).toBe(512);
    expect(maxOldSpaceSizeMB(['--max-old-space-size=64', '--max-old-space-size=128'])).toBe(128);
    expect(maxOldSpaceSizeMB(['--max-semi-space-size=16'])).toBeNull();
  });
  it('prefers the command line to NODE_OPTIONS', () => {
    expect(oldSpaceCap(['--max-old-space-size=96'], '--max-old-space-size=4096')).toEqual({ mb: 96, from: 'execArgv' });
    expect(oldSpaceCap([], '--require "./a b.js" --max-old-space-size=4096')).toEqual({ mb: 4096, from: 'NODE_OPTIONS' });
    expect(oldSpaceCap([], null)).toBeNull();
    expect(splitNodeOptions('--require "./a b.js" --x')).toEqual(['--require', './a b.js', '--x']);
  });
});

describe('Prometheus text exposition', () => {
  it('reads unlabelled samples and the first of a labelled family', () => {
    const page = parseExposition(
      '# HELP x y\n# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes 123456 1700000000000\nnodejs_heap_space_size_used_bytes{space="old"} 9\nnodejs_heap_space_size_used_bytes{space="new"} 8\nbad line\n',
    );
    expect(page.get('nodejs_heap_size_used_bytes')).toBe(123456);
    expect(page.get('nodejs_heap_space_size_used_bytes')).toBe(9);
    expect(page.has('bad')).toBe(false);
  });
});

describe('memory sources against a real process', () => {
  let target: Target | undefined;
  let source: MemorySource | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await source?.close();
    await target?.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    target = source = server = undefined;
  });

  it('inspector: heap, memoryUsage, the heap cap from execArgv, forced GC marked', async () => {
    target = await startTarget({ behaviour: 'steady', inspect: 'now', maxOldSpaceSizeMB: 96 });
    source = await openMemorySource({ kind: 'inspector', address: { host: '127.0.0.1', port: target.inspectPort! }, forceGcEveryMs: 0 });
    expect(source.facts).toMatchObject({ pid: target.pid, maxOldSpaceSizeMB: 96, maxOldSpaceSizeFrom: 'execArgv' });
    expect(source.facts.heapSizeLimit).toBeGreaterThan(96 * 1024 * 1024);
    const sample = await source.sample();
    expect(sample).toMatchObject({ afterForcedGc: true });
    for (const figure of ['heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'rss'] as const) expect(sample[figure]).toBeGreaterThan(0);
  });

  it('pid: RSS only, without asking the process anything; gone when it exits', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'on-signal', maxOldSpaceSizeMB: 64 });
    source = await openMemorySource({ kind: 'pid', pid: target.pid, openInspector: false, forceGcEveryMs: null });
    expect(source.facts.maxOldSpaceSizeMB).toBe(64);
    const sample = await source.sample();
    expect(sample.rss).toBeGreaterThan(1024 * 1024);
    expect(sample.heapUsed).toBeNull();
    expect(target.stderr()).not.toMatch(/Debugger listening/);
    await target.stop();
    await expect(source.sample()).rejects.toThrow(TargetGone);
  });

  it('pid --open-inspector: reads the heap through the inspector SIGUSR1 opened', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'on-signal' });
    source = await openMemorySource({ kind: 'pid', pid: target.pid, openInspector: true, forceGcEveryMs: null });
    expect(source.facts.via).toMatch(/opened with SIGUSR1/);
    expect((await source.sample()).heapUsed).toBeGreaterThan(0);
  });

  it('metrics: prom-client names; a page without heap metrics is refused in one line', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'on-signal', metrics: true });
    source = await openMemorySource({ kind: 'metrics', url: `http://127.0.0.1:${target.metricsPort}/metrics` });
    const sample = await source.sample();
    expect(sample.heapUsed).toBeGreaterThan(0);
    expect(sample.rss).toBeGreaterThan(0);
    expect(sample.heapLimit).toBeNull();
    server = createServer((_request, response) => response.end('# TYPE up gauge\nup 1\n'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await expect(openMemorySource({ kind: 'metrics', url: `http://127.0.0.1:${port}/metrics` })).rejects.toThrow(
      /serves no nodejs_heap_size_used_bytes or nodejs_heap_size_total_bytes/,
    );
  });
});
