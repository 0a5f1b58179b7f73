import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../../src/lib/progress.js';
import { PostClient } from '../../src/core/load/http-client.js';
import { MAX_IN_FLIGHT } from '../../src/core/load/producers.js';
import { runProducers } from '../../src/engines/flood/producers.js';
import { runStrategy } from '../../src/engines/flood/run.js';
import { strategyByName } from '../../src/engines/flood/strategies/index.js';
import { validateFloodOptions } from '../../src/commands/flood/options.js';

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Sockets, servers and child processes this test process holds (timers come and go with vitest). */
function openHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => /TCP|Pipe|Process/.test(kind)).length;
}

describe('producers', () => {
  it('keep the fixed schedule against a responsive server', async () => {
    const { server, port } = await listen((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    const summary = await runProducers({ port, rate: 200, producers: 2, payloadBytes: 256, durationMs: 2000, signal: new AbortController().signal });
    await close(server);
    expect(summary.scheduled).toBe(400);
    // Generous: a loaded two-core box may fail a few, never most.
    expect(summary.ok).toBeGreaterThan(0.8 * summary.scheduled);
    expect(summary.failed).toBe(0);
    expect(summary.postLatency!.count).toBe(summary.ok);
  });

  it('do not slow down when the server stops answering: the sends they cannot make are counted as missed', async () => {
    const stalled: http.ServerResponse[] = [];
    const { server, port } = await listen((_req, res) => void stalled.push(res));
    const summary = await runProducers({ port, rate: 200, producers: 2, payloadBytes: 256, durationMs: 1500, signal: new AbortController().signal });
    await close(server);
    expect(summary.scheduled).toBe(300);
    expect(summary.sent).toBe(2 * MAX_IN_FLIGHT);
    expect(summary.missed).toBe(summary.scheduled - summary.sent);
    expect(summary.ok).toBe(0);
    expect(summary.keptRate).toBe(false);
  });

  it('stop at once when the signal aborts', async () => {
    const { server, port } = await listen((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = performance.now();
    const summary = await runProducers({ port, rate: 100, producers: 1, payloadBytes: 256, durationMs: 60_000, signal: abort.signal });
    await close(server);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(summary.scheduled).toBeLessThan(1000);
  });
});

describe('PostClient', () => {
  it('counts 204 as success, reads past other statuses and their bodies on the same connection', async () => {
    const statuses = [204, 400, 204, 413, 204];
    let connections = 0;
    const { server, port } = await listen((req, res) => {
      req.resume().on('end', () => {
        const status = statuses.shift()!;
        if (status === 204) res.writeHead(204).end();
        else res.writeHead(status, { 'content-type': 'text/plain' }).end('refused, with a body');
      });
    });
    server.on('connection', () => (connections += 1));
    const client = new PostClient({ port, path: '/ingest', maxSockets: 1 });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 5; i += 1) outcomes.push(await new Promise<boolean>((resolve) => client.post('{"t":1,"samples":[]}', resolve)));
    client.close();
    await close(server);
    expect(outcomes).toEqual([true, false, true, false, true]);
    expect(connections).toBe(1);
  });
});

describe('one strategy run', () => {
  it('closes its child, monitors, relays and agents: no handle is left in this process', async () => {
    const before = openHandles();
    const params = validateFloodOptions({
      rate: '100',
      clients: '3',
      slowClients: '1',
      slowRead: '16kb',
      duration: '2s',
      strategy: 'backpressure',
      highWater: '64kb',
    });
    const run = await runStrategy(strategyByName('backpressure')!, params, { signal: new AbortController().signal, reporter: silentReporter });
    expect(run.outcome).toBe('completed');
    expect(run.server.postsReceived).toBeGreaterThan(0);
    expect(run.samples.length).toBeGreaterThan(5);
    // Sockets close asynchronously; give them a moment.
    for (let i = 0; i < 20 && openHandles() > before; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openHandles()).toBeLessThanOrEqual(before);
  });
});
