import { PostClient } from '../../core/load/http-client.js';
import { runProducerLoop } from '../../core/load/producers.js';
import type { ProducerSummary } from '../../results/flood.js';

/** Keep-alive connections per producer. */
export const MAX_SOCKETS = 16;

export interface ProducerOptions {
  port: number;
  rate: number;
  producers: number;
  payloadBytes: number;
  durationMs: number;
  signal: AbortSignal;
}

/**
 * POSTs timing samples to the simulator's /ingest at a fixed total rate, round-robin over
 * `producers`, each with its own keep-alive connections (PostClient), through the one producer
 * loop (src/core/load/producers.ts). The body carries `t`, the send time on this process's
 * performance clock, which the monitors (same process) compare with their receipt time.
 */
export async function runProducers(options: ProducerOptions): Promise<ProducerSummary> {
  const clients = Array.from({ length: options.producers }, () => new PostClient({ port: options.port, path: '/ingest', maxSockets: MAX_SOCKETS }));
  const bodies = clients.map((_, producer) => bodyTemplate(producer, options.payloadBytes));
  try {
    const { stillOpen: _stillOpen, ...loop } = await runProducerLoop<boolean>({
      producers: options.producers,
      rate: options.rate,
      connections: MAX_SOCKETS,
      durationMs: options.durationMs,
      signal: options.signal,
      send: (producer, sentAt, done) => clients[producer]!.post(bodies[producer]!(sentAt), done),
      succeeded: (ok) => ok,
    });
    return { askedRate: options.rate, ...loop };
  } finally {
    for (const client of clients) client.close();
  }
}

const OPERATIONS = ['db.query', 'cache.get', 'http.call', 'render', 'queue.push'];

/**
 * A producer's POST body of about `payloadBytes`: timing samples like Spider's C# clients sent
 * (operation, milliseconds), deterministic so runs are comparable; `t` is filled in per send.
 */
export function bodyTemplate(producer: number, payloadBytes: number): (t: number) => string {
  const head = `{"p":${producer},"t":`;
  const samples: string[] = [];
  let size = head.length + 40;
  for (let i = 0; size < payloadBytes || samples.length === 0; i += 1) {
    const sample = `{"op":"${OPERATIONS[(producer + i) % OPERATIONS.length]}","ms":${((producer * 7919 + i * 104729) % 100000) / 100}}`;
    samples.push(sample);
    size += sample.length + 1;
  }
  const tail = `,"samples":[${samples.join(',')}]}`;
  return (t) => `${head}${t.toFixed(3)}${tail}`;
}
