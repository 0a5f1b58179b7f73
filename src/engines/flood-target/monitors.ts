import { isIP } from 'node:net';
import { io as socketIo, type Socket as IoSocket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { connectFleet, type MonitorFleet } from '../../core/load/monitor-fleet.js';
import type { Monitor } from '../../core/load/monitor-group.js';
import type { MonitorSpec } from '../../results/flood-target.js';
import { newestTimestamp, SCAN_CHARS } from './timestamp.js';

// A dashboard accepts whatever size of chart the server sends.
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
// Timestamps up to this far before the run are still this run's (a server's first push may carry older data).
const TIMESTAMP_SLACK_MS = 60_000;

export interface TargetMonitorOptions {
  spec: MonitorSpec;
  clients: number;
  slowClients: number;
  slowReadBytesPerSec: number;
  connectTimeoutMs: number;
}

/**
 * The target's dashboards: `clients` monitors on --ws (ws) or --socket-io (socket.io-client,
 * WebSocket transport, counting --event), the first `slowClients` through a SlowLink relay that
 * reads `slowReadBytesPerSec`, so the target's send buffers really fill. Resolves once all are open.
 * The target stamps its data with wall-clock milliseconds, so staleness is read on Date.now().
 */
export async function connectTargetMonitors(options: TargetMonitorOptions): Promise<MonitorFleet> {
  const notBefore = Date.now() - TIMESTAMP_SLACK_MS;
  const url = new URL(options.spec.url);
  const port = Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
  const spec = options.spec;
  return connectFleet({
    clients: options.clients,
    slowClients: options.slowClients,
    slowReadBytesPerSec: options.slowReadBytesPerSec,
    upstream: { host: url.hostname, port },
    open(relayPort, recordPush) {
      const target = new URL(url);
      if (relayPort !== null) {
        target.hostname = '127.0.0.1';
        target.port = String(relayPort);
      }
      const record: Record = (text, length, monitor) => {
        const receivedAt = Date.now();
        recordPush(monitor, length, newestTimestamp(text, notBefore, receivedAt + 5_000), receivedAt);
      };
      return spec.kind === 'ws' ? wsMonitor(target, url, options.connectTimeoutMs, record) : ioMonitor(target, spec.event, options.connectTimeoutMs, record);
    },
    now: () => Date.now(),
  });
}

type Record = (text: string, length: number, monitor: Monitor) => void;

function wsMonitor(url: URL, original: URL, timeoutMs: number, record: Record): { monitor: Monitor; opened: Promise<void> } {
  // Through a relay the URL names 127.0.0.1:relay; TLS (wss) and the Host header still name the server.
  const socket = new WebSocket(url, {
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handshakeTimeout: timeoutMs,
    headers: { host: original.host },
    ...((isIP(original.hostname) === 0 ? { servername: original.hostname } : {}) as object),
  });
  const monitor: Monitor = { newest: null, closed: false, close: () => socket.terminate() };
  socket.on('message', (data: Buffer, isBinary: boolean) => record(isBinary ? '' : ends(data), data.length, monitor));
  socket.on('close', () => (monitor.closed = true));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(new Error(`WebSocket ${url.href}: ${error.message}`)));
  });
  // Later errors close the socket; the summary counts it as disconnected.
  socket.on('error', () => undefined);
  return { monitor, opened };
}

/** Only the ends of a big push are searched for a timestamp: decode those, not the whole chart. */
function ends(data: Buffer): string {
  if (data.length <= 2 * SCAN_CHARS) return data.toString('utf8');
  // The space keeps the two ends from joining into one number; newestTimestamp slices them apart again.
  return `${data.toString('latin1', 0, SCAN_CHARS)} ${data.toString('latin1', data.length - SCAN_CHARS)}`;
}

function ioMonitor(url: URL, event: string, timeoutMs: number, record: Record): { monitor: Monitor; opened: Promise<void> } {
  // WebSocket transport only: a slow dashboard's backlog then sits in the server's write buffers, as Spider's did.
  const socket: IoSocket = socketIo(url.href, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
  const monitor: Monitor = { newest: null, closed: false, close: () => socket.disconnect() };
  const marker = `["${event}"`;
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      // The raw packet (`2["chart",{…}]`): its length is what travelled, and no second JSON parse is needed.
      socket.io.engine.on('message', (data: unknown) => {
        if (typeof data !== 'string' || data[0] !== '2' || !data.slice(0, 96).includes(marker)) return;
        record(data, Buffer.byteLength(data), monitor);
      });
      resolve();
    });
    socket.once('connect_error', (error: Error) => reject(new Error(`socket.io ${url.href}: ${error.message}`)));
  });
  socket.on('disconnect', () => (monitor.closed = true));
  return { monitor, opened };
}
