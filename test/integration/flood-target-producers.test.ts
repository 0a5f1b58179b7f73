import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { compileBody } from '../../src/engines/flood-target/body.js';
import { runTargetProducers } from '../../src/engines/flood-target/producers.js';
import { undiciSender } from '../../src/engines/flood-target/senders.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A real HTTP server on loopback: answers per `answer`, records what it received. */
async function listen(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<{ url: URL; received: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string }> }> {
  const received: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/data`), received };
}

function run(url: URL, options: { rate?: number; method?: 'POST' | 'PUT'; headers?: Array<[string, string]>; producers?: number } = {}) {
  const senders = Array.from({ length: options.producers ?? 2 }, () =>
    undiciSender({ url, method: options.method ?? 'POST', headers: options.headers ?? [], connections: 1, timeoutMs: 2000 }),
  );
  return runTargetProducers({
    rate: options.rate ?? 50,
    durationMs: 1000,
    senders,
    connections: 1,
    body: compileBody('{"t":{{now}},"n":{{seq}}}'),
    signal: new AbortController().signal,
  }).finally(() => Promise.all(senders.map((s) => s.close())));
}

describe('target producers over undici, against a real HTTP server', () => {
  it('sends the method, headers and filled-in body at the fixed rate; chunked 200s count as ok', async () => {
    const { url, received } = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('ok, ');
      res.end('chunked');
    });
    const summary = await run(url, { method: 'PUT', headers: [['X-Trace', 'abc']] });
    expect(summary.scheduled).toBe(50);
    expect(summary.ok).toBe(50);
    expect(summary.statuses).toEqual({ 200: 50 });
    expect(received).toHaveLength(50);
    expect(received[0]!.method).toBe('PUT');
    expect(received[0]!.headers['x-trace']).toBe('abc');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    const seqs = received.map((r) => (JSON.parse(r.body) as { n: number }).n).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((JSON.parse(received[0]!.body) as { t: number }).t).toBeGreaterThan(Date.now() - 60_000);
  });

  it('non-2xx statuses and closed connections are failures, counted by status and error', async () => {
    let n = 0;
    const { url } = await listen((_req, res) => {
      n += 1;
      if (n % 5 === 0) res.socket!.destroy();
      else if (n % 2 === 0) res.writeHead(503, { connection: 'close' }).end('busy');
      else res.writeHead(204).end();
    });
    const summary = await run(url, { rate: 40 });
    expect(summary.ok + summary.failed + summary.missed).toBe(summary.scheduled);
    expect(summary.statuses['204']).toBe(summary.ok);
    expect(summary.statuses['503']).toBeGreaterThan(0);
    expect(Object.keys(summary.errors).length).toBeGreaterThan(0);
    expect(summary.keptRate).toBe(false);
  });
});
