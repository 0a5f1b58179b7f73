import { WebSocket } from 'ws';
import { connectFleet, type MonitorFleet, type RecordPush } from '../../core/load/monitor-fleet.js';
import type { Monitor } from '../../core/load/monitor-group.js';

export type { MonitorFleet } from '../../core/load/monitor-fleet.js';

// Pushes are whole charts; a monitor accepts any size the server sends.
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
// The newest producer timestamp sits at the start of every push: {"newest":<t>,…
const NEWEST = /^\{"newest":([\d.]+)/;

/**
 * The dashboards: `clients` WebSocket monitors on 127.0.0.1:port, the first `slowClients` behind a
 * SlowLink reading `slowReadBytesPerSec`. Resolves once every monitor is open. The producers'
 * timestamps are on this process's performance clock (src/engines/flood/producers.ts), so
 * staleness and delivery latency are read on it too.
 */
export async function connectMonitors(options: { port: number; clients: number; slowClients: number; slowReadBytesPerSec: number }): Promise<MonitorFleet> {
  return connectFleet({
    clients: options.clients,
    slowClients: options.slowClients,
    slowReadBytesPerSec: options.slowReadBytesPerSec,
    upstream: { host: '127.0.0.1', port: options.port },
    open: (relayPort, record) => simulatorMonitor(relayPort ?? options.port, record),
    now: () => performance.now(),
  });
}

function simulatorMonitor(port: number, record: RecordPush): { monitor: Monitor; opened: Promise<void> } {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`, {
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handshakeTimeout: CONNECT_TIMEOUT_MS,
  });
  const monitor: Monitor = { newest: null, closed: false, close: () => socket.terminate() };
  socket.on('message', (data: Buffer) => {
    const receivedAt = performance.now();
    const match = NEWEST.exec(data.toString('latin1', 0, 48));
    const newest = match ? Number(match[1]) : 0;
    record(monitor, data.length, newest > 0 ? newest : null, receivedAt);
  });
  socket.on('close', () => (monitor.closed = true));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // Later errors close the socket; the summary counts it as disconnected.
  socket.on('error', () => undefined);
  return { monitor, opened };
}
