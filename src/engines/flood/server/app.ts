import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { strategyByName, type PushHandle } from '../strategies/index.js';
import type { ServerConfig, ServerCounters } from './protocol.js';
import { RecentWindow } from './store.js';

// A POST body larger than this is refused (413): a producer bug, not load.
const MAX_BODY_BYTES = 1024 * 1024;

export interface FloodServer {
  port: number;
  counters: ServerCounters;
  monitors(): Iterable<WebSocket>;
  /** Counters to zero: the load starts now. */
  resetCounters(): void;
  close(): Promise<void>;
}

/** Spider in miniature: POST /ingest stores timing samples; a WebSocket endpoint pushes charts. */
export async function startFloodServer(config: ServerConfig): Promise<FloodServer> {
  const strategy = strategyByName(config.strategy);
  if (!strategy) throw new Error(`unknown strategy '${config.strategy}'`);
  const counters: ServerCounters = { postsReceived: 0, badPosts: 0, pushesSent: 0, pushBytes: 0, pushesSkipped: 0 };
  const store = new RecentWindow(config.windowMs, config.chartPoints);
  const httpServer = http.createServer({ keepAliveTimeout: 30_000 });
  // perMessageDeflate off: Spider's ws pushed plain text, and compression would hide the sizes.
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const openMonitors = function* (): Iterable<WebSocket> {
    for (const monitor of wss.clients) if (monitor.readyState === monitor.OPEN) yield monitor;
  };

  const handle: PushHandle = strategy.start({
    monitors: openMonitors,
    chart: () => store.chart(),
    push(monitor, message) {
      counters.pushesSent += 1;
      counters.pushBytes += message.length;
      monitor.send(message);
    },
    skip() {
      counters.pushesSkipped += 1;
    },
    intervalMs: config.intervalMs,
    highWaterBytes: config.highWaterBytes,
  });

  httpServer.on('request', (req, res) => {
    if (req.method !== 'POST' || req.url !== '/ingest') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sentAt = length <= MAX_BODY_BYTES ? sentAtOf(raw) : null;
      if (sentAt === null) {
        counters.badPosts += 1;
        res.writeHead(length > MAX_BODY_BYTES ? 413 : 400).end();
        return;
      }
      counters.postsReceived += 1;
      store.add({ sentAt, receivedAt: performance.now(), raw });
      handle.onIngest();
      res.writeHead(204).end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    port: (httpServer.address() as AddressInfo).port,
    counters,
    monitors: openMonitors,
    resetCounters() {
      Object.assign(counters, { postsReceived: 0, badPosts: 0, pushesSent: 0, pushBytes: 0, pushesSkipped: 0 });
    },
    async close() {
      handle.stop();
      for (const monitor of wss.clients) monitor.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** Parses the body as Spider did and returns the producer timestamp `t`, or null when malformed. */
function sentAtOf(raw: string): number | null {
  try {
    const body = JSON.parse(raw) as { t?: unknown; samples?: unknown };
    return typeof body.t === 'number' && Array.isArray(body.samples) ? body.t : null;
  } catch {
    return null;
  }
}
